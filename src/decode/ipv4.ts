import { u16, u32 } from './bytes.js';
import { finish, sum16 } from './checksum.js';

/** Byte ranges of an IPv4 header (RFC 791). */
const field = {
  VER_IHL: 0, TOS: 1, TOTAL_LEN: 2, ID: 4, FLAGS_FRAG: 6, TTL: 8, PROTOCOL: 9,
  CHECKSUM: 10, SRC: 12, DST: 16, OPTIONS: 20,
} as const;
export const IPV4_MIN_HEADER_LEN = 20;

/** Option types (RFC 791 and later) that this code needs by name. */
const Ipv4Option = { End: 0, Nop: 1, LooseSourceRoute: 131, StrictSourceRoute: 137 } as const;

/**
 * The least length each option type can have and still hold the fields its
 * definition puts after type and length (RFC 791, 1108, 1063, 1393, 2113,
 * 4782, ...). Shorter is malformed: Wireshark's option dissectors then run
 * out of bytes and give up on the whole packet.
 */
const OPTION_MIN_LEN = new Uint8Array(256);
for (const [type, min] of [[130, 3], [131, 3], [68, 4], [133, 3], [134, 10], [7, 3], [136, 4], [137, 3],
  [11, 4], [12, 4], [82, 12], [148, 4], [149, 6], [25, 8]] as const) OPTION_MIN_LEN[type] = min;

/** What `walkIpv4Options` returns when an option is malformed. */
export const OptionsMalformed = -1;

/**
 * Walks the options of the IPv4 header at `o` (header length `hl` > 20).
 * Returns the offset of the datagram's final destination address: the last
 * address of a loose or strict source route that is not yet used up (RFC 791
 * 3.1: that is where the datagram is going, and what a flow is keyed by),
 * else the header's destination; or `OptionsMalformed` when an option is
 * shorter than its type allows.
 */
export function walkIpv4Options(b: Uint8Array, o: number, hl: number): number {
  let dst = o + field.DST;
  let routeSeen = false;
  let q = o + field.OPTIONS;
  const end = o + hl;
  while (q < end) {
    const type = b[q]!;
    if (type === Ipv4Option.End) break;
    if (type === Ipv4Option.Nop) { q++; continue; }
    // A missing or impossible length ends the walk (Wireshark stops there without failing).
    if (q + 1 >= end) break;
    const len = b[q + 1]!;
    if (len < 2 || q + len > end) break;
    if (len < OPTION_MIN_LEN[type]!) return OptionsMalformed;
    if (!routeSeen && (type === Ipv4Option.LooseSourceRoute || type === Ipv4Option.StrictSourceRoute)) {
      routeSeen = true;
      const pointer = b[q + 2]!;
      if (pointer >= 4 && (pointer & 3) === 0 && pointer <= len && len >= 7) dst = q + len - 4;
    }
    q += len;
  }
  return dst;
}

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
  /** Flags and fragment offset as one 16-bit word. */
  get flagsAndOffset(): number { return u16(this.b, this.o + field.FLAGS_FRAG); }
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
}

/** Writes the header checksum of the IPv4 header of `hl` bytes at `o` (a header rebuilt from pieces). */
export function setIpv4HeaderChecksum(b: Uint8Array, o: number, hl: number): void {
  b[o + field.CHECKSUM] = 0;
  b[o + field.CHECKSUM + 1] = 0;
  const c = finish(sum16(b, o, hl));
  b[o + field.CHECKSUM] = c >> 8;
  b[o + field.CHECKSUM + 1] = c & 0xff;
}
