import { u16, u32 } from './bytes.js';

/** Byte ranges of an IPv4 header (RFC 791). */
const field = {
  VER_IHL: 0, TOS: 1, TOTAL_LEN: 2, ID: 4, FLAGS_FRAG: 6, TTL: 8, PROTOCOL: 9,
  CHECKSUM: 10, SRC: 12, DST: 16, OPTIONS: 20,
} as const;
export const IPV4_MIN_HEADER_LEN = 20;

/** A view over an IPv4 header; the payload ends at `end` (total length, clipped to the capture). */
export class Ipv4View {
  b: Uint8Array = new Uint8Array(0);
  o = 0;
  /** One past the last payload byte we may read: min(total length, captured bytes). */
  end = 0;
  get version(): number { return this.b[this.o + field.VER_IHL]! >> 4; }
  get headerLength(): number { return (this.b[this.o + field.VER_IHL]! & 0x0f) * 4; }
  get tos(): number { return this.b[this.o + field.TOS]!; }
  get totalLength(): number { return u16(this.b, this.o + field.TOTAL_LEN); }
  get id(): number { return u16(this.b, this.o + field.ID); }
  get dontFragment(): boolean { return (this.b[this.o + field.FLAGS_FRAG]! & 0x40) !== 0; }
  get moreFragments(): boolean { return (this.b[this.o + field.FLAGS_FRAG]! & 0x20) !== 0; }
  /** Reserved ("evil") bit. */
  get reservedFlag(): boolean { return (this.b[this.o + field.FLAGS_FRAG]! & 0x80) !== 0; }
  /** Fragment offset in bytes. */
  get fragmentOffset(): number { return (u16(this.b, this.o + field.FLAGS_FRAG) & 0x1fff) * 8; }
  get ttl(): number { return this.b[this.o + field.TTL]!; }
  get protocol(): number { return this.b[this.o + field.PROTOCOL]!; }
  get checksum(): number { return u16(this.b, this.o + field.CHECKSUM); }
  get src(): number { return u32(this.b, this.o + field.SRC); }
  get dst(): number { return u32(this.b, this.o + field.DST); }
  get srcOffset(): number { return this.o + field.SRC; }
  get dstOffset(): number { return this.o + field.DST; }
  get optionsOffset(): number { return this.o + field.OPTIONS; }
  get payloadOffset(): number { return this.o + this.headerLength; }
  /** True when the header checksum over the captured header is correct. */
  checksumOk(): boolean {
    let sum = 0;
    const hl = this.headerLength;
    for (let i = 0; i < hl; i += 2) sum += u16(this.b, this.o + i);
    while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
    return sum === 0xffff;
  }
}
