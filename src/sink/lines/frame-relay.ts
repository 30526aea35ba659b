/**
 * Frame Relay (LINKTYPE_FRELAY), as tcpdump's print-fr.c: a 2- to 4-byte
 * Q.922 address with the DLCI and congestion flags, then either RFC 2427's
 * UI control byte, optional pad and NLPID, or (Cisco's encapsulation) an
 * ethertype straight after the address.
 */
import { hexAsciiLines } from './hexdump.js';
import { printIpv4 } from './ipv4.js';
import { printIpv6 } from './ipv6.js';
import { printEthertype } from './link.js';
import { printPpp } from './ppp.js';
import type { PrintContext } from './print-context.js';
import { ETHERTYPE_NAMES, hexPad } from './text-tables.js';

const LLC_UI = 0x03;
const NLPID_IP = 0xcc, NLPID_IP6 = 0x8e, NLPID_PPP = 0xcf, NLPID_Q933 = 0x08, NLPID_SNAP = 0x80, NLPID_MFR = 0xb1;
const NLPID_NAMES = new Map([
  [0x00, 'NULL'], [0x08, 'Q.933'], [0x09, 'LMI'], [0x80, 'SNAP'], [0x81, 'CLNP'], [0x82, 'ES-IS'],
  [0x83, 'IS-IS'], [0x84, 'CONS'], [0x85, 'IDRP'], [0xc1, 'ISIS_SPB'], [0xb1, 'FRF.15'], [0xcc, 'IPv4'],
  [0xcf, 'PPP'], [0x8a, 'X25 ES-IS'], [0x8e, 'IPv6'],
]);
const CR = 0x02000000, DE = 0x00020000, BECN = 0x00040000, FECN = 0x00080000, SDLC = 0x00000002;

/** The parsed Q.922 address; `status` 1 ok, 0 invalid, -1 truncated (parse_q922_header). */
interface Q922 { status: number; dlci: number; addrLen: number; flags: number }

function parseQ922(c: PrintContext, p: number, length: number): Q922 {
  const q: Q922 = { status: -1, dlci: 0, addrLen: 0, flags: 0 };
  if (!c.has(p, 1) || length < 1) return q;
  if (c.u8(p) & 1) { q.status = 0; return q; }
  if (!c.has(p + 1, 1) || length < 2) return q;
  const b0 = c.u8(p), b1 = c.u8(p + 1);
  q.addrLen = 2;
  q.dlci = ((b0 & 0xfc) << 2) | ((b1 & 0xf0) >> 4);
  q.flags = ((b0 & 0x02) << 24) | ((b1 & 0x0e) << 16);
  if (b1 & 1) { q.status = 1; return q; }
  p += 2; length -= 2;
  if (!c.has(p, 1) || length < 1) return q;
  q.addrLen++;
  if ((c.u8(p) & 1) === 0) {
    q.dlci = (q.dlci << 7) | (c.u8(p) >> 1);
    q.addrLen++;
    p++; length--;
  }
  if (!c.has(p, 1) || length < 1) return q;
  if ((c.u8(p) & 1) === 0) { q.status = 0; return q; }
  q.flags |= c.u8(p) & 0x02;
  q.dlci = (q.dlci << 6) | (c.u8(p) >> 2);
  q.status = 1;
  return q;
}

function flagsText(flags: number): string {
  const names: string[] = [];
  if (flags & CR) names.push('C!');
  if (flags & DE) names.push('DE');
  if (flags & BECN) names.push('BECN');
  if (flags & FECN) names.push('FECN');
  if (flags & SDLC) names.push('sdlcore');
  return names.length ? names.join(', ') : 'none';
}

