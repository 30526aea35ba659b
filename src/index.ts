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
