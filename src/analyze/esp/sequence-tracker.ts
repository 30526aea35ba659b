/**
 * Sequence-number analysis for one SA at a time, as a receiver with an
 * anti-replay window (RFC 4303 §3.4.3) would see the packets: ahead of the
 * window's right edge (in order, or a gap), inside it (late, or a duplicate),
 * or left of it (too old to accept). Same logic serves AH (RFC 4302 §3.4.3).
 */
import { SaAnomaly, type SaTable } from './sa-table.js';

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

  constructor(private readonly table: SaTable, readonly windowSize: number) {
    this.bits = table.windowWords * 32;
  }

  observe(s: number, seq: number): number {
    const t = this.table;
    if (t.packets[s] === 1) {
      t.firstSeq[s] = seq;
      t.lastSeq[s] = seq;
      this.startWindow(s, seq);
      return SeqVerdict.First;
    }
    t.lastSeq[s] = seq;
    const highest = t.highestSeq[s]!;
    this.expected = (highest + 1) >>> 0;
    if (seq > highest) {
      this.advance(s, highest, seq);
      if (seq === highest + 1) return SeqVerdict.InOrder;
      this.missing = seq - highest - 1;
      t.missing[s]! += this.missing;
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
    const w = s * t.windowWords;
    const pos = seq % this.bits;
    const word = w + (pos >>> 5);
    const mask = 1 << (pos & 31);
    if ((t.window[word]! & mask) !== 0) {
      // Sequence number 1 a second time is a sender starting over far more often than an attack.
      if (seq === 1) return this.restart(s, seq);
      t.count(s, SaAnomaly.Replay);
      return SeqVerdict.Replay;
    }
    t.window[word]! |= mask;
    if (t.missing[s]! > 0) t.missing[s]!--;
    if (behind > t.maxReorderDepth[s]!) t.maxReorderDepth[s] = behind;
    t.count(s, SaAnomaly.OutOfOrder);
    return SeqVerdict.OutOfOrder;
  }

  private restart(s: number, seq: number): number {
    this.table.count(s, SaAnomaly.Restart);
    this.startWindow(s, seq);
    return SeqVerdict.Restart;
  }

  /** The common case, seq = highest + 1: the bit it lands on belonged to a number now left of the window. */
  advanceByOne(s: number, seq: number): void {
    const t = this.table;
    const pos = seq % this.bits;
    t.window[s * t.windowWords + (pos >>> 5)]! |= 1 << (pos & 31);
    t.highestSeq[s] = seq;
  }

  private startWindow(s: number, seq: number): void {
    const t = this.table;
    const words = t.windowWords;
    t.window.fill(0, s * words, (s + 1) * words);
    t.highestSeq[s] = seq;
    const pos = seq % this.bits;
    t.window[s * words + (pos >>> 5)]! |= 1 << (pos & 31);
  }

  /** Moves the right edge from `highest` to `seq`, clearing the bits of numbers not yet seen. */
  private advance(s: number, highest: number, seq: number): void {
    const t = this.table;
    const words = t.windowWords;
    const base = s * words;
    if (seq - highest >= this.bits) {
      t.window.fill(0, base, base + words);
    } else {
      for (let n = highest + 1; n < seq; n++) {
        const pos = n % this.bits;
        t.window[base + (pos >>> 5)]! &= ~(1 << (pos & 31));
      }
    }
    const pos = seq % this.bits;
    const word = base + (pos >>> 5);
    t.window[word] = (t.window[word]! & ~(1 << (pos & 31))) | (1 << (pos & 31));
    t.highestSeq[s] = seq;
  }
}

