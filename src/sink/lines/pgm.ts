/**
 * PGM (print-pgm.c), IP protocol 113: the ports and the length; -v adds the
 * GSI, the message fields and the options. tcpdump repeats the addresses when
 * PGM follows the IP header directly, and shows only the ports behind an
 * extension header.
 */
import { ipv4Text, ipv6Text } from './addresses.js';
import { addressPair, endpointPair, ipHeaderProtocol, portPair } from './ip-addresses.js';
import { TRUNCATED, type PrintContext } from './print-context.js';
import { dec, HEX8, hexPad } from './text-tables.js';

const IPPROTO_PGM = 113;
/** Source and destination port, type, options, checksum, GSI (6), TSDU length. */
const HEADER = 16;
const OPT_END = 0x80;

export function printPgm(c: PrintContext, bp: number, length: number, ipOff: number, version: number): void {
  c.proto = 'pgm';
  if (!c.has(bp, 4)) {
    c.s += addressPair(c, ipOff, version, ':');
    c.trunc();
    return;
  }
  const sport = dec(c.u16(bp)), dport = dec(c.u16(bp + 2));
  c.s += ipHeaderProtocol(c, ipOff, version) === IPPROTO_PGM ? endpointPair(c, ipOff, version, sport, dport) : portPair(c, sport, dport);
  c.need(bp, HEADER);
  c.s += 'PGM, length ' + c.u16(bp + 14);
  if (c.opts.verbose === 0) return;
  const type = c.b[bp + 4]!;
  c.s += ' 0x';
  for (let i = 8; i < 14; i++) c.s += HEX8[c.b[bp + i]!];
  c.s += ' ';
  const opts = printMessage(c, bp, type);
  if ((c.b[bp + 5]! & 1) !== 0 && !printOptions(c, opts)) return;
  c.s += ' [' + length + ']';
}

/** A network-layer address after its AFI (1 IPv4, 2 IPv6); anything else ends the line as truncated. */
function nla(c: PrintContext, afi: number, at: number): string {
  if (afi === 1) { c.need(at, 4); return ipv4Text(c.b, at); }
  if (afi === 2) { c.need(at, 16); return ipv6Text(c.b, at); }
  throw TRUNCATED;
}

function nlaSize(afi: number): number {
  return afi === 1 ? 4 : 16;
}

/** Prints the message fields; returns where tcpdump looks for options (the header itself for SPMR and unknown types). */
function printMessage(c: PrintContext, bp: number, type: number): number {
  const m = bp + HEADER;
  switch (type) {
    case 0: { // SPM
      c.need(m, 16);
      const afi = c.u16(m + 12);
      const addr = nla(c, afi, m + 16);
      c.s += 'SPM seq ' + c.u32(m) + ' trail ' + c.u32(m + 4) + ' lead ' + c.u32(m + 8) + ' nla ' + addr;
      return m + 16 + nlaSize(afi);
    }
    case 1: { // POLL
      c.need(m, 12);
      const afi = c.u16(m + 8);
      const addr = nla(c, afi, m + 12);
      const at = m + 12 + nlaSize(afi);
      c.s += 'POLL seq ' + c.u32(m) + ' round ' + c.u16(m + 4) + ' nla ' + addr + ' ivl ' + c.u32(at) +
        ' rnd 0x' + hexPad(c.u32(at + 4), 8) + ' mask 0x' + hexPad(c.u32(at + 8), 8);
      return at + 12;
    }
    case 2: // POLR
      c.need(m, 8);
      c.s += 'POLR seq ' + c.u32(m) + ' round ' + c.u16(m + 4);
      return m + 8;
    case 4: case 5: // ODATA, RDATA
      c.need(m, 8);
      c.s += (type === 4 ? 'ODATA' : 'RDATA') + ' trail ' + c.u32(m + 4) + ' seq ' + c.u32(m);
      return m + 8;
    case 8: case 9: case 10: { // NAK, NULL NAK, NCF
      c.need(m, 8);
      const srcAfi = c.u16(m + 4);
      const source = nla(c, srcAfi, m + 8);
      // tcpdump skips the group's AFI and reads the family from the address's first two bytes.
      const g = m + 8 + nlaSize(srcAfi) + 4;
      const groupAfi = c.u16(g);
      const group = nla(c, groupAfi, g);
      c.s += (type === 8 ? 'NAK ' : type === 9 ? 'NNAK ' : 'NCF ') + '(' + source + ' -> ' + group + '), seq ' + c.u32(m);
      return g + nlaSize(groupAfi);
    }
    case 11: // ACK
      c.need(m, 8);
      c.s += 'ACK seq ' + c.u32(m);
      return m + 8;
    case 12:
      c.s += 'SPMR';
      return bp;
    default:
      c.s += 'UNKNOWN type 0x' + HEX8[type];
      return bp;
  }
}

