/**
 * What the graphs draw, collected while the analysis runs, for one stream:
 * data segments (relative sequence number over time, retransmissions and
 * gaps marked), the ACK line, the advertised receive window, SACK blocks,
 * RTT samples and throughput. Bounded: each series keeps at most `maxPoints`
 * points, thinning itself (every other point, twice the stride) when full;
 * flagged segments are kept in their own smaller series so they survive.
 */
import type { TcpView } from '../../decode/tcp.js';
import { TcpFlag } from '../../decode/tcp.js';
import { TcpAnalysisFlag as F } from './flags.js';
import type { TcpSegment } from './sequence-analyzer.js';
import { scaledWindow } from './sequence-analyzer.js';
import type { TcpSegmentObserver } from './tcp-analyzer.js';
import type { TcpFlow } from './tcp-flow.js';

/** A bounded series of (time, value, extra) points that thins itself. */
export class PointSeries {
  readonly t: number[] = [];
  readonly v: number[] = [];
  readonly w: number[] = [];
  private stride = 1;
  private skipped = 0;

  constructor(private readonly max: number) {}

  add(t: number, v: number, w = 0): void {
    if (++this.skipped < this.stride) return;
    this.skipped = 0;
    this.t.push(t); this.v.push(v); this.w.push(w);
    if (this.t.length >= this.max) this.thin();
  }

  get length(): number { return this.t.length; }

  private thin(): void {
    for (const a of [this.t, this.v, this.w]) {
      let j = 0;
      for (let i = 0; i < a.length; i += 2) a[j++] = a[i]!;
      a.length = j;
    }
    this.stride *= 2;
  }
}

/** Bytes per time bucket; buckets merge pairwise (doubling their width) when the range outgrows them. */
class ThroughputBuckets {
  bucketSeconds = 0.001;
  readonly bytes: number[] = [];
  constructor(private readonly maxBuckets: number) {}

  add(t: number, n: number): void {
    if (t < 0) return;
    let i = Math.floor(t / this.bucketSeconds);
    while (i >= this.maxBuckets) {
      for (let k = 0; k < this.bytes.length; k += 2) this.bytes[k >> 1] = (this.bytes[k] ?? 0) + (this.bytes[k + 1] ?? 0);
      this.bytes.length = Math.ceil(this.bytes.length / 2);
      this.bucketSeconds *= 2;
      i = Math.floor(t / this.bucketSeconds);
    }
    while (this.bytes.length <= i) this.bytes.push(0);
    this.bytes[i]! += n;
  }
}

/** Segment marks in `DirectionGraph.marks.w`. */
export const Mark = { Retransmission: 1, LostBefore: 2, OutOfOrder: 4, ZeroWindowProbe: 8 } as const;

export interface DirectionGraph {
  /** Data segments: t = seconds since the stream's first packet, v = relative seq, w = length. */
  data: PointSeries;
  /** Flagged segments: v = relative seq, w = length + Mark bits << 20. */
  marks: PointSeries;
  /** ACKs from the receiver for this direction's data: v = relative ack, w = right window edge (relative). */
  acks: PointSeries;
  /** SACK blocks: v = left, w = right (relative). */
  sacks: PointSeries;
  /** v = RTT seconds of data sent this way. */
  rtt: PointSeries;
  /** v = bytes in flight (highest seq sent - highest ack) when data is sent. */
  inFlight: PointSeries;
  throughput: ThroughputBuckets;
  bytes: number;
}

function newDirection(max: number): DirectionGraph {
  return {
    data: new PointSeries(max), marks: new PointSeries(Math.max(1000, max >> 2)), acks: new PointSeries(max),
    sacks: new PointSeries(max >> 1), rtt: new PointSeries(max >> 1), inFlight: new PointSeries(max), throughput: new ThroughputBuckets(2048),
    bytes: 0,
  };
}

export class TcpGraphCollector implements TcpSegmentObserver {
  /** The stream being collected (the first one asked about when `stream` was null). */
  stream: number | null;
  flow: TcpFlow | null = null;
  readonly aToB: DirectionGraph;
  readonly bToA: DirectionGraph;
  startNs = 0;
  private highestA = 0;
  private highestB = 0;

  constructor(stream: number, maxPoints = 20_000) {
    this.stream = stream;
    this.aToB = newDirection(maxPoints);
    this.bToA = newDirection(maxPoints);
  }

  watches(stream: number): boolean {
    return stream === this.stream && this.flow === null;
  }

  onSegment(flow: TcpFlow, fromA: boolean, s: Readonly<TcpSegment>, flags: number, tcp: TcpView): void {
    if (this.flow === null) { this.flow = flow; this.startNs = flow.firstNs; }
    const t = (s.timeNs - this.startNs) / 1e9;
    const fwd = fromA ? flow.a : flow.b;
    const rev = fromA ? flow.b : flow.a;
    const g = fromA ? this.aToB : this.bToA;
    const other = fromA ? this.bToA : this.aToB;
    if (s.len > 0 || (s.flags & (TcpFlag.SYN | TcpFlag.FIN))) {
      const rel = (s.seq - fwd.baseSeq) >>> 0;
      g.data.add(t, rel, s.len);
      g.bytes += s.len;
      g.throughput.add(t, s.len);
      let mark = 0;
      if (flags & (F.Retransmission | F.FastRetransmission | F.SpuriousRetransmission)) mark |= Mark.Retransmission;
      if (flags & F.LostSegment) mark |= Mark.LostBefore;
      if (flags & F.OutOfOrder) mark |= Mark.OutOfOrder;
      if (flags & F.ZeroWindowProbe) mark |= Mark.ZeroWindowProbe;
      if (mark !== 0) g.marks.add(t, rel, s.len + mark * 2 ** 20);
      const end = (rel + s.len) >>> 0;
      if (fromA) { if (end > this.highestA) this.highestA = end; } else if (end > this.highestB) this.highestB = end;
      if (rev.acked) g.inFlight.add(t, Math.max(0, (fromA ? this.highestA : this.highestB) - ((rev.lastAck - fwd.baseSeq) >>> 0)));
    }
    if (s.flags & TcpFlag.ACK) {
      // This packet acknowledges the other direction's data.
      const base = rev.baseSeq;
      const ack = (s.ack - base) >>> 0;
      const win = scaledWindow(fwd, s.window, (s.flags & TcpFlag.SYN) !== 0);
      other.acks.add(t, ack, ack + win);
      for (let i = 0; i < tcp.sackCount; i++) {
        other.sacks.add(t, (tcp.sackLeft[i]! - base) >>> 0, (tcp.sackRight[i]! - base) >>> 0);
      }
    }
  }

  onRttSample(flow: TcpFlow, dataFromA: boolean, timeNs: number, seconds: number): void {
    (dataFromA ? this.aToB : this.bToA).rtt.add((timeNs - this.startNs) / 1e9, seconds);
  }
}
