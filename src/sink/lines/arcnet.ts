/**
 * ARCNET as Linux captures it (LINKTYPE_ARCNET_LINUX), as tcpdump's
 * print-arcnet.c: source and destination station bytes, a 2-byte offset, the
 * system code (protocol) and, for the new-style codes, a fragmentation flag
 * and sequence id. Linux hands on reassembled packets, so no fragments here.
 */
import { printArp } from './arp.js';
import { hexAsciiLines } from './hexdump.js';
import { printIpv4 } from './ipv4.js';
import { printIpv6 } from './ipv6.js';
import type { PrintContext } from './print-context.js';
import { hexPad } from './text-tables.js';

const LINUX_HEADER = 5, LINUX_HEADER_NEW = 8;
const IP_OLD = 240, ARP_OLD = 241, IP = 212, ARP = 213, REVARP = 214, INET6 = 0xc4, DIAGNOSE = 0x80, ATALK = 221;
/** AppleTalk's DDP header: what tcpdump needs before it names the sockets. */
const DDP_HEADER = 13;
const SYSTEM_CODES = new Map([
  [IP_OLD, 'oldip'], [ARP_OLD, 'oldarp'], [IP, 'ip'], [ARP, 'arp'], [REVARP, 'rarp'], [ATALK, 'atalk'],
  [247, 'banyan'], [250, 'ipx'], [INET6, 'ipv6'], [DIAGNOSE, 'diag'],
]);

/**
 * arcnet_print for a Linux header: tcpdump reads it with the plain ARCNET
 * layout, so the name comes from the byte after the stations (the offset's
 * first byte), not from the system code.
 */
function header(c: PrintContext, start: number, length: number): void {
  const stations = hexPad(c.u8(start), 2) + ' ' + hexPad(c.u8(start + 1), 2);
  if (c.opts.quiet) { c.s += stations + ' ' + length + ': '; return; }
  const type = c.u8(start + 2);
  c.s += stations + ' ' + (SYSTEM_CODES.get(type) ?? hexPad(type, 2)) + ' ' + length + ': ';
}

export function printArcnetLinux(c: PrintContext, start: number, length: number, caplen: number): void {
  c.proto = 'arcnet_linux';
  if (caplen < LINUX_HEADER) { c.linkHeaderLength = caplen; c.trunc(); return; }
  const code = c.u8(start + 4);
  const hdrLen = code === IP_OLD || code === ARP_OLD || code === DIAGNOSE ? LINUX_HEADER : LINUX_HEADER_NEW;
  if (caplen < hdrLen) { c.linkHeaderLength = caplen; c.trunc(); return; }
  if (c.opts.link) header(c, start, length);
  c.linkHeaderLength = hdrLen;
  const p = start + hdrLen;
  length -= hdrLen; caplen -= hdrLen;
  switch (code) {
    case IP_OLD: case IP: printIpv4(c, p, length); return;
    case INET6: printIpv6(c, p, length); return;
    case ARP_OLD: case ARP: case REVARP: printArp(c, p, length, caplen); return;
    case ATALK:
      // Only DDP cut short is decoded; a whole datagram is dumped (exact-scope leaves it out).
      c.proto = 'atalk';
      if (!c.opts.link) c.s += 'AT ';
      if (length < DDP_HEADER) { c.s += ' [|ddp ' + length + ']'; return; }
      if (caplen < DDP_HEADER) { c.s += ' [|ddp]'; return; }
      break;
  }
  if (!c.opts.suppressDefaultPrint) c.s += hexAsciiLines(c.b, p, caplen, '\n\t');
}
