/**
 * Turns collected graph data into what a renderer draws: named series of
 * (time, value) points in display units, plus axis labels. Both the terminal
 * and the SVG renderer start from here, so they show the same thing.
 */
import type { DirectionGraph, TcpGraphCollector } from '../../analyze/tcp/graph-data.js';
import { Mark } from '../../analyze/tcp/graph-data.js';

export type GraphType = 'sequence' | 'throughput' | 'rtt' | 'window';

export interface Series {
  name: string;
  /** How to draw: a step line, scattered marks, or vertical bars (seq .. seq+len). */
  style: 'line' | 'step' | 'marks' | 'bars';
  color: 'data' | 'ack' | 'window' | 'retrans' | 'lost' | 'sack' | 'ooo';
  t: number[];
  v: number[];
  /** For bars: the top of each bar. */
  top?: number[];
}

export interface GraphModel {
  title: string;
  type: GraphType;
  yLabel: string;
  /** Formats a y value for axis labels. */
  yFormat: (v: number) => string;
  series: Series[];
  tMax: number;
  /** Why the graph is empty, when it is. */
  empty: string | null;
}

/** Relative sequence numbers above this are data from before the first packet seen (they wrapped). */
const WRAPPED = 2 ** 31;

function bytesLabel(v: number): string {
  const a = Math.abs(v);
  if (a >= 1e9) return `${(v / 1e9).toFixed(2)}GB`;
  if (a >= 1e6) return `${(v / 1e6).toFixed(2)}MB`;
  if (a >= 1e3) return `${(v / 1e3).toFixed(1)}kB`;
  return `${Math.round(v)}B`;
}

function bitsLabel(v: number): string {
  if (v >= 1e9) return `${(v / 1e9).toFixed(2)}Gb/s`;
  if (v >= 1e6) return `${(v / 1e6).toFixed(2)}Mb/s`;
  if (v >= 1e3) return `${(v / 1e3).toFixed(1)}kb/s`;
  return `${Math.round(v)}b/s`;
}

function msLabel(v: number): string {
  return v >= 100 ? `${v.toFixed(0)}ms` : v >= 1 ? `${v.toFixed(1)}ms` : `${(v * 1000).toFixed(0)}us`;
}

export function buildModel(c: TcpGraphCollector, type: GraphType, fromA: boolean): GraphModel {
  const flow = c.flow;
  const g: DirectionGraph = fromA ? c.aToB : c.bToA;
  const from = flow ? (fromA ? flow.endpointA() : flow.endpointB()) : '?';
  const to = flow ? (fromA ? flow.endpointB() : flow.endpointA()) : '?';
  const names: Record<GraphType, string> = {
    sequence: 'time-sequence (Stevens)', throughput: 'throughput', rtt: 'round-trip time', window: 'receive window and bytes in flight',
  };
  const title = `stream ${c.stream ?? '?'} ${from} -> ${to}: ${names[type]}`;
  const tMax = Math.max(lastOf(g.data.t), lastOf(g.acks.t), lastOf(g.rtt.t), 1e-6);
  const model: GraphModel = { title, type, yLabel: 'bytes', yFormat: bytesLabel, series: [], tMax, empty: null };
  if (type === 'sequence') {
    const keep = (v: number): boolean => v < WRAPPED;
    const data = filterPairs(g.data.t, g.data.v, g.data.w, keep);
    model.series.push({ name: 'data segments', style: 'bars', color: 'data', t: data.t, v: data.v, top: data.v.map((v, i) => v + data.w[i]!) });
    const acks = filterPairs(g.acks.t, g.acks.v, g.acks.w, keep);
    model.series.push({ name: 'ACK', style: 'step', color: 'ack', t: acks.t, v: acks.v });
    model.series.push({ name: 'receive window', style: 'step', color: 'window', t: acks.t, v: acks.w });
    const sacks = filterPairs(g.sacks.t, g.sacks.v, g.sacks.w, keep);
    model.series.push({ name: 'SACK blocks', style: 'bars', color: 'sack', t: sacks.t, v: sacks.v, top: sacks.w });
    for (const [bit, name, color] of [[Mark.Retransmission, 'retransmission', 'retrans'], [Mark.LostBefore, 'segment after a gap (lost)', 'lost'],
      [Mark.OutOfOrder, 'out-of-order', 'ooo']] as const) {
      const t: number[] = [], v: number[] = [], top: number[] = [];
      for (let i = 0; i < g.marks.length; i++) {
        const w = g.marks.w[i]!;
        if ((Math.floor(w / 2 ** 20) & bit) === 0 || !keep(g.marks.v[i]!)) continue;
        t.push(g.marks.t[i]!); v.push(g.marks.v[i]!); top.push(g.marks.v[i]! + (w % 2 ** 20));
      }
      model.series.push({ name, style: 'marks', color, t, v, top });
    }
    if (data.t.length === 0) model.empty = 'no data segments in this direction (try --reverse)';
  } else if (type === 'throughput') {
    const b = g.throughput;
    const t: number[] = [], v: number[] = [];
    for (let i = 0; i < b.bytes.length; i++) { t.push((i + 0.5) * b.bucketSeconds); v.push((b.bytes[i]! * 8) / b.bucketSeconds); }
    model.yLabel = 'bits per second';
    model.yFormat = bitsLabel;
    model.series.push({ name: `throughput (${(b.bucketSeconds * 1000).toFixed(b.bucketSeconds < 0.01 ? 1 : 0)} ms buckets)`, style: 'line', color: 'data', t, v });
    if (g.bytes === 0) model.empty = 'no data in this direction (try --reverse)';
  } else if (type === 'rtt') {
    model.yLabel = 'milliseconds';
    model.yFormat = msLabel;
    model.series.push({ name: 'RTT sample (data to ACK)', style: 'line', color: 'data', t: g.rtt.t.slice(), v: g.rtt.v.map((s) => s * 1000) });
    if (g.rtt.length === 0) model.empty = 'no RTT samples in this direction (try --reverse)';
  } else {
    model.series.push({ name: 'receive window advertised', style: 'step', color: 'window', t: g.acks.t.slice(), v: g.acks.w.map((w, i) => w - g.acks.v[i]!) });
    model.series.push({ name: 'bytes in flight', style: 'line', color: 'data', t: g.inFlight.t.slice(), v: g.inFlight.v.slice() });
    if (g.acks.length === 0) model.empty = 'no ACKs for this direction (try --reverse)';
  }
  return model;
}

function lastOf(a: number[]): number { return a.length > 0 ? a[a.length - 1]! : 0; }

function filterPairs(t: number[], v: number[], w: number[], keep: (v: number) => boolean): { t: number[]; v: number[]; w: number[] } {
  const out = { t: [] as number[], v: [] as number[], w: [] as number[] };
  for (let i = 0; i < t.length; i++) if (keep(v[i]!)) { out.t.push(t[i]!); out.v.push(v[i]!); out.w.push(w[i]!); }
  return out;
}
