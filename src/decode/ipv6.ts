import { u16, u32 } from './bytes.js';

/** Byte ranges of the fixed IPv6 header (RFC 8200). */
const field = { VER_TC_FLOW: 0, PAYLOAD_LEN: 4, NEXT_HEADER: 6, HOP_LIMIT: 7, SRC: 8, DST: 24 } as const;
export const IPV6_HEADER_LEN = 40;
/** Extension headers beyond this many are not followed: a crafted chain could be endless. */
export const MAX_IPV6_EXTENSIONS = 16;

/** A view over an IPv6 header and the extension headers that were walked. */
export class Ipv6View {
  b: Uint8Array = new Uint8Array(0);
  o = 0;
  /** One past the last payload byte we may read: min(payload length, captured bytes). */
  end = 0;
  /** Extension headers walked, in order: their protocol numbers and offsets. */
  extensionCount = 0;
  readonly extensionType = new Uint8Array(MAX_IPV6_EXTENSIONS);
  readonly extensionOffset = new Int32Array(MAX_IPV6_EXTENSIONS);
  /** Fragment header fields, when one was present (`fragmentHeader >= 0`). */
  fragmentHeader = -1;

  get version(): number { return this.b[this.o + field.VER_TC_FLOW]! >> 4; }
  get trafficClass(): number { return (u16(this.b, this.o) >> 4) & 0xff; }
  get flowLabel(): number { return u32(this.b, this.o) & 0xfffff; }
  get payloadLength(): number { return u16(this.b, this.o + field.PAYLOAD_LEN); }
  get nextHeader(): number { return this.b[this.o + field.NEXT_HEADER]!; }
  /** Where the fixed header's next-header byte is (rewritten when a datagram is rebuilt). */
  get nextHeaderOffset(): number { return this.o + field.NEXT_HEADER; }
  get hopLimit(): number { return this.b[this.o + field.HOP_LIMIT]!; }
  get srcOffset(): number { return this.o + field.SRC; }
  get dstOffset(): number { return this.o + field.DST; }
  get fragmentOffset(): number { return this.fragmentHeader < 0 ? 0 : u16(this.b, this.fragmentHeader + 2) & 0xfff8; }
  get moreFragments(): boolean { return this.fragmentHeader >= 0 && (this.b[this.fragmentHeader + 3]! & 1) === 1; }
  get fragmentId(): number { return this.fragmentHeader < 0 ? 0 : u32(this.b, this.fragmentHeader + 4); }
}
