/**
 * Source and destination text of the enclosing IPv4 or IPv6 header, which
 * transport printers print (tcpdump hands them the IP header as `bp2`).
 * The header is named by its offset and version, two numbers, so that
 * nothing is allocated per packet.
 */
import { ipv4Text, ipv6Text } from './addresses.js';
import type { PrintContext } from './print-context.js';

function ipSrc(c: PrintContext, ipOff: number, version: number): string {
  if (version === 4) { c.need(ipOff + 12, 4); return ipv4Text(c.b, ipOff + 12); }
  c.need(ipOff + 8, 16);
  return ipv6Text(c.b, ipOff + 8);
}

function ipDst(c: PrintContext, ipOff: number, version: number): string {
  if (version === 4) { c.need(ipOff + 16, 4); return ipv4Text(c.b, ipOff + 16); }
  c.need(ipOff + 24, 16);
  return ipv6Text(c.b, ipOff + 24);
}

/** The protocol field of the IP header itself (ip_p, or ip6_nxt before any extension header). */
export function ipHeaderProtocol(c: PrintContext, ipOff: number, version: number): number {
  return c.u8(ipOff + (version === 4 ? 9 : 6));
}

/** "src > dst" + `tail` (painted when colouring). */
export function addressPair(c: PrintContext, ipOff: number, version: number, tail: string): string {
  const s = ipSrc(c, ipOff, version), d = ipDst(c, ipOff, version);
  const p = c.paint;
  return p ? p.endpoint(s) + ' > ' + p.endpoint(d) + tail : s + ' > ' + d + tail;
}

/** "src.sport > dst.dport: " (painted when colouring). */
export function endpointPair(c: PrintContext, ipOff: number, version: number, sport: string, dport: string): string {
  const s = ipSrc(c, ipOff, version) + '.' + sport, d = ipDst(c, ipOff, version) + '.' + dport;
  const p = c.paint;
  return p ? p.endpoint(s) + ' > ' + p.endpoint(d) + ': ' : s + ' > ' + d + ': ';
}

/** "sport > dport: " when an extension header already printed the addresses. */
export function portPair(c: PrintContext, sport: string, dport: string): string {
  const p = c.paint;
  return p ? p.endpoint(sport) + ' > ' + p.endpoint(dport) + ': ' : sport + ' > ' + dport + ': ';
}
