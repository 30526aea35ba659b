import { u32 } from './bytes.js';

/** RFC 4302 Authentication Header. */
const field = { NEXT_HEADER: 0, PAYLOAD_LEN: 1, SPI: 4, SEQ: 8, ICV: 12 } as const;
export const AH_MIN_LEN = 12;

export class AhView {
  b: Uint8Array = new Uint8Array(0);
  o = 0;
  get nextHeader(): number { return this.b[this.o + field.NEXT_HEADER]!; }
  /** Header length in bytes: (payload-length field + 2) 32-bit words. */
  get headerLength(): number { return (this.b[this.o + field.PAYLOAD_LEN]! + 2) * 4; }
  get spi(): number { return u32(this.b, this.o + field.SPI); }
  get seq(): number { return u32(this.b, this.o + field.SEQ); }
  get icvOffset(): number { return this.o + field.ICV; }
  get icvLength(): number { return this.headerLength - field.ICV; }
}
