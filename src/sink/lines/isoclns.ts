/**
 * OSI network layer over LLC SAP 0xfe (print-isoclns.c): IS-IS PDU headers as
 * tcpdump prints them without -v, ES-IS PDU types, unknown NLPIDs with their
 * hex. CLNP, Q.933, PPP and the -v details are not dissected here;
 * exact-scope.ts leaves them out.
 */
import { unknownDataLines } from './hexdump.js';
import { TRUNCATED, type PrintContext } from './print-context.js';
import { printIpv4 } from './ipv4.js';
import { printIpv6 } from './ipv6.js';
import { dec, hexPad, HEX8 } from './text-tables.js';

const NLPID_ISIS = 0x83, NLPID_NULLNS = 0x00, NLPID_IP = 0xcc, NLPID_IP6 = 0x8e;
const NLPID_CLNP = 0x81, NLPID_ESIS = 0x82, NLPID_Q933 = 0x08, NLPID_PPP = 0xcf;

const PDU_NAMES = new Map([
  [15, 'L1 Lan IIH'], [16, 'L2 Lan IIH'], [17, 'p2p IIH'], [18, 'L1 LSP'], [20, 'L2 LSP'],
  [24, 'L1 CSNP'], [25, 'L2 CSNP'], [26, 'L1 PSNP'], [27, 'L2 PSNP'],
]);
const COMMON_HEADER = 8;
/** Fixed header sizes past the common header, by PDU type. */
const FIXED = new Map([[15, 19], [16, 19], [17, 12], [18, 19], [20, 19], [24, 25], [25, 25], [26, 9], [27, 9]]);

/** NLPIDs printed exactly here (at verbosity 0 for IS-IS). */
export function isoNlpidPrinted(nlpid: number, verbose: number): boolean {
  if (nlpid === NLPID_ISIS || nlpid === NLPID_ESIS) return verbose === 0;
  return nlpid !== NLPID_CLNP && nlpid !== NLPID_Q933 && nlpid !== NLPID_PPP;
}

export function printIsoclns(c: PrintContext, p: number, length: number): void {
  c.proto = 'isoclns';
  const nlpid = c.u8(p);
  const e = c.opts.link;
  if (e) c.s += 'OSI NLPID ' + nlpidName(nlpid) + ' (0x' + HEX8[nlpid] + '): ';
  switch (nlpid) {
    case NLPID_ISIS: printIsis(c, p, length); return;
    case NLPID_NULLNS: c.s += (e ? '' : ', ') + 'length: ' + dec(length); return;
    case NLPID_IP: printIpv4(c, p + 1, length - 1); return;
    case NLPID_IP6: printIpv6(c, p + 1, length - 1); return;
    case NLPID_CLNP: c.s += (e ? '' : 'CLNP, ') + 'length ' + dec(length); return;
    case NLPID_ESIS: printEsis(c, p, length); return;
    default:
      if (!e) c.s += 'OSI NLPID 0x' + HEX8[nlpid] + ' unknown';
      c.s += (e ? '' : ', ') + 'length: ' + dec(length);
      // Q.933 and PPP are dissected by tcpdump, not here; the scope check leaves them out.
      if (length > 1 && nlpid !== NLPID_Q933 && nlpid !== NLPID_PPP) c.s += unknownDataLines(c.b, p, length, c.snapend, '\n\t');
  }
}

const ESIS_PDU_NAMES = new Map([[2, 'ESH'], [4, 'ISH'], [6, 'redirect']]);
/** NLPID, length indicator, version, reserved, type, holding time, checksum. */
const ESIS_HEADER = 9;

/** ES-IS without -v: the header's sanity checks, then the PDU type. */
function printEsis(c: PrintContext, p: number, length: number): void {
  c.proto = 'esis';
  const e = c.opts.link;
  if (!e) c.s += 'ES-IS';
  if (length <= 2) { c.s += c.opts.quiet ? 'bad pkt!' : 'no header at all!'; return; }
  c.need(p, ESIS_HEADER);
  const li = c.b[p + 1]!, version = c.b[p + 2]!;
  if (version !== 1) { c.s += ' version ' + version + ' packet not supported'; return; }
  if (li > length) { c.s += ' length indicator(' + li + ') > PDU size (' + length + ')!'; return; }
  if (li < ESIS_HEADER + 2) {
    c.s += ' length indicator ' + li + ' < min PDU size:';
    for (let q = p; q < c.snapend; q++) c.s += HEX8[c.b[q]!]!.toUpperCase();
    return;
  }
  const type = c.b[p + 4]! & 0x1f;
  c.s += (e ? '' : ', ') + (ESIS_PDU_NAMES.get(type) ?? 'unknown type (' + type + ')') + ', length ' + length;
}

