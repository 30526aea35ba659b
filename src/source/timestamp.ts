/**
 * Exact conversion of pcapng 64-bit timestamps (a count of 1/unitsPerSecond
 * ticks split into two 32-bit words) into seconds + nanoseconds, without BigInt
 * on the hot path. Nanosecond counts since 1970 are ~2^61, beyond a double's
 * 53-bit integer range, so the division is done in 16-bit limbs where every
 * intermediate stays an exact integer.
 */

const TWO_32 = 4294967296;
// Limb division keeps `remainder * 2^16 + limb` exact only while the divisor is
// below 2^36; finer resolutions (picoseconds...) take the BigInt path.
const LIMB_SAFE_DIVISOR = 2 ** 36;

/** floor(n / d) for non-negative integers n, d below 2^53, corrected for rounding. */
function floorDiv(n: number, d: number): number {
  let q = Math.floor(n / d);
  if (q * d > n) q--;
  else if ((q + 1) * d <= n) q++;
  return q;
}

/** floor(a * 1e9 / d) for 0 <= a < d < 2^36, exactly. */
function scaleToNanos(a: number, d: number): number {
  const aHigh = Math.floor(a / 65536);
  const aLow = a - aHigh * 65536;
  const x = aHigh * 1e9;
  const q1 = floorDiv(x, d);
  const r1 = x - q1 * d;
  return q1 * 65536 + floorDiv(r1 * 65536 + aLow * 1e9, d);
}

/** How one interface's ticks turn into seconds and nanoseconds. */
export class TimestampScale {
  /** Nanoseconds per tick when a tick divides a second evenly in ns (1e3 for µs), else 0. */
  private readonly nanosPerTick: number;
  private readonly useBigInt: boolean;
  /** Result of the last `convert`: whole seconds (before the offset is added). */
  sec = 0;
  /** Result of the last `convert`: nanoseconds within the second. */
  nsec = 0;

  /**
   * @param unitsPerSecond ticks per second (1e6 default, 1e9 for if_tsresol=9, 2^n...)
   * @param offsetSec if_tsoffset: seconds added to every timestamp
   */
  constructor(readonly unitsPerSecond: number, readonly offsetSec = 0) {
    this.nanosPerTick = Number.isInteger(1e9 / unitsPerSecond) ? 1e9 / unitsPerSecond : 0;
    this.useBigInt = !(unitsPerSecond < LIMB_SAFE_DIVISOR) || !Number.isInteger(unitsPerSecond) || unitsPerSecond < 1;
  }

  /** Converts the tick count `high * 2^32 + low`; read the result from `sec` and `nsec`. */
  convert(high: number, low: number): void {
    const d = this.unitsPerSecond;
    if (this.useBigInt) { this.convertBig(high, low); return; }
    let sec: number;
    let frac: number;
    if (high < 0x200000) {
      // Below 2^53 ticks the whole count is an exact double.
      const v = high * TWO_32 + low;
      sec = floorDiv(v, d);
      frac = v - sec * d;
    } else {
      const l3 = high >>> 16, l2 = high & 0xffff, l1 = low >>> 16, l0 = low & 0xffff;
      const q3 = floorDiv(l3, d);
      let r = l3 - q3 * d;
      let cur = r * 65536 + l2;
      const q2 = floorDiv(cur, d);
      r = cur - q2 * d;
      cur = r * 65536 + l1;
      const q1 = floorDiv(cur, d);
      r = cur - q1 * d;
      cur = r * 65536 + l0;
      const q0 = floorDiv(cur, d);
      frac = cur - q0 * d;
      sec = ((q3 * 65536 + q2) * 65536 + q1) * 65536 + q0;
    }
    this.sec = sec + this.offsetSec;
    this.nsec = this.nanosPerTick !== 0 ? frac * this.nanosPerTick : scaleToNanos(frac, d);
  }

  private convertBig(high: number, low: number): void {
    const ticks = (BigInt(high) << 32n) | BigInt(low);
    const units = BigInt(Math.round(this.unitsPerSecond));
    const secBig = ticks / units;
    this.sec = Number(secBig) + this.offsetSec;
    this.nsec = Number(((ticks - secBig * units) * 1_000_000_000n) / units);
  }
}

/**
 * Ticks per second for a pcapng if_tsresol byte: the high bit picks a power of
 * two, otherwise a power of ten. Returns undefined for exponents no clock has.
 */
export function unitsPerSecondFromTsresol(tsresol: number): number | undefined {
  const exponent = tsresol & 0x7f;
  if (tsresol & 0x80) return exponent <= 63 ? 2 ** exponent : undefined;
  return exponent <= 18 ? 10 ** exponent : undefined;
}
