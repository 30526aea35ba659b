import { u16 } from './bytes.js';

/**
 * The header Juniper routers put before what they capture
 * (LINKTYPE_JUNIPER_ETHER): "MGC", a flags byte, and with the extensions flag
 * a two-byte length and that many bytes of TLVs. Without the no-L2 flag an
 * Ethernet frame follows; with it, four more bytes and an IP datagram.
 */
const MAGIC = 0x4d4743;
const field = { FLAGS: 3, EXTENSIONS_LENGTH: 4 } as const;
const Flag = { NoL2: 0x02, Extensions: 0x80 } as const;
export const JUNIPER_MIN_HEADER_LEN = 4;
/** What the no-L2 form has between the header and the IP datagram. */
export const JUNIPER_NO_L2_COOKIE_LEN = 4;

export function juniperMagicValid(b: Uint8Array, o: number): boolean {
  return ((b[o]! << 16) | (b[o + 1]! << 8) | b[o + 2]!) === MAGIC;
}
export function juniperNoL2(b: Uint8Array, o: number): boolean { return (b[o + field.FLAGS]! & Flag.NoL2) !== 0; }
/** The header's length, magic and flags already captured; -1 when the capture ends in the extensions' length. */
export function juniperHeaderLength(b: Uint8Array, o: number, end: number): number {
  if ((b[o + field.FLAGS]! & Flag.Extensions) === 0) return JUNIPER_MIN_HEADER_LEN;
  if (end - o < field.EXTENSIONS_LENGTH + 2) return -1;
  return field.EXTENSIONS_LENGTH + 2 + u16(b, o + field.EXTENSIONS_LENGTH);
}
