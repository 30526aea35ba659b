/**
 * ICMP (v4) lines (print-icmp.c): "ICMP echo request, id 1, seq 1, length 64",
 * unreachables naming the embedded destination, and with -v the embedded
 * datagram on a second line.
 */
import { ipv4Text } from './addresses.js';
import { finish, shouldBe, sum16 } from './checksum.js';
import { printIpv4 } from './ipv4.js';
import type { PrintContext } from './print-context.js';
import { dec, hex, hexPad } from './text-tables.js';

const SIMPLE_NAMES = new Map<number, string>([
  [0, 'echo reply'], [4, 'source quench'], [8, 'echo request'], [10, 'router solicitation'],
  [13, 'time stamp request'], [14, 'time stamp reply'], [15, 'information request'],
  [16, 'information reply'], [17, 'address mask request'],
]);

const UNREACH_TEXT: readonly (readonly [string, string])[] = [
  ['net ', ' unreachable'],                         // 0
  ['host ', ' unreachable'],                        // 1
  ['', ''],                                         // 2 protocol: special
  ['', ''],                                         // 3 port: special
  ['', ''],                                         // 4 need frag: special
  ['', ' unreachable - source route failed'],       // 5
  ['net ', ' unreachable - unknown'],               // 6
  ['host ', ' unreachable - unknown'],              // 7
  ['', ' unreachable - source host isolated'],      // 8
  ['net ', ' unreachable - admin prohibited'],      // 9
  ['host ', ' unreachable - admin prohibited'],     // 10
  ['net ', ' unreachable - tos prohibited'],        // 11
  ['host ', ' unreachable - tos prohibited'],       // 12
  ['host ', ' unreachable - admin prohibited filter'], // 13
  ['host ', ' unreachable - host precedence violation'], // 14
  ['host ', ' unreachable - precedence cutoff'],    // 15
];

/** Error messages carry the offending datagram; -v prints it. */
function isErrorType(t: number): boolean {
  return t === 3 || t === 4 || t === 5 || t === 11 || t === 12;
}

/** Marks a bounds check that ends the ICMP text early (tcpdump's `goto trunc`, not a longjmp). */
const SHORT: { readonly short: true } = Object.freeze({ short: true });

export function printIcmp(c: PrintContext, bp: number, plen: number, fragmented: boolean): void {
  c.proto = 'icmp';
  const type = c.u8(bp);
  const code = c.u8(bp + 1);
  let str: string;
  try {
    str = describe(c, bp, type, code);
  } catch (e) {
    if (e !== SHORT) throw e;
    c.trunc();
    return;
  }
  c.s += 'ICMP ' + str + ', length ' + dec(plen);
  if (c.opts.verbose > 0 && !fragmented && c.has(bp, plen)) {
    const sum = finish(sum16(c.b, bp, plen));
    if (sum !== 0) {
      const field = c.u16(bp + 2);
      c.s += ' (wrong icmp cksum ' + hex(field) + ' (->' + hex(shouldBe(field, sum)) + ')!)';
    }
  }
  if (c.opts.verbose > 0 && isErrorType(type)) {
    const inner = bp + 8;
    c.s += '\n\t';
    const saved = c.snapend;
    const innerLen = c.u16(inner + 2);
    c.snapend = Math.min(inner + innerLen, saved);
    printIpv4(c, inner, innerLen);
    c.snapend = saved;
  }
  c.proto = 'icmp';
}

function check(c: PrintContext, o: number, n: number): void {
  if (!c.has(o, n)) throw SHORT;
}

function innerDst(c: PrintContext, bp: number): string {
  c.need(bp + 8 + 16, 4);
  return ipv4Text(c.b, bp + 8 + 16);
}

