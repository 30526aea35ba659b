/**
 * Wireshark's TCP sequence analysis (packet-tcp.c, tcp_analyze_sequence_number
 * and the conversation handling around it in dissect_tcp), re-expressed over
 * our flow state so that every frame gets the same expert flags tshark gives
 * it with default preferences: analyze_sequence_numbers on, relative
 * sequence numbers, fast retransmission taking precedence over out-of-order,
 * no checksum checks, unknown window scaling left unknown.
 *
 * Times are nanoseconds relative to the capture. Wireshark computes its time
 * differences in unsigned 64-bit arithmetic, so a difference that would be
 * negative (timestamps going backwards) is huge and fails every "within"
 * test; `within` reproduces that.
 */
import { TcpFlag } from '../../decode/tcp.js';
import { TcpAnalysisFlag as F } from './flags.js';
import { seqAdd, seqGt, seqLe, seqLt } from './seq-math.js';
import { StaticFlag, TcpDirection, TcpFlow, WINDOW_SCALE_NONE, WINDOW_SCALE_UNKNOWN } from './tcp-flow.js';

const SYN = TcpFlag.SYN, ACK = TcpFlag.ACK, FIN = TcpFlag.FIN, RST = TcpFlag.RST;
/** A retransmission this soon after duplicate ACKs is a fast retransmission. */
const FAST_RETRANSMISSION_WINDOW_NS = 20_000_000;
/** Out-of-order threshold before the handshake RTT is known. */
const DEFAULT_OUT_OF_ORDER_NS = 3_000_000;
/** Largest window scale shift RFC 7323 allows; larger values are clamped, as Wireshark does. */
const MAX_WINDOW_SCALE = 14;

function within(nowNs: number, thenNs: number, limitNs: number): boolean {
  const dt = nowNs - thenNs;
  return dt >= 0 && dt < limitNs;
}

/** One TCP segment as the analysis needs it (filled in place, reused). */
export interface TcpSegment {
  frame: number;
  timeNs: number;
  seq: number;
  ack: number;
  /** TCP payload length from the IP length (not what was captured). */
  len: number;
  flags: number;
  /** Window field as sent, unscaled. */
  window: number;
  /** Window scale option value, or -1 when the segment carries none. */
  windowScaleOption: number;
}

