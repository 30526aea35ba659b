/**
 * RIP lines (print-rip.c, RFC 1058/2453/4822) and RIPng (print-ripng.c,
 * RFC 2080): "RIPv2, Response, length: 44"; -v lists the route entries and
 * authentication, -vv adds a hex dump. RIPng lists its entries always.
 */
import { ipv4Text, ipv6Text } from './addresses.js';
import { printUnknownData } from './hexdump.js';
import { BSD_AF_NAMES } from './link.js';
import type { PrintContext } from './print-context.js';
import { tcpdumpCharText } from '../sanitize.js';
import { dec, hexPad } from './text-tables.js';

const HEADER = 4;
const ROUTE_LENGTH = 20;
const AF_INET = 2;
const COMMANDS = ['', 'Request', 'Response', 'Trace on', 'Trace off', 'Poll', 'Poll Entry'];

export function printRip(c: PrintContext, bp: number, length: number): void {
  c.proto = 'rip';
  const v = c.opts.verbose;
  let len = Math.min(c.snapend - bp, length);
  if (len < HEADER) { c.trunc(); return; }
  len -= HEADER;
  const version = c.b[bp + 1]!, cmd = c.b[bp]!;
  c.s += (v >= 1 ? '\n\t' : '') + 'RIPv' + version;
  if (version === 0) { printUnknownData(c, bp, length, '\n\t'); return; }
  c.s += ', ' + ((cmd > 0 ? COMMANDS[cmd] : undefined) ?? 'unknown command (' + cmd + ')') + ', length: ' + length;
  if (v < 1) return;
  if (cmd === 1 || cmd === 2) {
    if (version === 1 || version === 2) {
      c.s += ', routes: ' + Math.floor(length / ROUTE_LENGTH) + (version === 2 ? ' or less' : '');
      for (let p = bp + HEADER; len !== 0;) {
        const size = version === 1 ? printEntryV1(c, p, len) : printEntryV2(c, p, len);
        if (size === 0) { c.trunc(); break; }
        if (len < size) { c.s += ' [remaining entries length ' + len + ' < ' + size + '] (invalid)'; break; }
        p += size;
        len -= size;
      }
    } else {
      c.s += ', unknown version';
    }
  } else if (cmd < 4 || cmd > 6) {
    if (v <= 1) printUnknownData(c, bp, length, '\n\t');
  }
  if (v > 1) printUnknownData(c, bp, length, '\n\t');
}

/** One RFC 1058 entry; 0 when it is not all there. */
function printEntryV1(c: PrintContext, p: number, remaining: number): number {
  if (remaining < ROUTE_LENGTH || !c.has(p, ROUTE_LENGTH)) return 0;
  const family = c.u16(p);
  if (family !== AF_INET && family !== 0) {
    c.s += '\n\t AFI ' + afName(family) + ', ';
    printUnknownData(c, p + 4, ROUTE_LENGTH - 4, '\n\t  ');
    return ROUTE_LENGTH;
  }
  if (c.u16(p + 2) !== 0 || c.u32(p + 8) !== 0 || c.u32(p + 12) !== 0) {
    printUnknownData(c, p, ROUTE_LENGTH, '\n\t  ');
    return ROUTE_LENGTH;
  }
  c.s += (family === 0 ? '\n\t  AFI 0, ' : '\n\t  ') + ipv4Text(c.b, p + 4) + ', metric: ' + dec(c.u32(p + 16));
  return ROUTE_LENGTH;
}

