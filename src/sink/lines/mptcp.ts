/**
 * The MPTCP TCP option (kind 30, RFC 8684) inside tcpdump 4.99's option list
 * (print-mptcp.c): " LEN SUBTYPE" and the sub-option's fields. A sub-option
 * whose length does not fit its subtype (or the segment's SYN/ACK flags)
 * makes tcpdump end the list with "[bad opt]": the caller does that on false.
 */
import { ipv4Text, ipv6Text } from './addresses.js';
import type { PrintContext } from './print-context.js';
import { dec, HEX8, hex } from './text-tables.js';

const SYN = 0x02, ACK = 0x10;

const SUBTYPE_NAMES: readonly string[] = [
  'capable', 'join', 'dss', 'add-addr', 'rem-addr', 'prio', 'fail', 'fast-close', 'unknown',
];

/** Prints the option at `op` (its kind byte), `len` bytes long; false when tcpdump calls it bad. */
export function printMptcp(c: PrintContext, op: number, len: number, tcpFlags: number): boolean {
  c.proto = 'mptcp';
  if (len < 3) return false;
  const subtype = Math.min(c.u8(op + 2) >> 4, SUBTYPE_NAMES.length - 1);
  c.s += ' ' + len + ' ' + SUBTYPE_NAMES[subtype]!;
  switch (subtype) {
    case 0: return capable(c, op, len, tcpFlags);
    case 1: return join(c, op, len, tcpFlags);
    case 2: return dss(c, op, len, tcpFlags);
    case 3: return addAddress(c, op, len);
    case 4:
      if (len < 4) return false;
      c.s += ' id';
      for (let i = 3; i < len; i++) c.s += ' ' + c.u8(op + i);
      return true;
    case 5:
      if (len !== 3 && len !== 4) return false;
      c.s += (c.u8(op + 2) & 1) !== 0 ? ' backup' : ' non-backup';
      if (len === 4) c.s += ' id ' + c.u8(op + 3);
      return true;
    case 6:
      if (len !== 12) return false;
      c.s += ' seq ' + u64Dec(c, op + 4);
      return true;
    case 7:
      if (len !== 12) return false;
      c.s += ' key 0x' + u64Hex(c, op + 4);
      return true;
    default:
      return true;
  }
}

function capable(c: PrintContext, op: number, len: number, flags: number): boolean {
  if (!((len === 12 || len === 4) && (flags & SYN) !== 0) && !((len === 20 || len === 22) && (flags & (SYN | ACK)) === ACK)) return false;
  const version = c.u8(op + 2) & 0x0f;
  if (version > 1) { c.s += ' Unknown Version (' + version + ')'; return true; }
  c.s += ' v' + version;
  if ((c.u8(op + 3) & 0x80) !== 0) c.s += ' csum';
  if (len === 12 || len >= 20) {
    c.s += ' {0x' + u64Hex(c, op + 4);
    if (len >= 20) c.s += ',0x' + u64Hex(c, op + 12);
    c.s += '}';
  }
  return true;
}

function join(c: PrintContext, op: number, len: number, flags: number): boolean {
  if (!(len === 12 && (flags & SYN) !== 0) && !(len === 16 && (flags & (SYN | ACK)) === (SYN | ACK)) &&
      !(len === 24 && (flags & ACK) !== 0)) return false;
  if (len !== 24) {
    if ((c.u8(op + 2) & 1) !== 0) c.s += ' backup';
    c.s += ' id ' + c.u8(op + 3);
  }
  if (len === 12) {
    c.s += ' token 0x' + hex(c.u32(op + 4)) + ' nonce 0x' + hex(c.u32(op + 8));
  } else if (len === 16) {
    c.s += ' hmac 0x' + u64Hex(c, op + 4) + ' nonce 0x' + hex(c.u32(op + 12));
  } else {
    c.s += ' hmac 0x';
    for (let i = 0; i < 20; i++) c.s += HEX8[c.u8(op + 4 + i)]!;
  }
  return true;
}

/** Data sequence signal: flags F (fin), A/a (ack, 8 bytes with a), M/m (mapping, 8-byte DSN with m). */
function dss(c: PrintContext, op: number, len: number, flags: number): boolean {
  if (len < 4 || (flags & SYN) !== 0) return false;
  const f = c.u8(op + 3);
  if (f & 0x10) c.s += ' fin';
  let p = op + 4, left = len - 4;
  if (f & 0x01) {
    c.s += ' ack ';
    const n = (f & 0x02) !== 0 ? 8 : 4;
    if (left < n) return false;
    c.s += n === 8 ? u64Dec(c, p) : dec(c.u32(p));
    p += n; left -= n;
  }
  if (f & 0x04) {
    c.s += ' seq ';
    const n = (f & 0x08) !== 0 ? 8 : 4;
    if (left < n) return false;
    c.s += n === 8 ? u64Dec(c, p) : dec(c.u32(p));
    p += n; left -= n;
    if (left < 4) return false;
    c.s += ' subseq ' + dec(c.u32(p));
    p += 4; left -= 4;
    if (left < 2) return false;
    c.s += ' len ' + dec(c.u16(p));
    p += 2; left -= 2;
    if (left >= 2) { c.s += ' csum 0x' + hex(c.u16(p)); left -= 2; }
  }
  return left === 0;
}

function addAddress(c: PrintContext, op: number, len: number): boolean {
  const v4 = len === 8 || len === 10 || len === 16 || len === 18;
  const v6 = len === 20 || len === 22 || len === 28 || len === 30;
  if (!v4 && !v6) return false;
  const echo = c.u8(op + 2) & 0x0f;
  c.s += ' ' + (echo === 6 ? 'v0-ip6' : echo === 4 ? 'v0-ip4' : echo === 1 ? 'v1-echo' : echo === 0 ? 'v1' : '[bad version/echo]');
  c.s += ' id ' + c.u8(op + 3);
  const addrLen = v4 ? 4 : 16;
  c.need(op + 4, addrLen);
  c.s += ' ' + (v4 ? ipv4Text(c.b, op + 4) : ipv6Text(c.b, op + 4));
  const after = op + 4 + addrLen;
  const withPort = len === 10 || len === 18 || len === 22 || len === 30;
  if (withPort) c.s += ':' + dec(c.u16(after));
  if (len >= (v4 ? 16 : 28)) c.s += ' hmac 0x' + u64Hex(c, withPort ? after + 2 : after);
  return true;
}

/** `%PRIx64` */
function u64Hex(c: PrintContext, o: number): string {
  const hi = c.u32(o), lo = c.u32(o + 4);
  return hi === 0 ? hex(lo) : hex(hi) + hex(lo).padStart(8, '0');
}

/** `%PRIu64` */
function u64Dec(c: PrintContext, o: number): string {
  const hi = c.u32(o), lo = c.u32(o + 4);
  return hi === 0 ? dec(lo) : ((BigInt(hi) << 32n) | BigInt(lo)).toString();
}
