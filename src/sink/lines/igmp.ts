/** IGMP (print-igmp.c): queries, v1/v2/v3 reports and leaves; DVMRP, PIMv1 and mtrace only named. */
import { ipv4Text } from './addresses.js';
import { finish, sum16 } from './checksum.js';
import type { PrintContext } from './print-context.js';
import { hex } from './text-tables.js';

/** IGMP types tcpdump dissects further than this printer does (DVMRP, PIMv1, mtrace). */
export const IGMP_TYPES_NOT_DISSECTED: ReadonlySet<number> = new Set([0x13, 0x14, 0x1e, 0x1f]);

const RECORD_TYPES = ['', 'is_in', 'is_ex', 'to_in', 'to_ex', 'allow', 'block'];

function address(c: PrintContext, o: number): string {
  c.need(o, 4);
  return ipv4Text(c.b, o);
}

export function printIgmp(c: PrintContext, bp: number, len: number): void {
  c.proto = 'igmp';
  if (c.opts.quiet) { c.s += 'igmp'; return; }
  const type = c.u8(bp);
  switch (type) {
    case 0x11:
      c.s += 'igmp query';
      if (len >= 12) { printV3Query(c, bp, len); break; }
      if (c.u8(bp + 1)) {
        c.s += ' v2';
        if (c.b[bp + 1] !== 100) c.s += ' [max resp time ' + c.b[bp + 1] + ']';
      } else c.s += ' v1';
      if (c.u32(bp + 4)) c.s += ' [gaddr ' + address(c, bp + 4) + ']';
      if (len !== 8) c.s += ' [len ' + len + ']';
      break;
    case 0x12:
      c.s += 'igmp v1 report ' + address(c, bp + 4);
      if (len !== 8) c.s += ' [len ' + len + ']';
      break;
    case 0x16: c.s += 'igmp v2 report ' + address(c, bp + 4); break;
    case 0x22: c.s += 'igmp v3 report'; printV3Report(c, bp, len); break;
    case 0x17: c.s += 'igmp leave ' + address(c, bp + 4); break;
    case 0x13: c.s += 'igmp dvmrp'; if (len < 8) c.s += ' [len ' + len + ']'; break;
    case 0x14: c.s += 'igmp pimv1'; break;
    case 0x1e: c.s += 'mresp'; break;
    case 0x1f: c.s += 'mtrace'; break;
    default: c.s += 'igmp-' + type;
  }
  if (c.opts.verbose > 0 && len >= 4 && c.has(bp, len) && finish(sum16(c.b, bp, len)) !== 0) {
    c.s += ' bad igmp cksum ' + hex(c.u16(bp + 2)) + '!';
  }
}

function printV3Report(c: PrintContext, bp: number, len: number): void {
  if (len < 16 || len & 3) { c.s += ' [invalid len ' + len + ']'; return; }
  const groups = c.u16(bp + 6);
  c.s += ', ' + groups + ' group record(s)';
  if (c.opts.verbose === 0) return;
  let at = 8;
  // Each record moves on by at least eight bytes of `len`.
  for (let i = 0; i < groups; i++) {
    if (len < at + 8) { c.s += ' [invalid number of groups]'; return; }
    c.s += ' [gaddr ' + address(c, bp + at + 4);
    const recordType = c.u8(bp + at);
    c.s += ' ' + (RECORD_TYPES[recordType] || ' [v3-report-#' + recordType + ']');
    const sources = c.u16(bp + at + 2);
    if (len < at + 8 + sources * 4) { c.s += ' [invalid number of sources ' + sources + ']'; return; }
    if (c.opts.verbose === 1) c.s += ', ' + sources + ' source(s)';
    else {
      c.s += ' {';
      for (let j = 0; j < sources; j++) c.s += ' ' + address(c, bp + at + 8 + j * 4);
      c.s += ' }';
    }
    at += 8 + sources * 4;
    c.s += ']';
  }
}

function printV3Query(c: PrintContext, bp: number, len: number): void {
  c.s += ' v3';
  if (len < 12 || len & 3) { c.s += ' [invalid len ' + len + ']'; return; }
  const code = c.u8(bp + 1);
  const tenths = code < 128 ? code : ((code & 0x0f) | 0x10) << (((code & 0x70) >> 4) + 3);
  if (code !== 100) {
    c.s += ' [max resp time ' + (tenths < 600 ? (tenths / 10).toFixed(1) + 's' : relativeTime(Math.floor(tenths / 10))) + ']';
  }
  if (c.u32(bp + 4) === 0) return;
  c.s += ' [gaddr ' + address(c, bp + 4);
  const sources = c.u16(bp + 10);
  if (sources > 0) {
    if (len < 12 + sources * 4) c.s += ' [invalid number of sources]';
    else if (c.opts.verbose > 1) {
      c.s += ' {';
      for (let i = 0; i < sources; i++) c.s += ' ' + address(c, bp + 12 + i * 4);
      c.s += ' }';
    } else c.s += ', ' + sources + ' source(s)';
  }
  c.s += ']';
}

const UNITS: readonly (readonly [number, string])[] = [[31536000, 'y'], [604800, 'w'], [86400, 'd'], [3600, 'h'], [60, 'm'], [1, 's']];

/** unsigned_relts_print: "1h2m3s". */
export function relativeTime(secs: number): string {
  if (secs === 0) return '0s';
  let s = '';
  for (const [unit, name] of UNITS) {
    if (secs >= unit) { s += Math.floor(secs / unit) + name; secs %= unit; }
  }
  return s;
}