/** fr_hdr_print: a value above 0xff is a Cisco ethertype, else an NLPID. */
function header(c: PrintContext, length: number, addrLen: number, q: Q922, nlpid: number): void {
  if (c.opts.quiet) { c.s += 'Q.922, DLCI ' + q.dlci + ', length ' + length + ': '; return; }
  c.s += 'Q.922, hdr-len ' + addrLen + ', DLCI ' + q.dlci + ', Flags [' + flagsText(q.flags) + '], ';
  c.s += nlpid <= 0xff
    ? 'NLPID ' + (NLPID_NAMES.get(nlpid) ?? 'unknown') + ' (0x' + hexPad(nlpid, 2) + ')'
    : 'cisco-ethertype ' + (ETHERTYPE_NAMES.get(nlpid) ?? 'unknown') + ' (0x' + hexPad(nlpid, 4) + ')';
  c.s += ', length ' + length + ': ';
}

export function printFrameRelayLink(c: PrintContext, start: number, length: number, caplen: number): void {
  c.proto = 'fr';
  if (caplen < 4) { c.trunc(); c.linkHeaderLength = caplen; return; }
  c.linkHeaderLength = printFrameRelay(c, start, length);
}

/** fr_print: returns the header length (0 when the frame went no further). */
function printFrameRelay(c: PrintContext, p: number, length: number): number {
  c.proto = 'fr';
  const q = parseQ922(c, p, length);
  if (q.status === -1) { c.trunc(); return 0; }
  if (q.status === 0) { c.s += 'Q.922, invalid address'; return 0; }
  const addrLen = q.addrLen;
  c.need(p + addrLen, 1);
  if (length < addrLen + 1) { c.trunc(); return 0; }
  if (c.u8(p + addrLen) !== LLC_UI && q.dlci !== 0) {
    // Cisco's encapsulation: an ethertype right after the address.
    if (!c.has(p + addrLen, 2) || length < addrLen + 2) {
      c.s += 'UI ' + hexPad(c.u8(p + addrLen), 2) + '! ';
    } else {
      const type = c.u16(p + addrLen);
      if (c.opts.link) header(c, length, addrLen, q, type);
      if (printEthertype(c, type, p + addrLen + 2, length - addrLen - 2)) return addrLen + 2;
      c.s += 'UI ' + hexPad(c.u8(p + addrLen), 2) + '! ';
    }
  }
  c.need(p + addrLen + 1, 1);
  if (length < addrLen + 2) { c.trunc(); return 0; }
  let hdrLen: number;
  if (c.u8(p + addrLen + 1) === 0) {
    // A pad byte belongs only after a 3-byte address.
    if (addrLen !== 3) c.s += 'Pad! ';
    hdrLen = addrLen + 3;
  } else {
    if (addrLen === 3) c.s += 'No pad! ';
    hdrLen = addrLen + 2;
  }
  c.need(p + hdrLen - 1, 1);
  if (length < hdrLen) { c.trunc(); return 0; }
  const nlpid = c.u8(p + hdrLen - 1);
  if (c.opts.link) header(c, length, addrLen, q, nlpid);
  const at = p + hdrLen;
  const rest = length - hdrLen;
  switch (nlpid) {
    case NLPID_IP: printIpv4(c, at, rest); break;
    case NLPID_IP6: printIpv6(c, at, rest); break;
    case NLPID_PPP: printPpp(c, at, rest); break;
    case NLPID_Q933: c.s += 'Q.933, length ' + rest; break;
    case NLPID_MFR: c.s += 'FRF.15, length ' + rest; break;
    case NLPID_SNAP: c.s += 'SNAP, length ' + rest; break;
    case 0x81: case 0x82: case 0x83: c.s += (NLPID_NAMES.get(nlpid) ?? 'OSI') + ', length ' + rest; break;
    default:
      if (!c.opts.link) header(c, length, addrLen, q, nlpid);
      if (!c.opts.suppressDefaultPrint) {
        // tcpdump dumps the frame's whole length, so a short capture ends the dump truncated.
        const captured = Math.max(0, c.snapend - at);
        c.s += hexAsciiLines(c.b, at, Math.min(rest, captured), '\n\t');
        if (rest > captured) c.trunc();
      }
  }
  return hdrLen;
}
