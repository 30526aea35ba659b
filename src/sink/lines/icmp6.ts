/**
 * ICMPv6 lines (print-icmp6.c) without -v: echo, errors, neighbour discovery,
 * MLD. Node information, router renumbering and RPL are named but not
 * dissected (their tail is generic).
 */
import { ipv6Text } from './addresses.js';
import { shouldBe, transportChecksum } from './checksum.js';
import { hexLines } from './hexdump.js';
import type { PrintContext } from './print-context.js';
import { dec, hexPad } from './text-tables.js';
import { IpProto } from '../../decode/layers.js';

const ICMP6_TYPE_NAMES: ReadonlyMap<number, string> = new Map([
  [1, 'destination unreachable'], [2, 'packet too big'], [3, 'time exceeded in-transit'],
  [4, 'parameter problem'], [128, 'echo request'], [129, 'echo reply'],
  [130, 'multicast listener query'], [131, 'multicast listener report'], [132, 'multicast listener done'],
  [133, 'router solicitation'], [134, 'router advertisement'], [135, 'neighbor solicitation'],
  [136, 'neighbor advertisement'], [137, 'redirect'], [138, 'router renumbering'],
  [141, 'inverse neighbor solicitation'], [142, 'inverse neighbor advertisement'],
  [143, 'multicast listener report v2'], [144, 'ha discovery request'], [145, 'ha discovery reply'],
  [146, 'mobile router solicitation'], [147, 'mobile router advertisement'],
  [139, 'who-are-you request'], [140, 'who-are-you reply'],
  [200, 'mtrace response'], [201, 'mtrace message'], [155, 'RPL'],
]);

/** Types whose body tcpdump dissects in ways we do not reproduce (the line's tail differs). */
export const ICMP6_TYPES_NOT_DISSECTED: ReadonlySet<number> = new Set([138, 139, 140, 155]);

const UNREACH_CODES = new Map<number, string>([
  [0, 'unreachable route'], [1, ' unreachable prohibited'], [2, 'beyond scope'],
  [3, 'unreachable address'], [4, 'unreachable port'],
]);


export function printIcmp6(c: PrintContext, bp: number, length: number, ipOff: number, fragmented: boolean): void {
  c.proto = 'icmp6';
  if (length === 0) { c.s += 'ICMP6, length 0 (invalid)'; return; }
  const v = c.opts.verbose;
  if (v > 0 && !fragmented && c.has(bp, length)) {
    const field = c.u16(bp + 2);
    const sum = transportChecksum(c.b, ipOff, 6, IpProto.Icmp6, bp, length, c.snapend);
    c.s += sum !== 0
      ? '[bad icmp6 cksum 0x' + hexPad(field, 4) + ' -> 0x' + hexPad(shouldBe(field, sum), 4) + '!] '
      : '[icmp6 sum ok] ';
  }
  const type = c.u8(bp);
  c.s += 'ICMP6, ' + (ICMP6_TYPE_NAMES.get(type) ?? 'unknown icmp6 type (' + type + ')');
  if (v > 0 && (type === 133 || type === 134 || type === 136 || type === 135 || type === 137 || type === 145 || type === 147)) {
    c.s += ', length ' + length;
  }
  const code = c.u8(bp + 1);
  const oip = bp + 8;
  switch (type) {
    case 1:
      c.s += ', ' + (UNREACH_CODES.get(code) ?? 'unknown unreach code (' + code + ')');
      switch (code) {
        case 0: case 1: case 3:
          c.s += ' ' + addr(c, oip + 24);
          break;
        case 2:
          c.s += ' ' + addr(c, oip + 24) + ', source address ' + addr(c, oip + 8);
          break;
        case 4: {
          const upper = upperLayer(c, oip);
          if (upper < 0) { c.trunc(); return; }
          const dport = c.u16(upper + 2);
          if (upperProto === 6) c.s += ', ' + addr(c, oip + 24) + ' tcp port ' + dec(dport);
          else if (upperProto === 17) c.s += ', ' + addr(c, oip + 24) + ' udp port ' + dec(dport);
          else c.s += ', ' + addr(c, oip + 24) + ' protocol ' + upperProto + ' port ' + dport + ' unreachable';
          break;
        }
        default:
          if (v <= 1) { unknownData(c, bp, length); return; }
      }
      break;
    case 2:
      c.s += ', mtu ' + c.u32(bp + 4);
      break;
    case 3:
      if (code === 0) c.s += ' for ' + addr(c, oip + 24);
      else if (code === 1) c.s += ' (reassembly)';
      else c.s += ', unknown code (' + code + ')';
      break;
    case 4: {
      if (!c.has(oip + 24, 16)) { c.trunc(); return; }
      const ptr = c.u32(bp + 4);
      if (code === 0) c.s += ', erroneous - octet ' + ptr;
      else if (code === 1) c.s += ', next header - octet ' + ptr;
      else if (code === 2) c.s += ', option - octet ' + ptr;
      else if (code === 3) c.s += ', incomplete header chain - octet ' + ptr;
      else c.s += ', code-#' + code;
      break;
    }
    case 128: case 129:
      c.s += ', id ' + dec(c.u16(bp + 4)) + ', seq ' + dec(c.u16(bp + 6));
      break;
    case 130:
      if (length === 24) mld6(c, bp);
      else if (length >= 28) { c.s += ' v2'; mldv2Query(c, bp, length); }
      else c.s += ' unknown-version (len ' + length + ') ';
      break;
    case 131: case 132:
      mld6(c, bp);
      break;
    case 133: case 134:
      // Their bodies (and options) are shown with -v only.
      if (v > 0) return verboseTail(c, type, length);
      break;
    case 135:
      c.s += ', who has ' + addr(c, bp + 8);
      if (v > 0) return verboseTail(c, type, length);
      break;
    case 136:
      c.s += ', tgt is ' + addr(c, bp + 8);
      if (v > 0) return verboseTail(c, type, length);
      break;
    case 137:
      c.s += ', ' + addr(c, bp + 8);
      c.s += ' to ' + addr(c, bp + 24);
      if (v > 0) return verboseTail(c, type, length);
      break;
    case 141: case 142:
      break;
    case 143:
      if (length < 8) c.s += ' [invalid len ' + length + ']';
      else c.s += ', ' + c.u16(bp + 6) + ' group record(s)';
      break;
    case 146: case 144:
      c.s += ', id 0x' + hexPad(c.u16(bp + 4), 4);
      break;
    case 145: case 147:
      break;
    default:
      c.s += ', length ' + length;
      if (v <= 1) unknownData(c, bp, length);
      return;
  }
  if (v === 0) c.s += ', length ' + dec(length);
}

