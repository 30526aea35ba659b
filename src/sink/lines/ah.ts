/** The AH header line prefix: "AH(spi=0x00000100,seq=0x2,icv=0x...): ", then the protected payload. */
import type { PrintContext } from './print-context.js';
import { HEX8, hex, hexPad } from './text-tables.js';

/** Prints the AH header at `bp`; returns its length, or 0 when the line ended (truncated). */
export function printAh(c: PrintContext, bp: number): number {
  c.proto = 'ah';
  // Each field reaches the line before the next read, as in tcpdump: a short
  // capture stops mid-header with what was printed so far, then " [|ah]".
  const put = (text: string): void => { c.s += c.paint ? c.paint.ipsec(text) : text; };
  put('AH');
  const ahLen = c.u8(bp + 1);
  put('(');
  const hdrLen = (ahLen + 2) * 4;
  if (c.opts.verbose > 0) put('length=' + ahLen + '(' + hdrLen + '-bytes),');
  const reserved = c.u16(bp + 2);
  if (reserved) put('reserved=0x' + hex(reserved) + '[MustBeZero],');
  put('spi=0x' + hexPad(c.u32(bp + 4), 8) + ',');
  put('seq=0x' + hex(c.u32(bp + 8)) + ',');
  put('icv=0x');
  for (let p = bp + 12; p < bp + hdrLen; p++) c.s += HEX8[c.u8(p)]!;
  c.s += '): ';
  return hdrLen;
}
