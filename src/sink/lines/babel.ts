/**
 * Babel routing lines (print-babel.c, RFC 6126/8966 and drafts): "babel 2
 * (24) hello ihu", one word per TLV; with -v one indented line per TLV with
 * its fields. Update TLVs may omit prefix bytes shared with the previous
 * update, so the last prefix per family is carried across one packet.
 */
import { u16, u32 } from '../../decode/bytes.js';
import { ipv4Text, ipv6Text } from './addresses.js';
import type { PrintContext } from './print-context.js';
import { dec, HEX8, hexPad } from './text-tables.js';

const MAGIC = 42;
const HELLO = 4, IHU = 5, UPDATE = 8, UPDATE_SRC_SPECIFIC = 13;

/** Words printed without -v, by TLV type. */
const TLV_WORDS = [
  'pad1', 'padN', 'ack-req', 'ack', 'hello', 'ihu', 'router-id', 'nh', 'update', 'route-request',
  'seqno-request', 'tspc', 'hmac', 'ss-update', 'ss-request', 'ss-mh-request', 'mac', 'pc',
  'challenge_request', 'challenge_reply',
];

/** The result of reading a TLV run: ok, cut short by the capture, or invalid (tcpdump's 0, -1, -2). */
const OK = 0, CUT = -1, INVALID = -2;

/** Scratch prefixes (16 bytes, IPv4 mapped as ::ffff:a.b.c.d), reused so a line allocates no buffers. */
const prefix = new Uint8Array(16);
const srcPrefix = new Uint8Array(16);
const lastV4 = new Uint8Array(16);
const lastV6 = new Uint8Array(16);

export function printBabel(c: PrintContext, bp: number, length: number): void {
  c.proto = 'babel';
  c.s += 'babel';
  c.need(bp, 4);
  if (c.b[bp] !== MAGIC) { c.s += ' invalid header'; return; }
  const version = c.b[bp + 1]!;
  c.s += ' ' + version;
  if (version !== 2) { c.s += ' unknown version'; return; }
  if (length < 4) { c.s += ' (invalid)'; return; }
  const bodyLength = c.u16(bp + 2);
  c.s += ' (' + bodyLength + ')';
  length -= 4;
  if (length < bodyLength) { c.s += ' (invalid)'; return; }
  lastV4.fill(0); lastV4[10] = 0xff; lastV4[11] = 0xff;
  lastV6.fill(0);
  let r = printTlvs(c, bp + 4, bodyLength, length);
  if (r === OK && length !== bodyLength) {
    // The trailer (HMAC and the like) after the body.
    c.s += c.opts.verbose ? '\n\t----' : ' |';
    r = printTlvs(c, bp + 4 + bodyLength, length - bodyLength, length - bodyLength);
  }
  if (r === CUT) c.trunc();
  else if (r === INVALID) c.s += ' (invalid)';
}

function printTlvs(c: PrintContext, cp: number, tlvsLength: number, remaining: number): number {
  const v = c.opts.verbose > 0;
  const limit = Math.min(tlvsLength, remaining);
  for (let i = 0; i < tlvsLength;) {
    const m = cp + i;
    if (i + 1 > limit) return INVALID;
    const type = c.u8(m);
    if (type === 0) {
      c.s += v ? '\n\tPad 1' : ' pad1';
      i += 1;
      continue;
    }
    if (i + 2 > limit) return INVALID;
    if (!c.has(m, 2)) return CUT;
    const len = c.b[m + 1]!;
    if (i + 2 + len > limit) return INVALID;
    if (!c.has(m, 2 + len)) return CUT;
    if (!v) {
      c.s += ' ' + (TLV_WORDS[type] ?? 'unknown');
      if (type === UPDATE) {
        if (len < 10) return INVALID;
        c.s += updateFlags(c.b[m + 3]!);
      }
    } else if (!printTlvVerbose(c, m, type, len)) {
      return INVALID;
    }
    i += len + 2;
  }
  return OK;
}

function updateFlags(flags: number): string {
  return (flags & 0x80 ? '/prefix' : '') + (flags & 0x40 ? '/id' : '') + (flags & 0x3f ? '/unknown' : '');
}

