/**
 * DNS lines as tcpdump 4.99 prints them (print-domain.c), for UDP and TCP
 * port 53 and mDNS on UDP 5353: a query "9602+ [1au] A? example.com. (48)",
 * a response "9602 2/0/1 CNAME a.example., A 192.0.2.1 (80)". -v adds owner
 * names and SOA/TSIG detail, -vv a response's questions and the authority
 * and additional sections, -vvv TTLs.
 *
 * Names from the wire go through visibleChar, so a label never reaches the
 * terminal raw. Compression pointers are followed only backwards (tcpdump's
 * rule: a loop ends in "<BAD PTR>"), so one name costs at most the packet's
 * length; many names re-walking one long name are quadratic, and a per-packet
 * step budget cuts such a line with " [|domain]" where tcpdump would grind on.
 */
import { ipv4Text, ipv6Text } from './addresses.js';
import { TRUNCATED, type PrintContext } from './print-context.js';
import { dec, HEX8, hex, visibleChar } from './text-tables.js';

/** Header: id, flags, then the four section counts. */
const HEADER_LEN = 12;
/** MAXCDNAME: characters of a name printed before "<DOMAIN NAME TOO LONG>". */
const MAX_NAME = 255;
/**
 * Labels and pointers followed per packet. One name's walk is bounded by the
 * packet (pointers only go backwards), but thousands of names can each re-walk
 * one long name; real messages need a few thousand steps.
 */
const NAME_STEPS_PER_PACKET = 1 << 20;

const T_A = 1, T_NS = 2, T_CNAME = 5, T_SOA = 6, T_PTR = 12, T_MX = 15, T_TXT = 16, T_AAAA = 28;
const T_SRV = 33, T_A6 = 38, T_DNAME = 39, T_OPT = 41, T_UNSPECA = 104, T_TSIG = 250, T_URI = 256;
const C_IN = 1;
/** mDNS: the class's top bit is QU in a question, cache-flush in a record. */
const MDNS_CLASS_BIT = 0x8000;

/** ns_type2str. */
const TYPE_NAMES: ReadonlyMap<number, string> = new Map([
  [1, 'A'], [2, 'NS'], [3, 'MD'], [4, 'MF'], [5, 'CNAME'], [6, 'SOA'], [7, 'MB'], [8, 'MG'], [9, 'MR'],
  [10, 'NULL'], [11, 'WKS'], [12, 'PTR'], [13, 'HINFO'], [14, 'MINFO'], [15, 'MX'], [16, 'TXT'],
  [17, 'RP'], [18, 'AFSDB'], [19, 'X25'], [20, 'ISDN'], [21, 'RT'], [22, 'NSAP'], [23, 'NSAP_PTR'],
  [24, 'SIG'], [25, 'KEY'], [26, 'PX'], [27, 'GPOS'], [28, 'AAAA'], [29, 'LOC'], [30, 'NXT'],
  [31, 'EID'], [32, 'NIMLOC'], [33, 'SRV'], [34, 'ATMA'], [35, 'NAPTR'], [36, 'KX'], [37, 'CERT'],
  [38, 'A6'], [39, 'DNAME'], [40, 'SINK'], [41, 'OPT'], [42, 'APL'], [43, 'DS'], [44, 'SSHFP'],
  [45, 'IPSECKEY'], [46, 'RRSIG'], [47, 'NSEC'], [48, 'DNSKEY'], [99, 'SPF'], [100, 'UINFO'],
  [101, 'UID'], [102, 'GID'], [103, 'UNSPEC'], [104, 'UNSPECA'], [249, 'TKEY'], [250, 'TSIG'],
  [251, 'IXFR'], [252, 'AXFR'], [253, 'MAILB'], [254, 'MAILA'], [255, 'ANY'], [256, 'URI'],
]);

const CLASS_NAMES: ReadonlyMap<number, string> = new Map([[1, 'IN'], [3, 'CHAOS'], [4, 'HS'], [255, 'ANY']]);

/** Opcodes after the id. */
const OPCODES: readonly string[] = [
  '', ' inv_q', ' stat', ' op3', ' notify', ' update', ' op6', ' op7',
  ' op8', ' updateA', ' updateD', ' updateDA', ' updateM', ' updateMA', ' zoneInit', ' zoneRef',
];
const IQUERY = 1;