export class TcpSequenceAnalyzer {
  /**
   * Decides the flags of one segment travelling fwd (the sender's side) to
   * rev, updating both sides' state as Wireshark does. `preset` carries flags
   * decided before (port reuse). Returns Wireshark's flag set.
   */
  analyze(flow: TcpFlow, fwd: TcpDirection, rev: TcpDirection, s: TcpSegment, preset: number): number {
    const { seq, ack, len: seglen, flags, window } = s;
    const now = s.timeNs;
    let ta = preset;

    // Base sequence numbers (relative numbering): the SYN's, or one before the first seen.
    if ((fwd.staticFlags & StaticFlag.BaseSeqSet) === 0) {
      if (flags & SYN) {
        fwd.baseSeq = seq;
        fwd.staticFlags |= (flags & ACK) ? StaticFlag.SawSynAck : StaticFlag.SawSyn;
      } else {
        fwd.baseSeq = (seq - 1) >>> 0;
      }
      fwd.staticFlags |= StaticFlag.BaseSeqSet;
    }
    if ((rev.staticFlags & StaticFlag.BaseSeqSet) === 0 && (flags & ACK)) {
      rev.baseSeq = (ack - 1) >>> 0;
      rev.staticFlags |= StaticFlag.BaseSeqSet;
    }

    checks: {
      // Zero-window probe: one byte at the next expected sequence number into a closed window.
      if (seglen === 1 && seq === fwd.nextSeq && rev.window === 0) {
        ta |= F.ZeroWindowProbe;
        break checks;
      }
      if (window === 0 && (flags & (RST | FIN | SYN)) === 0) ta |= F.ZeroWindow;

      // A gap ahead of what we saw: an earlier segment was not captured.
      if (fwd.nextSeq !== 0 && seqGt(seq, fwd.nextSeq) && (flags & RST) === 0) ta |= F.LostSegment;

      // Keep-alive: 0 or 1 byte starting one byte before the next expected sequence number.
      if ((seglen === 0 || seglen === 1) && seq === ((fwd.nextSeq - 1) >>> 0) && (flags & (SYN | FIN | RST)) === 0) {
        ta |= F.KeepAlive;
      }

      const sameSeqAck = seq === fwd.nextSeq && ack === fwd.lastAck && (flags & (SYN | FIN | RST)) === 0;

      if (seglen === 0 && window !== 0 && window !== fwd.window && sameSeqAck) ta |= F.WindowUpdate;

      // Window full: data reaching exactly the right edge of the receiver's window (scale known).
      if (seglen > 0 && rev.winScale !== WINDOW_SCALE_UNKNOWN && (flags & (SYN | FIN | RST)) === 0) {
        const shift = rev.isFirstAck ? 0 : (rev.winScale === WINDOW_SCALE_NONE ? 0 : rev.winScale);
        const rightEdge = seqAdd(rev.lastAck, rev.window * 2 ** shift);
        if (seqAdd(seq, seglen) === rightEdge) ta |= F.WindowFull;
      }

      if (seglen === 0 && window !== 0 && window === fwd.window && sameSeqAck && (rev.lastSegmentFlags & F.KeepAlive)) {
        ta |= F.KeepAliveAck;
        break checks;
      }
      if (seglen === 0 && window === 0 && window === fwd.window && sameSeqAck && (rev.lastSegmentFlags & F.ZeroWindowProbe)) {
        ta |= F.ZeroWindowProbeAck;
        break checks;
      }
      if (seglen === 0 && window !== 0 && window === fwd.window && sameSeqAck) {
        fwd.dupAckNum = fwd.dupAckNum === -1 ? 1 : fwd.dupAckNum + 1;
        ta |= F.DuplicateAck;
        this.dupAckNum = fwd.dupAckNum;
        this.dupAckFrame = fwd.lastNonDupAck;
      }
    }

    if (ack !== fwd.lastAck) {
      fwd.lastNonDupAck = s.frame;
      fwd.dupAckNum = 0;
    }

    // ACKed unseen segment: this acknowledges data we never saw going the other way.
    if (rev.maxSeqToBeAcked !== 0 && seqGt(ack, rev.maxSeqToBeAcked) && (flags & ACK)) {
      if (seqLt(rev.maxSeqToBeAcked, rev.nextSeq)) {
        // Move the boundary to what was seen, so the same hole is reported once.
        rev.maxSeqToBeAcked = rev.nextSeq;
        ta |= F.AckLostSegment;
      } else {
        // Nothing new seen the other way (ACKs captured before their data, or a side sending
        // only ACKs): flag the first such ACK of a run only. The peer's duplicate-ACK counter
        // marks the run (-1), as Wireshark 4.0 does; its next duplicate ACK counts from 1.
        if (rev.dupAckNum === 0) ta |= F.AckLostSegment;
        rev.dupAckNum = -1;
      }
    }

    if ((seglen > 0 || (flags & (SYN | FIN))) && (ta & F.KeepAlive) === 0) {
      ta = this.classifyRepeat(flow, fwd, rev, s, ta);
    }

    let nextSeq = seqAdd(seq, seglen);
    if ((seglen > 0 || (flags & (SYN | FIN))) && (flags & (SYN | FIN))) nextSeq = seqAdd(nextSeq, 1);

    // Highest sequence number seen so far (zero-window probes do not move it).
    if (seqGt(nextSeq, fwd.nextSeq) || fwd.nextSeq === 0) {
      if ((ta & F.ZeroWindowProbe) === 0) {
        fwd.nextSeq = nextSeq;
        fwd.nextSeqFrame = s.frame;
        fwd.nextSeqTimeNs = now;
      }
    }
    // Highest contiguous sequence number, for "ACKed unseen segment".
    if (seq === fwd.maxSeqToBeAcked || fwd.maxSeqToBeAcked === 0) {
      if ((ta & F.ZeroWindowProbe) === 0) fwd.maxSeqToBeAcked = fwd.nextSeq;
    }

    fwd.window = window;
    fwd.lastAck = ack;
    fwd.lastAckTimeNs = now;
    fwd.lastSegmentFlags = ta;

    this.afterAnalysis(flow, fwd, rev, s);
    return ta;
  }