/** One RFC 2453 entry or authentication block; 0 when it is not all there. */
function printEntryV2(c: PrintContext, p: number, remaining: number): number {
  if (remaining < 4 || !c.has(p, 4)) return 0;
  const family = c.u16(p);
  if (family === 0xffff) {
    const authType = c.u16(p + 2);
    p += 4;
    remaining -= 4;
    if (authType === 2) {
      c.s += '\n\t  Simple Text Authentication data: ';
      for (let i = 0; i < 16; i++) {
        const ch = c.u8(p + i);
        if (ch === 0) break;
        c.s += tcpdumpCharText(ch);
      }
    } else if (authType === 3) {
      if (!c.has(p, 16) || remaining < 16) return 0;
      c.s += '\n\t  Auth header: Packet Len ' + c.u16(p) + ', Key-ID ' + c.b[p + 2]! + ', Auth Data Len ' + c.b[p + 3]! +
        ', SeqNo ' + dec(c.u32(p + 4)) + ', MBZ ' + dec(c.u32(p + 8)) + ', MBZ ' + dec(c.u32(p + 12));
    } else {
      // Runs to the end of the packet.
      c.s += authType === 1 ? '\n\t  Auth trailer:' : '\n\t  Unknown (' + authType + ') Authentication data:';
      printUnknownData(c, p, remaining, '\n\t  ');
      return 4 + remaining;
    }
  } else if (family !== AF_INET && family !== 0) {
    c.s += '\n\t  AFI ' + afName(family);
    printUnknownData(c, p + 4, ROUTE_LENGTH - 4, '\n\t  ');
  } else {
    if (!c.has(p, ROUTE_LENGTH) || remaining < ROUTE_LENGTH) return 0;
    const next = c.u32(p + 12);
    c.s += '\n\t  AFI ' + (family === AF_INET ? 'IPv4' : '0') + ', ' + ipv4Text(c.b, p + 4).padStart(15, ' ') + '/' +
      String(maskLength(c.u32(p + 8))).padEnd(2, ' ') + ', tag 0x' + hexPad(c.u16(p + 2), 4) + ', metric: ' + dec(c.u32(p + 16)) +
      ', next-hop: ' + (next !== 0 ? ipv4Text(c.b, p + 12) : 'self');
  }
  return ROUTE_LENGTH;
}

function afName(family: number): string {
  return BSD_AF_NAMES.get(family) ?? 'Unknown (' + family + ')';
}

/** mask2plen: the prefix length of a contiguous netmask, -1 for any other. */
function maskLength(mask: number): number {
  for (let n = 32; n >= 0; n--) {
    if ((n === 0 ? 0 : (0xffffffff << (32 - n)) >>> 0) === mask) return n;
  }
  return -1;
}

const NETINFO6 = 20;

export function printRipng(c: PrintContext, bp: number, length: number): void {
  c.proto = 'ripng';
  const version = c.u8(bp + 1);
  if (version !== 1) { c.s += ' [vers ' + version + '] (invalid)'; return; }
  const cmd = c.u8(bp);
  if (cmd !== 1 && cmd !== 2) { c.s += ' ripng-' + cmd + ' ?? ' + length + ' (invalid)'; return; }
  if (length < HEADER) { c.s += ' (invalid)'; return; }
  let left = length - HEADER;
  const n = Math.floor(left / NETINFO6);
  const request = cmd === 1;
  if (request && n === 1 && c.u8(bp + HEADER + 19) === 16 && isUnspecified(c.b, bp + HEADER)) {
    c.s += ' ripng-req dump';
    return;
  }
  c.s += (request ? ' ripng-req ' : ' ripng-resp ') + n + (n * NETINFO6 !== left ? '[' + length + ']:' : ':');
  for (let ni = bp + HEADER; left >= NETINFO6; left -= NETINFO6, ni += NETINFO6) {
    c.s += c.opts.verbose > 1 ? '\n\t' : ' ';
    c.need(ni, 16);
    c.s += ipv6Text(c.b, ni) + '/' + c.u8(ni + 18);
    const tag = c.u16(ni + 16);
    if (tag) c.s += ' [' + tag + ']';
    const metric = c.u8(ni + 19);
    if (metric && !request) c.s += ' (' + metric + ')';
  }
  if (left !== 0) c.s += ' (invalid)';
}

function isUnspecified(b: Uint8Array, o: number): boolean {
  for (let i = 0; i < 16; i++) if (b[o + i] !== 0) return false;
  return true;
}
