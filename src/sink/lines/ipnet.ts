/**
 * Solaris ipnet (LINKTYPE_IPNET), as tcpdump's print-ipnet.c: a 24-byte
 * header whose family byte says IPv4 (2) or IPv6 (26), and the zones the
 * packet went between, shown with -e.
 */
import { hexAsciiLines } from './hexdump.js';
import { printIpv4 } from './ipv4.js';
import { printIpv6 } from './ipv6.js';
import type { PrintContext } from './print-context.js';
import { hexPad } from './text-tables.js';

const IPNET_HEADER = 24;
const FAMILY_NAMES = new Map([[2, 'IPv4'], [26, 'IPv6']]);

function header(c: PrintContext, start: number, length: number): void {
  const family = c.u8(start + 1);
  c.s += c.u32(start + 16) + ' > ' + c.u32(start + 20);
  const name = FAMILY_NAMES.get(family);
  c.s += c.opts.quiet ? ', ' + (name ?? 'Unknown Ethertype (0x' + hexPad(family, 4) + ')') : ', family ' + (name ?? 'Unknown') + ' (' + family + ')';
  c.s += ', length ' + length + ': ';
}

export function printIpnet(c: PrintContext, start: number, length: number, caplen: number): void {
  c.proto = 'ipnet';
  c.need(start, IPNET_HEADER);
  c.linkHeaderLength = IPNET_HEADER;
  if (c.opts.link) header(c, start, length);
  const p = start + IPNET_HEADER;
  switch (c.u8(start + 1)) {
    case 2: printIpv4(c, p, length - IPNET_HEADER); return;
    case 26: printIpv6(c, p, length - IPNET_HEADER); return;
    default:
      if (!c.opts.link) header(c, start, length);
      if (!c.opts.suppressDefaultPrint) c.s += hexAsciiLines(c.b, p, caplen - IPNET_HEADER, '\n\t');
  }
}
