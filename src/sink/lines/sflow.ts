/**
 * sFlow lines (print-sflow.c, sFlow version 5): "sFlowv5, IPv4 agent
 * 10.0.0.1, agent-id 0, length 216". The samples -v lists are not printed
 * (exact only without -v).
 */
import { ipv4Text, ipv6Text } from './addresses.js';
import type { PrintContext } from './print-context.js';
import { dec } from './text-tables.js';

const V4_HEADER = 28, V6_HEADER = 40;

export function printSflow(c: PrintContext, bp: number, length: number): void {
  c.proto = 'sflow';
  const ipVersion = c.u32(bp + 4);
  if ((length < V4_HEADER && ipVersion === 1) || (length < V6_HEADER && ipVersion === 2)) {
    // tcpdump names the IPv4 header's size whichever header was short.
    c.s += 'sFlowv' + dec(c.u32(bp)) + ' [length ' + length + ' < ' + V4_HEADER + '] (invalid)';
    return;
  }
  c.need(bp, V4_HEADER);
  const version = c.u32(bp);
  if (version !== 5) { c.s += 'sFlow version ' + dec(version) + ' packet not supported'; return; }
  if (ipVersion === 1) {
    c.s += 'sFlowv5, IPv4 agent ' + ipv4Text(c.b, bp + 8) + ', agent-id ' + dec(c.u32(bp + 12)) + ', length ' + length;
  } else {
    c.need(bp + 8, 16);
    c.s += 'sFlowv5, IPv6 agent ' + ipv6Text(c.b, bp + 8) + ', agent-id ' + dec(c.u32(bp + 24)) + ', length ' + length;
  }
}
