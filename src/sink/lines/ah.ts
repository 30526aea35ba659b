/** The AH header line prefix: "AH(spi=0x00000100,seq=0x2,icv=0x...): ", then the protected payload. */
import type { PrintContext } from './print-context.js';
import { HEX8, hex, hexPad } from './text-tables.js';

/** Prints the AH header at `bp`; returns its length, or 0 when the line ended (truncated). */
export function printAh(c: PrintContext, bp: number): number {
  c.proto = 'ah';
  let s = 'AH(';
  const ahLen = c.u8(bp + 1);
  const hdrLen = (ahLen + 2) * 4;
  if (c.opts.verbose > 0) s += 'length=' + ahLen + '(' + hdrLen + '-bytes),';
  const reserved = c.u16(bp + 2);
  if (reserved) s += 'reserved=0x' + hex(reserved) + '[MustBeZero],';
  s += 'spi=0x' + hexPad(c.u32(bp + 4), 8) + ',';
  s += 'seq=0x' + hex(c.u32(bp + 8)) + ',';
  s += 'icv=0x';
  // The "AH(" text and each ICV byte reach tcpdump's output before a short capture stops it.
  c.s += c.paint ? c.paint.ipsec(s) : s;
  for (let p = bp + 12; p < bp + hdrLen; p++) c.s += HEX8[c.u8(p)]!;
  c.s += '): ';
  return hdrLen;
}
