import { u16 } from './bytes.js';

/** Byte ranges of an Ethernet II header. */
const field = { DST: 0, SRC: 6, TYPE: 12 } as const;
export const ETHERNET_HEADER_LEN = 14;

/** A view over an Ethernet header in capture bytes; addresses stay in the buffer. */
export class EthernetView {
  b: Uint8Array = new Uint8Array(0);
  o = 0;
  get dstOffset(): number { return this.o + field.DST; }
  get srcOffset(): number { return this.o + field.SRC; }
  /** EtherType, or an 802.3 length when 1500 or less. */
  get etherType(): number { return u16(this.b, this.o + field.TYPE); }
}
