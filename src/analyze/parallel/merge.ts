/**
 * Puts the shards' TCP findings back together as one analysis would have made them: streams
 * numbered in the order they were created over the whole capture, summaries chosen by replaying
 * the report's bounded collector in retirement order, the flow table's peak as the most flows
 * all shards held at once, and events in emission order under the same `maxEvents` rule.
 */
import type { AnalysisEvent } from '../analyzer.js';
import type { TcpSectionReport } from '../tcp/tcp-analyzer.js';
import { StreamCollector } from '../tcp/stream-report.js';
import { compareKeys } from './emission-key.js';
import type { KeyedEvent, ShardResult } from './shard-worker.js';

interface MergedTcp {
  report: TcpSectionReport;
  /** Global stream number of each shard's local stream number. */
  streamNumbers: number[][];
}

function sum(results: readonly ShardResult[], pick: (r: TcpSectionReport) => number): number {
  let n = 0;
  for (const r of results) n += pick(r.report);
  return n;
}

function sumRecord<K extends string>(results: readonly ShardResult[], pick: (r: TcpSectionReport) => Record<K, number>): Record<K, number> {
  const out = { ...pick(results[0]!.report) };
  for (let i = 1; i < results.length; i++) {
    const rec = pick(results[i]!.report);
    for (const k of Object.keys(out) as K[]) out[k] += rec[k];
  }
  return out;
}

/** Streams are numbered as they start; a packet starts at most one, in the one shard it went to. */
function numberStreams(results: readonly ShardResult[]): number[][] {
  const starts: [frame: number, shard: number, local: number][] = [];
  results.forEach((r, shard) => r.created.forEach((frame, local) => starts.push([frame, shard, local])));
  starts.sort((x, y) => x[0] - y[0] || x[1] - y[1] || x[2] - y[2]);
  const numbers = results.map((r) => new Array<number>(r.created.length));
  starts.forEach(([, shard, local], i) => { numbers[shard]![local] = i; });
  return numbers;
}

/** The most flows in all tables at once, from each shard's (frame, count) changes. */
function peakFlows(results: readonly ShardResult[]): number {
  const changes: [frame: number, shard: number, count: number][] = [];
  results.forEach((r, shard) => {
    for (let i = 0; i < r.flowCounts.length; i += 2) changes.push([r.flowCounts[i]!, shard, r.flowCounts[i + 1]!]);
  });
  // Stable: a shard's changes within one frame stay in order, the last one counts.
  changes.sort((x, y) => x[0] - y[0]);
  const now = new Array<number>(results.length).fill(0);
  let total = 0, peak = 0;
  for (let i = 0; i < changes.length; i++) {
    const [frame, shard, count] = changes[i]!;
    total += count - now[shard]!;
    now[shard] = count;
    // Within a frame flows retire before one is added: the frame's end is its high point.
    if (i + 1 === changes.length || changes[i + 1]![0] !== frame) peak = Math.max(peak, total);
  }
  return peak;
}

export function mergeTcp(results: readonly ShardResult[], maxStreams: number): MergedTcp {
  const streamNumbers = numberStreams(results);
  const summaries = results.flatMap((r, shard) => r.summaries.map((s) => ({ ...s, shard })));
  summaries.sort((x, y) => compareKeys(x.key, y.key));
  // Every summary a single analysis would have accepted was accepted by its shard (a shard's
  // bound is no stricter), so replaying the shards' in order makes the same choices.
  const collector = new StreamCollector(maxStreams);
  for (const { summary, shard } of summaries) {
    summary.stream = streamNumbers[shard]![summary.stream]!;
    if (collector.wouldKeep(summary.trouble)) collector.add(summary);
  }
  const streams = collector.streams();
  const first = results[0]!.report;
  const streamsTotal = sum(results, (r) => r.streamsTotal);
  const report: TcpSectionReport = {
    packets: sum(results, (r) => r.packets),
    streams,
    streamsTotal,
    streamsOmitted: streamsTotal - streams.length,
    ended: sumRecord(results, (r) => r.ended),
    counts: sumRecord(results, (r) => r.counts),
    flowTable: {
      maxFlows: first.flowTable.maxFlows,
      peak: peakFlows(results),
      retiredClosed: sum(results, (r) => r.flowTable.retiredClosed),
      retiredIdle: sum(results, (r) => r.flowTable.retiredIdle),
      evicted: sum(results, (r) => r.flowTable.evicted),
      evictedOpen: sum(results, (r) => r.flowTable.evictedOpen),
    },
    loneFirstFragments: sum(results, (r) => r.loneFirstFragments),
  };
  return { report, streamNumbers };
}

/** Routine per-packet TCP events, which are not built once nobody wants them (emitFlags). */
function isRoutineTcpEvent(e: AnalysisEvent): boolean {
  return e.kind.startsWith('tcp.') && e.kind !== 'tcp.rto_backoff';
}

interface MergedEvents { kept: AnalysisEvent[]; omitted: number; emitted: AnalysisEvent[] | null }

/**
 * Events of all sources (the reader's thread first, then each shard) in emission order, as one
 * analysis would have emitted, kept and omitted them: once `maxEvents` are kept, a packet's routine
 * TCP events are no longer built unless every event is streamed.
 */
export function mergeEvents(sources: readonly KeyedEvent[][], shardStreams: readonly (number[] | null)[], maxEvents: number, streaming: boolean): MergedEvents {
  const all = sources.flatMap((list, source) => list.map((e) => ({ ...e, source })));
  all.sort((x, y) => compareKeys(x.key, y.key));
  const kept: AnalysisEvent[] = [];
  const emitted: AnalysisEvent[] | null = streaming ? [] : null;
  let count = 0, omitted = 0;
  let group = '', groupBuilt = true;
  for (const { event, key, source } of all) {
    if (isRoutineTcpEvent(event)) {
      // One packet's routine events are built together or not at all (wantsEvents is asked once).
      const g = `${source}:${key[0]}`;
      if (g !== group) { group = g; groupBuilt = streaming || count < maxEvents; }
      if (!groupBuilt) continue;
    }
    const numbers = shardStreams[source];
    if (numbers && typeof event.stream === 'number') event.stream = numbers[event.stream];
    count++;
    if (emitted !== null) emitted.push(event);
    if (kept.length < maxEvents) kept.push(event);
    else omitted++;
  }
  return { kept, omitted, emitted };
}
