/**
 * BOOTP/DHCP lines (print-bootp.c): "BOOTP/DHCP, Request from MAC, length N".
 */
import { macText } from './addresses.js';
import type { PrintContext } from './print-context.js';
import { dec, HEX8 } from './text-tables.js';

const field = { op: 0, htype: 1, hlen: 2, chaddr: 28 } as const;
const BOOTREQUEST = 1, BOOTREPLY = 2;
const HTYPE_ETHERNET = 1, MAC_LEN = 6;

export function printBootp(c: PrintContext, bp: number, length: number): void {
  c.proto = 'bootp';
  const op = c.u8(bp + field.op);
  c.s += 'BOOTP/DHCP, ' + (op === BOOTREQUEST ? 'Request' : op === BOOTREPLY ? 'Reply' : 'unknown (0x' + HEX8[op] + ')');
  const htype = c.u8(bp + field.htype), hlen = c.u8(bp + field.hlen);
  if (htype === HTYPE_ETHERNET && hlen === MAC_LEN && op === BOOTREQUEST) {
    c.need(bp + field.chaddr, MAC_LEN);
    c.s += ' from ' + macText(c.b, bp + field.chaddr);
  }
  c.s += ', length ' + dec(length);
}