  /** Set when the last analyzed segment was a duplicate ACK: its number and the frame it repeats. */
  dupAckNum = 0;
  dupAckFrame = 0;

  /** Retransmission, fast retransmission, spurious retransmission or out-of-order? */
  private classifyRepeat(flow: TcpFlow, fwd: TcpDirection, rev: TcpDirection, s: TcpSegment, ta: number): number {
    const { seq, len: seglen, flags } = s;
    let notAdvanced = fwd.nextSeq !== 0 && seqLt(seq, fwd.nextSeq);
    // Longer than one byte, starting one before nextseq: new data after a zero-window probe.
    if (seglen > 1 && ((fwd.nextSeq - 1) >>> 0) === seq) notAdvanced = false;

    if (seglen > 0 && rev.lastAck !== 0 && seqLe(seqAdd(seq, seglen), rev.lastAck)) {
      return ta | F.SpuriousRetransmission;
    }
    if (notAdvanced && rev.dupAckNum >= 2 && rev.lastAck === seq &&
        within(s.timeNs, rev.lastAckTimeNs, FAST_RETRANSMISSION_WINDOW_NS)) {
      return ta | F.FastRetransmission;
    }
    const threshold = flow.firstRttNs === 0 ? DEFAULT_OUT_OF_ORDER_NS
      : (flow.firstRttNs < 0 ? Infinity : flow.firstRttNs);
    const synFin = (flags & (SYN | FIN)) ? 1 : 0;
    if (notAdvanced && within(s.timeNs, fwd.nextSeqTimeNs, threshold) &&
        fwd.nextSeq !== seqAdd(seq, seglen + synFin)) {
      return ta | F.OutOfOrder;
    }
    if (notAdvanced) ta |= F.Retransmission;
    return ta;
  }

  /** What dissect_tcp does after the sequence analysis: handshake RTT, window scale bookkeeping. */
  private afterAnalysis(flow: TcpFlow, fwd: TcpDirection, rev: TcpDirection, s: TcpSegment): void {
    const flags = s.flags;
    if (flags & SYN) {
      if ((flags & ACK) === 0) { flow.mruSynNs = s.timeNs; flow.hasMruSyn = true; }
      fwd.isFirstAck = true;
    }
    if ((flags & (SYN | ACK)) === ACK) {
      if (flow.hasMruSyn && flow.firstRttNs === 0) flow.firstRttNs = s.timeNs - flow.mruSynNs;
      fwd.isFirstAck = false;
    }
    if (s.windowScaleOption >= 0) fwd.winScale = Math.min(s.windowScaleOption, MAX_WINDOW_SCALE);
    if (flags & SYN) {
      // Scaling is in use only when both SYN and SYN/ACK carried the option.
      if (fwd.winScale === WINDOW_SCALE_UNKNOWN) {
        fwd.winScale = WINDOW_SCALE_NONE;
        rev.winScale = WINDOW_SCALE_NONE;
      } else if ((flags & ACK) && rev.winScale === WINDOW_SCALE_NONE) {
        fwd.winScale = WINDOW_SCALE_NONE;
      }
    }
  }
}

/** The window a side advertised, scaled as far as the handshake tells (unscaled when unknown). */
export function scaledWindow(dir: TcpDirection, rawWindow: number, syn: boolean): number {
  if (syn || dir.winScale < 0) return rawWindow;
  return rawWindow * 2 ** dir.winScale;
}
