/**
 * Runs a list of analyzers over a packet source and merges what they found
 * into one report. Used by `zsniff analyze` (files) and, through
 * `AnalysisSession`, by live capture.
 *
 * To add an analyzer, append its factory to `defaultAnalyzers`: it gets a
 * section of the report named after it, and its findings compete for the
 * top of the summary with everyone else's.
 */
import { zsniffVersion } from './package-version.js';
import { decodePacket } from '../decode/decode.js';
import { DecodedPacket } from '../decode/decoded-packet.js';
import { LayerBit, Stop } from '../decode/layers.js';
import { FRAGMENT_ANOMALY_NAMES, IpReassembler } from '../decode/reassembly.js';
import { linkTypeName } from '../source/linktype.js';
import { CaptureFormatError, type CaptureInfo, type PacketHandler, type PacketRecord } from '../source/packet-record.js';
import type { AnalysisEvent, EventListener } from './analyzer.js';
import type { AnalysisReport, CaptureSummary, Finding, FragmentSummary } from './report.js';
import type { ReassemblyStats } from '../decode/reassembly.js';
import type { AnalyzerContext, SectionAnalyzer, SectionAnalyzerFactory } from './section.js';
import { TcpAnalyzer, type TcpAnalyzerOptions, type TcpSegmentObserver } from './tcp/tcp-analyzer.js';
import { createEspSectionAnalyzer, forwardInnerPackets } from './esp/section.js';

/** Options of the TCP section, as given in `AnalyzeOptions.options.tcp`. */
type TcpSectionOptions = Partial<TcpAnalyzerOptions> & { observer?: TcpSegmentObserver };

/** The TCP section: options in `options.tcp` (TcpAnalyzerOptions, and an observer). */
export const createTcpSectionAnalyzer: SectionAnalyzerFactory = (ctx) => {
  const o = (ctx.options.tcp ?? {}) as TcpSectionOptions;
  return new TcpAnalyzer(ctx, o, o.observer ?? null);
};

/** The analyzers `analyzeCapture` runs unless told otherwise, in this order. */
export const defaultAnalyzers: SectionAnalyzerFactory[] = [
  createTcpSectionAnalyzer,
  // IPsec: SAs, sequence/replay, cleartext leaks; options in `options.esp` (EspAnalysisOptions).
  createEspSectionAnalyzer,
];

/** Where packets come from: `openCapture(path)` is one, a live capture another. */
export interface PacketSource {
  readonly info: CaptureInfo;
  run(onPacket: PacketHandler): Promise<CaptureInfo>;
}

export interface AnalyzeOptions {
  /** Analyzers to run (default: `defaultAnalyzers`). */
  analyzers?: readonly SectionAnalyzerFactory[];
  /** Per-section options, e.g. `{ tcp: { maxFlows: 1000 } }`. */
  options?: Record<string, unknown>;
  /** Called for each event as it is found (e.g. `--events` JSON lines). */
  onEvent?: EventListener;
  /** Events kept in `report.events` (default 100,000); the rest are counted in `eventsOmitted`. */
  maxEvents?: number;
  /** Called for each packet after the analyzers saw it (e.g. progress). */
  onPacket?: (pkt: PacketRecord) => void;
  /**
   * Reassemble IP fragments (default true): the analyzers then see a fragmented datagram once,
   * whole, as the frame that completed it. False hands them each fragment as it is.
   */
  reassemble?: boolean;
}

/** A finished analysis: the report, and the error that ended reading early (damaged input), if any. */
export interface AnalysisOutcome {
  report: AnalysisReport;
  error: Error | null;
}

// Kept events dominate the JSON report's memory; 40,000 keeps `analyze --json` under 150 MB.
export const DEFAULT_MAX_EVENTS = 40_000;

/**
 * A function that calls each analyzer's onPacket from a call site of its own, so that each site sees
 * one analyzer class and V8 can inline it; a loop over the list would be one site seeing them all
 * (PERF.md, "One call site per analyzer").
 */
function dispatcher(list: readonly SectionAnalyzer[]): (d: DecodedPacket) => void {
  const [a, b, c] = list;
  switch (list.length) {
    case 0: return () => {};
    case 1: return (d) => { a!.onPacket(d); };
    case 2: return (d) => { a!.onPacket(d); b!.onPacket(d); };
    case 3: return (d) => { a!.onPacket(d); b!.onPacket(d); c!.onPacket(d); };
    default: return (d) => { for (let i = 0; i < list.length; i++) list[i]!.onPacket(d); };
  }
}

/**
 * Analysis fed one packet at a time, for sources that push (live capture).
 * `analyzeCapture` is this plus a file.
 */
