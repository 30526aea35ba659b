/**
 * `zsniff capture --analyze`: the same analysis as `zsniff analyze`, fed
 * packet by packet from the ring, with the same summary, JSON report, event
 * lines and --fail-on rules at the end; and with -G, a report for every
 * interval besides.
 *
 * An interval is analysed by a session of its own, as if its packets were a
 * file of their own (what `zsniff analyze` of a -G file says), while the
 * whole capture keeps its session: a connection that spans intervals is
 * still one stream in the final report.
 */
import { AnalysisSession, defaultAnalyzers, type AnalyzeOptions } from '../../analyze/index.js';
import type { AnalysisEvent } from '../../analyze/analyzer.js';
import type { AnalysisReport } from '../../analyze/report.js';
import type { ThresholdRule } from '../../analyze/thresholds.js';
import type { EspAnalysisOptions } from '../../analyze/esp/index.js';
import type { PacketRecord } from '../../source/packet-record.js';
import { shouldColor, type ColorChoice } from '../../sink/color.js';
import { BatchWriter } from '../../sink/lines/batch-writer.js';
import { renderSummary } from '../../sink/report/summary.js';
import { failOnExitCode } from '../fail-on.js';
import type { LiveGraph } from './capture-graph.js';

interface LiveAnalysisOptions {
  /** Name shown as the report's `capture.file` (the interface). */
  name: string;
  /** Report, summary and rules; false when only --graph wants the TCP analysis. */
  report: boolean;
  json: boolean;
  events: boolean;
  rules: readonly ThresholdRule[];
  /** -G: seconds per interval report (0: none). */
  intervalSeconds: number;
  color: ColorChoice;
  top: number;
  maxFlows: number;
  esp: EspAnalysisOptions;
  graph?: LiveGraph;
}

/** Events the human summary keeps to choose its "worst events" from (as analyze). */
const SUMMARY_EVENTS = 5000;
const JSON_EVENTS = 100_000;

export class LiveAnalysis {
  private readonly total: AnalysisSession;
  private interval: AnalysisSession | undefined;
  private intervalIndex = 0;
  private intervalStart = Date.now();
  private readonly out = new BatchWriter(1);
  /** Exit code from the interval rules so far (1 once any fired). */
  private intervalCode = 0;

  constructor(private readonly o: LiveAnalysisOptions) {
    const tcp = { maxFlows: o.maxFlows, observer: o.graph };
    const totalOptions: AnalyzeOptions = {
      analyzers: o.report ? defaultAnalyzers : [defaultAnalyzers[0]!],
      maxEvents: !o.report ? 0 : o.json ? JSON_EVENTS : SUMMARY_EVENTS,
      options: { tcp, esp: o.esp },
    };
    if (o.events) totalOptions.onEvent = (e: AnalysisEvent) => this.out.write(`${JSON.stringify(e)}\n`);
    this.total = new AnalysisSession(totalOptions);
    if (o.report && o.intervalSeconds > 0) this.interval = this.newIntervalSession();
  }

  private newIntervalSession(): AnalysisSession {
    return new AnalysisSession({
      maxEvents: this.o.json ? JSON_EVENTS : SUMMARY_EVENTS,
      options: { tcp: { maxFlows: this.o.maxFlows }, esp: this.o.esp },
    });
  }

  readonly onPacket = (pkt: PacketRecord): void => {
    this.total.onPacket(pkt);
    if (this.interval !== undefined) this.interval.onPacket(pkt);
  };

  /** Ends the interval when its time is up: reports it and starts the next. */
  tick(now = Date.now()): void {
    if (this.interval === undefined || now - this.intervalStart < this.o.intervalSeconds * 1000) return;
    this.endInterval(now);
    this.interval = this.newIntervalSession();
  }

  private endInterval(now: number): void {
    const session = this.interval!;
    const index = ++this.intervalIndex;
    const start = this.intervalStart;
    this.intervalStart = now;
    const report = session.finish({ name: this.o.name, format: 'live', compressed: false });
    const label = `interval ${index} (${clock(start)} to ${clock(now)})`;
    if (this.o.json) {
      const withInterval = { interval: { index, start: start / 1000, end: now / 1000 }, ...report };
      this.out.write(`${JSON.stringify(withInterval)}\n`);
      this.out.flush();
    } else {
      this.writeSummary(`=== ${label} ===\n${this.summary(report)}\n`);
    }
    const code = failOnExitCode(this.o.rules, report, (line) => process.stderr.write(line.replace(/^zsniff: /, `zsniff: ${label}: `)));
    if (code !== 0) this.intervalCode = code;
  }

  /**
   * The last interval (when -G), then the whole capture's report; returns
   * the exit code of the rules (1 if any fired at any interval or at the end).
   */
  finish(error: Error | null): number {
    if (!this.o.report) return 0;
    if (this.interval !== undefined) {
      this.endInterval(Date.now());
      this.interval = undefined;
    }
    const report = this.total.finish({ name: this.o.name, format: 'live', compressed: false }, error);
    if (this.o.json) {
      const lines = this.o.events || this.o.intervalSeconds > 0;
      this.out.write(lines ? `${JSON.stringify(report)}\n` : `${JSON.stringify(report, null, 2)}\n`);
      this.out.flush();
    } else {
      this.writeSummary(this.o.intervalSeconds > 0 ? `=== whole capture ===\n${this.summary(report)}` : this.summary(report));
    }
    const code = failOnExitCode(this.o.rules, report);
    return code !== 0 ? code : this.intervalCode;
  }

  /** The graph's data, when --graph is on. */
  get graph(): LiveGraph | undefined {
    return this.o.graph;
  }

  private summary(report: AnalysisReport): string {
    const toStderr = this.o.events;
    return renderSummary(report, {
      color: shouldColor(this.o.color, { env: process.env, isTTY: Boolean(toStderr ? process.stderr.isTTY : process.stdout.isTTY) }),
      maxStreams: this.o.top,
      width: process.stdout.columns || 100,
    });
  }

  /** Summaries go to stdout, or to stderr when stdout carries the event lines (as analyze). */
  private writeSummary(text: string): void {
    if (this.o.events) {
      this.out.flush();
      process.stderr.write(text);
    } else {
      this.out.write(text);
      this.out.flush();
    }
  }
}

function clock(ms: number): string {
  const d = new Date(ms);
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}
