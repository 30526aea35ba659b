/**
 * Worker thread entry of a parallel analysis: the TCP analysis of one shard (the packets of some
 * host pairs), fed through a shard ring. Everything it finds carries the place a single-threaded
 * analysis would have found it (`EmissionKey`), so that the main thread can merge the shards into
 * exactly that analysis' report.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { decodePacket } from '../../decode/decode.js';
import { DecodedPacket } from '../../decode/decoded-packet.js';
import type { AnalysisEvent } from '../analyzer.js';
import type { PacketRecord } from '../../source/packet-record.js';
import { TcpAnalyzer, type TcpAnalyzerOptions, type TcpSectionReport, type TcpSegmentObserver } from '../tcp/tcp-analyzer.js';
import type { TcpStreamReport } from '../tcp/stream-report.js';
import type { TcpFlow } from '../tcp/tcp-flow.js';
import { RingReader, RingRecord, type RingMemory } from './shard-ring.js';
import { Phase, type EmissionKey } from './emission-key.js';

export interface ShardWorkerData {
  ring: RingMemory;
  tcp: Partial<TcpAnalyzerOptions>;
  /** Events a single analysis would keep; past it, routine ones are not built (see AnalyzerContext.wantsEvents). */
  maxEvents: number;
  /** Every event is wanted (`--events`). */
  streamEvents: boolean;
}

export interface KeyedEvent { key: EmissionKey; event: AnalysisEvent }
interface KeyedSummary { key: EmissionKey; summary: TcpStreamReport }

/** What a shard sends back when the capture has ended. */
export interface ShardResult {
  report: TcpSectionReport;
  /** Every event emitted (the merge decides which a single analysis would have kept). */
  events: KeyedEvent[];
  /** Frame on which each of this shard's streams (by local number) was created. */
  created: number[];
  /** (frame, flows in the table after it) whenever that number changed. */
  flowCounts: number[];
  /** Every summary the shard's own report accepted, in the order it accepted them. */
  summaries: KeyedSummary[];
}

/** Runs one shard to the end of the capture. */
function runShard(data: ShardWorkerData): ShardResult {
  const events: KeyedEvent[] = [];
  const summaries: KeyedSummary[] = [];
  const created: number[] = [];
  const flowCounts: number[] = [];
  let frame = 0, phase: number = Phase.TcpPacket, order = 0, retireList = 0, retireFrame = 0;
  const key = (): EmissionKey => [frame, phase, retireList, retireFrame, order++];

  const observer: TcpSegmentObserver = {
    watches: () => { created.push(frame); return false; },
    onSegment: () => {},
    onRttSample: () => {},
    retiring: (flow: TcpFlow) => {
      // Expiry and the end of the capture retire flows oldest first, closed ones before open ones:
      // across shards, that order is the list and the time of each flow's last packet.
      if (phase === Phase.TcpExpire) { retireList = flow.inClosedList ? 0 : 1; retireFrame = flow.lastFrame; }
    },
    retired: (_flow, summary) => {
      if (summary !== null) summaries.push({ key: key(), summary });
      retireList = 0; retireFrame = 0;
    },
  };
  const tcp = new TcpAnalyzer({
    emit: (event) => { events.push({ key: key(), event }); },
    wantsEvents: () => data.streamEvents || events.length < data.maxEvents,
  }, data.tcp, observer);

  const decoded = new DecodedPacket();
  let flows = 0;
  const noteFlows = (): void => {
    const n = tcp.trackedFlows;
    if (n !== flows) { flows = n; flowCounts.push(frame, n); }
  };
  const reader = new RingReader(data.ring);
  try {
    reader.run(onRecord);
  } catch (err) {
    reader.fail();
    throw err;
  }
  function onRecord(type: number, pkt: PacketRecord): void {
    frame = pkt.frame;
    if (type === RingRecord.Packet) {
      phase = Phase.TcpPacket;
      tcp.onPacket(decodePacket(pkt, decoded));
      noteFlows();
    } else if (type === RingRecord.Expire) {
      phase = Phase.TcpExpire;
      tcp.expireAt(pkt.tsSec, pkt.tsNsec);
      noteFlows();
    } else if (type === RingRecord.Start) {
      tcp.expireOnlyWhenTold(pkt.tsSec);
    }
  }
  frame = Number.MAX_SAFE_INTEGER;
  phase = Phase.TcpExpire;
  tcp.finish();
  return { report: tcp.report(), events, created, flowCounts, summaries };
}

const port = parentPort;
const data = workerData as ShardWorkerData | undefined;
if (port && data?.ring !== undefined) {
  const result = runShard(data);
  port.postMessage(result);
}
