/**
 * GRE (print-gre.c): version 0 with its optional checksum, key, sequence
 * number and source routes, version 1 (PPTP's enhanced GRE), then the
 * payload by protocol type. tcpdump 4.99 has no ERSPAN dissector: ERSPAN's
 * 0x88be and 0x22eb show as "gre-proto-0x88be".
 */
import { ipv4Text } from './addresses.js';
import { printEncapsulatedEthernet } from './link.js';
import { printIpv4 } from './ipv4.js';
import { printIpv6 } from './ipv6.js';
import { printMpls } from './mpls.js';
import { printPpp } from './ppp.js';
import type { PrintContext } from './print-context.js';
import { ETHERTYPE_NAMES, dec, hex, hexPad } from './text-tables.js';

const CHECKSUM = 0x8000, ROUTING = 0x4000, KEY = 0x2000, SEQUENCE = 0x1000, STRICT_ROUTE = 0x0800, ACK = 0x0080;
const FLAG_NAMES: readonly (readonly [number, string])[] = [
  [CHECKSUM, 'checksum present'], [ROUTING, 'routing present'], [KEY, 'key present'],
  [SEQUENCE, 'sequence# present'], [STRICT_ROUTE, 'source routing present'], [ACK, 'ack present'],
];

/** bittok2str(gre_flag_values, "none", flags). */
function flagText(flags: number): string {
  let s = '';
  for (const [bit, name] of FLAG_NAMES) if (flags & bit) s += (s ? ', ' : '') + name;
  return s || 'none';
}

export function printGre(c: PrintContext, bp: number, length: number): void {
  c.proto = 'gre';
  if (!c.has(bp, 2) || length < 2) { c.trunc(); return; }
  const flags = c.u16(bp);
  const version = flags & 7;
  c.s += 'GREv' + version;
  if (version === 0) printVersion0(c, bp, length, flags);
  else if (version === 1) printVersion1(c, bp, length, flags);
  else c.s += ' ERROR: unknown-version';
}

/** Reads `n` header bytes at `bp` of the `len` left, or ends the line as tcpdump's trunc label does. */
function fits(c: PrintContext, bp: number, n: number, len: number): boolean {
  if (c.has(bp, n) && len >= n) return true;
  c.trunc();
  return false;
}

function printVersion0(c: PrintContext, bp: number, length: number, flags: number): void {
  if (c.opts.verbose > 0) c.s += ', Flags [' + flagText(flags) + ']';
  let len = length - 2;
  bp += 2;
  if (!fits(c, bp, 2, len)) return;
  const proto = c.u16(bp);
  bp += 2; len -= 2;
  if (flags & (CHECKSUM | ROUTING)) {
    if (!fits(c, bp, 2, len)) return;
    if (c.opts.verbose > 0) c.s += ', sum 0x' + hex(c.u16(bp));
    bp += 2; len -= 2;
    if (!fits(c, bp, 2, len)) return;
    c.s += ', off 0x' + hex(c.u16(bp));
    bp += 2; len -= 2;
  }
  if (flags & KEY) {
    if (!fits(c, bp, 4, len)) return;
    c.s += ', key=0x' + hex(c.u32(bp));
    bp += 4; len -= 4;
  }
  if (flags & SEQUENCE) {
    if (!fits(c, bp, 4, len)) return;
    c.s += ', seq ' + dec(c.u32(bp));
    bp += 4; len -= 4;
  }
  if (flags & ROUTING) {
    // Each entry takes at least 4 bytes of `len`, so the walk ends.
    for (;;) {
      if (!fits(c, bp, 4, len)) return;
      const family = c.u16(bp), offset = c.u8(bp + 2), entryLength = c.u8(bp + 3);
      bp += 4; len -= 4;
      if (family === 0 && entryLength === 0) break;
      if (!printSourceRoute(c, family, offset, entryLength, bp, len)) { c.trunc(); return; }
      if (len < entryLength) { c.trunc(); return; }
      bp += entryLength; len -= entryLength;
    }
  }
  protoAndLength(c, proto, length);
  c.s += c.opts.verbose > 0 ? '\n\t' : ': ';
  switch (proto) {
    case 0x0800: printIpv4(c, bp, len); return;
    case 0x86dd: printIpv6(c, bp, len); return;
    case 0x8847: printMpls(c, bp, len); return;
    case 0x6558: printEncapsulatedEthernet(c, bp, len); return;
    case 0x8137: c.s += 'IPX, length ' + len; return; // tcpdump dissects these three; we do not
    case 0x809b: c.s += 'Appletalk, length ' + len; return;
    case 0x00fe: c.s += 'OSI, length ' + len; return;
    default: c.s += 'gre-proto-0x' + hex(proto);
  }
}

