/**
 * PPP (print-ppp.c) as PPPoE sessions, PPTP's GRE and the PPP link type
 * carry it: the protocol field, then IP, IPv6 or MPLS; PPP's own protocols
 * (LCP, IPCP, CHAP, PAP...) in ppp-control.ts.
 */
import { unknownDataLines } from './hexdump.js';
import { printIpv4 } from './ipv4.js';
import { printIpv6 } from './ipv6.js';
import { printMpls } from './mpls.js';
import type { PrintContext } from './print-context.js';
import { printPppOwnProtocol } from './ppp-control.js';
import { hexPad } from './text-tables.js';

/** ppptype2str. */
const PPP_NAMES: ReadonlyMap<number, string> = new Map([
  [0x0021, 'IP'], [0x0023, 'OSI'], [0x0025, 'NS'], [0x0027, 'DECNET'], [0x0029, 'APPLE'], [0x002b, 'IPX'],
  [0x002d, 'VJC IP'], [0x002f, 'VJNC IP'], [0x0031, 'BRPDU'], [0x0033, 'STII'], [0x0035, 'VINES'],
  [0x0281, 'MPLS'], [0x0283, 'MPLS'], [0x00fd, 'Compressed'], [0x003d, 'MLPPP'], [0x0057, 'IP6'],
  [0x0201, 'HELLO'], [0x0231, 'LUXCOM'], [0x0233, 'SNS'], [0x8021, 'IPCP'], [0x8023, 'OSICP'],
  [0x8025, 'NSCP'], [0x8027, 'DECNETCP'], [0x8029, 'APPLECP'], [0x802b, 'IPXCP'], [0x8033, 'STIICP'],
  [0x8035, 'VINESCP'], [0x8057, 'IP6CP'], [0x8281, 'MPLSCP'], [0xc021, 'LCP'], [0xc023, 'PAP'],
  [0xc025, 'LQM'], [0xc223, 'CHAP'], [0xc227, 'EAP'], [0xc027, 'SPAP'], [0xc123, 'Old-SPAP'],
  [0xc02b, 'BACP'], [0xc02d, 'BAP'], [0x803d, 'MLPPP-CP'], [0x80fd, 'CCP'],
]);

/** PPP protocols tcpdump dissects and this printer does not: IPX, OSI. */
const PPP_NOT_DISSECTED_HERE: ReadonlySet<number> = new Set([0x002b, 0x8137, 0x0023]);

/** Control protocols whose -v lines list options, which are not printed here. */
const PPP_OPTIONS_UNDER_VERBOSE: ReadonlySet<number> = new Set([0xc021, 0x8021, 0x8023, 0x8281, 0x8057, 0x80fd, 0xc02b]);

/** True when the PPP payload of this protocol is printed as tcpdump prints it. */
export function pppProtocolPrinted(proto: number, verbose: number): boolean {
  if (verbose > 0 && PPP_OPTIONS_UNDER_VERBOSE.has(proto)) return false;
  return !PPP_NOT_DISSECTED_HERE.has(proto) && (proto & 0xff00) !== 0x7e00;
}

/** ppp_print: the optional address and control bytes, the (possibly compressed) protocol, then handle_ppp. */
export function printPpp(c: PrintContext, bp: number, length: number): void {
  c.proto = 'ppp';
  const olen = length;
  if (length < 2) { c.trunc(); return; }
  const header = c.u16(bp);
  if (header === 0x0003 || header === 0x0103 || header === 0xff03) {
    if (c.opts.link && header !== 0xff03) c.s += header === 0x0003 ? 'In  ' : 'Out ';
    bp += 2; length -= 2;
  }
  if (length < 2) { c.trunc(); return; }
  let proto: number;
  if (c.u8(bp) & 1) { proto = c.b[bp]!; bp++; length--; } else { proto = c.u16(bp); bp += 2; length -= 2; }
  if (c.opts.link) {
    const name = PPP_NAMES.get(proto);
    c.s += (name ?? 'unknown') + ' (0x' + hexPad(proto, 4) + '), length ' + olen;
    if (name === undefined) return;
    c.s += ': ';
  }
  printPppPayload(c, proto, bp, length);
}

/** handle_ppp. */
function printPppPayload(c: PrintContext, proto: number, bp: number, length: number): void {
  switch (proto) {
    case 0x0800: case 0x002f: case 0x0021: printIpv4(c, bp, length); return;
    case 0x86dd: case 0x0057: printIpv6(c, bp, length); return;
    case 0x0281: case 0x0283: printMpls(c, bp, length); return;
    case 0x00fd: c.s += 'compressed PPP data'; return;
  }
  const name = PPP_NAMES.get(proto);
  if (printPppOwnProtocol(c, proto, name ?? '', bp, length)) return;
  if (!pppProtocolPrinted(proto, 0)) { c.s += (name ?? 'PPP') + ', length ' + length; return; }
  c.s += (name ?? 'unknown PPP protocol (0x' + hexPad(proto, 4) + ')') + ' ';
  c.s += unknownDataLines(c.b, bp, length, c.snapend, '\n\t');
}

/** LINKTYPE_PPP (9): four header bytes, then ppp_print from the start. */
export function printPppLink(c: PrintContext, start: number, length: number, caplen: number): void {
  c.proto = 'ppp';
  if (caplen < 4) { c.trunc(); c.linkHeaderLength = caplen; return; }
  c.linkHeaderLength = 4;
  printPpp(c, start, length);
}
