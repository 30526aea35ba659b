/**
 * ARCNET (RFC 1051 and RFC 1201) as Linux captures it (LINKTYPE_ARCNET_LINUX):
 * source, destination, a two-byte offset and the protocol byte; RFC 1201's
 * protocols add a split flag and a sequence number.
 */
export const ARCNET_LINUX_HEADER_LEN = 5;
/** With RFC 1201's split flag and sequence number. */
export const ARCNET_LINUX_SPLIT_HEADER_LEN = 8;
export const ARCNET_LINUX_TYPE = 4;

/** Protocol bytes: RFC 1051's (old) have the short header; diagnostics too. */
export const ArcnetType = {
  Ipv4Old: 0xf0, ArpOld: 0xf1, Diagnose: 0x80,
  Ipv4: 0xd4, Arp: 0xd5, Ipv6: 0xc4,
} as const;

/** Whether a protocol byte goes with the short (RFC 1051) header. */
export function arcnetShortHeader(type: number): boolean {
  return type === ArcnetType.Ipv4Old || type === ArcnetType.ArpOld || type === ArcnetType.Diagnose;
}
