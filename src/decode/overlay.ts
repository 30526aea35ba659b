import { u16, u32 } from './bytes.js';

/** VXLAN (RFC 7348) on UDP 4789: flags, reserved, 24-bit VNI, reserved; Ethernet follows. */
export const VXLAN_PORT = 4789;
export const VXLAN_HEADER_LEN = 8;
/** The I flag: the VNI is valid. */
const VXLAN_VALID_VNI = 0x08;

export class VxlanView {
  b: Uint8Array = new Uint8Array(0);
  o = 0;
  get flags(): number { return this.b[this.o]!; }
  get vniValid(): boolean { return (this.b[this.o]! & VXLAN_VALID_VNI) !== 0; }
  get vni(): number { return u32(this.b, this.o + 4) >>> 8; }
}

/** Geneve (RFC 8926) on UDP 6081: version, options length, protocol type, 24-bit VNI, options. */
export const GENEVE_PORT = 6081;
export const GENEVE_MIN_HEADER_LEN = 8;

export class GeneveView {
  b: Uint8Array = new Uint8Array(0);
  o = 0;
  get version(): number { return this.b[this.o]! >> 6; }
  /** Options length in bytes (the field counts 4-byte words). */
  get optionsLength(): number { return (this.b[this.o]! & 0x3f) * 4; }
  get oam(): boolean { return (this.b[this.o + 1]! & 0x80) !== 0; }
  get critical(): boolean { return (this.b[this.o + 1]! & 0x40) !== 0; }
  get protocol(): number { return u16(this.b, this.o + 2); }
  get vni(): number { return u32(this.b, this.o + 4) >>> 8; }
  get headerLength(): number { return GENEVE_MIN_HEADER_LEN + this.optionsLength; }
}

/** MPLS label stack entries (RFC 3032): label, traffic class, bottom of stack, TTL. */
export const MPLS_LABEL_LEN = 4;
/** Label stacks deeper than this are not followed. */
export const MAX_MPLS_LABELS = 16;

export function mplsLabel(b: Uint8Array, o: number): number { return u32(b, o) >>> 12; }
export function mplsBottomOfStack(b: Uint8Array, o: number): boolean { return (b[o + 2]! & 0x01) !== 0; }

/** PPPoE (RFC 2516): version/type, code, session id, length; PPP's protocol field follows in sessions. */
export const PPPOE_HEADER_LEN = 6;

export class PppoeView {
  b: Uint8Array = new Uint8Array(0);
  o = 0;
  get version(): number { return this.b[this.o]! >> 4; }
  get type(): number { return this.b[this.o]! & 0x0f; }
  get code(): number { return this.b[this.o + 1]!; }
  get sessionId(): number { return u16(this.b, this.o + 2); }
  get length(): number { return u16(this.b, this.o + 4); }
}