/** Response codes; 17 and 21 lack their space in tcpdump too. */
const RCODES: readonly string[] = [
  '', ' FormErr', ' ServFail', ' NXDomain', ' NotImp', ' Refused', ' YXDomain', ' YXRRSet',
  ' NXRRSet', ' NotAuth', ' NotZone', ' Resp11', ' Resp12', ' Resp13', ' Resp14', ' NoChange',
  ' BadVers', 'Resp17', ' Resp18', ' Resp19', ' Resp20', 'Resp21', ' Resp22', ' BadCookie',
];

const EDNS_OPTION_NAMES: ReadonlyMap<number, string> = new Map([
  [1, 'LLQ'], [2, 'UL'], [3, 'NSID'], [5, 'DAU'], [6, 'DHU'], [7, 'N3U'], [8, 'ECS'], [9, 'EXPIRE'],
  [10, 'COOKIE'], [11, 'KEEPALIVE'], [12, 'PADDING'], [13, 'CHAIN'], [14, 'KEY-TAG'],
  [16, 'CLIENT-TAG'], [17, 'SERVER-TAG'],
]);
const E_DAU = 5, E_DHU = 6, E_N3U = 7, E_ECS = 8, E_EXPIRE = 9, E_COOKIE = 10, E_KEEPALIVE = 11;
const E_PADDING = 12, E_CHAIN = 13, E_KEYTAG = 14;

/** DNSSEC algorithm names a DAU option lists (the "DS" for DSA is tcpdump's). */
const DAU_NAMES: ReadonlyMap<number, string> = new Map([
  [0, 'DELETE'], [1, 'RSAMD5'], [2, 'DH'], [3, 'DS'], [5, 'RSASHA1'], [6, 'DSA-NSEC3-SHA1'],
  [7, 'RSASHA1-NSEC3-SHA1'], [8, 'RSASHA256'], [10, 'RSASHA512'], [12, 'ECC-GOST'],
  [13, 'ECDSAP256SHA256'], [14, 'ECDSAP384SHA384'], [15, 'ED25519'], [16, 'ED448'],
  [252, 'INDIRECT'], [253, 'PRIVATEDNS'], [254, 'PRIVATEOID'],
]);
const DHU_NAMES: ReadonlyMap<number, string> = new Map([[1, 'SHA-1'], [2, 'SHA-256'], [3, 'GOST_R_34.11-94'], [4, 'SHA-384']]);
const N3U_NAMES: ReadonlyMap<number, string> = new Map([[1, 'SHA-1']]);

/** Steps left for this packet's names. */
let nameSteps = 0;
/** An ECS prefix padded out to a whole address. */
const paddedAddress = new Uint8Array(16);

function typeName(t: number): string {
  return TYPE_NAMES.get(t) ?? 'Type' + t;
}

function className(k: number): string {
  return CLASS_NAMES.get(k) ?? '(Class ' + k + ')';
}

/**
 * A DNS message at `bp`, `length` bytes long by the transport. Over TCP the
 * message follows its 2-byte length, which must equal the rest of the segment.
 */
export function printDomain(c: PrintContext, bp: number, length: number, overTcp: boolean, mdns: boolean): void {
  c.proto = 'domain';
  nameSteps = NAME_STEPS_PER_PACKET;
  if (overTcp) {
    if (length < 2) { c.s += ' [DNS over TCP: length ' + length + ' < 2] (invalid)'; return; }
    length -= 2;
    const prefix = c.u16(bp);
    if (prefix !== length) { c.s += ' [prefix length(' + prefix + ') != length(' + length + ')] (invalid)'; return; }
    bp += 2;
    c.s += ' ';
  }
  if (length < HEADER_LEN) { c.s += 'domain [length ' + length + ' < ' + HEADER_LEN + '] (invalid)'; return; }
  c.need(bp, HEADER_LEN);
  const id = c.u16(bp), flags = c.u16(bp + 2);
  const qd = c.u16(bp + 4), an = c.u16(bp + 6), ns = c.u16(bp + 8), ar = c.u16(bp + 10);
  const opcode = (flags >> 11) & 0xf;
  const printed = (flags & 0x8000) !== 0
    ? printResponse(c, bp, id, flags, opcode, qd, an, ns, ar, mdns)
    : printQuery(c, bp, id, flags, opcode, qd, an, ns, ar, mdns);
  if (printed) c.s += ' (' + dec(length) + ')';
  else c.trunc();
}

