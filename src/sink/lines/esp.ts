/** ESP as tcpdump prints it without keys: "ESP(spi=0x00001234,seq=0x5), length 116". */
import type { PrintContext } from './print-context.js';
import { hex, hexPad } from './text-tables.js';

export function printEsp(c: PrintContext, bp: number, length: number): void {
  c.proto = 'esp';
  // tcpdump wants at least one byte past the 8-byte header (its check is `>=`).
  if (bp + 8 >= c.snapend) { c.trunc(); return; }
  const text = 'ESP(spi=0x' + hexPad(c.u32(bp), 8) + ',seq=0x' + hex(c.u32(bp + 4)) + ')';
  c.s += (c.paint ? c.paint.ipsec(text) : text) + ', length ' + length;
}
