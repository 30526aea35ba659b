/**
 * The TCP analyzer: finds each packet's connection, runs Wireshark's
 * sequence analysis on it, and keeps the per-stream statistics the report
 * shows (bytes, goodput, retransmissions, RTT, stalls, RTO backoff, how the
 * stream ended). Per packet it allocates nothing unless a connection starts
 * or an event is reported.
 */
import type { AnalysisEvent } from '../analyzer.js';
import type { AnalyzerContext, SectionAnalyzer } from '../section.js';
import type { Finding } from '../report.js';
import { formatBytes, formatSeconds } from '../units.js';
import type { DecodedPacket } from '../../decode/decoded-packet.js';
import type { PacketRecord } from '../../source/packet-record.js';
import { LayerBit, Stop } from '../../decode/layers.js';
import { TcpFlag } from '../../decode/tcp.js';
import type { TcpView } from '../../decode/tcp.js';
import { extendChain, judgeChain, startChain } from './backoff.js';
import { TCP_EVENT_KINDS, TCP_FLAG_COUNT, TCP_FLAG_LABEL, TcpAnalysisFlag as F, withImpliedFlags, type TcpEventKind } from './flags.js';
import { DEFAULT_FLOW_TABLE_OPTIONS, FlowTable, RetireReason, type FlowTableOptions, type RetireReasonValue } from './flow-table.js';
import { TcpSequenceAnalyzer, type TcpSegment } from './sequence-analyzer.js';
import { seqGe, seqGt, seqLt, seqSub } from './seq-math.js';
import { StreamCollector, flowEnd, flowTrouble, summarizeFlow, type TcpStreamReport } from './stream-report.js';
import { FlowSlab, StaticFlag, TcpDirection, TcpFlow } from './tcp-flow.js';

const SYN = TcpFlag.SYN, ACK = TcpFlag.ACK, FIN = TcpFlag.FIN, RST = TcpFlag.RST;
const RETRANSMITTED = F.Retransmission | F.FastRetransmission | F.SpuriousRetransmission;
const RTO_BACKOFF_BIT = Math.log2(F.RtoBackoff);
/** How often (in packets) the flow table looks for flows to retire. */
export const EXPIRE_EVERY = 1024;

export interface TcpAnalyzerOptions extends FlowTableOptions {
  /** Stream summaries kept in the report; past it only the most troubled are kept. */
  maxStreams: number;
}

export const DEFAULT_TCP_OPTIONS: TcpAnalyzerOptions = { ...DEFAULT_FLOW_TABLE_OPTIONS, maxStreams: 2_000 };

/** Sees every segment of watched streams, for graphs. */
export interface TcpSegmentObserver {
  /** Whether segments of this stream should be passed on (asked once per new stream). */
  watches(stream: number): boolean;
  onSegment(flow: TcpFlow, fromA: boolean, s: Readonly<TcpSegment>, flags: number, tcp: TcpView): void;
  onRttSample(flow: TcpFlow, dataFromA: boolean, timeNs: number, seconds: number): void;
  /**
   * False when the observer keeps no reference to a flow once its stream has left the flow table
   * (a live view that watches every stream): its flows are then recycled like any other.
   */
  readonly keepsFlows?: boolean;
  /** A flow leaves the table (its events, then its summary, follow). */
  retiring?(flow: TcpFlow): void;
  /** ... and has left: its summary, or null when the report would not keep it. */
  retired?(flow: TcpFlow, summary: TcpStreamReport | null): void;
}

/** What the TCP analyzer does with a decoded packet (`classifyTcpInput`). */
export const TcpInput = { None: 0, ShortSegment: 1, FirstFragment: 2, Segment: 3 } as const;

/** Whether and how a packet reaches the TCP analysis; parallel analysis routes by it. */
export function classifyTcpInput(d: DecodedPacket): number {
  if ((d.layers & LayerBit.Tcp) === 0 || d.ipOptionsMalformed) return TcpInput.None;
  if (d.stop === Stop.Malformed && d.stopLayer === LayerBit.Tcp) return TcpInput.ShortSegment;
  if (d.ipVersion === 4 ? d.ipv4.moreFragments : d.ipVersion === 6 && d.ipv6.moreFragments) return TcpInput.FirstFragment;
  return TcpInput.Segment;
}