/** One TLV at -v (its bytes are captured); false when it is invalid. */
function printTlvVerbose(c: PrintContext, m: number, type: number, len: number): boolean {
  const b = c.b;
  switch (type) {
    case 1:
      c.s += '\n\tPad ' + (len + 2);
      return true;
    case 2:
      c.s += '\n\tAcknowledgment Request ';
      if (len < 6) return false;
      c.s += hexPad(u16(b, m + 4), 4) + ' ' + interval(u16(b, m + 6));
      return true;
    case 3:
      c.s += '\n\tAcknowledgment ';
      if (len < 2) return false;
      c.s += hexPad(u16(b, m + 2), 4);
      return true;
    case HELLO: {
      c.s += '\n\tHello ';
      if (len < 6) return false;
      if (u16(b, m + 2) & 0x8000) c.s += '(Unicast) ';
      const ival = u16(b, m + 6);
      c.s += 'seqno ' + u16(b, m + 4) + ' ' + (ival !== 0 ? 'interval ' + interval(ival) : 'unscheduled');
      if (len > 6) printSubTlvs(c, m + 8, m + 2 + len, type);
      return true;
    }
    case IHU: {
      c.s += '\n\tIHU ';
      if (len < 6) return false;
      const ae = b[m + 2]!;
      const rc = networkPrefix(b, ae, -1, 0, m + 8, null, len - 6, prefix);
      if (rc < 0) { c.trunc(); return true; }
      c.s += (ae === 0 ? 'any' : addressText(prefix)) + ' rxcost ' + u16(b, m + 4) + ' interval ' + interval(u16(b, m + 6));
      if (rc < len - 6) printSubTlvs(c, m + 8 + rc, m + 2 + len, type);
      return true;
    }
    case 6:
      c.s += '\n\tRouter Id';
      if (len < 10) return false;
      c.s += ' ' + routerId(b, m + 4);
      return true;
    case 7: {
      c.s += '\n\tNext Hop';
      if (len < 2) return false;
      const ae = b[m + 2]!;
      if (networkPrefix(b, ae, -1, 0, m + 4, null, len - 2, prefix) < 0) return false;
      c.s += ' ' + (ae === 0 ? 'invalid AE 0' : addressText(prefix));
      return true;
    }
    case UPDATE: {
      c.s += '\n\tUpdate';
      if (len < 10) return false;
      const ae = b[m + 2]!, flags = b[m + 3]!;
      const plen = (b[m + 4]! + (ae === 1 ? 96 : 0)) & 0xff;
      const rc = networkPrefix(b, ae, b[m + 4]!, b[m + 5]!, m + 12, ae === 1 ? lastV4 : lastV6, len - 10, prefix);
      if (rc < 0) return false;
      c.s += updateFlags(flags) + ' ' + (ae === 0 ? 'any' : prefixText(prefix, plen)) + ' metric ' + u16(b, m + 10) +
        ' seqno ' + u16(b, m + 8) + ' interval ' + updateInterval(u16(b, m + 6));
      if (flags & 0x80) (ae === 1 ? lastV4 : lastV6).set(prefix);
      if (rc < len - 10) printSubTlvs(c, m + 12 + rc, m + 2 + len, type);
      return true;
    }
    case 9: {
      c.s += '\n\tRoute Request ';
      if (len < 2) return false;
      const ae = b[m + 2]!;
      const plen = (b[m + 3]! + (ae === 1 ? 96 : 0)) & 0xff;
      if (networkPrefix(b, ae, b[m + 3]!, 0, m + 4, null, len - 2, prefix) < 0) return false;
      c.s += 'for ' + (ae === 0 ? 'any' : prefixText(prefix, plen));
      return true;
    }
    case 10: {
      c.s += '\n\tSeqno Request ';
      if (len < 14) return false;
      const ae = b[m + 2]!;
      if (networkPrefix(b, ae, b[m + 3]!, 0, m + 16, null, len - 14, prefix) < 0) return false;
      const plen = (b[m + 3]! + (ae === 1 ? 96 : 0)) & 0xff;
      c.s += '(' + b[m + 6]! + ' hops) for ' + (ae === 0 ? 'invalid AE 0' : prefixText(prefix, plen)) +
        ' seqno ' + u16(b, m + 4) + ' id ' + routerId(b, m + 8);
      return true;
    }
    case 11:
      c.s += '\n\tTS/PC ';
      if (len < 6) return false;
      c.s += 'timestamp ' + dec(u32(b, m + 4)) + ' packetcounter ' + u16(b, m + 2);
      return true;
    case 12: {
      c.s += '\n\tHMAC ';
      if (len < 18) return false;
      c.s += 'key-id ' + u16(b, m + 2) + ' digest-' + (len - 2) + ' ';
      for (let j = 0; j < len - 2; j++) c.s += HEX8[b[m + 4 + j]!]!.toUpperCase();
      return true;
    }
    case UPDATE_SRC_SPECIFIC: {
      c.s += '\n\tSS-Update';
      if (len < 10) return false;
      const ae = b[m + 2]!;
      let parsed = 10;
      let rc = networkPrefix(b, ae, b[m + 4]!, b[m + 5]!, m + 2 + parsed, ae === 1 ? lastV4 : lastV6, len - parsed, prefix);
      if (rc < 0) return false;
      parsed += rc;
      rc = networkPrefix(b, ae, b[m + 3]!, 0, m + 2 + parsed, null, len - parsed, srcPrefix);
      if (rc < 0) return false;
      parsed += rc;
      const extra = ae === 1 ? 96 : 0;
      c.s += ' ' + prefixText(prefix, (b[m + 4]! + extra) & 0xff) + ' from ' + prefixText(srcPrefix, (b[m + 3]! + extra) & 0xff) +
        ' metric ' + u16(b, m + 10) + ' seqno ' + u16(b, m + 8) + ' interval ' + updateInterval(u16(b, m + 6));
      if (parsed < len) printSubTlvs(c, m + 2 + parsed, m + 2 + len, type);
      return true;
    }
    case 14: {
      c.s += '\n\tSS-Request ';
      if (len < 3) return false;
      const ae = b[m + 2]!;
      let parsed = 3;
      let rc = networkPrefix(b, ae, b[m + 3]!, 0, m + 2 + parsed, null, len - parsed, prefix);
      if (rc < 0) return false;
      parsed += rc;
      rc = networkPrefix(b, ae, b[m + 4]!, 0, m + 2 + parsed, null, len - parsed, srcPrefix);
      if (rc < 0) return false;
      const extra = ae === 1 ? 96 : 0;
      c.s += ae === 0 ? 'for any'
        : 'for (' + prefixText(prefix, (b[m + 3]! + extra) & 0xff) + ', ' + prefixText(srcPrefix, (b[m + 4]! + extra) & 0xff) + ')';
      return true;
    }
    case 15: {
      c.s += '\n\tSS-MH-Request ';
      if (len < 14) return false;
      const ae = b[m + 2]!;
      let parsed = 14;
      let rc = networkPrefix(b, ae, b[m + 3]!, 0, m + 2 + parsed, null, len - parsed, prefix);
      if (rc < 0) return false;
      parsed += rc;
      rc = networkPrefix(b, ae, b[m + 7]!, 0, m + 2 + parsed, null, len - parsed, srcPrefix);
      if (rc < 0) return false;
      const extra = ae === 1 ? 96 : 0;
      c.s += '(' + b[m + 6]! + ' hops) for (' + prefixText(prefix, (b[m + 3]! + extra) & 0xff) + ', ' +
        prefixText(srcPrefix, (b[m + 7]! + extra) & 0xff) + ') seqno ' + u16(b, m + 4) + ' id ' + routerId(b, m + 8);
      return true;
    }
    case 16:
      c.s += '\n\tMAC len ' + len;
      return true;
    case 17:
      c.s += '\n\tPC';
      if (len < 4) return false;
      c.s += ' value ' + dec(u32(b, m + 2)) + ' index len ' + (len - 4);
      return true;
    case 18: case 19:
      c.s += type === 18 ? '\n\tChallenge Request' : '\n\tChallenge Reply';
      if (len > 192) return false;
      c.s += ' len ' + len;
      return true;
    default:
      c.s += '\n\tUnknown message type ' + type;
      return true;
  }
}

