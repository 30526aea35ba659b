/**
 * The TCP section of the report: one summary per stream, built when the
 * stream leaves the flow table, and kept in bounded memory (beyond the
 * limit only the most troubled streams are kept; totals cover all).
 */
import type { BackoffFinding } from './backoff.js';
import { TCP_EVENT_KINDS, TcpAnalysisFlag, type TcpEventKind } from './flags.js';

const REUSED_PORTS_BIT = Math.log2(TcpAnalysisFlag.ReusedPorts);
import type { RttSummary } from './rtt.js';
import { seqGt, seqSub } from './seq-math.js';
import { TcpDirection, TcpFlow, WINDOW_SCALE_NONE, WINDOW_SCALE_UNKNOWN } from './tcp-flow.js';

export interface TcpDirectionReport {
  from: string;
  to: string;
  packets: number;
  /** Payload bytes sent, retransmissions included. */
  bytes: number;
  /** Payload bytes that were new (advanced the sequence number). */
  uniqueBytes: number;
  /** Unique bits per second over the stream's duration. */
  goodputBps: number;
  retransmittedBytes: number;
  /** retransmittedBytes / bytes. */
  retransmissionRate: number;
  /** Window scale shift, or 'none' (handshake said no scaling), or 'unknown' (handshake not seen). */
  windowScale: number | 'none' | 'unknown';
  /** Data-to-ACK round trip times for data sent this way (Karn: retransmitted data is never timed). */
  rtt: RttSummary | null;
  /** Whether the last data (or FIN) sent this way was acknowledged; null when nothing was sent. */
  allDataAcked: boolean | null;
  /** Bytes sent this way never acknowledged in the capture. */
  unackedBytes: number;
  fin: boolean;
  rst: boolean;
}

type StreamEnd = 'fin' | 'rst' | 'half-closed' | 'open';

export interface TcpStreamReport {
  stream: number;
  /** The endpoint that sent the first packet seen, and the other one. */
  a: string;
  b: string;
  /** Which endpoint opened the connection (sent the SYN), when the handshake was seen. */
  client: 'a' | 'b' | null;
  firstFrame: number;
  lastFrame: number;
  start: number;
  end: number;
  duration: number;
  packets: number;
  /** How the stream ended: FIN both ways, RST, FIN one way only, or still open. */
  ended: StreamEnd;
  /** Who reset or first closed it. */
  endedBy: 'a' | 'b' | null;
  /** SYN to the ACK that completed the handshake, as seen at the capture point (Wireshark's first RTT). */
  handshakeRtt: number | null;
  aToB: TcpDirectionReport;
  bToA: TcpDirectionReport;
  /** The longest gap between packets while data was unacknowledged. */
  longestStall: { seconds: number; fromFrame: number; toFrame: number } | null;
  counts: Partial<Record<TcpEventKind, number>>;
  rtoBackoff: (BackoffFinding & { seq: number; direction: 'aToB' | 'bToA' })[];
  portsReused: boolean;
  /** Sort key for "most troubled first"; higher is worse. */
  trouble: number;
  /** Why the stream left the flow table before the end of the capture, if it did. */
  retired: 'closed' | 'idle' | 'evicted' | null;
}

const TROUBLE_WEIGHT: Partial<Record<TcpEventKind, number>> = {
  'tcp.rto_backoff': 50,
  'tcp.retransmission': 3,
  'tcp.lost_segment': 3,
  'tcp.ack_lost_segment': 2,
  'tcp.zero_window': 4,
  'tcp.window_full': 1,
  'tcp.out_of_order': 1,
  'tcp.duplicate_ack': 0.5,
  'tcp.keep_alive': 0.1,
};

const WEIGHTS = TCP_EVENT_KINDS.map((k) => TROUBLE_WEIGHT[k] ?? 0);

function troubleScore(flow: TcpFlow): number {
  let score = flow.rstBy !== 0 ? 5 : 0;
  for (let i = 0; i < WEIGHTS.length; i++) {
    const w = WEIGHTS[i]!;
    if (w !== 0) { const c = flow.count(i); if (c !== 0) score += w * c; }
  }
  return score;
}

/** The `trouble` a stream's summary would have. */
export function flowTrouble(flow: TcpFlow): number {
  return round(troubleScore(flow), 2);
}

/** How the stream ended, as its summary would say. */
export function flowEnd(flow: TcpFlow): StreamEnd {
  if (flow.rstBy !== 0) return 'rst';
  if (flow.a.sawFin && flow.b.sawFin) return 'fin';
  return flow.finBy !== 0 ? 'half-closed' : 'open';
}

function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

function windowScaleText(d: TcpDirection): number | 'none' | 'unknown' {
  if (d.winScale === WINDOW_SCALE_UNKNOWN) return 'unknown';
  if (d.winScale === WINDOW_SCALE_NONE) return 'none';
  return d.winScale;
}