function nlpidName(n: number): string {
  switch (n) {
    case 0x00: return 'NULL'; case 0x01: return 'T.70'; case 0x07: return 'X.29';
    case 0x08: return 'Q.933'; case 0x80: return 'SNAP'; case 0x81: return 'CLNP';
    case 0x82: return 'ES-IS'; case 0x83: return 'IS-IS'; case 0x8e: return 'IPv6';
    case 0xb0: return 'FRF.15'; case 0xb1: return 'FRF.12'; case 0xc0: return 'TRILL';
    case 0xcf: return 'PPP'; case 0xcc: return 'IPv4';
    default: return 'Unknown';
  }
}

/** isis_print_id: "3333.3333.3333", ".00" for a node, "-00" for an LSP. */
function isisId(c: PrintContext, o: number, len: number): string {
  c.need(o, len);
  const b = c.b;
  let s = '';
  for (let i = 0; i < 6 && i < len; i++) {
    s += HEX8[b[o + i]!]!;
    if (i === 1 || i === 3) s += '.';
  }
  if (len >= 7) s += '.' + HEX8[b[o + 6]!]!;
  if (len === 8) s += '-' + HEX8[b[o + 7]!]!;
  return s;
}

function printIsis(c: PrintContext, p: number, length: number): void {
  c.proto = 'isis';
  const e = c.opts.link;
  c.need(p, COMMON_HEADER);
  if (length < COMMON_HEADER) throw TRUNCATED;
  if (!e) c.s += 'IS-IS';
  const version = c.u8(p + 2), idLength = c.u8(p + 3), pduVersion = c.u8(p + 5), fixedLen = c.u8(p + 1);
  if (version !== 1) { c.s += 'version ' + version + ' packet not supported'; return; }
  if (idLength !== 6 && idLength !== 0) { c.s += 'system ID length of ' + idLength + ' is not supported'; return; }
  if (pduVersion !== 1) { c.s += 'version ' + pduVersion + ' packet not supported'; return; }
  if (length < fixedLen) { c.s += 'fixed header length ' + fixedLen + ' > packet length ' + length; return; }
  if (fixedLen < COMMON_HEADER) { c.s += 'fixed header length ' + fixedLen + ' < minimum header size 8'; return; }
  if (c.u8(p + 7) === 255) { c.s += 'bad packet -- 255 areas'; return; }
  const type = c.u8(p + 4);
  c.s += (e ? '' : ', ') + (PDU_NAMES.get(type) ?? 'unknown PDU-Type ' + type);
  const fixed = FIXED.get(type);
  if (fixed === undefined) { c.s += ', length ' + dec(length); return; }
  if (fixedLen !== COMMON_HEADER + fixed) {
    // The PSNP message alone starts with "- " in tcpdump.
    const lsp = type === 18 || type === 20;
    c.s += (type === 26 || type === 27 ? '- ' : ', ') + 'bogus fixed header length ' + fixedLen +
      ' should be ' + (lsp ? fixed : COMMON_HEADER + fixed);
    return;
  }
  const h = p + COMMON_HEADER;
  c.need(h, fixed);
  if (length < COMMON_HEADER + fixed) throw TRUNCATED;
  switch (type) {
    case 15: case 16:
      c.s += ', src-id ' + isisId(c, h + 1, 6) + ', lan-id ' + isisId(c, h + 12, 7) + ', prio ' + dec(c.u8(h + 11));
      break;
    case 17:
      c.s += ', src-id ' + isisId(c, h + 1, 6);
      break;
    case 18: case 20:
      c.s += ', lsp-id ' + isisId(c, h + 4, 8) + ', seq 0x' + hexPad(c.u32(h + 12), 8) +
        ', lifetime ' + String(c.u16(h + 2)).padStart(5, ' ') + 's';
      break;
    default:
      c.s += ', src-id ' + isisId(c, h + 2, 7);
  }
  c.s += ', length ' + dec(length);
}