function describe(c: PrintContext, bp: number, type: number, code: number): string {
  switch (type) {
    case 8: case 0:
      return 'echo ' + (type === 8 ? 'request' : 'reply') + ', id ' + dec(c.u16(bp + 4)) + ', seq ' + dec(c.u16(bp + 6));
    case 3:
      return unreachable(c, bp, code);
    case 5: {
      const dst = innerDst(c, bp);
      c.need(bp + 4, 4);
      const gw = ipv4Text(c.b, bp + 4);
      switch (code) {
        case 0: return 'redirect ' + dst + ' to net ' + gw;
        case 1: return 'redirect ' + dst + ' to host ' + gw;
        case 2: return 'redirect-tos ' + dst + ' to net ' + gw;
        case 3: return 'redirect-tos ' + dst + ' to host ' + gw;
        default: return 'redirect-#' + code + ' ' + dst + ' to ' + gw;
      }
    }
    case 9:
      return routerAdvertisement(c, bp);
    case 11:
      check(c, bp + 8 + 16, 4);
      if (code === 0) return 'time exceeded in-transit';
      if (code === 1) return 'ip reassembly time exceeded';
      return 'time exceeded-#' + code;
    case 12:
      return code ? 'parameter problem - code ' + code : 'parameter problem - octet ' + c.u8(bp + 4);
    case 18:
      return 'address mask is 0x' + hexPad(c.u32(bp + 4), 8);
    case 13:
      return 'time stamp query id ' + c.u16(bp + 4) + ' seq ' + c.u16(bp + 6);
    case 14:
      check(c, bp + 16, 4);
      return 'time stamp reply id ' + c.u16(bp + 4) + ' seq ' + c.u16(bp + 6) +
        ': org ' + msOfDay(c.u32(bp + 8)) + ', recv ' + msOfDay(c.u32(bp + 12)) + ', xmit ' + msOfDay(c.u32(bp + 16));
    default:
      return SIMPLE_NAMES.get(type) ?? 'type-#' + type;
  }
}

function unreachable(c: PrintContext, bp: number, code: number): string {
  switch (code) {
    case 2:
      return innerDst(c, bp) + ' protocol ' + c.u8(bp + 8 + 9) + ' unreachable';
    case 3: {
      check(c, bp + 8 + 9, 1);
      const hlen = (c.u8(bp + 8) & 0x0f) * 4;
      const dport = c.u16(bp + 8 + hlen + 2);
      const proto = c.u8(bp + 8 + 9);
      const dst = innerDst(c, bp);
      if (proto === 6) return dst + ' tcp port ' + dec(dport) + ' unreachable';
      if (proto === 17) return dst + ' udp port ' + dec(dport) + ' unreachable';
      return dst + ' protocol ' + proto + ' port ' + dport + ' unreachable';
    }
    case 4: {
      const mtu = c.u16(bp + 6);
      const dst = innerDst(c, bp);
      return mtu ? dst + ' unreachable - need to frag (mtu ' + mtu + ')' : dst + ' unreachable - need to frag';
    }
    default: {
      const t = UNREACH_TEXT[code];
      if (t) return t[0] + innerDst(c, bp) + t[1];
      return innerDst(c, bp) + ' unreachable - #' + code;
    }
  }
}

function routerAdvertisement(c: PrintContext, bp: number): string {
  let s = 'router advertisement';
  check(c, bp + 4, 4);
  s += ' lifetime ';
  const lifetime = c.u16(bp + 6);
  if (lifetime < 60) s += lifetime;
  else if (lifetime < 3600) s += Math.floor(lifetime / 60) + ':' + two(lifetime % 60);
  else s += Math.floor(lifetime / 3600) + ':' + two(Math.floor((lifetime % 3600) / 60)) + ':' + two(lifetime % 60);
  let num = c.u8(bp + 4);
  s += ' ' + num + ':';
  const size = c.u8(bp + 5);
  if (size !== 2) return s + ' [size ' + size + ']';
  let p = bp + 8;
  while (num > 0) {
    check(c, p, 8);
    s += ' {' + ipv4Text(c.b, p) + ' ' + c.u32(p + 4) + '}';
    p += 8;
    num--;
  }
  return s;
}

function two(n: number): string {
  return n < 10 ? '0' + n : String(n);
}

/** Milliseconds since midnight UT as HH:MM:SS.mmm (hours may exceed 23, as in tcpdump). */
function msOfDay(t: number): string {
  const ms = t % 1000;
  let sec = Math.floor(t / 1000);
  let min = Math.floor(sec / 60); sec -= min * 60;
  const hrs = Math.floor(min / 60); min -= hrs * 60;
  return two(hrs) + ':' + two(min) + ':' + two(sec) + '.' + String(ms).padStart(3, '0');
}
