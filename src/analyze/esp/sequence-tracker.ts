/**
 * Sequence-number analysis for one SA at a time, as a receiver with an
 * anti-replay window (RFC 4303 §3.4.3) would see the packets: ahead of the
 * window's right edge (in order, or a gap), inside it (late, or a duplicate),
 * or left of it (too old to accept). Same logic serves AH (RFC 4302 §3.4.3).
 *
 * The rules, in order:
 * - The counter starts at 0 and is incremented before each packet, so the
 *   first packet carries 1 (RFC 4303 §3.3.3). Sequence number 0 is only
 *   valid as the low 32 bits of an extended sequence number that passed
 *   2^32; any other 0 is reported and leaves the sequence state untouched
 *   (it is neither the right edge nor the start of anything).
 * - A number at most one window past 2^32 while the right edge is that
 *   close below it is the counter going on (ESN, RFC 4303 §3.3.3 and
 *   Appendix A2: only the low 32 bits are sent), not a restart: counted in
 *   `wraps`, and from then on the window is compared modulo 2^32.
 * - A small number (a counter started again sends 1; the first few may be
 *   lost) that is a duplicate or left of the window is held until the SA's
 *   next packet: if that one goes on from it (a few numbers above it, and
 *   not a number the old window still accepts), the counter restarted at the
 *   held number; otherwise the held number was a replay (in the window) or
 *   a stale packet a receiver drops (left of it). A number still held when
 *   the capture ends (or the SA is evicted) did not start anything.
 */
import { SaAnomaly, SaFlag, type SaRecord } from './sa-record.js';

/** What the tracker makes of a sequence number (a const enum: compared on the per-packet path). */
export const enum SeqVerdict {
  First = 0,
  InOrder = 1,
  /** Ahead of highest+1: `missing` numbers were skipped. */
  Gap = 2,
  /** Already seen inside the window. */
  Replay = 3,
  /** Late but inside the window and not seen before: `depth` behind highest. */
  OutOfOrder = 4,
  /** So far behind that a receiver's window has moved past it. */
  OutsideWindow = 5,
  /** The counter started again (from a low number that the next packet goes on from) on the same SPI. */
  Restart = 6,
  /** Sequence number 0 that is not the low half of an extended sequence number: invalid, otherwise ignored. */
  SequenceZero = 7,
  /** A low number held until the SA's next packet decides it (Restart, Replay or OutsideWindow). */
  Held = 8,
}

/** Sequence-number limits (a const enum: compared on the per-packet path). */
export const enum SeqLimit {
  /** From here on an SA without ESN must rekey soon (RFC 4303 §3.3.3): 2^32 - 2^28. */
  EsnWarning = 0xf0000000,
}
/** SeqLimit.EsnWarning as a number, for the library API. */
export const ESN_WARNING_THRESHOLD = SeqLimit.EsnWarning as number;

/** A restarted counter sends 1 first: numbers up to this one behind the window may be a restart. */
const RESTART_MAX_FIRST_SEQ = 4;

/** Where a sequence number falls against an SA's window (see `classify`). */
const enum Place {
  /** 0, and not the low half of an extended sequence number. */
  Zero = 0,
  /** Ahead of the right edge (also across 2^32). */
  Ahead = 1,
  /** Inside the window, not seen yet. */
  Late = 2,
  /** Inside the window, seen before. */
  Seen = 3,
  /** Left of the window. */
  Left = 4,
}

export class EspSequenceTracker {
  /** Details of the last verdict. */
  expected = 0;
  missing = 0;
  depth = 0;
  /**
   * Set by `observe` when the packet decided a held number: its verdict
   * (Restart, Replay or OutsideWindow), else -1. The held number's frame and
   * time are in the SA record (heldFrame, heldTime).
   */
  resolved = -1;
  resolvedSeq = 0;
  /** The right edge when the held number arrived (its `previousHighest`), and how far behind it was. */
  resolvedHighest = 0;
  resolvedDepth = 0;
  private readonly bits: number;
  /** bits - 1: the bitmap size is a power of two. */
  private readonly mask: number;

  /** `windowWords`: int32 words of replay bitmap per SA record (SaTable.windowWords). */
  constructor(windowWords: number, readonly windowSize: number) {
    this.bits = windowWords * 32;
    this.mask = this.bits - 1;
  }

