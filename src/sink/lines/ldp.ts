/**
 * LDP (tcp/646, udp/646) as tcpdump 4.99 prints it without -v (print-ldp.c):
 * the first PDU's common header only, "LDP, Label-Space-ID: LSR:SPACE,
 * pdu-length: N", directly after the transport text (over TCP without a
 * separator, as tcpdump does). Messages and TLVs are decoded only with -v.
 */
import { ipv4Text } from './addresses.js';
import type { PrintContext } from './print-context.js';
import { dec } from './text-tables.js';

const COMMON_HEADER_LEN = 10;
const MESSAGE_HEADER_LEN = 8;
const LDP_VERSION = 1;

export function printLdp(c: PrintContext, bp: number, length: number): void {
  c.proto = 'ldp';
  // tcpdump looks at a PDU only when more than the two headers are there.
  if (length <= COMMON_HEADER_LEN + MESSAGE_HEADER_LEN) return;
  c.need(bp, COMMON_HEADER_LEN);
  const version = c.u16(bp);
  if (version !== LDP_VERSION) {
    c.s += 'LDP version ' + dec(version) + ' packet not supported';
    return;
  }
  const pduLength = c.u16(bp + 2);
  if (pduLength < COMMON_HEADER_LEN - 4) {
    c.s += 'LDP, pdu-length: ' + dec(pduLength) + ' (too short, < ' + (COMMON_HEADER_LEN - 4) + ')';
    return;
  }
  c.s += 'LDP, Label-Space-ID: ' + ipv4Text(c.b, bp + 4) + ':' + dec(c.u16(bp + 8)) + ', pdu-length: ' + dec(pduLength);
}