export interface TcpSectionReport {
  /** TCP packets analysed. */
  packets: number;
  streams: TcpStreamReport[];
  streamsTotal: number;
  /** Streams left out of `streams` (beyond maxStreams, least troubled first). */
  streamsOmitted: number;
  ended: StreamCollector['ended'];
  counts: Record<TcpEventKind, number>;
  flowTable: {
    maxFlows: number; peak: number; retiredClosed: number; retiredIdle: number;
    /** Flows pushed out by --max-flows before they were due; their later packets start new streams. */
    evicted: number; evictedOpen: number;
  };
  /**
   * Segments analysed from the first fragment of an IP datagram that could not be put back together
   * (the capture cut the fragment short, or reassembly is off): Wireshark then dissects what the
   * first fragment carries, so the segment's length is the fragment's.
   */
  loneFirstFragments: number;
}

export class TcpAnalyzer implements SectionAnalyzer {
  readonly section = 'tcp';
  private readonly opts: TcpAnalyzerOptions;
  private readonly table: FlowTable;
  private readonly seqAnalyzer = new TcpSequenceAnalyzer();
  private readonly collector: StreamCollector;
  private readonly counts = new Float64Array(TCP_FLAG_COUNT);
  /** The segment being analysed; one object reused for every packet. */
  private readonly seg: TcpSegment = { frame: 0, timeNs: 0, seq: 0, ack: 0, len: 0, flags: 0, window: 0, windowScaleOption: -1 };
  private nextStream = 0;
  /**
   * Seconds of the first packet; negative until there is one. Starts as a fraction so that V8 types
   * the field as a double and never compiles `stamp`'s time arithmetic as int32 (PERF.md, "Doubles stay doubles").
   */
  private baseSec = -0.5;
  private packets = 0;
  private loneFirstFragments = 0;
  /** Backoff chains found, kept per stream until the stream's summary is built. */
  private readonly backoffs = new Map<number, TcpStreamReport['rtoBackoff']>();
  private readonly slab = new FlowSlab();
  private finished = false;
  /** False when a driver calls `expireAt` instead (parallel shards expire on the whole capture's cadence). */
  private expiresItself = true;

  constructor(
    private readonly ctx: Pick<AnalyzerContext, 'emit'> & Partial<Pick<AnalyzerContext, 'wantsEvents'>>,
    options: Partial<TcpAnalyzerOptions> = {},
    private readonly observer: TcpSegmentObserver | null = null,
  ) {
    this.opts = { ...DEFAULT_TCP_OPTIONS, ...options };
    this.collector = new StreamCollector(this.opts.maxStreams);
    this.table = new FlowTable(this.opts, (flow, reason) => this.onRetire(flow, reason));
  }

