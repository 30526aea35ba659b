/**
 * Sequence-number analysis for one SA at a time, as a receiver with an
 * anti-replay window (RFC 4303 §3.4.3) would see the packets: ahead of the
 * window's right edge (in order, or a gap), inside it (late, or a duplicate),
 * or left of it (too old to accept). Same logic serves AH (RFC 4302 §3.4.3).
 */
import { NUM_STRIDE, SaAnomaly, SaInt, SaNum, type SaTable } from './sa-table.js';

export const SeqVerdict = {
  First: 0,
  InOrder: 1,
  /** Ahead of highest+1: `missing` numbers were skipped. */
  Gap: 2,
  /** Already seen inside the window. */
  Replay: 3,
  /** Late but inside the window and not seen before: `depth` behind highest. */
  OutOfOrder: 4,
  /** So far behind that a receiver's window has moved past it. */
  OutsideWindow: 5,
  /** The counter started again (at 0 or 1, or small and far behind) on the same SPI. */
  Restart: 6,
  /** The 32-bit counter wrapped: only legal with extended sequence numbers. */
  Wrap: 7,
} as const;

/** Within this many numbers of 2^32 an SA without ESN must rekey soon (RFC 4303 §3.3.3). */
export const ESN_WARNING_THRESHOLD = 0x1_0000_0000 - 0x1000_0000;

/** A number this small far behind the window is a restarted counter, not a late packet. */
const RESTART_MAX_FIRST_SEQ = 4;

export class EspSequenceTracker {
  /** Details of the last verdict. */
  expected = 0;
  missing = 0;
  depth = 0;
  private readonly bits: number;
  /** bits - 1: the bitmap size is a power of two. */
  private readonly mask: number;

  constructor(private readonly table: SaTable, readonly windowSize: number) {
    this.bits = table.windowWords * 32;
    this.mask = this.bits - 1;
  }

  /** Everything but the in-order case (`advanceByOne`); `seq` may be int32 or uint32. */
  observe(s: number, seqIn: number): number {
    const t = this.table;
    const seq = seqIn >>> 0;
    const b = s * t.intStride;
    const int = t.int;
    if (t.num[s * NUM_STRIDE + SaNum.Packets] === 1) {
      int[b + SaInt.FirstSeq] = seq;
      int[b + SaInt.LastSeq] = seq;
      this.startWindow(s, seq);
      return SeqVerdict.First;
    }
    int[b + SaInt.LastSeq] = seq;
    const highest = int[b + SaInt.HighestSeq]! >>> 0;
    this.expected = (highest + 1) >>> 0;
    if (seq > highest) {
      this.advance(s, highest, seq);
      if (seq === highest + 1) return SeqVerdict.InOrder;
      this.missing = seq - highest - 1;
      t.num[s * NUM_STRIDE + SaNum.Missing]! += this.missing;
      t.count(s, SaAnomaly.Gap);
      return SeqVerdict.Gap;
    }
    const behind = highest - seq;
    if (highest >= ESN_WARNING_THRESHOLD && seq < this.windowSize) {
      t.count(s, SaAnomaly.Wrap);
      this.startWindow(s, seq);
      return SeqVerdict.Wrap;
    }
    // A sender starting over sends 1 (0 is never valid); allow the first few to have been lost.
    if (seq === 0 || (behind >= this.windowSize && seq <= RESTART_MAX_FIRST_SEQ)) return this.restart(s, seq);
    this.depth = behind;
    if (behind >= this.windowSize) {
      t.count(s, SaAnomaly.OutsideWindow);
      return SeqVerdict.OutsideWindow;
    }
    const pos = seq & this.mask;
    const word = b + SaInt.Window + (pos >>> 5);
    const mask = 1 << (pos & 31);
    if ((int[word]! & mask) !== 0) {
      // Sequence number 1 a second time is a sender starting over far more often than an attack.
      if (seq === 1) return this.restart(s, seq);
      t.count(s, SaAnomaly.Replay);
      return SeqVerdict.Replay;
    }
    int[word]! |= mask;
    const m = s * NUM_STRIDE + SaNum.Missing;
    if (t.num[m]! > 0) t.num[m]!--;
    if (behind > int[b + SaInt.MaxReorderDepth]!) int[b + SaInt.MaxReorderDepth] = behind;
    t.count(s, SaAnomaly.OutOfOrder);
    return SeqVerdict.OutOfOrder;
  }

  private restart(s: number, seq: number): number {
    this.table.count(s, SaAnomaly.Restart);
    this.startWindow(s, seq);
    return SeqVerdict.Restart;
  }

  /**
   * The common case, seq = highest + 1 (int32): the bit it lands on belonged
   * to a number now left of the window, so setting it is the whole update.
   */
  advanceByOne(s: number, seq: number): void {
    const t = this.table;
    const b = s * t.intStride;
    const pos = seq & this.mask;
    t.int[b + SaInt.Window + (pos >>> 5)]! |= 1 << (pos & 31);
    t.int[b + SaInt.HighestSeq] = seq;
    t.int[b + SaInt.LastSeq] = seq;
  }

  private startWindow(s: number, seq: number): void {
    const t = this.table;
    const w = s * t.intStride + SaInt.Window;
    t.int.fill(0, w, w + t.windowWords);
    t.int[s * t.intStride + SaInt.HighestSeq] = seq;
    const pos = seq & this.mask;
    t.int[w + (pos >>> 5)]! |= 1 << (pos & 31);
  }

  /** Moves the right edge from `highest` to `seq`, clearing the bits of numbers not yet seen. */
  private advance(s: number, highest: number, seq: number): void {
    const t = this.table;
    const int = t.int;
    const w = s * t.intStride + SaInt.Window;
    if (seq - highest >= this.bits) {
      int.fill(0, w, w + t.windowWords);
    } else {
      for (let n = highest + 1; n < seq; n++) {
        const pos = n & this.mask;
        int[w + (pos >>> 5)]! &= ~(1 << (pos & 31));
      }
    }
    const pos = seq & this.mask;
    int[w + (pos >>> 5)]! |= 1 << (pos & 31);
    int[s * t.intStride + SaInt.HighestSeq] = seq;
  }
}