function printResponse(c: PrintContext, bp: number, id: number, flags: number, opcode: number,
                       qd: number, an: number, ns: number, ar: number, mdns: boolean): boolean {
  const rcode = (flags & 0xf) | extendedRcode(c, bp + HEADER_LEN, qd, an, ns, ar);
  c.s += dec(id) + OPCODES[opcode]! + rcodeText(rcode) +
    ((flags & 0x0400) !== 0 ? '*' : '') + ((flags & 0x0080) !== 0 ? '' : '-') +
    ((flags & 0x0200) !== 0 ? '|' : '') + ((flags & 0x0020) !== 0 ? '$' : '');
  if (qd !== 1) c.s += ' [' + dec(qd) + 'q]';
  const vv = c.opts.verbose > 1;
  let cp = bp + HEADER_LEN;
  for (let i = 0; i < qd; i++) {
    if (i !== 0) c.s += ',';
    if (vv) {
      c.s += ' q:';
      if ((cp = printQuestion(c, cp, bp, mdns)) < 0) return false;
    } else {
      if ((cp = skipName(c, cp)) < 0) return false;
      cp += 4;
    }
  }
  c.s += ' ' + dec(an) + '/' + dec(ns) + '/' + dec(ar);
  if ((cp = printRecords(c, cp, bp, an, '', true, mdns)) < 0) return false;
  if (!vv) return true;
  if ((cp = printRecords(c, cp, bp, ns, ' ns:', false, mdns)) < 0) return false;
  return printRecords(c, cp, bp, ar, ' ar:', false, mdns) >= 0;
}

function printQuery(c: PrintContext, bp: number, id: number, flags: number, opcode: number,
                    qd: number, an: number, ns: number, ar: number, mdns: boolean): boolean {
  c.s += dec(id) + OPCODES[opcode]! + ((flags & 0x0100) !== 0 ? '+' : '') + ((flags & 0x0010) !== 0 ? '%' : '');
  // Bits a query should not carry (AA, TC, RA, Z, AD, rcode).
  if ((flags & 0x6cf) !== 0) c.s += ' [b2&3=0x' + hex(flags) + ']';
  if (opcode === IQUERY) {
    if (qd) c.s += ' [' + dec(qd) + 'q]';
    if (an !== 1) c.s += ' [' + dec(an) + 'a]';
  } else {
    if (an) c.s += ' [' + dec(an) + 'a]';
    if (qd !== 1) c.s += ' [' + dec(qd) + 'q]';
  }
  if (ns) c.s += ' [' + dec(ns) + 'n]';
  if (ar) c.s += ' [' + dec(ar) + 'au]';
  let cp = bp + HEADER_LEN;
  if (qd) {
    if ((cp = printQuestion(c, cp, bp, mdns)) < 0) return false;
    qd--;
    while (cp < c.snapend && qd) {
      if ((cp = printQuestion(c, cp, bp, mdns)) < 0) return false;
      qd--;
    }
  }
  if (qd) return false;
  if (c.opts.verbose < 2) return true;
  if ((cp = printRecords(c, cp, bp, an, '', true, mdns)) < 0) return false;
  if ((cp = printRecords(c, cp, bp, ns, ' ns:', false, mdns)) < 0) return false;
  return printRecords(c, cp, bp, ar, ' ar:', false, mdns) >= 0;
}

/**
 * One section's records, comma-separated after `label`; -1 when the section
 * ended early (the line is then truncated). The answer section starts even
 * at the end of the captured bytes, the others only before it.
 */
function printRecords(c: PrintContext, cp: number, bp: number, count: number, label: string, evenAtEnd: boolean, mdns: boolean): number {
  if (count && (evenAtEnd || cp < c.snapend)) {
    c.s += label;
    if ((cp = printRecord(c, cp, bp, mdns)) < 0) return -1;
    count--;
    while (cp < c.snapend && count) {
      c.s += ',';
      if ((cp = printRecord(c, cp, bp, mdns)) < 0) return -1;
      count--;
    }
  }
  return count ? -1 : cp;
}