  onPacket(d: DecodedPacket): void {
    const input = classifyTcpInput(d);
    if (input === TcpInput.None) return;
    if (input === TcpInput.ShortSegment) { this.onShortSegment(d); return; }
    if (input === TcpInput.FirstFragment) this.loneFirstFragments++;
    const pkt = d.pkt!;
    const t = d.tcp;
    const s = this.stamp(pkt);
    s.seq = t.seq;
    s.ack = t.ack;
    // An IP length beyond the packet's length on the wire is damage; Wireshark then trusts the wire length.
    const wireRoom = pkt.offset + pkt.origLen - t.payloadOffset;
    s.len = t.payloadLength <= wireRoom ? t.payloadLength : Math.max(0, wireRoom);
    s.flags = t.flags;
    s.window = t.window;
    s.windowScaleOption = t.windowScale;
    this.packets++;
    if ((this.packets & (EXPIRE_EVERY - 1)) === 0 && this.expiresItself) this.table.expire(s.timeNs);

    const b = d.bytes;
    const sport = t.srcPort, dport = t.dstPort;
    let flow = this.table.find(b, d.srcAddrOffset, d.dstAddrOffset, d.addressLength, sport, dport, d.tunnels.network);
    let fromA = this.table.direction === 0;
    let preset = 0;
    if (flow === null) {
      flow = this.newFlow(d, s, sport, dport);
      fromA = true;
    } else {
      const fwd = fromA ? flow.a : flow.b;
      if ((s.flags & (SYN | ACK)) === SYN && (fwd.staticFlags & StaticFlag.BaseSeqSet) && s.seq !== fwd.baseSeq) {
        // A new connection on the same ports (a new ISN): a new stream, as tshark numbers them.
        // (The same SYN again is a retransmission, which the sequence analysis flags.)
        this.table.remove(flow);
        this.onRetire(flow, RetireReason.Closed);
        flow = this.newFlow(d, s, sport, dport);
        flow.portsReused = true;
        fromA = true;
        preset = F.ReusedPorts;
      } else if ((s.flags & (SYN | ACK)) === SYN && (fwd.staticFlags & StaticFlag.BaseSeqSet)) {
        // The same SYN again: analysed as a retransmission, but first the next expected sequence
        // number goes back to the highest contiguous one, so that a reset sent with SEQ = the ACK
        // it got does not leave the flow expecting data beyond the handshake (Wireshark issue 17616).
        fwd.nextSeq = fwd.maxSeqToBeAcked;
      } else if ((s.flags & (SYN | ACK)) === (SYN | ACK) && (fwd.staticFlags & StaticFlag.BaseSeqSet) && s.seq !== fwd.baseSeq) {
        fwd.baseSeq = s.seq;
        preset = F.ReusedPorts;
      }
    }
    this.analyzeSegment(flow, fromA, s, preset, t);
  }

  /**
   * A TCP header longer than its datagram (or shorter than 20 bytes): there
   * is no segment to analyse, but the connection exists. Wireshark gives it a
   * conversation, and so a stream number, before it finds the header bogus;
   * so do we, or the streams after it would be numbered one off.
   */
  private onShortSegment(d: DecodedPacket): void {
    const s = this.stamp(d.pkt!);
    const sport = d.tcp.srcPort, dport = d.tcp.dstPort;
    let flow = this.table.find(d.bytes, d.srcAddrOffset, d.dstAddrOffset, d.addressLength, sport, dport, d.tunnels.network);
    let fromA = this.table.direction === 0;
    if (flow === null) { flow = this.newFlow(d, s, sport, dport); fromA = true; }
    flow.packets++;
    (fromA ? flow.a : flow.b).packets++;
    flow.lastFrame = s.frame;
    if (s.timeNs > flow.lastNs) flow.lastNs = s.timeNs;
    this.table.touch(flow);
  }

  /** The reused segment, with the packet's frame number and its time since the capture's first packet. */
  private stamp(pkt: PacketRecord): TcpSegment {
    if (this.baseSec < 0) this.baseSec = pkt.tsSec;
    const s = this.seg;
    s.frame = pkt.frame;
    s.timeNs = (pkt.tsSec - this.baseSec) * 1e9 + pkt.tsNsec;
    return s;
  }

  /**
   * For a shard of a parallel analysis: the clock starts at the whole capture's first TCP packet, and
   * flows expire when the driver says (every EXPIRE_EVERY segments of the whole capture), not on this
   * shard's own count, so that each flow's fate is the one a single analysis gives it.
   */
  expireOnlyWhenTold(firstTcpSec: number): void {
    this.expiresItself = false;
    if (this.baseSec < 0) this.baseSec = firstTcpSec;
  }

  /** Retires flows due at this time (see `expireOnlyWhenTold`). */
  expireAt(tsSec: number, tsNsec: number): void {
    this.table.expire((tsSec - this.baseSec) * 1e9 + tsNsec);
  }

  /** Flows in the table now. */
  get trackedFlows(): number { return this.table.size; }