/** Options with one fixed length: their name, then the 32-bit fields after two reserved bytes. */
const FIXED_OPTIONS: ReadonlyMap<number, readonly [string, number, string]> = new Map([
  [0x03, ['OPT_JOIN', 8, ' JOIN %']],
  [0x04, ['OPT_NAK_BO_IVL', 12, ' BACKOFF ivl % ivlseq %']],
  [0x05, ['OPT_NAK_BO_RNG', 12, ' BACKOFF max % min %']],
  [0x08, ['OPT_PARITY_PRM', 8, ' PARITY MAXTGS %']],
  [0x09, ['OPT_PARITY_GRP', 8, ' PARITY GROUP %']],
  [0x0a, ['OPT_CURR_TGSIZE', 8, ' PARITY ATGS %']],
  [0x0b, ['OPT_NBR_UNREACH', 4, ' NBR_UNREACH']],
  [0x0d, ['OPT_SYN', 4, ' SYN']],
  [0x0e, ['OPT_FIN', 4, ' FIN']],
  [0x0f, ['OPT_RST', 4, ' RST']],
  [0x11, ['OPT_CRQST', 4, ' CRQST']],
]);

/** The option list (RFC 3208 9.1); false when it ended the line with a complaint. Every option moves on by 2+ captured bytes. */
function printOptions(c: PrintContext, p: number): boolean {
  c.need(p, 4);
  const first = c.b[p]!, firstLen = c.b[p + 1]!;
  if ((first & 0x7f) !== 0) { c.s += '[First option bad, should be PGM_OPT_LENGTH, is ' + (first & 0x7f) + ']'; return false; }
  if (firstLen !== 4) { c.s += '[Bad OPT_LENGTH option, length ' + firstLen + ' != 4]'; return false; }
  let total = c.u16(p + 2);
  if (total < 4) { c.s += '[Bad total option length ' + total + ' < 4]'; return false; }
  c.s += ' OPTS LEN ' + total;
  total -= 4;
  p += 4;
  while (total !== 0) {
    if (total < 4) { c.s += '[Total option length leaves no room for final option]'; return false; }
    const type = c.u8(p), len = c.u8(p + 1);
    p += 2;
    if (len < 4) { c.s += '[Bad option, length ' + len + ' < 4]'; break; }
    if (total < len) { c.s += '[Total option length leaves no room for final option]'; return false; }
    c.need(p, len - 2);
    const kind = type & 0x7f;
    const fixed = FIXED_OPTIONS.get(kind);
    if (fixed) {
      if (len !== fixed[1]) { c.s += '[Bad ' + fixed[0] + ' option, length ' + len + ' != ' + fixed[1] + ']'; return false; }
      let field = p + 2;
      c.s += fixed[2].replace(/%/g, () => { const v = c.u32(field); field += 4; return String(v); });
      p += len - 2;
      total -= len;
    } else if (kind === 0x00) { // a second OPT_LENGTH
      if (len !== 4) { c.s += '[Bad OPT_LENGTH option, length ' + len + ' != 4]'; return false; }
      c.s += ' OPTS LEN (extra?) ' + c.u16(p);
      p += 2;
      total -= 4;
    } else if (kind === 0x01) {
      if (len !== 16) { c.s += '[Bad OPT_FRAGMENT option, length ' + len + ' != 16]'; return false; }
      c.s += ' FRAG seq ' + c.u32(p + 2) + ' off ' + c.u32(p + 6) + ' len ' + c.u32(p + 10);
      p += 14;
      total -= 16;
    } else if (kind === 0x02) {
      // tcpdump takes only the listed sequence numbers, not the option's own four bytes, off the total.
      c.s += ' NAK LIST';
      p += 2;
      for (let left = len - 4; left !== 0; left -= 4, p += 4, total -= 4) {
        if (left < 4) { c.s += '[Option length not a multiple of 4]'; return false; }
        c.s += ' ' + c.u32(p);
      }
    } else if (kind === 0x07 || kind === 0x12 || kind === 0x13) {
      const [name, fixedLen, text] = kind === 0x07 ? ['OPT_REDIRECT', 8, ' REDIRECT'] as const
        : kind === 0x12 ? ['OPT_PGMCC_DATA', 12, ' PGMCC DATA'] as const : ['OPT_PGMCC_FEEDBACK', 12, ' PGMCC FEEDBACK'] as const;
      if (len < fixedLen) {
        c.s += '[Bad ' + (kind === 0x13 ? 'PGM_OPT_PGMCC_FEEDBACK' : name) + ' option, length ' + len + ' < ' + fixedLen + ']';
        return false;
      }
      let at = p + 2;
      const offset = kind === 0x07 ? -1 : c.u32(at);
      if (offset >= 0) at += 4;
      const afi = c.u16(at);
      at += 4;
      if (afi === 1 || afi === 2) {
        if (len !== fixedLen + nlaSize(afi)) { c.s += '[Bad ' + name + ' option, length ' + len + ' != ' + fixedLen + ' + address size]'; return false; }
      }
      const addr = nla(c, afi, at);
      p = at + nlaSize(afi);
      total -= fixedLen + nlaSize(afi);
      c.s += text + (offset >= 0 ? ' ' + offset : '') + ' ' + addr;
    } else {
      if (kind === 0x0c) c.s += ' PATH_NLA [' + len + ']';
      else if (kind === 0x10) c.s += ' CR';
      else c.s += ' OPT_' + HEX8[type]!.toUpperCase() + ' [' + len + '] ';
      p += len;
      total -= len;
    }
    if ((type & OPT_END) !== 0) break;
  }
  return true;
}
