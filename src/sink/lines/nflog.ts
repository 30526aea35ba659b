/**
 * Linux netfilter log messages (LINKTYPE_NFLOG), as tcpdump's print-nflog.c:
 * a 4-byte header (address family, version, resource id) and TLVs in the
 * capturing host's byte order (tcpdump reads them little-endian, as its own
 * host); the packet is the value of the payload TLV.
 */
import { hexAsciiLines } from './hexdump.js';
import { printIpv4 } from './ipv4.js';
import { printIpv6 } from './ipv6.js';
import type { PrintContext } from './print-context.js';
import { hexPad } from './text-tables.js';

const NFLOG_HEADER = 4;
const TLV_HEADER = 4;
const NFULA_PAYLOAD = 9;
const AF_INET = 2, AF_INET6 = 10;
const FAMILY_NAMES = new Map([[AF_INET, 'IPv4'], [AF_INET6, 'IPv6']]);

function header(c: PrintContext, start: number, length: number): void {
  const family = c.u8(start);
  c.s += 'version ' + c.u8(start + 1) + ', resource ID ' + c.u16(start + 2);
  const name = FAMILY_NAMES.get(family);
  c.s += c.opts.quiet ? ', ' + (name ?? 'Unknown NFLOG (0x' + hexPad(family, 2) + ')') : ', family ' + (name ?? 'Unknown') + ' (' + family + ')';
  c.s += ', length ' + length + ': ';
}

export function printNflog(c: PrintContext, start: number, length: number, caplen: number): void {
  c.proto = 'nflog';
  if (caplen < NFLOG_HEADER) { c.trunc(); c.linkHeaderLength = caplen; return; }
  c.linkHeaderLength = NFLOG_HEADER;
  if (c.u8(start + 1) !== 0) { c.s += 'version ' + c.u8(start + 1) + ' (unknown)'; return; }
  if (c.opts.link) header(c, start, length);
  const b = c.b;
  let p = start + NFLOG_HEADER;
  length -= NFLOG_HEADER; caplen -= NFLOG_HEADER;
  // Every step moves on by at least one TLV header, so the walk ends.
  while (length > 0) {
    if (caplen < TLV_HEADER) { c.linkHeaderLength = p - start; c.trunc(); return; }
    let size = b[p]! | (b[p + 1]! << 8);
    if (size % 4 !== 0) size += 4 - (size % 4);
    if (size < TLV_HEADER || caplen < size) { c.linkHeaderLength = p - start; c.trunc(); return; }
    if ((b[p + 2]! | (b[p + 3]! << 8)) === NFULA_PAYLOAD) {
      p += TLV_HEADER; length -= TLV_HEADER; caplen -= TLV_HEADER;
      break;
    }
    p += size; length -= size; caplen -= size;
  }
  c.linkHeaderLength = p - start;
  if (length < 0) length = 0;
  switch (c.u8(start)) {
    case AF_INET: printIpv4(c, p, length); return;
    case AF_INET6: printIpv6(c, p, length); return;
    default:
      if (!c.opts.link) header(c, start, length + NFLOG_HEADER);
      if (!c.opts.suppressDefaultPrint) c.s += hexAsciiLines(c.b, p, Math.max(0, caplen), '\n\t');
  }
}
