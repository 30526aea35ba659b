/**
 * L2TPv2 lines (print-l2tp.c, RFC 2661): " l2tp:[TLS](1/0)Ns=0,Nr=0 *MSGTYPE(SCCRQ) ..."
 * for control messages, their AVPs inline; data messages show the PPP frame
 * they carry in braces. The same text at every -v level.
 */
import { u16, u32 } from '../../decode/bytes.js';
import { printPpp } from './ppp.js';
import type { PrintContext } from './print-context.js';
import { tcpdumpCharText } from '../sanitize.js';
import { dec, HEX8, hexPad } from './text-tables.js';

const FLAG_TYPE = 0x8000, FLAG_LENGTH = 0x4000, FLAG_SEQUENCE = 0x0800, FLAG_OFFSET = 0x0200, FLAG_PRIORITY = 0x0100;
const VERSION_L2F = 1, VERSION_L2TP = 2;
const AVP_MANDATORY = 0x8000, AVP_HIDDEN = 0x4000, AVP_LENGTH_MASK = 0x03ff;

const MESSAGE_TYPES: ReadonlyMap<number, string> = new Map([
  [1, 'SCCRQ'], [2, 'SCCRP'], [3, 'SCCCN'], [4, 'StopCCN'], [6, 'HELLO'], [7, 'OCRQ'], [8, 'OCRP'], [9, 'OCCN'],
  [10, 'ICRQ'], [11, 'ICRP'], [12, 'ICCN'], [14, 'CDN'], [15, 'WEN'], [16, 'SLI'],
]);
const AVP_NAMES: readonly string[] = [
  'MSGTYPE', 'RESULT_CODE', 'PROTO_VER', 'FRAMING_CAP', 'BEARER_CAP', 'TIE_BREAKER', 'FIRM_VER', 'HOST_NAME',
  'VENDOR_NAME', 'ASSND_TUN_ID', 'RECV_WIN_SIZE', 'CHALLENGE', 'Q931_CC', 'CHALLENGE_RESP', 'ASSND_SESS_ID',
  'CALL_SER_NUM', 'MINIMUM_BPS', 'MAXIMUM_BPS', 'BEARER_TYPE', 'FRAMING_TYPE', 'PACKET_PROC_DELAY', 'CALLED_NUMBER',
  'CALLING_NUMBER', 'SUB_ADDRESS', 'TX_CONN_SPEED', 'PHY_CHANNEL_ID', 'INI_RECV_LCP', 'LAST_SENT_LCP', 'LAST_RECV_LCP',
  'PROXY_AUTH_TYPE', 'PROXY_AUTH_NAME', 'PROXY_AUTH_CHAL', 'PROXY_AUTH_ID', 'PROXY_AUTH_RESP', 'CALL_ERRORS', 'ACCM',
  'RANDOM_VECTOR', 'PRIVATE_GRP_ID', 'RX_CONN_SPEED', 'SEQ_REQUIRED',
];
const PPP_DISCONNECT_CAUSE = 46;
const AUTH_TYPES = ['Reserved', 'Textual', 'CHAP', 'PAP', 'No Auth', 'MS-CHAPv1'];
const DIRECTIONS = ['global error', 'at peer', 'at local'];
const CALL_ERRORS = ['CRCErr', 'FrameErr', 'HardOver', 'BufOver', 'Timeout', 'AlignErr'];
const TOO_SHORT = 'AVP too short';

/**
 * Where the PPP frame of an L2TP data message starts, or -1 for control
 * messages, other versions and headers not captured (for the scope check).
 */
export function l2tpPppOffset(b: Uint8Array, at: number, end: number): number {
  if (at + 2 > end) return -1;
  const flags = u16(b, at);
  if ((flags & 0x000f) !== VERSION_L2TP || flags & FLAG_TYPE) return -1;
  let o = at + 2 + (flags & FLAG_LENGTH ? 2 : 0) + 4 + (flags & FLAG_SEQUENCE ? 4 : 0);
  if (flags & FLAG_OFFSET) {
    if (o + 2 > end) return -1;
    o += 2 + u16(b, o);
  }
  return o <= end ? o : -1;
}

