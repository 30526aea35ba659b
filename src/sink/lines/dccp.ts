/**
 * DCCP (print-dccp.c), IP protocol 33: ports, packet type with its service,
 * reset code and acknowledgement number; -v adds CCVal, checksum coverage and
 * the checksum check, -vv the sequence number and the options.
 */
import { shouldBe, transportChecksum } from './checksum.js';
import { endpointPair } from './ip-addresses.js';
import type { PrintContext } from './print-context.js';
import { dec, HEX8, hexPad } from './text-tables.js';

const IPPROTO_DCCP = 33;
/** Ports, data offset, CCVal/CsCov, checksum, then X, type and a 24-bit sequence number (12) or a 48-bit one (16). */
const SHORT_HEADER = 12, LONG_HEADER = 16;

const TYPES = ['DCCP-Request', 'DCCP-Response', 'DCCP-Data', 'DCCP-Ack', 'DCCP-DataAck', 'DCCP-CloseReq',
  'DCCP-Close', 'DCCP-Reset', 'DCCP-Sync', 'DCCP-SyncAck'];
/** Bytes each type adds past the generic header (the acknowledgement subheader, service code, reset fields). */
const TYPE_EXTRA = [4, 12, 0, 8, 8, 8, 8, 12, 8, 8];
const RESET_CODES = ['unspecified', 'closed', 'aborted', 'no_connection', 'packet_error', 'option_error',
  'mandatory_error', 'connection_refused', 'bad_service_code', 'too_busy', 'bad_init_cookie', 'aggression_penalty'];
const FEATURES = ['reserved', 'ccid', 'allow_short_seqno', 'sequence_window', 'ecn_incapable', 'ack_ratio',
  'send_ack_vector', 'send_ndp_count', 'minimum checksum coverage', 'check data checksum'];
const OPTION_NAMES: ReadonlyMap<number, string> = new Map([
  [0, 'nop'], [1, 'mandatory'], [2, 'slowreceiver'], [32, 'change_l'], [33, 'confirm_l'], [34, 'change_r'],
  [35, 'confirm_r'], [36, 'initcookie'], [37, 'ndp_count'], [38, 'ack_vector0'], [39, 'ack_vector1'],
  [40, 'data_dropped'], [41, 'timestamp'], [42, 'timestamp_echo'], [43, 'elapsed_time'], [44, 'data_checksum'],
]);

/** 24- or 48-bit big-endian number (exact in a double). */
function uint(c: PrintContext, o: number, n: number): number {
  c.need(o, n);
  let v = 0;
  for (let i = 0; i < n; i++) v = v * 256 + c.b[o + i]!;
  return v;
}

export function printDccp(c: PrintContext, bp: number, len: number, ipOff: number, version: number): void {
  c.proto = 'dccp';
  c.need(bp, SHORT_HEADER);
  if (len < SHORT_HEADER) { c.s += 'truncated-dccp - ' + (SHORT_HEADER - len) + ' bytes missing!'; return; }
  const extended = (c.b[bp + 8]! & 1) !== 0;
  let fixed = extended ? LONG_HEADER : SHORT_HEADER;
  if (len < fixed) { c.s += 'truncated-dccp - ' + (fixed - len) + ' bytes missing!'; return; }
  c.need(bp, fixed);
  c.s += endpointPair(c, ipOff, version, dec(c.u16(bp)), dec(c.u16(bp + 2))) + 'DCCP';
  let hlen = c.b[bp + 4]! * 4;
  if (c.opts.quiet) {
    c.s += ' ' + ((len - hlen) >>> 0);
    if (hlen > len) c.s += ' [bad hdr length ' + hlen + ' - too long, > ' + len + ']';
    return;
  }
  const v = c.opts.verbose;
  const cscov = c.b[bp + 5]! & 0x0f;
  if (v > 0) {
    c.s += ' (CCVal ' + (c.b[bp + 5]! >> 4) + ', CsCov ' + cscov;
    if (c.has(bp, len)) {
      const field = c.u16(bp + 6);
      const covered = cscov === 0 ? len : Math.min(len, (c.b[bp + 4]! + cscov - 1) * 4);
      const sum = transportChecksum(c.b, ipOff, version, IPPROTO_DCCP, bp, len, c.snapend, covered);
      c.s += ', cksum 0x' + hexPad(field, 4) + ' ' + (sum !== 0 ? '(incorrect -> 0x' + hexPad(shouldBe(field, sum), 4) + ')' : '(correct)');
    }
    c.s += ')';
  }
  c.s += ' ';
  const type = (c.b[bp + 8]! >> 1) & 0x0f;
  const name = TYPES[type];
  if (name === undefined) {
    c.s += 'unknown-type-' + type + ' ';
  } else {
    fixed += TYPE_EXTRA[type]!;
    if (len < fixed) { c.s += 'truncated-' + name + ' - ' + (fixed - len) + ' bytes missing!'; return; }
    if (type === 0) c.s += name + ' (service=' + c.u32(bp + fixed - 4) + ') ';
    else if (type === 1) c.s += name + ' (service=' + c.u32(bp + fixed - 4) + ') ';
    else if (type === 7) { c.need(bp + fixed - 12, 12); c.s += name + ' (code=' + (RESET_CODES[c.b[bp + fixed - 4]!] ?? 'invalid') + ') '; }
    else c.s += name + ' ';
  }
  if (type !== 0 && type !== 2) {
    const ack = bp + (extended ? LONG_HEADER : SHORT_HEADER);
    c.s += '(ack=' + (extended ? uint(c, ack + 2, 6) : uint(c, ack + 1, 3)) + ') ';
  }
  if (v < 2) return;
  c.s += 'seq ' + (extended ? uint(c, bp + 10, 6) : uint(c, bp + 9, 3));
  if (hlen <= fixed) return;
  let at = bp + fixed;
  c.s += ' <';
  hlen -= fixed;
  // Every option moves on by at least one byte and the header length left shrinks by as much.
  for (;;) {
    const optlen = printOption(c, at, hlen);
    if (optlen === 0 || hlen <= optlen) break;
    hlen -= optlen;
    at += optlen;
    c.s += ', ';
  }
  c.s += '>';
}