  private newFlow(d: DecodedPacket, s: TcpSegment, sport: number, dport: number): TcpFlow {
    const flow = this.slab.acquire(this.nextStream++, d.ipVersion, d.bytes, d.srcAddrOffset, d.dstAddrOffset, sport, dport, d.tunnels.network);
    flow.firstFrame = s.frame;
    flow.firstNs = s.timeNs;
    flow.lastNs = s.timeNs;
    this.table.insert(flow);
    if (this.observer !== null && this.observer.watches(flow.stream)) flow.watched = true;
    return flow;
  }

  private analyzeSegment(flow: TcpFlow, fromA: boolean, s: TcpSegment, preset: number, tcp: TcpView): void {
    const fwd = fromA ? flow.a : flow.b;
    const rev = fromA ? flow.b : flow.a;
    const prevNext = fwd.nextSeq;
    const hadSent = prevNext !== 0;
    const stallCandidate = flow.packets > 0 && (this.outstanding(flow.a) || this.outstanding(flow.b));

    const flags = this.seqAnalyzer.analyze(flow, fwd, rev, s, preset);

    // Stream bookkeeping.
    const gap = s.timeNs - flow.lastNs;
    if (stallCandidate && gap > flow.longestStallNs) {
      flow.longestStallNs = gap;
      flow.stallStartFrame = flow.lastFrame;
      flow.stallEndFrame = s.frame;
    }
    flow.packets++;
    flow.lastFrame = s.frame;
    if (s.timeNs > flow.lastNs) flow.lastNs = s.timeNs;
    this.table.touch(flow);
    fwd.packets++;
    if ((s.flags & (SYN | ACK)) === SYN && !flow.sawSyn) { flow.sawSyn = true; flow.clientIsA = fromA; }
    if ((s.flags & (SYN | ACK)) === (SYN | ACK)) flow.sawSynAck = true;
    if (s.flags & FIN) { fwd.sawFin = true; if (flow.finBy === 0) flow.finBy = fromA ? 1 : 2; }
    if (s.flags & RST) { fwd.sawRst = true; if (flow.rstBy === 0) flow.rstBy = fromA ? 1 : 2; }

    const seglen = s.len;
    if (seglen > 0) {
      fwd.bytes += seglen;
      const end = (s.seq + seglen) >>> 0;
      if (!hadSent) fwd.uniqueBytes += seglen;
      else if (seqGt(end, prevNext)) fwd.uniqueBytes += seqLt(s.seq, prevNext) ? seqSub(end, prevNext) : seglen;
      if (flags & RETRANSMITTED) fwd.retransmittedBytes += seglen;
    }

    this.trackRtt(flow, fromA, fwd, rev, s, flags, prevNext, hadSent);
    this.trackBackoff(flow, fromA, fwd, rev, s, flags);

    if (flow.watched) this.observer!.onSegment(flow, fromA, s, flags, tcp);
    // A header whose options were cut by the snaplen makes Wireshark stop before it shows the
    // analysis: the state moves on, but the frame carries no flags. So do we.
    if (flags !== 0 && !tcp.optionsTruncated) this.emitFlags(flow, fromA, fwd, rev, s, flags);
  }

  /** Whether a direction has sent sequence space the other side has not acknowledged. */
  private outstanding(d: TcpDirection): boolean {
    if (d.nextSeq === 0 || d.packets === 0) return false;
    if (!d.acked) return d.bytes > 0;
    return seqGt(d.nextSeq, d.highestAckFromPeer);
  }

