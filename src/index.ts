/** zsniff as a library: the same pipeline the CLI runs, typed. */
export * from './source/packet-record.js';
export { UsageError } from './errors.js';
export * from './decode/index.js';
export type { Analyzer, AnalysisEvent, EventListener } from './analyze/analyzer.js';
export * from './source/linktype.js';
// readCapture comes from ./api.js: the same call, plus iteration of decoded packets.
export { openCapture, type CaptureFile, type CaptureReadOptions } from './source/capture-file.js';
export { openCaptures, CaptureSetError } from './source/capture-set.js';
export { PcapReader, splitPcapLinkTypeField, type PcapLinkTypeField } from './source/pcap-reader.js';
export { PcapngReader, PCAPNG_BLOCK } from './source/pcapng-reader.js';
export {
  PcapWriter, PcapngWriter, DEFAULT_SNAPLEN,
  type CaptureWriterOptions, type PcapWriterOptions, type PcapngWriterOptions,
} from './sink/pcap-writer.js';
export { PacketLinePrinter, PRINTED_LINK_TYPES, type LinePrinterOptions } from './sink/lines/line-printer.js';
export { TimestampFormatter, TimestampMode } from './sink/lines/timestamp.js';
export { RelativeSequenceTable } from './sink/lines/tcp-sequence-table.js';
export { BatchWriter } from './sink/lines/batch-writer.js';
export { hexLines, hexAsciiLines, asciiText } from './sink/lines/hexdump.js';
export { ipv4Text, ipv6Text, macText } from './sink/lines/addresses.js';
export { outOfScopeReason, type ScopeOptions } from './sink/lines/exact-scope.js';
export {
  TCPDUMP_TCP_APP_PORTS, TCPDUMP_UDP_APP_PORTS, tcpdumpDissectsTcp, tcpdumpDissectsUdp,
} from './sink/lines/app-ports.js';
export type { LinePalette } from './sink/lines/palette.js';
export { PacketJsonFormatter, JSON_SCHEMA_VERSION } from './sink/json.js';
export { shouldColor, createLinePalette, stripColor, type ColorChoice, type ColorEnvironment } from './sink/color.js';
export { bytesToSafeText, sanitizeForTerminal, isTerminalSafe } from './sink/sanitize.js';
export { createPacketOutput, type PacketOutput, type PacketOutputOptions } from './cli/packet-output.js';

// The library API the CLI is built on: analyse, check against snapshots, thresholds.
export { analyze, readCapture, decodeCapture, type AnalyzeApiOptions, type DecodedPacketHandler } from './api.js';
export {
  analyzeCapture, AnalysisSession, defaultAnalyzers,
  type AnalyzeOptions, type AnalysisOutcome, type PacketSource,
} from './analyze/index.js';
export type { AnalysisReport, CaptureSummary, Finding } from './analyze/report.js';
export type { TcpSectionReport } from './analyze/tcp/tcp-analyzer.js';
export type { TcpStreamReport, TcpDirectionReport } from './analyze/tcp/stream-report.js';
export type { EspReport, SaSummary } from './analyze/esp/report.js';
export {
  parseThresholdRule, parseThresholdRules, evaluateThresholds, formatMetricValue, describeMetrics,
  METRICS, EVENT_KIND_METRICS, AGGREGATE_METRICS, ThresholdRuleError,
  type ThresholdRule, type ThresholdResult, type ThresholdOperator, type MetricDefinition, type MetricUnit,
} from './analyze/thresholds.js';
export {
  check, discoverCaptures, snapshotPathFor, CheckInputError, loadConfig, loadConfigFile, findConfig, validateConfig,
  checkAnalyzeOptions, ConfigError, CONFIG_FILE_NAME,
  SnapshotBuilder, serializeSnapshot, SNAPSHOT_FORMAT, diffSnapshots, ToleranceRules, ToleranceError, withinTolerance,
  CHECK_RESULT_FORMAT,
  type CheckOptions, type CaptureEntry, type ZsniffConfig, type CheckConfig, type LoadedConfig,
  type Snapshot, type SnapshotDiff, type SnapshotDifference, type Tolerance, type ToleranceSpec,
  type CheckResult, type CaptureCheck, type CaptureCheckStatus, type CheckSummary, type JsonValue,
} from './check/index.js';
export { checkResultText, differenceText } from './sink/check-report/diff-text.js';
export { JunitReport } from './sink/check-report/junit.js';

// Packet filters (libpcap expressions) and live capture, through the native addon.
export { compileFilter, CaptureFilter, FilterError, captureByteOrder, type PacketFilter, type FilterCompileOptions } from './source/bpf-filter.js';
export { BpfProgram } from './source/bpf-program.js';
export {
  LiveCapture, CapturePermissionError, NoSuchInterfaceError,
  type LiveCaptureOptions, type LiveCaptureInfo, type LiveStatistics,
} from './source/live/live-capture.js';
export { nativeAddonAvailable, NativeAddonMissingError } from './source/native-addon.js';