/** Sub-TLVs in a TLV's extra data, [cp, ep) (captured, since the whole TLV is). */
function printSubTlvs(c: PrintContext, cp: number, ep: number, tlvType: number): void {
  const b = c.b;
  while (cp < ep) {
    const subtype = b[cp++]!;
    if (subtype === 0) { c.s += ' sub-pad1'; continue; }
    if (subtype & 0x80) c.s += ' (M)';
    if (cp === ep) { c.s += ' (invalid)'; return; }
    let sublen = b[cp++]!;
    if (cp + sublen > ep) { c.s += ' (invalid)'; return; }
    switch (subtype) {
      case 1:
        c.s += ' sub-padn';
        cp += sublen;
        break;
      case 2: {
        c.s += ' sub-diversity';
        if (sublen === 0) { c.s += ' empty'; break; }
        let sep = ' ';
        for (; sublen > 0; sublen--) {
          const ch = b[cp++]!;
          c.s += sep + (ch === 0 ? 'reserved' : ch === 255 ? 'all' : dec(ch));
          sep = '-';
        }
        if (tlvType !== UPDATE && tlvType !== UPDATE_SRC_SPECIFIC) c.s += ' (bogus)';
        break;
      }
      case 3:
        c.s += ' sub-timestamp';
        if (tlvType === HELLO) {
          if (sublen < 4) { c.s += ' (invalid)'; return; }
          c.s += ' ' + timestamp(u32(b, cp));
        } else if (tlvType === IHU) {
          if (sublen < 8) { c.s += ' (invalid)'; return; }
          c.s += ' ' + timestamp(u32(b, cp)) + '|' + timestamp(u32(b, cp + 4));
        } else {
          c.s += ' (bogus)';
        }
        cp += sublen;
        break;
      default:
        c.s += ' sub-unknown-0x' + HEX8[subtype];
        cp += sublen;
    }
  }
}

