/**
 * PPP's own protocols (print-ppp.c) at default verbosity: the control
 * protocols' code, id and length (LCP, IPCP, IP6CP, CCP, BACP, OSICP,
 * MPLSCP), CHAP and PAP with their names and values, and the multilink
 * header. Option lists appear only under -v, which is not reproduced here.
 */
import type { PrintContext } from './print-context.js';
import { dec, hexPad, HEX8, visibleChar } from './text-tables.js';

const PPP_LCP = 0xc021, PPP_IPCP = 0x8021, PPP_OSICP = 0x8023, PPP_MPLSCP = 0x8281;
const PPP_IPV6CP = 0x8057, PPP_CCP = 0x80fd, PPP_BACP = 0xc02b;
const PPP_CHAP = 0xc223, PPP_PAP = 0xc023, PPP_BAP = 0xc02d, PPP_MULTILINK = 0x003d;

/** The protocols this file prints, as handle_ppp dispatches them. */
const PPP_OWN_PROTOCOLS: ReadonlySet<number> = new Set([
  PPP_LCP, PPP_IPCP, PPP_OSICP, PPP_MPLSCP, PPP_IPV6CP, PPP_CCP, PPP_BACP, PPP_CHAP, PPP_PAP, PPP_BAP, PPP_MULTILINK,
]);

/** cpcodes (RFC 1661 and its extensions). */
const CONTROL_CODES: readonly string[] = [
  'Vendor-Extension', 'Conf-Request', 'Conf-Ack', 'Conf-Nack', 'Conf-Reject', 'Term-Request', 'Term-Ack',
  'Code-Reject', 'Prot-Reject', 'Echo-Request', 'Echo-Reply', 'Disc-Req', 'Ident', 'Time-Rem', 'Reset-Req',
  'Reset-Ack',
];

const CHAP_CODES: readonly string[] = ['', 'Challenge', 'Response', 'Success', 'Fail'];
const PAP_CODES: readonly string[] = ['', 'Auth-Req', 'Auth-ACK', 'Auth-NACK'];

/**
 * handle_ppp for PPP's own protocols; `name` is the protocol's ppptype2str
 * name. Returns false for a protocol it does not print.
 */
export function printPppOwnProtocol(c: PrintContext, proto: number, name: string, bp: number, length: number): boolean {
  switch (proto) {
    case PPP_CHAP: printChap(c, bp, length); return true;
    case PPP_PAP: printPap(c, bp, length); return true;
    case PPP_MULTILINK: printMultilink(c, bp, length); return true;
    case PPP_BAP: return true; // tcpdump prints nothing for it
  }
  if (!PPP_OWN_PROTOCOLS.has(proto)) return false;
  printControlProtocol(c, name, bp, length);
  return true;
}

/** handle_ctrl_proto: "LCP, Conf-Request (0x01), id 1, length 16" (the length counts the protocol field). */
function printControlProtocol(c: PrintContext, name: string, bp: number, length: number): void {
  c.s += name + ', ';
  if (length < 4 || !c.has(bp, 2)) { c.s += '[|' + name + ']'; return; }
  const code = c.b[bp]!;
  c.s += (CONTROL_CODES[code] ?? 'Unknown Opcode') + ' (0x' + hexPad(code, 2) + '), id ' + dec(c.b[bp + 1]!) +
    ', length ' + dec(length + 2);
}

/** Printable text of `n` bytes at `p`, each through fn_print_char; a short capture ends the line. */
function visibleText(c: PrintContext, p: number, n: number): void {
  for (let i = 0; i < n; i++) c.s += visibleChar(c.u8(p + i));
}

/** handle_chap: code and id, then the value and name, or the message. */
function printChap(c: PrintContext, bp: number, length: number): void {
  if (length < 1) { c.s += '[|chap]'; return; }
  if (length < 4) { c.s += '[|chap 0x' + hexPad(c.u8(bp), 2) + ']'; return; }
  const code = c.u8(bp);
  c.s += 'CHAP, ' + (CHAP_CODES[code] || 'unknown') + ' (0x' + hexPad(code, 2) + ')';
  c.s += ', id ' + dec(c.u8(bp + 1));
  const len = c.u16(bp + 2);
  let p = bp + 4;
  if (code === 1 || code === 2) {
    if (length - (p - bp) < 1) return;
    const valueSize = c.u8(p++);
    if (length - (p - bp) < valueSize) return;
    c.s += ', Value ';
    for (let i = 0; i < valueSize; i++) c.s += HEX8[c.u8(p++)];
    c.s += ', Name ';
    // tcpdump's count is unsigned: a short length field reads on to the end of the capture.
    visibleText(c, p, (len - (p - bp)) >>> 0);
  } else if (code === 3 || code === 4) {
    c.s += ', Msg ';
    visibleText(c, p, (len - (p - bp)) >>> 0);
  }
}

/** handle_pap: code and id, then the peer and password, or the message. */
function printPap(c: PrintContext, bp: number, length: number): void {
  if (length < 1) { c.s += '[|pap]'; return; }
  if (length < 4) { c.s += '[|pap 0x' + hexPad(c.u8(bp), 2) + ']'; return; }
  const code = c.u8(bp);
  c.s += 'PAP, ' + (PAP_CODES[code] || 'unknown') + ' (0x' + hexPad(code, 2) + ')';
  c.s += ', id ' + dec(c.u8(bp + 1));
  const len = c.u16(bp + 2);
  if (len > length) { c.s += ', length ' + dec(len) + ' > packet size'; return; }
  if (len < 4) { c.s += ', length ' + dec(len) + ' < PAP header length'; return; }
  let p = bp + 4;
  if (code === 1) {
    if (len < 6) { c.s += '[|pap]'; return; }
    p = papField(c, bp, p, len, ', Peer ');
    if (p >= 0) papField(c, bp, p, len, ', Name ');
  } else if (code === 2 || code === 3) {
    if (len < 5) { c.s += '[|pap]'; return; }
    papField(c, bp, p, len, ', Msg ');
  }
}

/** One length-prefixed PAP string; -1 when it does not fit the PAP length (tcpdump stops quietly). */
function papField(c: PrintContext, bp: number, p: number, len: number, label: string): number {
  if (len - (p - bp) < 1) return -1;
  const n = c.u8(p++);
  if (len - (p - bp) < n) return -1;
  c.s += label;
  visibleText(c, p, n);
  return p + n;
}

/** handle_mlppp: the 12-bit sequence number and begin/end flags. */
function printMultilink(c: PrintContext, bp: number, length: number): void {
  if (!c.opts.link) c.s += 'MLPPP, ';
  if (length < 2 || !c.has(bp, 2)) { c.s += '[|mlppp]'; return; }
  const first = c.b[bp]!;
  const flags = (first & 0x80 ? 'begin' : '') + (first & 0x80 && first & 0x40 ? ', ' : '') + (first & 0x40 ? 'end' : '');
  c.s += 'seq 0x' + hexPad(c.u16(bp) & 0x0fff, 3) + ', Flags [' + (flags || 'none') + '], length ' + dec(length);
}