  private trackRtt(flow: TcpFlow, fromA: boolean, fwd: TcpDirection, rev: TcpDirection, s: TcpSegment,
    flags: number, prevNext: number, hadSent: boolean): void {
    // This packet's ACK: does it cover the segment the other side is timing?
    if (s.flags & ACK) {
      if (!rev.acked || seqGt(s.ack, rev.highestAckFromPeer)) { rev.highestAckFromPeer = s.ack; rev.acked = true; }
      if (rev.timing && seqGe(s.ack, rev.timedEnd)) {
        rev.timing = false;
        const dt = s.timeNs - rev.timedNs;
        if (dt >= 0) {
          rev.addRtt(dt / 1e9);
          if (flow.watched) this.observer!.onRttSample(flow, !fromA, s.timeNs, dt / 1e9);
        }
      }
    }
    if (s.len === 0 || (s.flags & SYN)) return;
    const end = (s.seq + s.len) >>> 0;
    if (flags & RETRANSMITTED) {
      // Karn: an ACK after a retransmission cannot say which copy it acknowledges.
      if (fwd.timing && seqLt(s.seq, fwd.timedEnd)) fwd.timing = false;
      return;
    }
    if (!fwd.timing && (!hadSent || seqGt(end, prevNext))) {
      fwd.timing = true;
      fwd.timedEnd = end;
      fwd.timedNs = s.timeNs;
    }
  }

  private trackBackoff(flow: TcpFlow, fromA: boolean, fwd: TcpDirection, rev: TcpDirection, s: TcpSegment, flags: number): void {
    // This packet acknowledging the segment the other side keeps resending ends that chain.
    if (rev.chain !== null && (s.flags & ACK) && seqGt(s.ack, rev.chain.seq)) this.endChain(flow, !fromA, rev);
    if ((flags & RETRANSMITTED) === 0) return;
    if (fwd.chain !== null && fwd.chain.seq === s.seq) {
      extendChain(fwd.chain, s.frame, s.timeNs);
      return;
    }
    if (fwd.chain !== null) this.endChain(flow, fromA, fwd);
    fwd.chain = startChain(s.seq, s.frame, s.timeNs, fwd.nextSeqTimeNs);
  }

  private endChain(flow: TcpFlow, fromA: boolean, dir: TcpDirection): void {
    const chain = dir.chain!;
    dir.chain = null;
    const found = judgeChain(chain);
    if (found === null) return;
    const direction = fromA ? 'aToB' as const : 'bToA' as const;
    const relSeq = seqSub(chain.seq, dir.baseSeq);
    let list = this.backoffs.get(flow.stream);
    if (list === undefined) { list = []; this.backoffs.set(flow.stream, list); }
    if (list.length < 16) list.push({ ...found, seq: relSeq, direction });
    flow.bump(RTO_BACKOFF_BIT);
    this.counts[RTO_BACKOFF_BIT]!++;
    const event: AnalysisEvent = {
      frame: found.frames[0]!,
      kind: 'tcp.rto_backoff',
      time: this.baseSec + chain.lastTimeNs / 1e9,
      stream: flow.stream,
      src: fromA ? flow.endpointA() : flow.endpointB(),
      dst: fromA ? flow.endpointB() : flow.endpointA(),
      seq: relSeq,
      retransmissions: found.retransmissions,
      intervals: found.intervals,
      frames: found.frames,
      total_seconds: found.totalSeconds,
    };
    if (found.clockWentBack) event.clock_went_back = true;
    this.ctx.emit(event);
  }

  private emitFlags(flow: TcpFlow, fromA: boolean, fwd: TcpDirection, rev: TcpDirection, s: TcpSegment, rawFlags: number): void {
    const flags = withImpliedFlags(rawFlags);
    if (this.ctx.wantsEvents !== undefined && !this.ctx.wantsEvents()) {
      // Nobody keeps or streams routine events any more: count them, build nothing.
      for (let bit = 0; bit < RTO_BACKOFF_BIT; bit++) {
        if (flags & (1 << bit)) { flow.bump(bit); this.counts[bit]!++; }
      }
      return;
    }
    const time = this.baseSec + s.timeNs / 1e9;
    const src = fromA ? flow.endpointA() : flow.endpointB();
    const dst = fromA ? flow.endpointB() : flow.endpointA();
    const seq = seqSub(s.seq, fwd.baseSeq);
    const ack = (s.flags & ACK) ? seqSub(s.ack, rev.baseSeq) : undefined;
    for (let bit = 0; bit < RTO_BACKOFF_BIT; bit++) {
      if ((flags & (1 << bit)) === 0) continue;
      flow.bump(bit);
      this.counts[bit]!++;
      const event: AnalysisEvent = {
        frame: s.frame, kind: TCP_EVENT_KINDS[bit]!, time, stream: flow.stream, src, dst, seq, len: s.len,
      };
      if (ack !== undefined) event.ack = ack;
      if ((1 << bit) === F.DuplicateAck) {
        event.dup_ack_num = this.seqAnalyzer.dupAckNum;
        event.dup_ack_frame = this.seqAnalyzer.dupAckFrame;
      }
      this.ctx.emit(event);
    }
  }