function rcodeText(rcode: number): string {
  return rcode < RCODES.length ? RCODES[rcode]! : ' Resp' + (rcode & 0xfff);
}

/** The high rcode bits an OPT record carries in the additional section, found by skipping the rest. */
function extendedRcode(c: PrintContext, cp: number, qd: number, an: number, ns: number, ar: number): number {
  const end = c.snapend;
  for (let i = 0; i < qd; i++) {
    if ((cp = skipName(c, cp)) < 0) return 0;
    cp += 4;
    if (cp >= end) return 0;
  }
  for (let i = 0; i < an + ns; i++) {
    if ((cp = skipName(c, cp)) < 0) return 0;
    cp += 8;
    if (cp + 2 > end) return 0;
    cp += 2 + c.u16(cp);
    if (cp >= end) return 0;
  }
  for (let i = 0; i < ar; i++) {
    if ((cp = skipName(c, cp)) < 0) return 0;
    if (cp + 2 > end) return 0;
    const type = c.u16(cp);
    cp += 4;
    if (cp + 1 > end) return 0;
    if (type === T_OPT) return c.b[cp]! << 4;
    cp += 4;
    if (cp + 2 > end) return 0;
    cp += 2 + c.u16(cp);
    if (cp >= end) return 0;
  }
  return 0;
}

/** ns_nskip: the offset after a name, -1 if it cannot be skipped. Pointers end a name. */
function skipName(c: PrintContext, cp: number): number {
  const b = c.b, end = c.snapend;
  if (cp >= end) return -1;
  let i = b[cp++]!;
  while (i !== 0) {
    switch (i & 0xc0) {
      case 0xc0:
        return cp + 1;
      case 0x40: {
        if ((i & 0x3f) !== 1) return -1;
        if (cp >= end) return -1;
        const bits = b[cp]! || 256;
        cp += 1 + ((bits + 7) >> 3);
        break;
      }
      case 0x80:
        return -1;
      default:
        cp += i;
    }
    if (cp >= end) return -1;
    i = b[cp++]!;
  }
  return cp;
}

/** labellen: what the length byte at `cp` spans; -1 (sometimes with a remark) when unusable. */
function labelLength(c: PrintContext, cp: number): number {
  if (cp >= c.snapend) return -1;
  const i = c.b[cp]!;
  switch (i & 0xc0) {
    case 0x40: {
      const elt = i & 0x3f;
      if (elt !== 1) { c.s += '<ELT ' + elt + '>'; return -1; }
      if (cp + 1 >= c.snapend) return -1;
      return ((c.b[cp + 1]! || 256) + 7 >> 3) + 1;
    }
    case 0x80:
      c.s += '<BAD LABEL TYPE>';
      return -1;
    default:
      return i;
  }
}

/**
 * fqdn_print: the name at `cp` (pointers relative to `bp`), each label
 * followed by "."; returns the offset after the name as it sits at `cp`,
 * or -1 when it could not be printed whole.
 */
function printName(c: PrintContext, cp: number, bp: number): number {
  let l = labelLength(c, cp);
  if (l < 0) return -1;
  const b = c.b;
  // Unsigned, as tcpdump's: a name before its base (EDNS CHAIN) may point anywhere.
  let maxOffset = (cp - bp) >>> 0;
  let i = b[cp++]!;
  let rp = -1, compressed = false;
  if ((i & 0xc0) !== 0xc0) rp = cp + l;
  if (i === 0) { c.s += '.'; return rp; }
  let nameChars = 0;
  while (i !== 0 && cp < c.snapend) {
    if (--nameSteps < 0) throw TRUNCATED;
    switch (i & 0xc0) {
      case 0xc0: {
        if (!compressed) { rp = cp + 1; compressed = true; }
        const offset = ((i << 8) | b[cp]!) & 0x3fff;
        // Only backwards, as BIND requires: this is what ends pointer loops.
        if (offset >= maxOffset) { c.s += '<BAD PTR>'; return -1; }
        maxOffset = offset;
        cp = bp + offset;
        if (cp >= c.snapend) return -1;
        i = b[cp]!;
        if ((l = labelLength(c, cp)) < 0) return -1;
        cp++;
        continue;
      }
      case 0x40: {
        const elt = i & 0x3f;
        if (elt !== 1) { c.s += '<ELT ' + elt + '>'; return -1; }
        if (printBitLabel(c, cp) < 0) return -1;
        break;
      }
      case 0x80:
        c.s += '<BAD LABEL TYPE>';
        return -1;
      default:
        if (nameChars + l <= MAX_NAME) {
          if (!printChars(c, cp, l)) return -1;
        } else if (nameChars < MAX_NAME) {
          if (!printChars(c, cp, MAX_NAME - nameChars)) return -1;
        }
        nameChars += l;
    }
    cp += l;
    if (nameChars <= MAX_NAME) c.s += '.';
    nameChars++;
    if (cp >= c.snapend) return -1;
    i = b[cp]!;
    if ((l = labelLength(c, cp)) < 0) return -1;
    cp++;
    if (!compressed) rp += l + 1;
  }
  if (nameChars > MAX_NAME) c.s += '<DOMAIN NAME TOO LONG>';
  return rp;
}

