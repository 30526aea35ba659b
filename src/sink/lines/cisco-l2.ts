/** Cisco's link-local protocols over SNAP (print-udld.c, print-dtp.c): UDLD and DTP. */
import type { PrintContext } from './print-context.js';
import { macText } from './addresses.js';
import { dec, hex, hexPad, HEX8 } from './text-tables.js';
import { tcpdumpCharText } from '../sanitize.js';
import { paddedText } from './stp.js';
import { bitNames, type BitNames } from './tokens.js';

const UDLD_CODES = ['Reserved', 'Probe message', 'Echo message', 'Flush message'];
const UDLD_FLAGS: BitNames = [
  [1, 'RT'], [2, 'RSY'], [4, 'MBZ-2'], [8, 'MBZ-3'], [16, 'MBZ-4'], [32, 'MBZ-5'], [64, 'MBZ-6'], [128, 'MBZ-7'],
];
const UDLD_TLVS = new Map([
  [1, 'Device-ID TLV'], [2, 'Port-ID TLV'], [3, 'Echo TLV'], [4, 'Message Interval TLV'],
  [5, 'Timeout Interval TLV'], [6, 'Device Name TLV'], [7, 'Sequence Number TLV'],
]);

export function printUdld(c: PrintContext, p: number, length: number): void {
  c.proto = 'udld';
  if (length < 4) { c.s += ' (invalid)'; c.need(p, length); return; }
  const first = c.u8(p), flags = c.u8(p + 1);
  const code = first & 0x1f;
  c.s += 'UDLDv' + (first >> 5) + ', Code ' + (UDLD_CODES[code] ?? 'Reserved') + ' (' + hex(code) + '), Flags [' +
    bitNames(UDLD_FLAGS, flags, 'none') + '] (0x' + HEX8[flags] + '), length ' + dec(length);
  let o = p + 2;
  length -= 2;
  if (c.opts.verbose < 1) { c.need(o, length); return; }
  c.s += '\n\tChecksum 0x' + hexPad(c.u16(o), 4) + ' (unverified)';
  o += 2; length -= 2;
  while (length) {
    if (length < 4) return invalid(c, o, length);
    const type = c.u16(o), len = c.u16(o + 2);
    o += 4; length -= 4;
    c.s += '\n\t' + (UDLD_TLVS.get(type) ?? 'Unknown') + ' (0x' + hexPad(type, 4) + ') TLV, length ' + dec(len);
    if (len <= 4) return invalid(c, o, length);
    const n = len - 4;
    if (length < n) return invalid(c, o, length);
    switch (type) {
      case 1: case 2: case 6: c.s += ', ' + paddedText(c, o, n); break;
      case 3: c.s += ', ' + rawText(c, o, n); break;
      case 4: case 5:
        if (n !== 1) return invalid(c, o, length);
        c.s += ', ' + c.u8(o) + 's';
        break;
      case 7:
        if (n !== 4) return invalid(c, o, length);
        c.s += ', ' + dec(c.u32(o));
        break;
      default: c.need(o, n);
    }
    o += n; length -= n;
  }
}

/** nd_printn: every byte, NULs included, made safe for the terminal. */
function rawText(c: PrintContext, o: number, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += tcpdumpCharText(c.u8(o + i));
  return s;
}

function invalid(c: PrintContext, o: number, length: number): void {
  c.s += ' (invalid)';
  c.need(o, length);
}

const DTP_TLVS = new Map([[1, 'Domain'], [2, 'Status'], [3, 'DTP type'], [4, 'Neighbor']]);

export function printDtp(c: PrintContext, p: number, length: number): void {
  c.proto = 'dtp';
  if (length < 1) { c.s += '[zero packet length]'; return invalid(c, p, length); }
  c.s += 'DTPv' + c.u8(p) + ', length ' + dec(length);
  if (c.opts.verbose < 1) return;
  let o = p + 1;
  length -= 1;
  while (length) {
    if (length < 4) { c.s += '[' + length + ' bytes remaining]'; return invalid(c, o, length); }
    const type = c.u16(o), len = c.u16(o + 2);
    if (type === 0) return;
    c.s += '\n\t' + (DTP_TLVS.get(type) ?? 'Unknown') + ' (0x' + hexPad(type, 4) + ') TLV, length ' + dec(len);
    if (len < 4 || len > length) { c.s += '[invalid TLV length ' + len + ']'; return invalid(c, o, length); }
    switch (type) {
      case 1: c.s += ', ' + paddedText(c, o + 4, len - 4); break;
      case 2: case 3:
        if (len !== 5) return invalid(c, o, length);
        c.s += ', 0x' + hex(c.u8(o + 4));
        break;
      case 4:
        if (len !== 10) return invalid(c, o, length);
        c.need(o + 4, 6);
        c.s += ', ' + macText(c.b, o + 4);
        break;
      default: c.need(o, len);
    }
    o += len; length -= len;
  }
}
