/** OSPFv2 and OSPFv3 (print-ospf.c, print-ospf6.c): version, packet type and length; -v bodies are not reproduced. */
import type { PrintContext } from './print-context.js';

const PACKET_TYPES = ['', 'Hello', 'Database Description', 'LS-Request', 'LS-Update', 'LS-Ack'];
const AUTH_MD5 = 2;
const MD5_TRAILER = 16;

/** OSPF over IPv4: a keyed-MD5 trailer is not counted in the length. */
export function printOspf(c: PrintContext, bp: number, length: number): void {
  c.proto = 'ospf2';
  if (c.u16(bp + 14) === AUTH_MD5) {
    length = (length - MD5_TRAILER) >>> 0;
    c.snapend -= MD5_TRAILER;
  }
  const type = c.u8(bp + 1);
  c.s += 'OSPFv' + c.u8(bp) + ', ' + (PACKET_TYPES[type] || 'unknown LS-type ' + type) + ', length ' + length;
}

export function printOspf6(c: PrintContext, bp: number, length: number): void {
  c.proto = 'ospf3';
  const type = c.u8(bp + 1);
  c.s += 'OSPFv' + c.u8(bp) + ', ' + (PACKET_TYPES[type] || 'unknown packet type (' + type + ')') + ', length ' + length;
}
