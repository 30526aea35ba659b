/**
 * `zsniff capture --graph`: the time-sequence graph of the busiest TCP
 * stream while capturing. The busiest stream is only known afterwards, so
 * graph data is collected for many streams at once (bounded), and the one
 * with the most bytes so far is drawn.
 */
import type { TcpView } from '../../decode/tcp.js';
import { TcpGraphCollector } from '../../analyze/tcp/graph-data.js';
import type { TcpSegment } from '../../analyze/tcp/sequence-analyzer.js';
import type { TcpSegmentObserver } from '../../analyze/tcp/tcp-analyzer.js';
import type { TcpFlow } from '../../analyze/tcp/tcp-flow.js';
import { buildModel } from '../../sink/graph/model.js';
import { renderTerminalGraph } from '../../sink/graph/terminal.js';

/** Streams followed at once; a new stream replaces the one with the fewest bytes. */
const MAX_STREAMS = 64;
/** A terminal is at most a few hundred columns wide: more points only cost time. */
const MAX_POINTS = 4000;

export class LiveGraph implements TcpSegmentObserver {
  private readonly collectors = new Map<number, TcpGraphCollector>();
  /** Segments seen since the last draw, so an idle capture is not redrawn. */
  private changes = 0;

  watches(stream: number): boolean {
    if (this.collectors.size >= MAX_STREAMS) {
      let smallest: number | undefined;
      let least = Infinity;
      for (const [s, c] of this.collectors) {
        const bytes = c.aToB.bytes + c.bToA.bytes;
        if (bytes < least) { least = bytes; smallest = s; }
      }
      // Segments of a dropped stream still arrive; they find no collector.
      if (smallest !== undefined) this.collectors.delete(smallest);
    }
    this.collectors.set(stream, new TcpGraphCollector(stream, MAX_POINTS));
    return true;
  }

  onSegment(flow: TcpFlow, fromA: boolean, s: Readonly<TcpSegment>, flags: number, tcp: TcpView): void {
    const c = this.collectors.get(flow.stream);
    if (c === undefined) return;
    c.onSegment(flow, fromA, s, flags, tcp);
    this.changes++;
  }

  onRttSample(flow: TcpFlow, dataFromA: boolean, timeNs: number, seconds: number): void {
    this.collectors.get(flow.stream)?.onRttSample(flow, dataFromA, timeNs, seconds);
  }

  /** Whether anything arrived since the last `render`. */
  get changed(): boolean {
    return this.changes > 0;
  }

  /** The busiest stream's graph (its busier direction), or a line saying there is none yet. */
  render(columns: number, rows: number, color: boolean): string {
    this.changes = 0;
    let best: TcpGraphCollector | undefined;
    let most = -1;
    for (const c of this.collectors.values()) {
      const bytes = c.aToB.bytes + c.bToA.bytes;
      if (c.flow !== null && bytes > most) { most = bytes; best = c; }
    }
    if (best === undefined) return 'no TCP stream seen yet\n';
    const model = buildModel(best, 'sequence', best.aToB.bytes >= best.bToA.bytes);
    return renderTerminalGraph(model, { columns, rows, color });
  }
}