function optionName(kind: number): string {
  return OPTION_NAMES.get(kind) ?? 'Option ' + kind;
}

/** One option; its length, or 0 after a complaint (a cut-off option prints tcpdump's marker and ends the list). */
function printOption(c: PrintContext, o: number, hlen: number): number {
  const kind = c.u8(o);
  let optlen = 1;
  if (kind >= 32) {
    optlen = c.u8(o + 1);
    if (optlen < 2) {
      c.s += (kind >= 128 ? 'CCID option ' + kind : optionName(kind)) + ' optlen too short';
      return 0;
    }
  }
  if (hlen < optlen) {
    c.s += (kind >= 128 ? 'CCID option ' + kind : optionName(kind)) + ' optlen goes past header length';
    return 0;
  }
  if (!c.has(o, optlen)) { c.trunc(); return 0; }
  if (kind >= 128) {
    c.s += 'CCID option ' + kind;
    if (optlen === 4) c.s += ' ' + c.u16(o + 2);
    else if (optlen === 6) c.s += ' ' + c.u32(o + 2);
    return optlen;
  }
  c.s += optionName(kind);
  switch (kind) {
    case 32: case 33: case 34: case 35: {
      if (optlen < 3) { c.s += ' optlen too short'; return optlen; }
      const feature = c.b[o + 2]!;
      if (feature < 10) {
        c.s += ' ' + FEATURES[feature];
        for (let i = 3; i < optlen; i++) c.s += ' ' + c.b[o + i]!;
      }
      break;
    }
    case 36: case 38: case 39: case 40: case 44:
      if (optlen > 2) {
        c.s += kind === 44 ? ' ' : ' 0x';
        for (let i = 2; i < optlen; i++) c.s += HEX8[c.b[o + i]!];
      }
      break;
    case 37:
      for (let i = 2; i < optlen; i++) c.s += ' ' + c.b[o + i]!;
      break;
    case 41:
      c.s += optlen === 6 ? ' ' + c.u32(o + 2) : ' [optlen != 6]';
      break;
    case 42:
      if (optlen === 6) c.s += ' ' + c.u32(o + 2);
      else if (optlen === 8) c.s += ' ' + c.u32(o + 2) + ' (elapsed time ' + c.u16(o + 6) + ')';
      else if (optlen === 10) c.s += ' ' + c.u32(o + 2) + ' (elapsed time ' + c.u32(o + 6) + ')';
      else c.s += ' [optlen != 6 or 8 or 10]';
      break;
    case 43:
      c.s += optlen === 6 ? ' ' + c.u32(o + 2) : optlen === 4 ? ' ' + c.u16(o + 2) : ' [optlen != 4 or 6]';
      break;
  }
  return optlen;
}
