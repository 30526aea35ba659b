import { u16, u32 } from './bytes.js';

/** Linux "cooked" capture v1 (LINKTYPE_LINUX_SLL), the header of the `any` device. */
const v1 = { PKTTYPE: 0, HATYPE: 2, HALEN: 4, ADDR: 6, PROTOCOL: 14 } as const;
export const SLL_HEADER_LEN = 16;
/** Cooked capture v2 (LINKTYPE_LINUX_SLL2) adds the interface index. */
const v2 = { PROTOCOL: 0, IFINDEX: 4, HATYPE: 8, PKTTYPE: 10, HALEN: 11, ADDR: 12 } as const;
export const SLL2_HEADER_LEN = 20;

/** A view over an SLL or SLL2 header; `version` says which. */
export class SllView {
  b: Uint8Array = new Uint8Array(0);
  o = 0;
  version: 1 | 2 = 1;
  get packetType(): number {
    return this.version === 1 ? u16(this.b, this.o + v1.PKTTYPE) : this.b[this.o + v2.PKTTYPE]!;
  }
  get hardwareType(): number { return u16(this.b, this.o + (this.version === 1 ? v1.HATYPE : v2.HATYPE)); }
  get addressLength(): number {
    return this.version === 1 ? u16(this.b, this.o + v1.HALEN) : this.b[this.o + v2.HALEN]!;
  }
  get addressOffset(): number { return this.o + (this.version === 1 ? v1.ADDR : v2.ADDR); }
  get protocol(): number { return u16(this.b, this.o + (this.version === 1 ? v1.PROTOCOL : v2.PROTOCOL)); }
  /** Interface index (SLL2 only; 0 for v1). */
  get interfaceIndex(): number { return this.version === 2 ? u32(this.b, this.o + v2.IFINDEX) : 0; }
  get headerLength(): number { return this.version === 1 ? SLL_HEADER_LEN : SLL2_HEADER_LEN; }
}
