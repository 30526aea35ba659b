import { u16 } from './bytes.js';

/**
 * IP over InfiniBand (LINKTYPE_IPOIB, RFC 4391) as Linux captures it: the
 * 20-byte destination and source hardware addresses, an EtherType, two reserved bytes.
 */
const field = { DST: 0, SRC: 20, TYPE: 40 } as const;
export const IPOIB_HEADER_LEN = 44;

export function ipoibEtherType(b: Uint8Array, o: number): number { return u16(b, o + field.TYPE); }