/** An RFC 2673 bit-string label: "\[x<hex>/<bits>]". */
function printBitLabel(c: PrintContext, cp: number): number {
  if (cp >= c.snapend) return -1;
  const bitlen = c.b[cp]! || 256;
  const lim = cp + 1 + ((bitlen + 3) >> 2);
  c.s += '\\[x';
  let p = cp + 1, bits = bitlen;
  for (; p < lim && bits > 7; bits -= 8, p++) c.s += HEX8[c.u8(p)]!;
  if (bits > 4) c.s += HEX8[c.u8(p) & (0xff << (8 - bits)) & 0xff]!;
  else if (bits > 0) c.s += ((c.u8(p) >> 4) & (0x0f << (4 - bits)) & 0x0f).toString(16);
  c.s += '/' + bitlen + ']';
  return lim;
}

/** nd_printn: up to `n` bytes made visible; false when the capture ended first. */
export function printChars(c: PrintContext, cp: number, n: number): boolean {
  const b = c.b;
  while (n > 0 && cp < c.snapend) {
    c.s += visibleChar(b[cp++]!);
    n--;
  }
  return n === 0;
}

/** A <character-string>: length byte, then text. */
function printCharString(c: PrintContext, cp: number): number {
  if (cp >= c.snapend) return -1;
  const n = c.b[cp]!;
  return printChars(c, cp + 1, n) ? cp + 1 + n : -1;
}

function printQuestion(c: PrintContext, cp: number, bp: number, mdns: boolean): number {
  const name = cp;
  cp = skipName(c, cp);
  if (cp < 0 || cp + 4 > c.snapend) return -1;
  c.s += ' ' + typeName(c.u16(cp));
  const raw = c.u16(cp + 2);
  const cls = mdns ? raw & ~MDNS_CLASS_BIT : raw;
  if (cls !== C_IN) c.s += ' ' + className(cls);
  if (mdns) c.s += (raw & MDNS_CLASS_BIT) !== 0 ? ' (QU)' : ' (QM)';
  c.s += '? ';
  const after = printName(c, name, bp);
  return after < 0 ? -1 : after + 4;
}

/**
 * ns_rprint: one resource record. Returns the offset after its data, -1 when
 * cut short, or the capture's end when the fixed part is missing (tcpdump
 * then stops the section quietly if that was its last record).
 */
