/**
 * What `zsniff top` follows per TCP stream beside the analysis itself: the
 * graph data of the streams most worth a look (bounded: MAX_GRAPHS streams,
 * the one with the fewest flagged segments, then the fewest bytes, makes
 * room for a new one), and which stream the packet being analysed belongs
 * to, so the packet can be kept in its stream's history. A collector's
 * `flow` is not to be read once its stream has ended (the flow object is
 * recycled): the view names streams from the report instead.
 */
import type { TcpView } from '../../decode/tcp.js';
import { TcpGraphCollector } from '../../analyze/tcp/graph-data.js';
import type { TcpSegment } from '../../analyze/tcp/sequence-analyzer.js';
import type { TcpSegmentObserver } from '../../analyze/tcp/tcp-analyzer.js';
import type { TcpFlow } from '../../analyze/tcp/tcp-flow.js';

const MAX_GRAPHS = 256;
/** A terminal is a few hundred columns wide: more points only cost time. */
const MAX_POINTS = 4000;

export class StreamWatch implements TcpSegmentObserver {
  private readonly graphs = new Map<number, TcpGraphCollector>();
  /** Stream of the segment just analysed; -1 when the packet was not a TCP segment. */
  current = -1;
  /** Every stream is watched: holding on to their flows would keep every flow ever seen. */
  readonly keepsFlows = false;

  watches(stream: number): boolean {
    if (this.graphs.size >= MAX_GRAPHS) this.makeRoom();
    this.graphs.set(stream, new TcpGraphCollector(stream, MAX_POINTS));
    return true;
  }

  private makeRoom(): void {
    let victim: number | undefined;
    let least = Infinity;
    for (const [s, c] of this.graphs) {
      const score = (c.aToB.marks.length + c.bToA.marks.length) * 1e12 + c.aToB.bytes + c.bToA.bytes;
      if (score < least) { least = score; victim = s; }
    }
    if (victim !== undefined) this.graphs.delete(victim);
  }

  onSegment(flow: TcpFlow, fromA: boolean, s: Readonly<TcpSegment>, flags: number, tcp: TcpView): void {
    this.current = flow.stream;
    const c = this.graphs.get(flow.stream);
    if (c !== undefined) c.onSegment(flow, fromA, s, flags, tcp);
  }

  onRttSample(flow: TcpFlow, dataFromA: boolean, timeNs: number, seconds: number): void {
    this.graphs.get(flow.stream)?.onRttSample(flow, dataFromA, timeNs, seconds);
  }

  graph(stream: number): TcpGraphCollector | undefined {
    return this.graphs.get(stream);
  }
}
