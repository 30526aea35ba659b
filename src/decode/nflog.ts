/**
 * Linux NFLOG (LINKTYPE_NFLOG): family, version and resource id, then TLVs in
 * the capturing host's byte order (little-endian in practice, as libpcap
 * writes them), each padded to 4 bytes; the packet is the value of type 9.
 */
const field = { FAMILY: 0, VERSION: 1 } as const;
export const NFLOG_HEADER_LEN = 4;
const TLV_HEADER_LEN = 4;
const TLV_PAYLOAD = 9;
/** Linux's AF_INET and AF_INET6. */
export const NflogFamily = { Ipv4: 2, Ipv6: 10 } as const;

export function nflogFamily(b: Uint8Array, o: number): number { return b[o + field.FAMILY]!; }
export function nflogVersion(b: Uint8Array, o: number): number { return b[o + field.VERSION]!; }

/** What `nflogPayloadOffset` returns when the capture ends before the packet's TLV, or a TLV is impossible. */
const NFLOG_NO_PAYLOAD = -1;
export const NFLOG_BAD_TLV = -2;

/**
 * Where the packet starts: after the payload TLV's header, found by walking
 * the TLVs from `o` (just past the NFLOG header). Each step moves at least 4
 * bytes, so the walk is bounded by the capture.
 */
export function nflogPayloadOffset(b: Uint8Array, o: number, end: number): number {
  while (end - o >= TLV_HEADER_LEN) {
    let size = b[o]! | (b[o + 1]! << 8);
    size = (size + 3) & ~3;
    if (size < TLV_HEADER_LEN) return NFLOG_BAD_TLV;
    // The packet's TLV may be cut by the snaplen; the others must be whole to be stepped over.
    if ((b[o + 2]! | (b[o + 3]! << 8)) === TLV_PAYLOAD) return o + TLV_HEADER_LEN;
    if (size > end - o) return NFLOG_NO_PAYLOAD;
    o += size;
  }
  return NFLOG_NO_PAYLOAD;
}
