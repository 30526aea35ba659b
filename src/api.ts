/**
 * The library entry points that mirror the CLI: read packets, analyse a
 * capture, check captures against snapshots. The CLI commands are thin
 * layers over these, so what a program gets is what `--json` prints.
 */
import { decodePacket } from './decode/decode.js';
import { DecodedPacket } from './decode/decoded-packet.js';
import { analyzeCapture, type AnalyzeOptions, type PacketSource } from './analyze/index.js';
import type { AnalysisReport } from './analyze/report.js';
import { openCapture, readCapture as readCaptureRecords, type CaptureReadOptions } from './source/capture-file.js';
import { CaptureFormatError, type CaptureInfo, type PacketHandler } from './source/packet-record.js';

export interface AnalyzeApiOptions extends AnalyzeOptions {
  /**
   * A damaged capture (bad record, truncated gzip) throws its CaptureFormatError
   * by default. With `partial: true` the packets before the damage are
   * analysed and the report says what went wrong in `capture.error`.
   */
  partial?: boolean;
  /** How a path is read (chunk size, stdin stream for '-'). */
  read?: CaptureReadOptions;
}

function sourceOf(source: string | PacketSource, read?: CaptureReadOptions): PacketSource {
  return typeof source === 'string' ? openCapture(source, read) : source;
}

/**
 * Analyses a capture file (pcap, pcapng, gzip; '-' for stdin) or any packet
 * source, and resolves with the report `zsniff analyze --json` prints.
 */
export async function analyze(source: string | PacketSource, options: AnalyzeApiOptions = {}): Promise<AnalysisReport> {
  const { partial, read, ...analyzeOptions } = options;
  const outcome = await analyzeCapture(sourceOf(source, read), analyzeOptions);
  if (outcome.error && !partial) throw outcome.error;
  return outcome.report;
}

/** Called with each decoded packet; the views are valid only during the call. Return false to stop. */
export type DecodedPacketHandler = (packet: DecodedPacket) => boolean | void;

/**
 * Decodes every packet of a file or source in place, without copying: one
 * DecodedPacket is reused for all packets, so keep what you need before
 * returning. Resolves with what the source knows about the capture.
 */
export function decodeCapture(source: string | PacketSource, onPacket: DecodedPacketHandler, read?: CaptureReadOptions): Promise<CaptureInfo> {
  const decoded = new DecodedPacket();
  return sourceOf(source, read).run((pkt) => onPacket(decodePacket(pkt, decoded)));
}

/**
 * Reads a capture file.
 *
 * - `readCapture(path, onPacket)` hands each raw PacketRecord to `onPacket`
 *   (zero-copy, valid during the call) and resolves with the capture info.
 * - `readCapture(path)` is an async iterator of decoded packets for
 *   `for await` loops. Each packet is a private copy (convenient, not the
 *   fast path); the DecodedPacket object itself is reused between
 *   iterations, so read its views before asking for the next one.
 *
 * A damaged file rejects (or throws from the loop) with a CaptureFormatError
 * after every packet before the damage was handed on.
 */
export function readCapture(path: string, onPacket: PacketHandler, opts?: CaptureReadOptions): Promise<CaptureInfo>;
export function readCapture(path: string, opts?: CaptureReadOptions): AsyncGenerator<DecodedPacket, void, undefined>;
export function readCapture(
  path: string, onPacketOrOpts?: PacketHandler | CaptureReadOptions, opts?: CaptureReadOptions,
): Promise<CaptureInfo> | AsyncGenerator<DecodedPacket, void, undefined> {
  if (typeof onPacketOrOpts === 'function') return readCaptureRecords(path, onPacketOrOpts, opts);
  return decodedPackets(path, onPacketOrOpts);
}

async function* decodedPackets(path: string, opts?: CaptureReadOptions): AsyncGenerator<DecodedPacket, void, undefined> {
  const decoded = new DecodedPacket();
  for await (const pkt of openCapture(path, opts).packets()) yield decodePacket(pkt, decoded);
}

export { CaptureFormatError };
