/**
 * Cisco Auto-RP lines (print-pim.c's cisco_autorp_print): the message type,
 * hold time and each announced rendezvous point with its group ranges.
 */
import { ipv4Text } from './addresses.js';
import { relativeTime } from './igmp.js';
import type { PrintContext } from './print-context.js';
import { HEX8 } from './text-tables.js';

const PIM_VERSIONS = [' PIMv?', ' PIMv1', ' PIMv2', ' PIMv1+2'];

export function printCiscoAutoRp(c: PrintContext, bp: number, len: number): void {
  c.proto = 'cisco_autorp';
  if (len < 8) { c.trunc(); return; }
  c.s += ' auto-rp ';
  const type = c.u8(bp);
  c.s += type === 0x11 ? 'candidate-advert' : type === 0x12 ? 'mapping' : 'type-0x' + HEX8[type];
  let rps = c.u8(bp + 1);
  c.s += ' Hold ';
  const hold = c.u16(bp + 2);
  c.s += hold ? relativeTime(hold) : 'FOREVER';
  bp += 8; len -= 8;
  // Bounded by the 8-bit counts and by `len`, which every entry shortens.
  for (; rps !== 0; rps--) {
    if (len < 4) { c.trunc(); return; }
    c.need(bp, 4);
    c.s += ' RP ' + ipv4Text(c.b, bp);
    bp += 4; len -= 4;
    if (len < 1) { c.trunc(); return; }
    const pim = c.u8(bp);
    c.s += PIM_VERSIONS[pim & 3];
    if (pim & 0xfc) c.s += ' [rsvd=0x' + HEX8[pim & 0xfc] + ']';
    bp += 1; len -= 1;
    if (len < 1) { c.trunc(); return; }
    let entries = c.u8(bp);
    bp += 1; len -= 1;
    for (let sep = ' '; entries !== 0; entries--, sep = ',') {
      if (len < 6) { c.trunc(); return; }
      const flags = c.u8(bp);
      c.need(bp + 2, 4);
      c.s += sep + (flags & 1 ? '!' : '') + ipv4Text(c.b, bp + 2) + '/' + c.u8(bp + 1);
      if (flags & 0x02) c.s += ' bidir';
      if (flags & 0xfc) c.s += '[rsvd=0x' + HEX8[flags & 0xfc] + ']';
      bp += 6; len -= 6;
    }
  }
}
