/**
 * ESP as tcpdump prints it: "ESP(spi=0x00001234,seq=0x5), length 116", and
 * with keys (tcpdump -E) what it carries after ": ".
 */
import type { PrintContext } from './print-context.js';
import { hex, hexPad } from './text-tables.js';

/** `ipOff`, `version` and `fragmented` describe the enclosing IP header, for decryption. */
export function printEsp(c: PrintContext, bp: number, length: number, ipOff: number, version: number, fragmented: boolean): void {
  c.proto = 'esp';
  // tcpdump wants at least one byte past the 8-byte header (its check is `>=`).
  if (bp + 8 >= c.snapend) { c.trunc(); return; }
  const text = 'ESP(spi=0x' + hexPad(c.u32(bp), 8) + ',seq=0x' + hex(c.u32(bp + 4)) + ')';
  c.s += (c.paint ? c.paint.ipsec(text) : text) + ', length ' + length;
  if (c.esp !== null) c.esp.printPlaintext(c, bp, length, ipOff, version, fragmented);
}