export function printL2tp(c: PrintContext, bp: number, length: number): void {
  c.proto = 'l2tp';
  const flags = c.u16(bp);
  const version = flags & 0x000f;
  if (version === VERSION_L2F) { c.s += ' l2f:'; return; }
  if (version !== VERSION_L2TP) { c.s += ' Unknown Version, neither L2F(1) nor L2TP(2)'; return; }
  c.s += ' l2tp:[' + (flags & FLAG_TYPE ? 'T' : '') + (flags & FLAG_LENGTH ? 'L' : '') + (flags & FLAG_SEQUENCE ? 'S' : '') +
    (flags & FLAG_OFFSET ? 'O' : '') + (flags & FLAG_PRIORITY ? 'P' : '') + ']';
  let p = bp + 2;
  let declared = 0;
  if (flags & FLAG_LENGTH) { declared = c.u16(p); p += 2; }
  c.s += '(' + c.u16(p) + '/';
  c.s += c.u16(p + 2) + ')';
  p += 4;
  if (flags & FLAG_SEQUENCE) {
    c.s += 'Ns=' + c.u16(p) + ',';
    c.s += 'Nr=' + c.u16(p + 2);
    p += 4;
  }
  if (flags & FLAG_OFFSET) {
    const pad = c.u16(p);
    if (!c.has(p + 2, pad)) { c.trunc(); return; }
    p += 2 + pad;
  }
  if (flags & FLAG_LENGTH) {
    if (length < declared) { c.s += ' Length ' + declared + ' larger than packet'; return; }
    length = declared;
  }
  let used = p - bp;
  if (length < used) { c.s += ' Length ' + length + ' smaller than header length'; return; }
  if (!(flags & FLAG_TYPE)) {
    c.s += ' {';
    if (!c.enter()) return;
    printPpp(c, p, length - used);
    c.s += '}';
    return;
  }
  if (!(flags & FLAG_LENGTH)) { c.s += ' No length'; return; }
  if (length === used) { c.s += ' ZLB'; return; }
  // Each AVP is at least 6 bytes, so this ends.
  while (length !== used) {
    const n = printAvp(c, p, length - used);
    if (n === 0) break;
    used += n;
    p += n;
  }
}

/** One AVP; its length, or 0 (with the truncation marker) when it does not fit. */
function printAvp(c: PrintContext, p: number, remaining: number): number {
  c.s += ' ';
  const head = c.u16(p);
  const len = head & AVP_LENGTH_MASK;
  if (len < 6 || len > remaining || !c.has(p, len)) { c.trunc(); return 0; }
  if (head & AVP_MANDATORY) c.s += '*';
  const hidden = (head & AVP_HIDDEN) !== 0;
  if (hidden) c.s += '?';
  const vendor = c.u16(p + 2);
  const value = p + 6, n = len - 6;
  if (vendor) {
    c.s += 'VENDOR' + hexPad(vendor, 4) + ':ATTR' + hexPad(c.u16(p + 4), 4) + '(' + octets(c, value, n) + ')';
    return len;
  }
  const type = c.u16(p + 4);
  c.s += (AVP_NAMES[type] ?? (type === PPP_DISCONNECT_CAUSE ? 'PPP_DISCON_CC' : 'AVP-#' + type)) + '(';
  if (hidden) c.s += '???';
  else printAvpValue(c, type, value, n);
  c.s += ')';
  return len;
}

