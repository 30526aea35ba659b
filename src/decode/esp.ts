import { u32 } from './bytes.js';

/** RFC 4303: the SPI and sequence number are the only cleartext fields. */
const field = { SPI: 0, SEQ: 4, PAYLOAD: 8 } as const;
export const ESP_HEADER_LEN = 8;
/** UDP port of IKE and ESP-in-UDP NAT traversal (RFC 3948). */
export const NAT_T_PORT = 4500;

/** A view over an ESP header; everything after it is opaque without keys. */
export class EspView {
  b: Uint8Array = new Uint8Array(0);
  o = 0;
  /** One past the last ESP byte we may read. */
  end = 0;
  /** Bytes of ESP (header, ciphertext, ICV) the outer length says there are. */
  length = 0;
  get spi(): number { return u32(this.b, this.o + field.SPI); }
  get seq(): number { return u32(this.b, this.o + field.SEQ); }
  get payloadOffset(): number { return this.o + field.PAYLOAD; }
}