function directionReport(d: TcpDirection, from: string, to: string, durationS: number): TcpDirectionReport {
  const sentSomething = d.nextSeq !== 0 && (d.bytes > 0 || d.sawFin || (d.staticFlags & 0x02) !== 0);
  const unacked = sentSomething && d.acked && seqGt(d.nextSeq, d.highestAckFromPeer)
    ? seqSub(d.nextSeq, d.highestAckFromPeer) : (sentSomething && !d.acked ? d.uniqueBytes : 0);
  return {
    from, to,
    packets: d.packets,
    bytes: d.bytes,
    uniqueBytes: d.uniqueBytes,
    goodputBps: durationS > 0 ? Math.round(d.uniqueBytes * 8 / durationS) : 0,
    retransmittedBytes: d.retransmittedBytes,
    retransmissionRate: d.bytes > 0 ? round(d.retransmittedBytes / d.bytes, 6) : 0,
    windowScale: windowScaleText(d),
    rtt: d.rtt?.toJSON() ?? null,
    allDataAcked: sentSomething ? unacked === 0 : null,
    unackedBytes: unacked,
    fin: d.sawFin,
    rst: d.sawRst,
  };
}

export function summarizeFlow(
  flow: TcpFlow, baseSec: number, backoffs: TcpStreamReport['rtoBackoff'], retired: TcpStreamReport['retired'],
): TcpStreamReport {
  const a = flow.endpointA(), b = flow.endpointB();
  const durationS = Math.max(0, (flow.lastNs - flow.firstNs) / 1e9);
  const counts: Partial<Record<TcpEventKind, number>> = {};
  for (let i = 0; i < TCP_EVENT_KINDS.length; i++) if (flow.count(i)) counts[TCP_EVENT_KINDS[i]!] = flow.count(i);
  let ended: StreamEnd = 'open';
  let endedBy: 'a' | 'b' | null = null;
  if (flow.rstBy !== 0) { ended = 'rst'; endedBy = flow.rstBy === 1 ? 'a' : 'b'; }
  else if (flow.a.sawFin && flow.b.sawFin) { ended = 'fin'; endedBy = flow.finBy === 1 ? 'a' : 'b'; }
  else if (flow.finBy !== 0) { ended = 'half-closed'; endedBy = flow.finBy === 1 ? 'a' : 'b'; }
  return {
    stream: flow.stream,
    a, b,
    client: flow.sawSyn ? (flow.clientIsA ? 'a' : 'b') : null,
    firstFrame: flow.firstFrame,
    lastFrame: flow.lastFrame,
    start: round(baseSec + flow.firstNs / 1e9, 9),
    end: round(baseSec + flow.lastNs / 1e9, 9),
    duration: round(durationS, 9),
    packets: flow.packets,
    ended, endedBy,
    handshakeRtt: flow.firstRttNs !== 0 ? round(flow.firstRttNs / 1e9, 9) : null,
    aToB: directionReport(flow.a, a, b, durationS),
    bToA: directionReport(flow.b, b, a, durationS),
    longestStall: flow.longestStallNs > 0
      ? { seconds: round(flow.longestStallNs / 1e9, 6), fromFrame: flow.stallStartFrame, toFrame: flow.stallEndFrame }
      : null,
    counts,
    rtoBackoff: backoffs,
    portsReused: flow.count(REUSED_PORTS_BIT) > 0,
    trouble: flowTrouble(flow),
    retired,
  };
}

/** Keeps every stream summary up to `limit`, then only the most troubled ones. */
export class StreamCollector {
  /** Past the limit this is a min-heap on `trouble`, so the least troubled is replaced first. */
  private readonly kept: TcpStreamReport[] = [];
  private heapified = false;
  total = 0;
  omitted = 0;
  ended: Record<StreamEnd, number> = { fin: 0, rst: 0, 'half-closed': 0, open: 0 };

  constructor(private readonly limit: number) {}

  add(report: TcpStreamReport): void {
    this.total++;
    this.ended[report.ended]++;
    if (this.kept.length < this.limit) { this.kept.push(report); return; }
    this.omitted++;
    if (this.limit === 0) return;
    this.heapify();
    if (report.trouble > this.kept[0]!.trouble) {
      this.kept[0] = report;
      this.siftDown(0);
    }
  }

  /** Whether `add` would keep a summary of this trouble (so whether it is worth building). */
  wouldKeep(trouble: number): boolean {
    if (this.kept.length < this.limit) return true;
    if (this.limit === 0) return false;
    this.heapify();
    return trouble > this.kept[0]!.trouble;
  }

  /** Counts a stream whose summary `wouldKeep` refused, as `add` would have. */
  skip(ended: StreamEnd): void {
    this.total++;
    this.ended[ended]++;
    this.omitted++;
  }

  private heapify(): void {
    if (this.heapified) return;
    for (let i = (this.kept.length >> 1) - 1; i >= 0; i--) this.siftDown(i);
    this.heapified = true;
  }

  /** Kept streams in stream order. */
  streams(): TcpStreamReport[] {
    return this.kept.slice().sort((x, y) => x.stream - y.stream);
  }

  private siftDown(i: number): void {
    const h = this.kept;
    for (;;) {
      const l = 2 * i + 1, r = l + 1;
      let m = i;
      if (l < h.length && h[l]!.trouble < h[m]!.trouble) m = l;
      if (r < h.length && h[r]!.trouble < h[m]!.trouble) m = r;
      if (m === i) return;
      const t = h[i]!; h[i] = h[m]!; h[m] = t;
      i = m;
    }
  }
}