export class AnalysisSession {
  private readonly analyzers: SectionAnalyzer[];
  private readonly decoded = new DecodedPacket();
  private readonly events: AnalysisEvent[] = [];
  private eventsOmitted = 0;
  private readonly maxEvents: number;
  private packets = 0;
  private firstTime = NaN;
  private lastTime = NaN;
  private minTime = Infinity;
  private maxTime = -Infinity;
  private prevTime = -Infinity;
  private backwards = 0;
  private undecodable = 0;
  private readonly linkTypes: number[] = [];
  private finished = false;
  /** Hands a decoded packet to every analyzer (see `dispatcher`). */
  private readonly dispatch: (d: DecodedPacket) => void;
  private readonly reassembler: IpReassembler | null;

  constructor(private readonly opts: AnalyzeOptions = {}) {
    this.maxEvents = opts.maxEvents ?? DEFAULT_MAX_EVENTS;
    const onEvent = opts.onEvent;
    const ctx: AnalyzerContext = {
      emit: (e) => {
        if (this.events.length < this.maxEvents) this.events.push(e);
        else this.eventsOmitted++;
        if (onEvent) onEvent(e);
      },
      wantsEvents: () => onEvent !== undefined || this.events.length < this.maxEvents,
      options: opts.options ?? {},
    };
    this.analyzers = (opts.analyzers ?? defaultAnalyzers).map((make) => make(ctx));
    // Packets decrypted by the ESP analyzer go through the other analyzers too.
    forwardInnerPackets(this.analyzers);
    this.dispatch = dispatcher(this.analyzers);
    this.reassembler = opts.reassemble === false ? null : new IpReassembler((anomaly, pkt) => {
      ctx.emit({ frame: pkt.frame, kind: FRAGMENT_ANOMALY_NAMES[anomaly]!, time: pkt.tsSec + pkt.tsNsec / 1e9 });
    });
  }

  /** Analyses one packet; the record may be reused by the caller afterwards. */
  readonly onPacket = (pkt: PacketRecord): void => {
    const t = pkt.tsSec + pkt.tsNsec / 1e9;
    if (this.packets === 0) this.firstTime = t;
    this.packets++;
    this.lastTime = t;
    if (t < this.prevTime) this.backwards++;
    this.prevTime = t;
    if (t < this.minTime) this.minTime = t;
    if (t > this.maxTime) this.maxTime = t;
    if (this.linkTypes.length === 0 || (this.linkTypes[this.linkTypes.length - 1] !== pkt.linkType && !this.linkTypes.includes(pkt.linkType))) {
      this.linkTypes.push(pkt.linkType);
    }
    let d: DecodedPacket | null = decodePacket(pkt, this.decoded);
    if ((d.layers & LayerBit.IpFragment) !== 0 && this.reassembler !== null) d = this.reassemble(d, this.reassembler);
    if (d !== null) {
      if (d.stop === Stop.Truncated || d.stop === Stop.Malformed) {
        if ((d.layers & (LayerBit.Tcp | LayerBit.Udp | LayerBit.Esp | LayerBit.Icmp | LayerBit.Icmp6)) === 0) this.undecodable++;
      }
      this.dispatch(d);
    }
    if (this.opts.onPacket) this.opts.onPacket(pkt);
  };

  /** A fragment: the datagram it completes, or null while it is incomplete. Nested fragmentation is undone twice at most. */
  private reassemble(d: DecodedPacket, r: IpReassembler): DecodedPacket | null {
    let out: DecodedPacket | null = d;
    for (let depth = 0; depth < 2 && out !== null && (out.layers & LayerBit.IpFragment) !== 0; depth++) {
      const next = r.add(out);
      if (next === out) break;
      out = next;
    }
    return out;
  }

  /** Ends the analysis and builds the report. `info` describes the source; `error` is what stopped it early. */
  finish(info: Pick<CaptureInfo, 'name' | 'format' | 'compressed'>, error: Error | null = null): AnalysisReport {
    if (!this.finished) {
      this.finished = true;
      if (this.reassembler !== null) this.reassembler.finish();
      for (const a of this.analyzers) a.finish();
    }
    return this.build(info, error, this.events.slice().sort((x, y) => x.frame - y.frame));
  }

  /**
   * The report as it stands, without ending anything (a live view's refresh):
   * open TCP streams are summarised as they are now, findings only known at
   * the end (IPsec leaks, one-way SAs) are not in it yet, and no events are listed.
   */
  reportSoFar(info: Pick<CaptureInfo, 'name' | 'format' | 'compressed'>): AnalysisReport {
    return this.build(info, null, []);
  }

  /** The analyzer owning a section of the report (`tcp`, `esp`), for views that read it live. */
  section(name: string): SectionAnalyzer | undefined {
    return this.analyzers.find((a) => a.section === name);
  }

  /** Packets analysed so far, and the capture time of the latest (seconds; NaN before the first). */
  get packetCount(): number { return this.packets; }
  get latestTime(): number { return this.lastTime; }

