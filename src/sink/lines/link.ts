/**
 * Link layers (print-ether.c, print-sll.c, print-null.c, print-raw.c): what
 * -e shows of them, VLAN tags, and the hand-off to the network layer. Each
 * printer sets `c.linkHeaderLength` for -x, as tcpdump's ndo_ll_hdr_len.
 */
import { macText } from './addresses.js';
import { printArp } from './arp.js';
import { hexAsciiLines } from './hexdump.js';
import { printIpv4 } from './ipv4.js';
import { printLlc } from './llc.js';
import { linkProtocolExact, printLinkProtocol } from './link-protocols.js';
import { printIpv6 } from './ipv6.js';
import { printMpls } from './mpls.js';
import { printPpp } from './ppp.js';
import { printPppoe } from './pppoe.js';
import type { PrintContext } from './print-context.js';
import { interfaceName } from './interface-names.js';
import { ETHERTYPES_TCPDUMP_DISSECTS, ETHERTYPE_NAMES, dec, hexPad } from './text-tables.js';

const ETHERTYPE_IP = 0x0800, ETHERTYPE_IPV6 = 0x86dd, ETHERTYPE_ARP = 0x0806, ETHERTYPE_REVARP = 0x8035;
const ETHERTYPE_JUMBO = 0x8870;

function isVlanTpid(t: number): boolean {
  return t === 0x8100 || t === 0x9100 || t === 0x9200 || t === 0x88a8;
}

/** ether_type_print: "ethertype IPv4 (0x0800)", or with -q just "IPv4". */
function etherTypeText(c: PrintContext, type: number): string {
  const name = ETHERTYPE_NAMES.get(type);
  if (!c.opts.quiet) return 'ethertype ' + (name ?? 'Unknown') + ' (0x' + hexPad(type, 4) + ')';
  return name ?? 'Unknown Ethertype (0x' + hexPad(type, 4) + ')';
}

/** ieee8021q_tci_string. */
function tciText(tci: number): string {
  return 'vlan ' + (tci & 0xfff) + ', p ' + (tci >> 13) + ((tci & 0x1000) ? ', DEI' : '');
}

/**
 * tcpdump's ethertype_print: a payload by ethertype; false when the type is
 * not printed here. `mac` is the Ethernet header's offset, or -1 inside a tunnel.
 */
export function printEthertypePayload(c: PrintContext, type: number, p: number, length: number, caplen: number, mac: number): boolean {
  switch (type) {
    case ETHERTYPE_IP: printIpv4(c, p, length); return true;
    case ETHERTYPE_IPV6: printIpv6(c, p, length); return true;
    case ETHERTYPE_ARP: case ETHERTYPE_REVARP: printArp(c, p, length, caplen); return true;
    case 0x8847: case 0x8848: printMpls(c, p, length); return true;
    case 0x8863: case 0x8864: case 0x3c12: case 0x3c13: printPppoe(c, p, length); return true;
    case 0x880b:
      if (length) { c.s += ': '; printPpp(c, p, length); }
      return true;
    default: return printLinkProtocol(c, type, p, length, caplen, mac);
  }
}

/** Whether a payload of this ethertype is printed exactly (judged from the capture, for exact-scope.ts). */
export function ethertypePrintedExactly(type: number, b: Uint8Array, p: number, end: number, verbose: number): boolean {
  if (type === ETHERTYPE_IP || type === ETHERTYPE_IPV6 || type === ETHERTYPE_ARP) return true;
  if (!ETHERTYPES_TCPDUMP_DISSECTS.has(type)) return true;
  return linkProtocolExact(type, b, p, end, verbose);
}

/** tcpdump's ethertype_print for a payload inside a tunnel; false when the type is not printed here. */
export function printEthertype(c: PrintContext, type: number, p: number, length: number): boolean {
  return printEthertypePayload(c, type, p, length, Math.max(0, c.snapend - p), -1);
}

/** ether_print of a frame inside a tunnel (GRE's transparent bridging, VXLAN, Geneve). */
export function printEncapsulatedEthernet(c: PrintContext, p: number, length: number): void {
  const caplen = Math.max(0, c.snapend - p);
  if (length < caplen) { c.s += '[length ' + length + ' < caplen ' + caplen + '] (invalid)'; return; }
  const linkHeaderLength = c.linkHeaderLength;
  printEthernet(c, p, length, caplen);
  c.linkHeaderLength = linkHeaderLength;
}

/** Protocols tcpdump dissects that we do not: a short generic tail instead of its dissection. */
function genericTail(c: PrintContext, type: number, length: number): void {
  c.s += (ETHERTYPE_NAMES.get(type) ?? 'ethertype 0x' + hexPad(type, 4)) + ', length ' + dec(length);
}

/** LLC and what it carries, hex-dumped when unknown; the LLC header's length. */
function llcFrame(c: PrintContext, p: number, length: number, caplen: number, mac: number): number {
  const hdrlen = printLlc(c, p, length, caplen, mac);
  if (hdrlen >= 0) return hdrlen;
  defaultPrint(c, p, caplen, '\n\t');
  return -hdrlen;
}

