import { u16 } from './bytes.js';

const field = { TYPE: 0, CODE: 1, CHECKSUM: 2, REST: 4 } as const;

/** A view over an ICMP or ICMPv6 message header (both share this layout). */
export class IcmpView {
  b: Uint8Array = new Uint8Array(0);
  o = 0;
  end = 0;
  get type(): number { return this.b[this.o + field.TYPE]!; }
  get code(): number { return this.b[this.o + field.CODE]!; }
  get checksum(): number { return u16(this.b, this.o + field.CHECKSUM); }
  /** Echo identifier and sequence (types that carry them). */
  get id(): number { return u16(this.b, this.o + field.REST); }
  get sequence(): number { return u16(this.b, this.o + field.REST + 2); }
  get restOffset(): number { return this.o + field.REST; }
  /** Captured bytes of the message. */
  get capturedLength(): number { return this.end - this.o; }
}
