/**
 * tcpdump's timestamp column (util-print.c ts_print) for -t modes 0-5, in
 * microseconds (its default, also for nanosecond files: libpcap truncates) or
 * nanoseconds (--time-stamp-precision=nano). No Date per packet: the local
 * offset is looked up once per 15-minute block (zone offsets and their
 * changes fall on such boundaries) and the text once per second.
 */
import { pad4 } from './text-tables.js';

export const TimestampMode = { Default: 0, None: 1, Unix: 2, DeltaPrevious: 3, Date: 4, DeltaFirst: 5 } as const;

const BLOCK = 900;
const TWO: readonly string[] = Array.from({ length: 100 }, (_, i) => (i < 10 ? '0' : '') + i);

export class TimestampFormatter {
  private cachedSec = -1;
  private cachedText = '';
  private blockStart = 1;
  private blockOffset = 0;
  private refSec = 0;
  private refFrac = 0;
  private readonly fracDigits: number;
  private readonly fracDivisor: number;

  /** @param mode tcpdump's -t count; @param nano print nanoseconds */
  constructor(readonly mode: number, readonly nano = false, private readonly localTime = true) {
    this.fracDigits = nano ? 9 : 6;
    this.fracDivisor = nano ? 1 : 1000;
  }

  /** The column for one packet, with its trailing space ('' for -t). */
  format(sec: number, nsec: number): string {
    const frac = Math.floor(nsec / this.fracDivisor);
    switch (this.mode) {
      case TimestampMode.None:
        return '';
      case TimestampMode.Unix:
        if (badSeconds(sec)) return '[Error converting time] ';
        return (sec % 0x100000000) + '.' + this.fracText(frac) + ' ';
      case TimestampMode.DeltaPrevious:
      case TimestampMode.DeltaFirst:
        return this.delta(sec, frac);
      default:
        if (badSeconds(sec)) return '[Error converting time] ';
        return this.wallClock(sec, this.mode === TimestampMode.Date) + this.fracText(frac) + ' ';
    }
  }

  /** Zero-padded fraction, from table pieces (see dec() for why not String()). */
  private fracText(frac: number): string {
    if (frac < 0 || frac >= 1e9 || !Number.isInteger(frac)) {
      const s = String(frac);
      return s.length >= this.fracDigits ? s : '0'.repeat(this.fracDigits - s.length) + s;
    }
    const low = frac % 10000, rest = (frac - low) / 10000;
    if (this.fracDigits === 6) return TWO[rest % 100]! + pad4(low);
    const mid = rest % 10000;
    return String.fromCharCode(48 + ((rest - mid) / 10000) % 10) + pad4(mid) + pad4(low);
  }

  /** "HH:MM:SS." or "YYYY-MM-DD HH:MM:SS." in local time, cached per second. */
  private wallClock(sec: number, withDate: boolean): string {
    if (sec === this.cachedSec) return this.cachedText;
    const local = sec + this.offsetAt(sec);
    const day = Math.floor(local / 86400);
    const tod = local - day * 86400;
    let text = TWO[Math.floor(tod / 3600)]! + ':' + TWO[Math.floor((tod % 3600) / 60)]! + ':' + TWO[tod % 60]! + '.';
    if (withDate) text = civilDate(day) + ' ' + text;
    this.cachedSec = sec;
    this.cachedText = text;
    return text;
  }

  private offsetAt(sec: number): number {
    if (!this.localTime) return 0;
    if (sec < this.blockStart || sec >= this.blockStart + BLOCK) {
      this.blockStart = sec - (sec % BLOCK);
      this.blockOffset = -new Date(sec * 1000).getTimezoneOffset() * 60;
    }
    return this.blockOffset;
  }

  private delta(sec: number, frac: number): string {
    if (this.refSec === 0 && this.refFrac === 0) { this.refSec = sec; this.refFrac = frac; }
    const unit = this.nano ? 1e9 : 1e6;
    const negative = sec < this.refSec || (sec === this.refSec && frac < this.refFrac);
    let ds: number, df: number;
    if (negative) { ds = this.refSec - sec; df = this.refFrac - frac; }
    else { ds = sec - this.refSec; df = frac - this.refFrac; }
    if (df < 0) { ds -= 1; df += unit; }
    if (this.mode === TimestampMode.DeltaPrevious) { this.refSec = sec; this.refFrac = frac; }
    let s = negative ? '-' : ' ';
    if (badSeconds(ds)) return s + '[Error converting time] ';
    const tod = ds % 86400;
    s += TWO[Math.floor(tod / 3600)]! + ':' + TWO[Math.floor((tod % 3600) / 60)]! + ':' + TWO[tod % 60]! + '.';
    return s + this.fracText(df) + ' ';
  }
}

/**
 * tcpdump refuses times whose seconds, cut to 32 bits, have the top bit set
 * (it tests `(unsigned)sec & 0x80000000`); 2106 and later wrap around and pass.
 */
function badSeconds(sec: number): boolean {
  return sec < 0 || sec % 0x100000000 >= 0x80000000;
}

/** Y-M-D of a day count since 1970-01-01 (proleptic Gregorian). */
function civilDate(days: number): string {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  const y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  return y + '-' + TWO[m]! + '-' + TWO[d]!;
}
