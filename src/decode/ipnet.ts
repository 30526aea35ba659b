/**
 * Solaris ipnet (LINKTYPE_IPNET): version, address family, hook type, packet
 * length, interface indices and zone ids, 24 bytes; IP follows.
 */
const field = { VERSION: 0, FAMILY: 1 } as const;
export const IPNET_HEADER_LEN = 24;
/** Solaris's AF_INET and AF_INET6. */
export const IpnetFamily = { Ipv4: 2, Ipv6: 26 } as const;

export function ipnetFamily(b: Uint8Array, o: number): number { return b[o + field.FAMILY]!; }