  private onRetire(flow: TcpFlow, reason: RetireReasonValue): void {
    const observer = this.observer;
    if (observer?.retiring !== undefined) observer.retiring(flow);
    if (flow.a.chain !== null) this.endChain(flow, true, flow.a);
    if (flow.b.chain !== null) this.endChain(flow, false, flow.b);
    const backoffs = this.backoffs.get(flow.stream) ?? [];
    this.backoffs.delete(flow.stream);
    this.soFar.delete(flow.stream);
    const retired = reason === RetireReason.Closed ? 'closed' : reason === RetireReason.Idle ? 'idle'
      : reason === RetireReason.Evicted ? 'evicted' : null;
    // Past --max-streams most summaries would be dropped at once: under a flood, building them
    // was most of the garbage. Count those, build only the ones kept.
    const trouble = flowTrouble(flow);
    let summary: TcpStreamReport | null = null;
    if (!this.collector.wouldKeep(trouble)) this.collector.skip(flowEnd(flow));
    else this.collector.add(summary = summarizeFlow(flow, Math.max(0, this.baseSec), backoffs, retired));
    if (observer?.retired !== undefined) observer.retired(flow, summary);
    if (observer !== null && observer.keepsFlows === false) flow.watched = false;
    this.slab.release(flow);
  }

  finish(): void {
    if (this.finished) return;
    this.finished = true;
    this.table.drain();
  }

  /** Flows still being tracked (for live use: what is open right now). */
  liveFlows(): IterableIterator<TcpFlow> { return this.table.flows(); }

  /**
   * The summary an open stream would have if it ended now (for live views). A stream without a
   * packet since the last time it was asked for keeps its summary: everything in it moves only
   * with the stream's own packets.
   */
  streamSoFar(flow: TcpFlow): TcpStreamReport {
    const kept = this.soFar.get(flow.stream);
    if (kept !== undefined && kept.packets === flow.packets) return kept.report;
    const report = summarizeFlow(flow, Math.max(0, this.baseSec), this.backoffs.get(flow.stream)?.slice() ?? [], null);
    this.soFar.set(flow.stream, { packets: flow.packets, report });
    return report;
  }

  /** `streamSoFar`'s summaries of open streams, with the packet count each was built at. */
  private readonly soFar = new Map<number, { packets: number; report: TcpStreamReport }>();

  /**
   * The section; before `finish` (a live view asking), the streams still open
   * are in it too, summarised as they stand.
   */
  report(): TcpSectionReport {
    const counts = {} as Record<TcpEventKind, number>;
    for (let i = 0; i < TCP_FLAG_COUNT; i++) counts[TCP_EVENT_KINDS[i]!] = this.counts[i]!;
    const t = this.table;
    let streams = this.collector.streams();
    if (!this.finished) {
      for (const flow of t.flows()) streams.push(this.streamSoFar(flow));
      streams = streams.sort((x, y) => x.stream - y.stream);
    }
    const report: TcpSectionReport = {
      packets: this.packets,
      streams,
      streamsTotal: this.collector.total,
      streamsOmitted: this.collector.omitted,
      ended: { ...this.collector.ended },
      counts,
      flowTable: {
        maxFlows: this.opts.maxFlows, peak: t.peakSize, retiredClosed: t.retiredClosed, retiredIdle: t.retiredIdle,
        evicted: t.evicted, evictedOpen: t.evictedOpen,
      },
      loneFirstFragments: this.loneFirstFragments,
    };
    this.lastReport = { report, packets: this.packets, finished: this.finished };
    return report;
  }

