/**
 * Per-packet output shared by `read` and `capture`: tcpdump-identical lines
 * (src/sink/lines) or JSON lines (src/sink/json.ts) on stdout, written in
 * large batches. With ESP keys, each packet's ESP layers are opened first
 * and their plaintext printed too, as tcpdump -E does; without keys none of
 * that work is done.
 */
import { EspUnwrapper } from '../analyze/esp/unwrap.js';
import type { EspSecret } from '../analyze/esp/secrets.js';
import { DecodedPacket, decodePacket } from '../decode/index.js';
import type { PacketRecord } from '../source/packet-record.js';
import { createLinePalette, shouldColor, type ColorChoice } from '../sink/color.js';
import { PacketJsonFormatter } from '../sink/json.js';
import { BatchWriter } from '../sink/lines/batch-writer.js';
import { DecryptedEspPrinter } from '../sink/lines/esp-plaintext.js';
import { PacketLinePrinter } from '../sink/lines/line-printer.js';
import { capYoungGeneration } from './young-generation.js';

/** Packets between checks of V8's nursery size (see young-generation.ts). */
const NURSERY_CHECK_MASK = 0x3fff;

export interface PacketOutputOptions {
  /** -t count: 0 = default absolute time of day; 1 = -t (none); 2 = -tt; 3 = -ttt; 4 = -tttt; 5 = -ttttt */
  timestampMode?: number;
  link?: boolean;     // -e
  verbose?: number;   // -v count
  hex?: number;       // -x count (1) / -xx (2)
  hexAscii?: number;  // -X count
  quiet?: boolean;    // -q
  json?: boolean;     // --json
  color?: ColorChoice;
  /** -A count: payload as ASCII (-AA with the link header). */
  ascii?: number;
  /** -S: absolute TCP sequence numbers. */
  absoluteSequence?: boolean;
  /** Nanosecond timestamps (tcpdump --time-stamp-precision=nano). */
  nanoPrecision?: boolean;
  /** ESP keys (tcpdump -E): decrypted payloads are printed after the ESP text, or under "decrypted" in JSON. */
  espSecrets?: readonly EspSecret[];
  /** Where to write; 1 (stdout) unless testing. */
  fd?: number;
}

export interface PacketOutput {
  /** Prints one packet. Returns false once nobody reads the output any more (EPIPE): stop reading. */
  onPacket(pkt: PacketRecord): boolean | void;
  /**
   * Writes out what is batched now (a live capture calls it after each ring
   * batch so lines never wait for a batch to fill); output may follow.
   */
  flush(): void;
  /** Flushes everything written so far; the last call. */
  finish(): Promise<void>;
}

export function createPacketOutput(opts: PacketOutputOptions): PacketOutput {
  // Lines and JSON are ASCII by construction (wire bytes only ever appear escaped or as '.').
  const writer = new BatchWriter(opts.fd ?? 1, undefined, true, true);
  let printed = 0;
  const esp = opts.espSecrets !== undefined && opts.espSecrets.length > 0 ? new EspUnwrapper(opts.espSecrets) : null;
  if (opts.json) {
    const decoded = new DecodedPacket();
    // JSON describes the outermost packet, field for field as the lines print it,
    // then (second decode) the tunnels it is inside and the innermost packet.
    decoded.followTunnels = false;
    const tunnelled = new DecodedPacket();
    const json = new PacketJsonFormatter();
    return {
      onPacket: esp === null ? (pkt) => {
        if (!writer.open) return false;
        if ((++printed & NURSERY_CHECK_MASK) === 0) capYoungGeneration();
        writer.write(json.format(decodePacket(pkt, decoded), null, decodePacket(pkt, tunnelled)));
        return writer.open;
      } : (pkt) => {
        if (!writer.open) return false;
        if ((++printed & NURSERY_CHECK_MASK) === 0) capYoungGeneration();
        esp.unwrap(decodePacket(pkt, decoded));
        writer.write(json.format(decoded, esp, decodePacket(pkt, tunnelled)));
        return writer.open;
      },
      flush: () => writer.flush(),
      finish: () => { writer.flush(); return Promise.resolve(); },
    };
  }
  const colour = shouldColor(opts.color ?? 'auto');
  const printer = new PacketLinePrinter({
    timestampMode: opts.timestampMode ?? 0,
    nanoPrecision: opts.nanoPrecision ?? false,
    link: opts.link ?? false,
    quiet: opts.quiet ?? false,
    verbose: opts.verbose ?? 0,
    absoluteSequence: opts.absoluteSequence ?? false,
    hex: opts.hex ?? 0,
    hexAscii: opts.hexAscii ?? 0,
    ascii: opts.ascii ?? 0,
    palette: colour ? createLinePalette() : null,
    espPlaintext: esp === null ? null : new DecryptedEspPrinter(esp),
  });
  if (esp !== null) {
    // The printers walk the bytes themselves; the decoders find the ESP layers to open for them.
    const decoded = new DecodedPacket();
    return {
      onPacket(pkt) {
        if (!writer.open) return false;
        if ((++printed & NURSERY_CHECK_MASK) === 0) capYoungGeneration();
        esp.unwrap(decodePacket(pkt, decoded));
        writer.write(printer.format(pkt));
        return writer.open;
      },
      flush: () => writer.flush(),
      finish: () => { writer.flush(); return Promise.resolve(); },
    };
  }
  return {
    onPacket(pkt) {
      // Once the reader of our output has gone (EPIPE), formatting is wasted work.
      if (!writer.open) return false;
      if ((++printed & NURSERY_CHECK_MASK) === 0) capYoungGeneration();
      writer.write(printer.format(pkt));
      return writer.open;
    },
    flush: () => writer.flush(),
    finish: () => { writer.flush(); return Promise.resolve(); },
  };
}