/** The value of an IETF AVP (captured: the whole AVP was checked). */
function printAvpValue(c: PrintContext, type: number, d: number, n: number): void {
  const b = c.b;
  switch (type) {
    case 0:
      c.s += n < 2 ? TOO_SHORT : MESSAGE_TYPES.get(u16(b, d)) ?? 'MSGTYPE-#' + u16(b, d);
      return;
    case 1:
      if (n < 2) { c.s += TOO_SHORT; return; }
      c.s += u16(b, d);
      if (n === 2) return;
      if (n < 4) { c.s += ' ' + TOO_SHORT; return; }
      c.s += '/' + u16(b, d + 2);
      if (n > 4) c.s += ' ' + text(b, d + 4, n - 4);
      return;
    case 2:
      c.s += n < 2 ? TOO_SHORT : b[d]! + '.' + b[d + 1]!;
      return;
    case 3: case 19:
      c.s += n < 4 ? TOO_SHORT : (b[d + 3]! & 2 ? 'A' : '') + (b[d + 3]! & 1 ? 'S' : '');
      return;
    case 4: case 18:
      c.s += n < 4 ? TOO_SHORT : (b[d + 3]! & 2 ? 'A' : '') + (b[d + 3]! & 1 ? 'D' : '');
      return;
    case 5:
      c.s += n < 8 ? TOO_SHORT : octets(c, d, 8);
      return;
    case 6: case 9: case 10: case 14:
      c.s += n < 2 ? TOO_SHORT : dec(u16(b, d));
      return;
    case 7: case 8: case 22: case 21: case 23: case 30: case 37:
      c.s += text(b, d, n);
      return;
    case 11: case 26: case 27: case 28: case 31: case 33: case 36:
      c.s += octets(c, d, n);
      return;
    case 12:
      if (n < 3) { c.s += TOO_SHORT; return; }
      c.s += u16(b, d) + ', ' + HEX8[b[d + 2]!];
      if (n > 3) c.s += ' ' + text(b, d + 3, n - 3);
      return;
    case 13:
      c.s += n < 16 ? TOO_SHORT : octets(c, d, 16);
      return;
    case 15: case 16: case 17: case 24: case 25: case 38:
      c.s += n < 4 ? TOO_SHORT : dec(u32(b, d));
      return;
    case 20:
      c.s += 'obsolete';
      return;
    case 29:
      c.s += n < 2 ? TOO_SHORT : AUTH_TYPES[u16(b, d)] ?? 'AuthType-#' + u16(b, d);
      return;
    case 32:
      c.s += n < 2 ? TOO_SHORT : b[d + 1]!;
      return;
    case 34:
      // A reserved word, then six counters, each printed as far as the AVP reaches.
      if (n < 2) { c.s += TOO_SHORT; return; }
      for (let i = 0, o = d + 2; i < CALL_ERRORS.length; i++, o += 4) {
        if (o + 4 > d + n) { c.s += TOO_SHORT; return; }
        c.s += CALL_ERRORS[i] + '=' + dec(u32(b, o)) + ' ';
      }
      return;
    case 35:
      // A reserved word, then the send and receive maps.
      if (n < 6) { c.s += TOO_SHORT; return; }
      c.s += 'send=' + hexPad(u32(b, d + 2), 8) + ' ';
      if (n < 10) { c.s += TOO_SHORT; return; }
      c.s += 'recv=' + hexPad(u32(b, d + 6), 8) + ' ';
      return;
    case PPP_DISCONNECT_CAUSE:
      if (n < 5) { c.s += TOO_SHORT; return; }
      c.s += hexPad(u16(b, d), 4) + ', ' + hexPad(u16(b, d + 2), 4) + ' ' + (DIRECTIONS[b[d + 4]!] ?? 'Direction-#' + b[d + 4]!);
      if (n > 5) c.s += ' ' + text(b, d + 5, n - 5);
      return;
  }
}

function text(b: Uint8Array, o: number, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += tcpdumpCharText(b[o + i]!);
  return s;
}

function octets(c: PrintContext, o: number, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += HEX8[c.b[o + i]!];
  return s;
}
