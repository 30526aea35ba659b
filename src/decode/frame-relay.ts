/**
 * Frame Relay (LINKTYPE_FRELAY): a Q.922 address of 2 to 4 bytes, then either
 * the UI control byte and an NLPID (RFC 2427, with a pad byte after 3-byte
 * addresses), or, as Cisco routers send it, an EtherType straight after the address.
 */

/** The address-extension bit: set in the last byte of the address. */
const ADDRESS_EXTENSION = 0x01;
/** Unnumbered information, the control byte of multiprotocol encapsulation. */
export const FR_CONTROL_UI = 0x03;
/** A byte some senders put between the control byte and the NLPID. */
export const FR_PAD = 0x00;
/** Network-layer protocol identifiers (ISO/IEC TR 9577) of what the decoder follows. */
export const Nlpid = { Ipv4: 0xcc, Ipv6: 0x8e, Snap: 0x80, Ppp: 0xcf } as const;
/** SNAP after the NLPID: a three-byte OUI (zero for an EtherType) and the two-byte protocol. */
export const SNAP_LEN = 5;

/**
 * The length of the Q.922 address at `o` (2, 3 or 4), 0 when it is not one
 * (its first byte ends it, or it runs past 4 bytes), -1 when the capture ends inside it.
 */
export function q922AddressLength(b: Uint8Array, o: number, end: number): number {
  if (end - o < 2) return -1;
  if (b[o]! & ADDRESS_EXTENSION) return 0;
  if (b[o + 1]! & ADDRESS_EXTENSION) return 2;
  if (end - o < 3) return -1;
  if (b[o + 2]! & ADDRESS_EXTENSION) return 3;
  if (end - o < 4) return -1;
  return b[o + 3]! & ADDRESS_EXTENSION ? 4 : 0;
}

/** The data-link connection identifier of a 2-byte address (0 is the signalling channel). */
export function q922Dlci(b: Uint8Array, o: number): number {
  return ((b[o]! & 0xfc) << 2) | (b[o + 1]! >> 4);
}