function printRecord(c: PrintContext, cp: number, bp: number, mdns: boolean): number {
  const verbose = c.opts.verbose;
  if (verbose > 0) {
    c.s += ' ';
    if ((cp = printName(c, cp, bp)) < 0) return -1;
  } else {
    cp = skipName(c, cp);
  }
  if (cp < 0 || cp + 10 > c.snapend) return c.snapend;
  const type = c.u16(cp);
  const raw = c.u16(cp + 2);
  const cls = mdns ? raw & ~MDNS_CLASS_BIT : raw;
  if (cls !== C_IN && type !== T_OPT) c.s += ' ' + className(cls);
  if (mdns && (raw & MDNS_CLASS_BIT) !== 0) c.s += ' (Cache flush)';
  let optFlags = 0;
  if (type === T_OPT) optFlags = c.u16(cp + 6);
  else if (verbose > 2) c.s += ' [' + relativeTime(c.u32(cp + 4)) + ']';
  const len = c.u16(cp + 8);
  cp += 10;
  const rp = cp + len;
  c.s += ' ' + typeName(type);
  if (rp > c.snapend) return -1;

  switch (type) {
    case T_A:
      if (!c.has(cp, 4)) return -1;
      c.s += ' ' + ipv4Text(c.b, cp);
      break;
    case T_NS: case T_CNAME: case T_PTR: case T_DNAME:
      c.s += ' ';
      if (printName(c, cp, bp) < 0) return -1;
      break;
    case T_SOA:
      if (!verbose) break;
      c.s += ' ';
      if ((cp = printName(c, cp, bp)) < 0) return -1;
      c.s += ' ';
      if ((cp = printName(c, cp, bp)) < 0) return -1;
      if (!c.has(cp, 20)) return -1;
      for (let k = 0; k < 5; k++) c.s += ' ' + dec(c.u32(cp + 4 * k));
      break;
    case T_MX:
      c.s += ' ';
      if (!c.has(cp, 2)) return -1;
      if (printName(c, cp + 2, bp) < 0) return -1;
      c.s += ' ' + dec(c.u16(cp));
      break;
    case T_TXT:
      while (cp < rp) {
        c.s += ' "';
        if ((cp = printCharString(c, cp)) < 0) return -1;
        c.s += '"';
      }
      break;
    case T_SRV:
      c.s += ' ';
      if (!c.has(cp, 6)) return -1;
      if (printName(c, cp + 6, bp) < 0) return -1;
      c.s += ':' + dec(c.u16(cp + 4)) + ' ' + dec(c.u16(cp)) + ' ' + dec(c.u16(cp + 2));
      break;
    case T_AAAA:
      if (!c.has(cp, 16)) return -1;
      c.s += ' ' + ipv6Text(c.b, cp);
      break;
    case T_A6:
      if (!printA6(c, cp, bp)) return -1;
      break;
    case T_URI:
      if (!c.has(cp, len)) return -1;
      c.s += ' ' + dec(c.u16(cp)) + ' ' + dec(c.u16(cp + 2)) + ' ';
      // A length under 4 wraps in tcpdump: the text then runs to the capture's end.
      if (!printChars(c, cp + 4, len >= 4 ? len - 4 : 0x100000000 + len - 4)) return -1;
      break;
    case T_OPT:
      c.s += ' UDPsize=' + dec(cls);
      if (optFlags & 0x8000) c.s += ' DO';
      if (cp < rp) {
        c.s += ' [';
        while (cp < rp) {
          if ((cp = printEdnsOption(c, cp)) < 0) return -1;
          if (cp < rp) c.s += ',';
        }
        c.s += ']';
      }
      break;
    case T_UNSPECA:
      if (!c.has(cp, len)) return -1;
      if (!printChars(c, cp, len)) return -1;
      break;
    case T_TSIG:
      if (!verbose) break;
      if (!printTsig(c, cp, bp)) return -1;
      break;
  }
  return rp;
}

/** An A6 record: prefix length, the address suffix, the prefix's name. */
function printA6(c: PrintContext, cp: number, bp: number): boolean {
  if (!c.has(cp, 1)) return false;
  const pbit = c.b[cp]!;
  const pbyte = (pbit & ~7) >> 3;
  if (pbit > 128) { c.s += ' ' + pbit + '(bad plen)'; return true; }
  if (pbit < 128) {
    c.need(cp + 1, 16 - pbyte);
    paddedAddress.fill(0);
    paddedAddress.set(c.b.subarray(cp + 1, cp + 1 + 16 - pbyte), pbyte);
    c.s += ' ' + pbit + ' ' + ipv6Text(paddedAddress, 0);
  }
  if (pbit > 0) {
    c.s += ' ';
    if (printName(c, cp + 1 + 16 - pbyte, bp) < 0) return false;
  }
  return true;
}

function printTsig(c: PrintContext, cp: number, bp: number): boolean {
  c.s += ' ';
  if ((cp = printName(c, cp, bp)) < 0) return false;
  cp += 6;
  if (!c.has(cp, 2)) return false;
  c.s += ' fudge=' + dec(c.u16(cp));
  cp += 2;
  if (!c.has(cp, 2)) return false;
  const macLen = c.u16(cp);
  c.s += ' maclen=' + dec(macLen);
  cp += 2 + macLen;
  if (!c.has(cp, 2)) return false;
  c.s += ' origid=' + dec(c.u16(cp));
  cp += 2;
  if (!c.has(cp, 2)) return false;
  c.s += ' error=' + dec(c.u16(cp));
  cp += 2;
  if (!c.has(cp, 2)) return false;
  c.s += ' otherlen=' + dec(c.u16(cp));
  return true;
}

