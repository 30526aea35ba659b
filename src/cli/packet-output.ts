/**
 * Per-packet output shared by `read` and `capture`: tcpdump-style lines or
 * JSON lines on stdout. (Being built: the line printer lives in src/sink/.)
 */
import type { PacketRecord } from '../source/packet-record.js';

export interface PacketOutputOptions {
  /** -t count: 0 = default absolute time of day; 1 = -t (none); 2 = -tt; 3 = -ttt; 4 = -tttt; 5 = -ttttt */
  timestampMode?: number;
  link?: boolean;     // -e
  verbose?: number;   // -v count
  hex?: number;       // -x count (1) / -xx (2)
  hexAscii?: number;  // -X count
  quiet?: boolean;    // -q
  json?: boolean;     // --json
  color?: 'auto' | 'always' | 'never';
}

export interface PacketOutput {
  onPacket(pkt: PacketRecord): void;
  /** Flushes everything written so far. */
  finish(): Promise<void>;
}

export function createPacketOutput(opts: PacketOutputOptions): PacketOutput {
  const out = process.stdout;
  void opts;
  return {
    onPacket(pkt) {
      out.write(`${pkt.tsSec}.${String(pkt.tsNsec).padStart(9, '0')} length ${pkt.origLen}\n`);
    },
    finish: () => Promise.resolve(),
  };
}