  /** Everything but the in-order case (`advanceByOne`); `seq` may be int32 or uint32. */
  observe(sa: SaRecord, seqIn: number): number {
    const seq = seqIn >>> 0;
    this.resolved = -1;
    sa.lastSeq = seq;
    const flags = sa.flags;
    if ((flags & SaFlag.SeqStarted) === 0) {
      if (seq === 0) return SeqVerdict.SequenceZero;
      sa.flags = flags | SaFlag.SeqStarted;
      sa.firstSeq = seq;
      this.startWindow(sa, seq);
      return SeqVerdict.First;
    }
    let highest = sa.highestSeq;
    let place = this.classify(sa, flags, highest, seq);
    // A 0 says nothing about a held number: it stays held.
    if (place === Place.Zero) return SeqVerdict.SequenceZero;
    if ((flags & SaFlag.SeqHeld) !== 0 && this.resolve(sa, highest, seq, place)) {
      // The counter restarted at the held number: this packet is measured against it.
      highest = sa.highestSeq;
      place = this.classify(sa, sa.flags, highest, seq);
    }
    this.expected = (highest + 1) >>> 0;
    const behind = (highest - seq) >>> 0;
    this.depth = behind;
    if (place === Place.Ahead) {
      const ahead = (seq - highest) >>> 0;
      if (seq < highest) {
        // Past 2^32: the counter goes on (ESN).
        sa.count(SaAnomaly.Wrap);
        sa.flags |= SaFlag.Esn;
      }
      this.advance(sa, highest, seq, ahead);
      if (ahead === 1) return SeqVerdict.InOrder;
      this.missing = ahead - 1;
      sa.missing += this.missing;
      sa.count(SaAnomaly.Gap);
      return SeqVerdict.Gap;
    }
    if (place === Place.Late) {
      sa.markSeen(seq & this.mask);
      if (sa.missing > 0) sa.missing--;
      if (behind > sa.maxReorderDepth) sa.maxReorderDepth = behind;
      sa.count(SaAnomaly.OutOfOrder);
      return SeqVerdict.OutOfOrder;
    }
    // Seen or Left: a small number may be a counter starting again; the next packet tells.
    if (seq <= RESTART_MAX_FIRST_SEQ) {
      sa.flags |= SaFlag.SeqHeld;
      sa.heldSeq = seq;
      return SeqVerdict.Held;
    }
    return this.stale(sa, place);
  }

  /** Counts a duplicate (Seen) or a number left of the window as what a receiver drops. */
  private stale(sa: SaRecord, place: number): number {
    if (place === Place.Seen) {
      sa.count(SaAnomaly.Replay);
      return SeqVerdict.Replay;
    }
    sa.count(SaAnomaly.OutsideWindow);
    return SeqVerdict.OutsideWindow;
  }

  /**
   * Where `seq` falls for an SA whose right edge is `highest` (both uint32).
   * Reads the replay bitmap; changes nothing.
   */
  private classify(sa: SaRecord, flags: number, highest: number, seq: number): number {
    const w = this.windowSize;
    const ahead = (seq - highest) >>> 0;
    const behind = (highest - seq) >>> 0;
    const esn = (flags & SaFlag.Esn) !== 0;
    // The counter passing 2^32: the right edge within a window below it, seq within a window above.
    const crossing = seq < highest && ahead <= w;
    if (seq === 0 && !esn && !crossing) return Place.Zero;
    // Modulo 2^32 only once the counter has passed 2^32 (RFC 4303 A2: the window may span it).
    if (behind < w && (seq <= highest || esn)) return sa.seen(seq & this.mask) ? Place.Seen : Place.Late;
    if (seq > highest || crossing) return Place.Ahead;
    return Place.Left;
  }

  /**
   * Decides the held number from the SA's next packet `seq` (at `place` for
   * the current window): a restart if `seq` goes on from it, a replay or
   * stale packet otherwise. Returns true for a restart (the window then
   * starts at the held number).
   */
  private resolve(sa: SaRecord, highest: number, seq: number, place: number): boolean {
    const held = sa.heldSeq;
    sa.flags &= ~SaFlag.SeqHeld;
    this.resolvedSeq = held;
    this.resolvedHighest = highest;
    const on = (seq - held) >>> 0;
    // Going on from the held number, and not a number the old counter's window still takes.
    if (on >= 1 && on <= this.windowSize && (place === Place.Seen || place === Place.Left)) {
      sa.count(SaAnomaly.Restart);
      this.startWindow(sa, held);
      this.resolved = SeqVerdict.Restart;
      return true;
    }
    this.resolvedDepth = (highest - held) >>> 0;
    this.resolved = this.stale(sa, this.classify(sa, sa.flags, highest, held));
    return false;
  }

  /**
   * The end of the capture (or the SA's eviction) with a number still held:
   * nothing went on from it, so it was a replay or a stale packet. Returns
   * the verdict (with `resolvedSeq`, `resolvedHighest`, `resolvedDepth`), or
   * -1 when nothing was held.
   */
  resolveHeld(sa: SaRecord): number {
    if ((sa.flags & SaFlag.SeqHeld) === 0) return -1;
    sa.flags &= ~SaFlag.SeqHeld;
    const held = sa.heldSeq;
    const highest = sa.highestSeq;
    this.resolvedSeq = held;
    this.resolvedHighest = highest;
    this.resolvedDepth = (highest - held) >>> 0;
    // Seen or Left: where the held number was when it arrived (the window has not moved since).
    return this.stale(sa, this.classify(sa, sa.flags, highest, held));
  }

  /**
   * The common case, seq = highest + 1 (int32): the bit it lands on belonged
   * to a number now left of the window, so setting it is the whole update.
   */
  advanceByOne(sa: SaRecord, seq: number): void {
    sa.markSeen(seq & this.mask);
    sa.highestSeq = seq;
    sa.lastSeq = seq;
  }

  private startWindow(sa: SaRecord, seq: number): void {
    sa.fillWindow(false);
    sa.highestSeq = seq;
    sa.markSeen(seq & this.mask);
  }

  /** Moves the right edge from `highest` to `seq`, `ahead` numbers on (mod 2^32), clearing the bits of numbers not yet seen. */
  private advance(sa: SaRecord, highest: number, seq: number, ahead: number): void {
    if (ahead >= this.bits) {
      sa.fillWindow(false);
    } else {
      for (let i = 1; i < ahead; i++) sa.markUnseen((highest + i) & this.mask);
    }
    sa.markSeen(seq & this.mask);
    sa.highestSeq = seq;
  }
}
