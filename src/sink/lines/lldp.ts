/**
 * LLDP (print-lldp.c), ethertype 0x88cc, without -v: the length and, as
 * tcpdump shows even then, the system name. The -v TLV dissection is not
 * reproduced (linkProtocolExact leaves it out).
 */
import type { PrintContext } from './print-context.js';
import { printPaddedText } from './vrrp.js';

const TLV_SYSTEM_NAME = 5;

export function printLldp(c: PrintContext, p: number, len: number): void {
  c.proto = 'lldp';
  c.s += 'LLDP, length ' + len;
  // Every TLV moves on by its two header bytes and a non-zero length.
  for (let left = len; left >= 2;) {
    const tlv = c.u16(p);
    const type = tlv >> 9, tlvLen = tlv & 0x1ff;
    p += 2;
    left -= 2;
    if (type === 0 || tlvLen === 0) return;
    c.need(p, tlvLen);
    if (left < tlvLen) { c.trunc(); return; }
    if (type === TLV_SYSTEM_NAME) {
      c.s += ': ';
      printPaddedText(c, p, tlvLen);
    }
    p += tlvLen;
    left -= tlvLen;
  }
}
