import { u16 } from './bytes.js';

const field = { SRC_PORT: 0, DST_PORT: 2, LENGTH: 4, CHECKSUM: 6 } as const;
export const UDP_HEADER_LEN = 8;

/** A view over a UDP header. */
export class UdpView {
  b: Uint8Array = new Uint8Array(0);
  o = 0;
  /** One past the last datagram byte we may read. */
  end = 0;
  get srcPort(): number { return u16(this.b, this.o + field.SRC_PORT); }
  get dstPort(): number { return u16(this.b, this.o + field.DST_PORT); }
  /** The length field: header plus payload. */
  get length(): number { return u16(this.b, this.o + field.LENGTH); }
  get checksum(): number { return u16(this.b, this.o + field.CHECKSUM); }
  get payloadOffset(): number { return this.o + UDP_HEADER_LEN; }
}
