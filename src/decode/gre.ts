import { u16, u32 } from './bytes.js';

/** GRE (RFC 2784, key and sequence number RFC 2890; version 1 is PPTP's, RFC 2637). */
const field = { FLAGS: 0, VERSION: 1, PROTOCOL: 2, OPTIONAL: 4 } as const;
const Flag = { Checksum: 0x80, Routing: 0x40, Key: 0x20, Sequence: 0x10 } as const;
/** Version 1's acknowledgment-present bit, in the second byte. */
const ACK_PRESENT = 0x80;
export const GRE_MIN_HEADER_LEN = 4;

/** A view over a GRE header. */
export class GreView {
  b: Uint8Array = new Uint8Array(0);
  o = 0;
  get version(): number { return this.b[this.o + field.VERSION]! & 0x07; }
  get protocol(): number { return u16(this.b, this.o + field.PROTOCOL); }
  get hasChecksum(): boolean { return (this.b[this.o]! & Flag.Checksum) !== 0; }
  get hasRouting(): boolean { return (this.b[this.o]! & Flag.Routing) !== 0; }
  get hasKey(): boolean { return (this.b[this.o]! & Flag.Key) !== 0; }
  get hasSequence(): boolean { return (this.b[this.o]! & Flag.Sequence) !== 0; }
  get hasAck(): boolean { return this.version === 1 && (this.b[this.o + field.VERSION]! & ACK_PRESENT) !== 0; }
  /** Checksum and reserved word: present when either the checksum or the routing bit is set (RFC 1701). */
  private get checksumWords(): number { return (this.b[this.o]! & (Flag.Checksum | Flag.Routing)) !== 0 ? 1 : 0; }
  get keyOffset(): number { return this.o + field.OPTIONAL + 4 * this.checksumWords; }
  get key(): number { return u32(this.b, this.keyOffset); }
  get sequenceOffset(): number { return this.keyOffset + (this.hasKey ? 4 : 0); }
  get sequence(): number { return u32(this.b, this.sequenceOffset); }
  /** Header length up to the routing list (which only version 0 with the routing bit has). */
  get headerLength(): number {
    return field.OPTIONAL + 4 * (this.checksumWords + (this.hasKey ? 1 : 0) + (this.hasSequence ? 1 : 0) + (this.hasAck ? 1 : 0));
  }
}

/** ERSPAN (draft-foschiano-erspan): type II and III headers after GRE 0x88be / 0x22eb. */
export const ERSPAN2_HEADER_LEN = 8;
export const ERSPAN3_HEADER_LEN = 12;
/** The platform-specific subheader a type III header announces with its O bit. */
export const ERSPAN3_SUBHEADER_LEN = 8;

export class ErspanView {
  b: Uint8Array = new Uint8Array(0);
  o = 0;
  get version(): number { return this.b[this.o]! >> 4; }
  get vlan(): number { return u16(this.b, this.o) & 0x0fff; }
  get sessionId(): number { return u16(this.b, this.o + 2) & 0x03ff; }
  /** Type II: the port index. */
  get index(): number { return u32(this.b, this.o + 4) & 0x000fffff; }
  /** Type III: the frame type (0 = Ethernet) and whether the optional subheader follows. */
  get frameType(): number { return (this.b[this.o + 10]! >> 2) & 0x1f; }
  get hasSubheader(): boolean { return (this.b[this.o + 11]! & 0x01) !== 0; }
}

/** WCCP version 2's redirect header, between GRE (protocol 0x883e) and the redirected datagram. */
export const WCCP_REDIRECT_HEADER_LEN = 4;
