import type { DecodedPacket } from '../decode/index.js';
export const JSON_SCHEMA_VERSION = 1;
export class PacketJsonFormatter {
  format(d: DecodedPacket): string { return JSON.stringify({ frame: d.pkt?.frame }) + '\n'; }
}
