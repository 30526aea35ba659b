/** VRRP v2/v3 (print-vrrp.c): the advertisement fields; -v adds the checksum remark, addresses and a simple password. */
import { ipv4Text, ipv6Text } from './addresses.js';
import { finish, sum16, transportChecksum } from './checksum.js';
import type { PrintContext } from './print-context.js';
import { hex, visibleChar } from './text-tables.js';

const IPPROTO_VRRP = 112;
const AUTH_TYPES = ['none', 'simple', 'ah'];

/** `ttl` is the enclosing header's TTL or hop limit; `ipOff` and `version` name that header. */
export function printVrrp(c: PrintContext, bp: number, len: number, ipOff: number, version: number): void {
  c.proto = 'vrrp';
  const ttl = c.u8(ipOff + (version === 4 ? 8 : 7));
  const first = c.u8(bp);
  const v = first >> 4, type = first & 0x0f;
  c.s += 'VRRPv' + v + ', ' + (type === 1 ? 'Advertisement' : 'unknown type (' + type + ')');
  if (ttl !== 255) c.s += ', (ttl ' + ttl + ')';
  if (v < 2 || v > 3 || type !== 1) return;
  c.s += ', vrid ' + c.u8(bp + 1) + ', prio ' + c.u8(bp + 2);
  let auth = 0;
  if (v === 2) {
    auth = c.u8(bp + 4);
    c.s += ', authtype ' + (AUTH_TYPES[auth] ?? '#' + auth) + ', intvl ' + c.u8(bp + 5) + 's, length ' + len;
  } else {
    c.s += ', intvl ' + (((c.u8(bp + 4) & 0x0f) << 8) | c.u8(bp + 5)) + 'cs, length ' + len;
  }
  if (c.opts.verbose === 0) return;
  const naddrs = c.u8(bp + 3);
  if (c.has(bp, len)) {
    const sum = v === 2 ? finish(sum16(c.b, bp, len)) : transportChecksum(c.b, ipOff, version, IPPROTO_VRRP, bp, len, c.snapend);
    if (sum !== 0) c.s += ', (bad vrrp cksum ' + hex(c.u16(bp + 6)) + ')';
  }
  c.s += ', addrs';
  if (naddrs > 1) c.s += '(' + naddrs + ')';
  c.s += ':';
  let at = bp + 8;
  const size = version === 4 ? 4 : 16;
  for (let i = 0; i < naddrs; i++, at += size) {
    c.need(at, size);
    c.s += (i === 0 ? ' ' : ',') + (version === 4 ? ipv4Text(c.b, at) : ipv6Text(c.b, at));
  }
  if (v === 2 && auth === 1) {
    c.s += ' auth "';
    printPaddedText(c, at, 8);
    c.s += '"';
  }
}

/** nd_printjnp: up to `n` bytes of zero-padded text, made visible. */
export function printPaddedText(c: PrintContext, at: number, n: number): void {
  for (let i = 0; i < n; i++) {
    const ch = c.u8(at + i);
    if (ch === 0) break;
    c.s += visibleChar(ch);
  }
}