/** -e's protocol, the length, and the demarcation before the payload. */
function protoAndLength(c: PrintContext, proto: number, length: number): void {
  if (c.opts.link) c.s += ', proto ' + (ETHERTYPE_NAMES.get(proto) ?? 'unknown') + ' (0x' + hexPad(proto, 4) + ')';
  c.s += ', length ' + dec(length);
}

function printVersion1(c: PrintContext, bp: number, length: number, flags: number): void {
  let len = length - 2;
  bp += 2;
  if (c.opts.verbose > 0) c.s += ', Flags [' + flagText(flags) + ']';
  if (!fits(c, bp, 2, len)) return;
  const proto = c.u16(bp);
  bp += 2; len -= 2;
  if (flags & KEY) {
    if (!fits(c, bp, 4, len)) return;
    c.s += ', call ' + (c.u32(bp) & 0xffff);
    bp += 4; len -= 4;
  }
  if (flags & SEQUENCE) {
    if (!fits(c, bp, 4, len)) return;
    c.s += ', seq ' + dec(c.u32(bp));
    bp += 4; len -= 4;
  }
  if (flags & ACK) {
    if (!fits(c, bp, 4, len)) return;
    c.s += ', ack ' + dec(c.u32(bp));
    bp += 4; len -= 4;
  }
  if ((flags & SEQUENCE) === 0) c.s += ', no-payload';
  protoAndLength(c, proto, length);
  if ((flags & SEQUENCE) === 0) return;
  c.s += c.opts.verbose > 0 ? '\n\t' : ': ';
  if (proto === 0x880b) printPpp(c, bp, len);
  else c.s += 'gre-proto-0x' + hex(proto);
}

/** gre_sre_print: IP and AS-number source routes; false when one runs past `len`. */
function printSourceRoute(c: PrintContext, family: number, offset: number, entryLength: number, bp: number, len: number): boolean {
  if (family === 0x0800) {
    c.s += ', (rtaf=ip';
    const ok = routeEntries(c, offset, entryLength, bp, len, 4);
    c.s += ')';
    return ok;
  }
  if (family === 0xfffe) {
    c.s += ', (rtaf=asn';
    const ok = routeEntries(c, offset, entryLength, bp, len, 2);
    c.s += ')';
    return ok;
  }
  c.s += ', (rtaf=0x' + hex(family) + ')';
  return true;
}

/** The hops of one source route entry, the next one starred. False when they run past the capture or `len`. */
function routeEntries(c: PrintContext, offset: number, entryLength: number, bp: number, len: number, size: number): boolean {
  if (offset % size !== 0) { c.s += ', badoffset=' + offset; return true; }
  if (entryLength % size !== 0) { c.s += ', badlength=' + entryLength; return true; }
  if (offset >= entryLength) { c.s += ', badoff/len=' + offset + '/' + entryLength; return true; }
  for (let at = 0; at < entryLength; at += size, len -= size) {
    if (!c.has(bp + at, size) || len < size) return false;
    const hop = size === 4 ? ipv4Text(c.b, bp + at) : hex(c.u16(bp + at));
    c.s += ' ' + (at === offset ? '*' : '') + hop;
  }
  return true;
}