function verboseTail(c: PrintContext, type: number, length: number): void {
  // -v dissects the neighbour-discovery body and options; we name the message only.
  void type; void length;
}

function addr(c: PrintContext, o: number): string {
  c.need(o, 16);
  return ipv6Text(c.b, o);
}

/** mld6_print: nothing at all when the 24-byte message is not all captured. */
function mld6(c: PrintContext, bp: number): void {
  if (bp + 24 > c.snapend) return;
  c.s += 'max resp delay: ' + c.u16(bp + 4) + ' addr: ' + ipv6Text(c.b, bp + 8);
}

function mldv2Query(c: PrintContext, bp: number, len: number): void {
  const mrc = c.u16(bp + 4);
  const mrt = mrc < 32768 ? mrc : ((mrc & 0x0fff) | 0x1000) << (((mrc & 0x7000) >> 12) + 3);
  if (c.opts.verbose) c.s += ' [max resp delay=' + mrt + ']';
  c.s += ' [gaddr ' + addr(c, bp + 8);
  if (c.opts.verbose) {
    const b24 = c.u8(bp + 24);
    if (b24 & 0x08) c.s += ' sflag';
    if (b24 & 0x07) c.s += ' robustness=' + (b24 & 0x07);
    const q = c.u8(bp + 25);
    const qqi = q < 128 ? q : ((q & 0x0f) | 0x10) << (((q & 0x70) >> 4) + 3);
    c.s += ' qqi=' + qqi;
  }
  const nsrcs = c.u16(bp + 26);
  if (nsrcs > 0) {
    if (len < 28 + nsrcs * 16) c.s += ' [invalid number of sources]';
    else if (c.opts.verbose > 1) {
      c.s += ' {';
      for (let i = 0; i < nsrcs; i++) c.s += ' ' + addr(c, bp + 28 + i * 16);
      c.s += ' }';
    } else c.s += ', ' + nsrcs + ' source(s)';
  }
  c.s += ']';
}

/** print_unknown_data: a hex dump of what is there, on following lines. */
function unknownData(c: PrintContext, bp: number, length: number): void {
  if (bp > c.snapend) {
    c.s += '\n\tDissector error: print_unknown_data called with pointer past end of packet';
    return;
  }
  const n = Math.min(length, c.snapend - bp);
  c.s += hexLines(c.b, bp, n, '\n\t');
}

/** Set by upperLayer: the protocol of the header it found. */
let upperProto = 0;

/**
 * get_upperlayer: walks the embedded IPv6 header's extension chain to the
 * transport header. Returns its offset, or -1 when it is not all captured.
 */
function upperLayer(c: PrintContext, ip6: number): number {
  if (!c.has(ip6 + 6, 1)) return -1;
  const b = c.b;
  let nh = b[ip6 + 6]!;
  let p = ip6;
  let hlen = 40;
  while (p < c.snapend) {
    p += hlen;
    switch (nh) {
      case 6: case 17:
        upperProto = nh;
        return c.has(p + 2, 2) ? p : -1;
      case 0: case 60: case 43:
        if (!c.has(p + 1, 1)) return -1;
        nh = b[p]!;
        hlen = (b[p + 1]! + 1) << 3;
        break;
      case 44:
        if (!c.has(p + 2, 2)) return -1;
        if ((((b[p + 2]! << 8) | b[p + 3]!) & 0xfff8) !== 0) return -1;
        nh = b[p]!;
        hlen = 8;
        break;
      case 51:
        if (!c.has(p + 1, 1)) return -1;
        nh = b[p]!;
        hlen = (b[p + 1]! + 2) << 2;
        break;
      default:
        upperProto = nh;
        return -1;
    }
  }
  return -1;
}
