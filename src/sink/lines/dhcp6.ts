/**
 * DHCPv6 lines (print-dhcp6.c): "dhcp6 solicit". The options (-v) are not
 * printed yet.
 */
import type { PrintContext } from './print-context.js';

const MESSAGE_TYPES = [
  '', 'solicit', 'advertise', 'request', 'confirm', 'renew', 'rebind', 'reply', 'release', 'decline',
  'reconfigure', 'inf-req', 'relay-fwd', 'relay-reply', 'leasequery', 'leasequery-reply',
];

export function printDhcp6(c: PrintContext, bp: number): void {
  c.proto = 'dhcp6';
  c.s += 'dhcp6';
  c.need(bp, 4); // message type and transaction id
  const type = c.b[bp]!;
  c.s += ' ' + (type >= 1 && type < MESSAGE_TYPES.length ? MESSAGE_TYPES[type] : 'msgtype-' + type);
}