/** "src > dst" MAC text, built only when printed: most lines show no MAC. */
function macPair(b: Uint8Array, start: number): string {
  return macText(b, start + 6) + ' > ' + macText(b, start);
}

/** A switch's tag between the source MAC and the ethertype (DSA, EDSA, Broadcom): its length and printer. */
export interface SwitchTag {
  readonly length: number;
  print(c: PrintContext, p: number): void;
}

export function printEthernet(c: PrintContext, start: number, length: number, caplen: number, tag?: SwitchTag): void {
  c.proto = 'ether';
  const tagLength = tag ? tag.length : 0;
  if (caplen < 14 + tagLength) { c.trunc(); c.linkHeaderLength = caplen; return; }
  const b = c.b;
  const origLength = length;
  if (c.opts.link) {
    const addresses = macPair(b, start);
    c.s += (c.paint ? c.paint.endpoint(addresses) : addresses) + ', ';
  }
  if (tag) tag.print(c, start + 12);
  let p = start + 12 + tagLength;
  length -= 12 + tagLength; caplen -= 12 + tagLength;
  let hdrlen = 12 + tagLength;
  let type = c.u16(p);
  p += 2; length -= 2; caplen -= 2; hdrlen += 2;
  let printedLength = false;
  while (isVlanTpid(type)) {
    if (caplen < 4 || length < 4) {
      c.proto = 'vlan';
      c.trunc();
      c.linkHeaderLength = hdrlen + Math.min(caplen, length);
      return;
    }
    if (c.opts.link) {
      c.s += etherTypeText(c, type);
      if (!printedLength) { c.s += ', length ' + origLength + ': '; printedLength = true; }
      else c.s += ', ';
      c.s += tciText(c.u16(p)) + ', ';
    }
    type = c.u16(p + 2);
    p += 4; length -= 4; caplen -= 4; hdrlen += 4;
  }

  if (type <= 1500) {
    // An 802.3 length: LLC follows, and the frame ends where the length says.
    if (type < length) { length = type; if (caplen > length) caplen = length; }
    if (c.opts.link) {
      c.s += '802.3';
      if (!printedLength) c.s += ', length ' + length + ': ';
    }
    const snapend = c.snapend;
    c.snapend = Math.min(snapend, p + length);
    c.linkHeaderLength = hdrlen + llcFrame(c, p, length, caplen, start);
    c.snapend = snapend;
    return;
  }
  if (type === ETHERTYPE_JUMBO) {
    c.linkHeaderLength = hdrlen + llcFrame(c, p, length, caplen, start);
    return;
  }
  if (c.opts.link) {
    c.s += etherTypeText(c, type);
    c.s += printedLength ? ', ' : ', length ' + origLength + ': ';
  }
  c.linkHeaderLength = hdrlen;
  if (printEthertypePayload(c, type, p, length, caplen, start)) return;
  if (ETHERTYPES_TCPDUMP_DISSECTS.has(type)) { genericTail(c, type, length); return; }
  // tcpdump's own form for an ethertype it does not know: header, then a hex dump.
  if (!c.opts.link) c.s += macPair(b, start) + ', ' + etherTypeText(c, type) + ', length ' + origLength + ': ';
  defaultPrint(c, p, caplen, '\n\t');
}

const SLL_PACKET_TYPES = ['In', 'B', 'M', 'P', 'Out'];

function sllPacketType(t: number): string {
  return SLL_PACKET_TYPES[t] ?? '?';
}

/** sll_print / sll2_print's common tail: address, ethertype, length. */
function sllTail(c: PrintContext, addrLen: number, addrOff: number, type: number, length: number): void {
  if (addrLen === 6) c.s += macText(c.b, addrOff) + ' ';
  if (c.opts.quiet) return;
  if (type <= 1500) {
    c.s += type === 1 ? '802.3' : type === 4 ? '802.2' : 'ethertype Unknown (0x' + hexPad(type, 4) + ')';
  } else {
    c.s += 'ethertype ' + (ETHERTYPE_NAMES.get(type) ?? 'Unknown') + ' (0x' + hexPad(type, 4) + ')';
  }
  c.s += ', length ' + length + ': ';
}

function sllHeader(c: PrintContext, start: number, length: number, v2: boolean): void {
  const b = c.b;
  if (v2) {
    c.s += 'ifindex ' + c.u32(start + 4) + ' ';
    sllTail(c, b[start + 11]!, start + 12, c.u16(start), length);
  } else {
    const t = sllPacketType(c.u16(start));
    c.s += (t.length >= 3 ? t : ' '.repeat(3 - t.length) + t) + ' ';
    sllTail(c, c.u16(start + 4), start + 6, c.u16(start + 14), length);
  }
}

