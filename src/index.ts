/** zsniff as a library: the same pipeline the CLI runs, typed. */
export * from './source/packet-record.js';
export * from './decode/index.js';
export type { Analyzer, AnalysisEvent, EventListener } from './analyze/analyzer.js';
export * from './source/linktype.js';
export { openCapture, readCapture, type CaptureFile, type CaptureReadOptions } from './source/capture-file.js';
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
