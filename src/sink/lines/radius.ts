/**
 * RADIUS lines (print-radius.c, RFC 2865/2866/5176): "RADIUS, Access-Request
 * (1), id: 0x2a length: 80". The attributes -v lists are not printed (exact
 * only without -v).
 */
import type { PrintContext } from './print-context.js';
import { HEX8 } from './text-tables.js';

const MIN_LENGTH = 20;
const CODES: ReadonlyMap<number, string> = new Map([
  [1, 'Access-Request'], [2, 'Access-Accept'], [3, 'Access-Reject'], [4, 'Accounting-Request'],
  [5, 'Accounting-Response'], [11, 'Access-Challenge'], [12, 'Status-Server'], [13, 'Status-Client'],
  [40, 'Disconnect-Request'], [41, 'Disconnect-ACK'], [42, 'Disconnect-NAK'], [43, 'CoA-Request'],
  [44, 'CoA-ACK'], [45, 'CoA-NAK'], [255, 'Reserved'],
]);

export function printRadius(c: PrintContext, bp: number, length: number): void {
  c.proto = 'radius';
  c.need(bp, MIN_LENGTH);
  let len = c.u16(bp + 2);
  if (len < MIN_LENGTH) { c.trunc(); return; }
  if (len > length) len = length;
  const code = c.b[bp]!;
  c.s += 'RADIUS, ' + (CODES.get(code) ?? 'Unknown Command') + ' (' + code + '), id: 0x' + HEX8[c.b[bp + 1]!] + ' length: ' + len;
}