/**
 * A prefix of address encoding `ae` into `out` (16 bytes): `plen` bits
 * (-1: a whole address), of which the first `omitted` bytes come from
 * `previous`; bytes read from `p`, at most `len`. The count read, or -1 when
 * the encoding is invalid.
 */
function networkPrefix(b: Uint8Array, ae: number, plen: number, omitted: number, p: number,
  previous: Uint8Array | null, len: number, out: Uint8Array): number {
  const pb = plen >= 0 ? (plen + 7) >> 3 : ae === 1 ? 4 : 16;
  if (pb > 16) return -1;
  out.fill(0);
  switch (ae) {
    case 0:
      return 0;
    case 1: {
      if (omitted > 4 || pb > 4 || (pb > omitted && len < pb - omitted)) return -1;
      out[10] = 0xff; out[11] = 0xff;
      if (omitted) {
        if (!previous) return -1;
        out.set(previous.subarray(0, 12 + omitted));
      }
      if (pb <= omitted) return 0;
      out.set(b.subarray(p, p + pb - omitted), 12 + omitted);
      return pb - omitted;
    }
    case 2:
      if (omitted > 16 || (pb > omitted && len < pb - omitted)) return -1;
      if (omitted) {
        if (!previous) return -1;
        out.set(previous.subarray(0, omitted));
      }
      if (pb <= omitted) return 0;
      out.set(b.subarray(p, p + pb - omitted), omitted);
      return pb - omitted;
    case 3:
      if (pb > 8 && len < pb - 8) return -1;
      out[0] = 0xfe; out[1] = 0x80;
      if (pb <= 8) return 0;
      out.set(b.subarray(p, p + pb - 8), 8);
      return pb - 8;
    default:
      return -1;
  }
}

function isV4Mapped(a: Uint8Array): boolean {
  for (let i = 0; i < 10; i++) if (a[i] !== 0) return false;
  return a[10] === 0xff && a[11] === 0xff;
}

function prefixText(a: Uint8Array, plen: number): string {
  return plen >= 96 && isV4Mapped(a) ? ipv4Text(a, 12) + '/' + (plen - 96) : ipv6Text(a, 0) + '/' + plen;
}

function addressText(a: Uint8Array): string {
  return isV4Mapped(a) ? ipv4Text(a, 12) : ipv6Text(a, 0);
}

function routerId(b: Uint8Array, o: number): string {
  let s = HEX8[b[o]!]!;
  for (let i = 1; i < 8; i++) s += ':' + HEX8[b[o + i]!]!;
  return s;
}

/** Centiseconds as "1.50s"; 0 is flagged. */
function interval(cs: number): string {
  return cs === 0 ? '0.0s (bogus)' : Math.floor(cs / 100) + '.' + String(cs % 100).padStart(2, '0') + 's';
}

function updateInterval(cs: number): string {
  return cs === 0xffff ? 'infinity' : interval(cs);
}

function timestamp(us: number): string {
  return Math.floor(us / 1000000) + '.' + String(us % 1000000).padStart(6, '0') + 's';
}