/** One EDNS option of an OPT record: "NSID", "COOKIE 0102030405060708", "ECS 192.0.2.0/24/0". */
function printEdnsOption(c: PrintContext, cp: number): number {
  if (!c.has(cp, 2)) return -1;
  const code = c.u16(cp);
  cp += 2;
  c.s += EDNS_OPTION_NAMES.get(code) ?? 'Opt' + code;
  if (!c.has(cp, 2)) return -1;
  const n = c.u16(cp);
  cp += 2;
  if (!c.has(cp, n)) return -1;
  if (n === 0) return cp;
  c.s += ' ';
  switch (code) {
    case E_ECS:
      printClientSubnet(c, cp, n);
      break;
    case E_COOKIE:
      if (n < 8 || (n > 8 && n < 16) || n > 40) { c.s += ' (invalid)'; break; }
      for (let i = 0; i < n; i++) c.s += (i === 8 ? ' ' : '') + HEX8[c.b[cp + i]!]!;
      break;
    case E_KEEPALIVE:
      // Units of 100 ms.
      if (n !== 2) c.s += ' (invalid)';
      else c.s += (c.u16(cp) / 10).toFixed(1) + ' sec';
      break;
    case E_EXPIRE:
      if (n !== 4) c.s += ' (invalid)';
      else c.s += dec(c.u32(cp)) + ' sec';
      break;
    case E_PADDING:
      c.s += '(' + n + ')';
      break;
    case E_KEYTAG:
      if (n % 2 !== 0) { c.s += ' (invalid)'; break; }
      for (let i = 0; i < n; i += 2) c.s += (i > 0 ? ' ' : '') + dec(c.u16(cp + i));
      break;
    case E_DAU: case E_DHU: case E_N3U: {
      const names = code === E_DAU ? DAU_NAMES : code === E_DHU ? DHU_NAMES : N3U_NAMES;
      for (let i = 0; i < n; i++) {
        const alg = c.b[cp + i]!;
        c.s += (i > 0 ? ' ' : '') + (names.get(alg) ?? 'Alg_' + alg);
      }
      break;
    }
    case E_CHAIN:
      printName(c, cp, cp + n);
      break;
    default:
      for (let i = 0; i < n; i++) c.s += HEX8[c.b[cp + i]!]!;
  }
  return cp + n;
}

/** RFC 7871 client subnet: family, source and scope prefix lengths, the address's leading bytes. */
function printClientSubnet(c: PrintContext, cp: number, n: number): void {
  if (n < 4) { c.s += ' (invalid)'; return; }
  const family = c.u16(cp), source = c.b[cp + 2]!, scope = c.b[cp + 3]!;
  const bits = family === 1 ? 32 : family === 2 ? 128 : 0;
  if (bits === 0 || n - 4 > bits / 8 || source > bits || scope > bits || ((source + 7) >> 3) !== n - 4) {
    c.s += ' (invalid)';
    return;
  }
  paddedAddress.fill(0);
  paddedAddress.set(c.b.subarray(cp + 4, cp + n), 0);
  c.s += (family === 1 ? ipv4Text(paddedAddress, 0) : ipv6Text(paddedAddress, 0)) + '/' + source + '/' + scope;
}

const TIME_UNITS: readonly string[] = ['y', 'w', 'd', 'h', 'm', 's'];
const TIME_SECONDS: readonly number[] = [31536000, 604800, 86400, 3600, 60, 1];

/** unsigned_relts_print: 3600 -> "1h", 90061 -> "1d1h1m1s". */
function relativeTime(secs: number): string {
  if (secs === 0) return '0s';
  let s = '';
  for (let k = 0; secs > 0; k++) {
    const unit = TIME_SECONDS[k]!;
    if (secs >= unit) {
      const q = Math.floor(secs / unit);
      s += q + TIME_UNITS[k]!;
      secs -= q * unit;
    }
  }
  return s;
}
