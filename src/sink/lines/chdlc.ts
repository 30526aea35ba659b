/**
 * Cisco HDLC (print-chdlc.c), LINKTYPE_C_HDLC (104): address, control and an
 * ethertype, then IP, IPv6, MPLS, OSI or SLARP (Cisco's serial line address
 * and keepalive protocol).
 */
import { ipv4Text } from './addresses.js';
import { unknownDataLines } from './hexdump.js';
import { printIpv4 } from './ipv4.js';
import { printIpv6 } from './ipv6.js';
import { printIsoclns } from './isoclns.js';
import { printMpls } from './mpls.js';
import type { PrintContext } from './print-context.js';
import { ETHERTYPE_NAMES, hex, hexPad } from './text-tables.js';

const NLPID_CLNP = 0x81, NLPID_ESIS = 0x82, NLPID_ISIS = 0x83;

export function printChdlc(c: PrintContext, start: number, length: number): void {
  c.proto = 'chdlc';
  if (length < 4) { c.trunc(); c.linkHeaderLength = Math.max(0, c.snapend - start); return; }
  c.linkHeaderLength = 4;
  const proto = c.u16(start + 2);
  if (c.opts.link) {
    const cast = c.b[start]!;
    c.s += (cast === 0x0f ? 'unicast' : cast === 0x8f ? 'bcast' : '0x' + hexPad(cast, 2)) +
      ', ethertype ' + (ETHERTYPE_NAMES.get(proto) ?? 'Unknown') + ' (0x' + hexPad(proto, 4) + '), length ' + length + ': ';
  }
  const p = start + 4;
  length -= 4;
  switch (proto) {
    case 0x0800: printIpv4(c, p, length); return;
    case 0x86dd: printIpv6(c, p, length); return;
    case 0x8847: case 0x8848: printMpls(c, p, length); return;
    case 0x8035: printSlarp(c, p, length); return;
    case 0xfefe: {
      if (length < 2) { c.trunc(); return; }
      // Some senders put a padding byte before the NLPID: skip it when an OSI NLPID follows.
      const second = c.u8(p + 1);
      if (second === NLPID_CLNP || second === NLPID_ESIS || second === NLPID_ISIS) printIsoclns(c, p + 1, length - 1);
      else printIsoclns(c, p, length);
      return;
    }
    default: if (!c.opts.link) c.s += 'unknown CHDLC protocol (0x' + hexPad(proto, 4) + ')';
  }
}

/** Code, then an address and mask (request, reply) or two sequence numbers, reliability and an optional uptime. */
const SLARP_MIN = 14, SLARP_MAX = 18;

function printSlarp(c: PrintContext, p: number, length: number): void {
  c.proto = 'chdlc_slarp';
  c.s += 'SLARP (length: ' + length + '), ';
  if (length < SLARP_MIN) { c.trunc(); return; }
  c.need(p, SLARP_MIN);
  const code = c.u32(p);
  const v = c.opts.verbose;
  let rest = p + 4;
  switch (code) {
    case 0: c.s += 'request'; break;
    case 1: c.s += 'reply ' + ipv4Text(c.b, p + 4) + '/' + ipv4Text(c.b, p + 8); break;
    case 2:
      c.s += 'keepalive: mineseen=0x' + hexPad(c.u32(p + 4), 8) + ', yourseen=0x' + hexPad(c.u32(p + 8), 8) +
        ', reliability=0x' + hexPad(c.u16(p + 12), 4);
      if (length >= SLARP_MAX) {
        let sec = Math.floor(c.u32(p + SLARP_MIN) / 1000);
        let min = Math.floor(sec / 60); sec -= min * 60;
        let hrs = Math.floor(min / 60); min -= hrs * 60;
        const days = Math.floor(hrs / 24); hrs -= days * 24;
        c.s += ', link uptime=' + days + 'd' + hrs + 'h' + min + 'm' + sec + 's';
        rest = p + SLARP_MIN + 4; // tcpdump's -vv dump starts after its moved cursor
      }
      break;
    default:
      c.s += '0x' + (code < 0x10 ? '0' : '') + hex(code) + ' unknown';
      if (v <= 1) c.s += unknownDataLines(c.b, p + 4, length - 4, c.snapend, '\n\t');
  }
  if (length > SLARP_MAX && v > 0) c.s += ', (trailing junk: ' + (length - SLARP_MAX) + ' bytes)';
  if (v > 1) c.s += unknownDataLines(c.b, rest, length - 4, c.snapend, '\n\t');
}