  private build(info: Pick<CaptureInfo, 'name' | 'format' | 'compressed'>, error: Error | null, kept: AnalysisEvent[]): AnalysisReport {
    const capture: CaptureSummary = {
      file: info.name,
      format: info.format,
      compressed: info.compressed,
      packets: this.packets,
      firstTime: this.packets > 0 ? this.firstTime : null,
      lastTime: this.packets > 0 ? this.lastTime : null,
      duration: this.packets > 0 ? Math.round((this.maxTime - this.minTime) * 1e9) / 1e9 : 0,
      linkTypes: this.linkTypes.map((lt) => ({ linkType: lt, name: linkTypeName(lt) })),
      timestampsBackwards: this.backwards,
      undecodable: this.undecodable,
    };
    if (error) capture.error = error.message;
    const fragments = this.reassembler?.stats;
    if (fragments !== undefined && fragments.fragments > 0) capture.ipFragments = fragmentSummary(fragments);
    const report: AnalysisReport = {
      zsniff: zsniffVersion(),
      capture,
      findings: [],
      events: kept,
      eventsOmitted: this.eventsOmitted,
    };
    const findings: Finding[] = [];
    for (const a of this.analyzers) {
      report[a.section] = a.report();
      findings.push(...a.findings());
    }
    const explained = new Set(findings.map((f) => f.about));
    findings.unshift(...captureFindings(capture).filter((f) => f.about === undefined || !explained.has(f.about)));
    // Highest priority first; ties keep the analyzers' own order.
    report.findings = findings
      .map((f, i) => ({ f, i }))
      .sort((x, y) => y.f.priority - x.f.priority || x.i - y.i)
      .map((x) => x.f);
    // The events go last in the JSON so that the summary parts are read first.
    const { events, eventsOmitted, ...head } = report;
    return { ...head, events, eventsOmitted } as AnalysisReport;
  }
}

function fragmentSummary(s: ReassemblyStats): FragmentSummary {
  const [overlaps, overlapConflicts, endConflicts, tooLong, floods] = s.anomalies as [number, number, number, number, number];
  return {
    fragments: s.fragments, reassembled: s.reassembled, incomplete: s.incomplete, evicted: s.evicted,
    notReassembled: s.notReassembled, overlaps, overlapConflicts, endConflicts, tooLong, floods,
  };
}

function captureFindings(c: CaptureSummary): Finding[] {
  const out: Finding[] = [];
  const f = c.ipFragments;
  if (f !== undefined) {
    const damage = f.overlapConflicts + f.endConflicts + f.tooLong + f.floods;
    if (damage > 0) {
      const parts = [
        f.overlapConflicts > 0 ? `${f.overlapConflicts} overlaps with different data` : '',
        f.endConflicts > 0 ? `${f.endConflicts} conflicting ends` : '',
        f.tooLong > 0 ? `${f.tooLong} datagrams over 65,535 bytes` : '',
        f.floods > 0 ? `${f.floods} datagrams with too many fragments` : '',
      ].filter((x) => x !== '');
      out.push({ priority: 60, section: 'capture', about: 'ip_fragments', text: `IP fragments that do not fit together: ${parts.join(', ')} (evasion or damage; events ip.fragment_*)` });
    }
    if (f.incomplete > 0) {
      out.push({ priority: 20, section: 'capture', text: `${f.incomplete} fragmented IP datagrams never completed${f.evicted > 0 ? ` (${f.evicted} pushed out by the reassembly bounds)` : ''}: not analysed` });
    }
  }
  if (c.error) out.push({ priority: 80, section: 'capture', text: `capture damaged: analysis covers only the ${c.packets} packets before the damage` });
  if (c.timestampsBackwards > 0) {
    out.push({ priority: 30, section: 'capture', about: 'timestamps_backwards', text: `${c.timestampsBackwards} packets have timestamps earlier than the packet before them (capture clock or merge problem)` });
  }
  return out;
}

/**
 * Analyses a whole source. A damaged file does not throw: the packets
 * before the damage are analysed and the error is returned beside the report.
 */
export async function analyzeCapture(source: PacketSource, opts: AnalyzeOptions = {}): Promise<AnalysisOutcome> {
  const session = new AnalysisSession(opts);
  let error: Error | null = null;
  try {
    await source.run(session.onPacket);
  } catch (err) {
    if (!(err instanceof CaptureFormatError)) throw err;
    error = err;
  }
  return { report: session.finish(source.info, error), error };
}

export { TcpAnalyzer } from './tcp/tcp-analyzer.js';
export type { TcpAnalyzerOptions, TcpSectionReport, TcpSegmentObserver } from './tcp/tcp-analyzer.js';
export type { AnalysisReport, CaptureSummary, Finding } from './report.js';
export type { AnalyzerContext, SectionAnalyzer, SectionAnalyzerFactory } from './section.js';
