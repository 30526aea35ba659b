/**
 * `analyze --threads N`: one reader, TCP analysis on N worker threads.
 *
 * The reader's thread reads and decodes every packet, reassembles IP fragments, keeps the
 * capture's own facts and runs the analyzers that need the whole capture (IPsec: SAs, cleartext
 * between peers, silences). Each TCP packet goes to one worker through a shared-memory ring,
 * chosen by the unordered pair of its (innermost) host addresses, so one connection always lands
 * on one worker. The workers' findings carry where one thread would have found them, and are
 * merged into the report one thread would have written (merge.ts).
 *
 * Exact except where the shards would need each other's flows: the flow table's `--max-flows`
 * bound (a flow is evicted by the whole table's size), IP fragments (a datagram's flow is known
 * only once it is whole) and timestamps that step back (flows expire in the table's age order).
 * For those `analyzeInParallel` returns null and the caller analyses with one thread.
 */
import { Worker } from 'node:worker_threads';
import type { DecodedPacket } from '../../decode/decoded-packet.js';
import { CaptureFormatError } from '../../source/packet-record.js';
import type { Finding } from '../report.js';
import type { AnalyzerContext, SectionAnalyzer, SectionAnalyzerFactory } from '../section.js';
import { classifyTcpInput, DEFAULT_TCP_OPTIONS, EXPIRE_EVERY, TcpInput, tcpFindings, type TcpAnalyzerOptions, type TcpSectionReport } from '../tcp/tcp-analyzer.js';
import { AnalysisSession, createTcpSectionAnalyzer, defaultAnalyzers, DEFAULT_MAX_EVENTS, type AnalysisOutcome, type AnalyzeOptions, type PacketSource } from '../index.js';
import { Phase } from './emission-key.js';
import { mergeEvents, mergeTcp } from './merge.js';
import { createRingMemory, RingRecord, RingWriter } from './shard-ring.js';
import type { KeyedEvent, ShardResult, ShardWorkerData } from './shard-worker.js';

/** murmur3's finaliser: every input bit moves about half the output bits. */
function fmix32(h: number): number {
  h ^= h >>> 16; h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13; h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** The shard of a packet's host pair: each address hashed (FNV-1a, mixed), added so that both directions agree. */
function hostPairShard(d: DecodedPacket, shards: number): number {
  const b = d.bytes, len = d.addressLength, s = d.srcAddrOffset, t = d.dstAddrOffset;
  let hs = 0x811c9dc5, ht = 0x811c9dc5;
  for (let i = 0; i < len; i++) {
    hs = Math.imul(hs ^ b[s + i]!, 0x01000193);
    ht = Math.imul(ht ^ b[t + i]!, 0x01000193);
  }
  // The high bits of the mixed sum pick the shard.
  return Math.floor(fmix32((fmix32(hs) + fmix32(ht)) >>> 0) * shards / 4294967296);
}

/**
 * Stands in the TCP section's place on the reader's thread: hands each TCP packet to its shard,
 * tells every shard when the whole capture's TCP clock starts and when flows are due to expire,
 * and reports the merged section once the shards are done.
 */
class ShardRouter implements SectionAnalyzer {
  readonly section = 'tcp';
  private started = false;
  private segments = 0;
  merged: TcpSectionReport | null = null;

  constructor(private readonly rings: RingWriter[]) {}

  onPacket(d: DecodedPacket): void {
    const input = classifyTcpInput(d);
    if (input === TcpInput.None) return;
    const pkt = d.pkt!;
    if (!this.started) { this.started = true; this.broadcast(RingRecord.Start, d); }
    if (input !== TcpInput.ShortSegment && (++this.segments & (EXPIRE_EVERY - 1)) === 0) this.broadcast(RingRecord.Expire, d);
    this.rings[hostPairShard(d, this.rings.length)]!.packet(pkt);
  }

  private broadcast(type: number, d: DecodedPacket): void {
    const p = d.pkt!;
    for (const r of this.rings) r.signal(type, p.frame, p.tsSec, p.tsNsec);
  }

  end(): void {
    for (const r of this.rings) r.signal(RingRecord.End, 0, 0, 0);
  }

  finish(): void {}
  report(): TcpSectionReport { return this.merged!; }
  findings(): Finding[] { return tcpFindings(this.merged!); }
}

function startShard(data: ShardWorkerData): { worker: Worker; result: Promise<ShardResult> } {
  const worker = new Worker(new URL('./shard-worker.js', import.meta.url), { workerData: data });
  const result = new Promise<ShardResult>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`internal error: analysis worker exited (${code})`)));
  });
  return { worker, result };
}