  /** The report `findings` reads when nothing changed since it was built (summarising every stream twice is a live view's cost). */
  private lastReport: { report: TcpSectionReport; packets: number; finished: boolean } | null = null;

  findings(): Finding[] {
    const last = this.lastReport;
    return tcpFindings(last !== null && last.packets === this.packets && last.finished === this.finished ? last.report : this.report());
  }
}

/** Headlines from the TCP section, most important first. */
export function tcpFindings(r: TcpSectionReport): Finding[] {
  const out: Finding[] = [];
  const streams = r.streams;
  for (const st of streams) {
    for (const chain of st.rtoBackoff) {
      const dir = st[chain.direction];
      const gaps = chain.intervals.map((v) => `${formatSeconds(v)}`).join(', ');
      out.push({
        priority: 90, section: 'tcp', stream: st.stream, frame: chain.frames[0]!,
        text: `RTO backoff: stream ${st.stream} ${dir.from} -> ${dir.to} resent one segment ${chain.retransmissions} times, ` +
          `waiting ${gaps} (stalled ${formatSeconds(chain.totalSeconds)}), frames ${chain.frames[0]}..${chain.frames[chain.frames.length - 1]}`,
      });
    }
  }
  const backoffTotal = r.counts['tcp.rto_backoff'];
  const listedBackoffs = out.length;
  if (backoffTotal > listedBackoffs) {
    out.push({ priority: 89, section: 'tcp', text: `${backoffTotal - listedBackoffs} more RTO backoff chains in streams not listed` });
  }
  for (const st of streams) {
    for (const dir of [st.aToB, st.bToA]) {
      if (dir.bytes >= 10_000 && dir.retransmissionRate >= 0.01) {
        out.push({
          priority: Math.min(85, 60 + Math.round(dir.retransmissionRate * 200)), section: 'tcp', stream: st.stream,
          text: `stream ${st.stream} ${dir.from} -> ${dir.to}: ${(dir.retransmissionRate * 100).toFixed(1)}% of ` +
            `${formatBytes(dir.bytes)} retransmitted`,
        });
      }
    }
    const zw = st.counts['tcp.zero_window'] ?? 0;
    if (zw > 0) {
      out.push({ priority: 70, section: 'tcp', stream: st.stream, text: `stream ${st.stream}: receiver advertised a zero window ${zw} times (application not reading)` });
    }
    if (st.longestStall && st.longestStall.seconds >= 1) {
      out.push({
        priority: 65, section: 'tcp', stream: st.stream, frame: st.longestStall.toFrame,
        text: `stream ${st.stream} stalled ${formatSeconds(st.longestStall.seconds)} with data unacknowledged (frames ${st.longestStall.fromFrame}..${st.longestStall.toFrame})`,
      });
    }
  }
  if (r.ended.rst > 0) {
    out.push({ priority: 40, section: 'tcp', text: `${r.ended.rst} of ${r.streamsTotal} TCP streams ended with a reset` });
  }
  const lost = r.counts['tcp.lost_segment'];
  const ackLost = r.counts['tcp.ack_lost_segment'];
  if (lost + ackLost > 0) {
    out.push({ priority: 35, section: 'tcp', text: `${lost} gaps before segments and ${ackLost} ACKs for unseen data: the capture itself missed packets` });
  }
  if (r.flowTable.evicted > 0) {
    out.push({
      priority: 50, section: 'tcp',
      text: `flow table full: ${r.flowTable.evicted} flows evicted before they were done (${r.flowTable.evictedOpen} still open; raise --max-flows ${r.flowTable.maxFlows})`,
    });
  }
  if (r.streamsOmitted > 0) {
    out.push({ priority: 20, section: 'tcp', text: `${r.streamsOmitted} of ${r.streamsTotal} streams left out of the report (the most troubled are kept)` });
  }
  return out;
}