/** Linux cooked capture, v1 (16-byte header) or v2 (20 bytes, with interface index). */
export function printSll(c: PrintContext, start: number, length: number, caplen: number, v2: boolean): void {
  c.proto = v2 ? 'sll2' : 'sll';
  const hl = v2 ? 20 : 16;
  c.need(start, hl);
  const b = c.b;
  if (v2) {
    const name = interfaceName(c.u32(start + 4));
    c.s += name.padEnd(5, ' ') + ' ' + sllPacketType(b[start + 10]!).padEnd(3, ' ') + ' ';
  }
  if (c.opts.link) sllHeader(c, start, length, v2);
  const fullLength = length;
  let p = start + hl;
  length -= hl; caplen -= hl;
  let hdrlen = hl;
  const hatype = c.u16(start + (v2 ? 8 : 2));
  let type = c.u16(start + (v2 ? 0 : 14));
  if (hatype === 803) {
    c.s += '802.11 radiotap, length ' + length;
    c.linkHeaderLength = hdrlen;
    return;
  }
  for (;;) {
    if (type <= 1500) {
      if (type === 1) c.s += 'IPX, length ' + length;
      else if (type === 4) c.s += '802.2 LLC, length ' + length;
      else defaultPrint(c, p, Math.max(0, caplen), '\n\t');
      break;
    }
    if (type === 0x8100) {
      if (caplen < 4) {
        c.proto = 'vlan';
        c.trunc();
        c.linkHeaderLength = hdrlen + caplen;
        return;
      }
      if (c.opts.link) c.s += tciText(c.u16(p)) + ', ';
      type = c.u16(p + 2);
      if (type <= 1500) type = 4;
      if (!c.opts.quiet) c.s += 'ethertype ' + (ETHERTYPE_NAMES.get(type) ?? 'Unknown') + ', ';
      p += 4; length -= 4; caplen -= 4; hdrlen += 4;
      continue;
    }
    c.linkHeaderLength = hdrlen;
    if (printEthertypePayload(c, type, p, length, caplen, -1)) return;
    if (ETHERTYPES_TCPDUMP_DISSECTS.has(type)) { genericTail(c, type, length); return; }
    if (!c.opts.link) sllHeader(c, start, fullLength, v2);
    defaultPrint(c, p, caplen, '\n\t');
    return;
  }
  c.linkHeaderLength = hdrlen;
}

/** tcpdump's bsd_af_values: the address families BSD-derived systems put in a 4-byte null header (and RIP). */
export const BSD_AF_NAMES = new Map<number, string>([
  [2, 'IPv4'], [6, 'NS'], [7, 'ISO'], [16, 'Appletalk'], [23, 'IPX'], [24, 'IPv6'], [28, 'IPv6'], [30, 'IPv6'],
]);

function nullHeader(c: PrintContext, family: number, length: number): void {
  const name = BSD_AF_NAMES.get(family);
  c.s += c.opts.quiet ? (name ?? 'Unknown AF ' + family) : 'AF ' + (name ?? 'Unknown') + ' (' + family + ')';
  c.s += ', length ' + length + ': ';
}

/** BSD loopback (NULL, host byte order) and OpenBSD LOOP (network order): a 4-byte address family. */
export function printNull(c: PrintContext, start: number, length: number, caplen: number): void {
  c.proto = 'null';
  c.need(start, 4);
  c.linkHeaderLength = 4;
  const b = c.b;
  // tcpdump reads it in its own (little-endian) order and swaps when the high half is set.
  let family = (b[start]! | (b[start + 1]! << 8) | (b[start + 2]! << 16) | (b[start + 3]! << 24)) >>> 0;
  if (family & 0xffff0000) {
    family = ((b[start]! << 24) | (b[start + 1]! << 16) | (b[start + 2]! << 8) | b[start + 3]!) >>> 0;
  }
  if (c.opts.link) nullHeader(c, family, length);
  const p = start + 4;
  switch (family) {
    case 2: printIpv4(c, p, length - 4); return;
    case 24: case 28: case 30: printIpv6(c, p, length - 4); return;
    case 7: c.s += 'ISO, length ' + (length - 4); return;
    case 16: c.s += 'Appletalk, length ' + (length - 4); return;
    case 23: c.s += 'IPX, length ' + (length - 4); return;
    default:
      if (!c.opts.link) nullHeader(c, family, length);
      defaultPrint(c, p, caplen - 4, '\n\t');
  }
}

/** Raw IP (LINKTYPE_RAW, IPV4, IPV6): the version nibble decides, whatever the link type claims. */
export function printRaw(c: PrintContext, start: number, length: number): void {
  c.proto = 'raw';
  c.linkHeaderLength = 0;
  if (c.opts.link) c.s += 'ip: ';
  c.proto = 'ipn';
  if (length < 1) { c.s += 'truncated-ip ' + length; return; }
  const v = c.u8(start) & 0xf0;
  if (v === 0x40) printIpv4(c, start, length);
  else if (v === 0x60) printIpv6(c, start, length);
  else c.s += 'unknown ip ' + (v >> 4);
}

/** tcpdump's ND_DEFAULTPRINT: the undissected bytes as hex and ASCII, unless -q/-x/-X. */
function defaultPrint(c: PrintContext, p: number, n: number, indent: string): void {
  if (!c.opts.suppressDefaultPrint) c.s += hexAsciiLines(c.b, p, n, indent);
}
