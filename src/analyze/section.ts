/**
 * How analyzers plug into `analyzeCapture`: each one owns a section of the
 * report (`tcp`, `esp`, ...), reports events through the context while
 * packets are read, and offers headline findings for the top of the summary.
 */
import type { Analyzer, AnalysisEvent, EventListener } from './analyzer.js';
import type { Finding } from './report.js';

export interface AnalyzerContext {
  /** Reports an event (counted, streamed to `--events`, kept in the report up to a limit). */
  emit: EventListener;
  /**
   * Whether an emitted event would be used (kept or streamed). When false,
   * analyzers may skip building routine event objects and only count them.
   */
  wantsEvents(): boolean;
  /** Options for every analyzer, by section name (e.g. `options.tcp.maxFlows`). */
  options: Readonly<Record<string, unknown>>;
}

export interface SectionAnalyzer extends Analyzer {
  /** Key of this analyzer's section in the report. */
  readonly section: string;
  /** The section, after `finish`. Plain JSON-able data. */
  report(): unknown;
  /** Headlines, after `finish`; the summary shows the highest priorities first, from every section. */
  findings(): Finding[];
}

export type SectionAnalyzerFactory = (ctx: AnalyzerContext) => SectionAnalyzer;

export type { Analyzer, AnalysisEvent, EventListener, Finding };
