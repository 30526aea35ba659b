/** zsniff as a library: the same pipeline the CLI runs, typed. */
export * from './source/packet-record.js';
export * from './decode/index.js';
export type { Analyzer, AnalysisEvent, EventListener } from './analyze/analyzer.js';