/**
 * Analyses a source with TCP on `threads` workers. Null when the result might differ from one
 * thread's (see the top of this file), or when there is no TCP section to spread.
 */
export async function analyzeInParallel(source: PacketSource, opts: AnalyzeOptions, threads: number): Promise<AnalysisOutcome | null> {
  const factories = opts.analyzers ?? defaultAnalyzers;
  if (!factories.includes(createTcpSectionAnalyzer) || opts.reassemble === false) return null;
  const tcpOptions = { ...(opts.options?.tcp ?? {}) } as Partial<TcpAnalyzerOptions> & { observer?: unknown };
  if (tcpOptions.observer !== undefined) return null;
  // Decrypted packets would reach TCP from the IPsec analysis, on the reader's thread.
  const esp = opts.options?.esp as { secrets?: unknown[] } | undefined;
  if (esp?.secrets !== undefined && esp.secrets.length > 0) return null;
  const maxEvents = opts.maxEvents ?? DEFAULT_MAX_EVENTS;
  const streaming = opts.onEvent !== undefined;

  const memories = Array.from({ length: threads }, () => createRingMemory());
  const shards = memories.map((ring) => startShard({ ring, tcp: tcpOptions, maxEvents, streamEvents: streaming }));
  const router = new ShardRouter(memories.map((m) => new RingWriter(m)));

  // The reader's own events (reassembly, IPsec), keyed like the shards'.
  const readerEvents: KeyedEvent[] = [];
  let frame = 0, order = 0;
  const session = new AnalysisSession({
    ...opts,
    analyzers: factories.map((f): SectionAnalyzerFactory => (f === createTcpSectionAnalyzer ? (_ctx: AnalyzerContext) => router : f)),
    maxEvents: Infinity,
    onEvent: (event) => {
      const phase = event.kind.startsWith('ip.') ? Phase.Reassembly : Phase.After;
      readerEvents.push({ key: [frame, phase, 0, 0, order++], event });
    },
  });
  let error: Error | null = null;
  let results: ShardResult[];
  try {
    try {
      await source.run((pkt) => { frame = pkt.frame; session.onPacket(pkt); });
    } catch (err) {
      if (!(err instanceof CaptureFormatError)) throw err;
      error = err;
    }
    router.end();
    results = await Promise.all(shards.map((s) => s.result));
  } finally {
    await Promise.all(shards.map((s) => s.worker.terminate()));
  }

  const merged = mergeTcp(results, tcpOptions.maxStreams ?? DEFAULT_TCP_OPTIONS.maxStreams);
  router.merged = merged.report;
  frame = Number.MAX_SAFE_INTEGER;
  const report = session.finish(source.info, error);
  const maxFlows = tcpOptions.maxFlows ?? DEFAULT_TCP_OPTIONS.maxFlows;
  // The whole table would have been full (a shard's own table filling up counts too).
  const tableFull = merged.report.flowTable.peak > maxFlows || merged.report.flowTable.evicted > 0;
  if (report.capture.ipFragments !== undefined || report.capture.timestampsBackwards > 0 || tableFull) return null;

  const events = mergeEvents([readerEvents, ...results.map((r) => r.events)], [null, ...merged.streamNumbers], maxEvents, streaming);
  if (events.emitted !== null) for (const e of events.emitted) opts.onEvent!(e);
  report.events = events.kept.sort((x, y) => x.frame - y.frame);
  report.eventsOmitted = events.omitted;
  return { report, error };
}
