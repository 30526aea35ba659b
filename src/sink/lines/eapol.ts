/**
 * 802.1X EAPOL frames, ethertype 0x888e (print-eap.c): the frame line.
 * tcpdump's -v dissection of the EAP packet inside is not reproduced;
 * exact-scope.ts leaves -v out.
 */
import type { PrintContext } from './print-context.js';
import { dec } from './text-tables.js';

const FRAME_TYPES = ['EAP packet', 'EAPOL start', 'EAPOL logoff', 'EAPOL key', 'Encapsulated ASF alert'];

export function printEapol(c: PrintContext, p: number): void {
  c.proto = 'eap';
  c.need(p, 4);
  const type = c.u8(p + 1);
  c.s += (FRAME_TYPES[type] ?? 'unknown') + ' (' + type + ') v' + c.u8(p) + ', len ' + dec(c.u16(p + 2));
}
