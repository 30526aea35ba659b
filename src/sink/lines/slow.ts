/**
 * IEEE 802.3 slow protocols (print-slow.c), ethertype 0x8809: LACP, Marker
 * and OAM by subtype, with the length; -v adds LACP and Marker TLVs. OAM's
 * -v details are not dissected here (linkProtocolExact leaves them out).
 */
import { macText } from './addresses.js';
import { unknownDataLines } from './hexdump.js';
import type { PrintContext } from './print-context.js';
import { bitNames, type BitNames } from './tokens.js';
import { HEX8, hexPad } from './text-tables.js';

const LACP = 1, MARKER = 2, OAM = 3;
const SUBTYPE_NAMES = ['', 'LACP', 'MARKER', 'OAM'];

const STATE_FLAGS: BitNames = [
  [0x01, 'Activity'], [0x02, 'Timeout'], [0x04, 'Aggregation'], [0x08, 'Synchronization'],
  [0x10, 'Collecting'], [0x20, 'Distributing'], [0x40, 'Default'], [0x80, 'Expired'],
];

/** True when this printer prints the subtype as tcpdump does at this verbosity. */
export function slowPrintedExactly(subtype: number, verbose: number): boolean {
  return subtype !== OAM || verbose === 0;
}

export function printSlow(c: PrintContext, p: number, len: number): void {
  c.proto = 'slow';
  const v = c.opts.verbose;
  if (len < 1) { tooShort(c); return; }
  const subtype = c.u8(p);
  if (subtype === LACP || subtype === MARKER) {
    if (len < 2) { tooShort(c); return; }
    const version = c.u8(p + 1);
    if (version !== 1) { c.s += SUBTYPE_NAMES[subtype] + ' version ' + version + ' packet not supported'; return; }
    c.s += SUBTYPE_NAMES[subtype] + 'v' + version + ', length ' + len;
    if (v > 0) printTlvs(c, p + 2, len - 2, subtype);
    return;
  }
  if (subtype === OAM) { c.s += 'OAM, length ' + len; return; }
  c.s += 'unknown (' + subtype + '), length ' + len + unknownDataLines(c.b, p, len, c.snapend, '\n\t');
}

function tooShort(c: PrintContext): void {
  c.s += c.opts.verbose === 0 ? ' (packet is too short)' : '\n\t\t packet is too short';
}

function tlvName(subtype: number, type: number): string {
  if (type === 0) return 'Terminator';
  if (subtype === LACP) return type === 1 ? 'Actor Information' : type === 2 ? 'Partner Information' : type === 3 ? 'Collector Information' : 'Unknown';
  return type === 1 ? 'Marker Information' : 'Unknown';
}

/** LACP and Marker TLVs; each one moves on by at least its two header bytes. */
function printTlvs(c: PrintContext, p: number, left: number, subtype: number): void {
  const v = c.opts.verbose;
  while (left > 0) {
    if (left < 2) { c.s += '\n\t\t packet is too short'; return; }
    const type = c.u8(p), tlvLen = c.u8(p + 1);
    c.s += '\n\t' + tlvName(subtype, type) + ' TLV (0x' + HEX8[type] + '), length ' + tlvLen;
    if (type === 0) return;
    if (tlvLen < 2) { c.s += '\n\t    ERROR: illegal length - should be >= 2'; return; }
    if (left < tlvLen) { c.s += '\n\t\t packet is too short'; return; }
    c.need(p, tlvLen);
    const body = p + 2, bodyLen = tlvLen - 2;
    const expected = subtype === LACP ? (type === 1 || type === 2 ? 18 : type === 3 ? 14 : -1) : type === 1 ? 14 : -1;
    if (expected < 0) {
      if (v <= 1) c.s += unknownDataLines(c.b, body, bodyLen, c.snapend, '\n\t  ');
    } else if (bodyLen !== expected) {
      c.s += '\n\t    ERROR: illegal length - should be ' + (expected + 2);
    } else if (subtype === MARKER) {
      c.s += '\n\t  Request System ' + macText(c.b, body + 2) + ', Request Port ' + c.u16(body) +
        ', Request Transaction ID 0x' + hexPad(c.u32(body + 8), 8);
    } else if (type === 3) {
      c.s += '\n\t  Max Delay ' + c.u16(body);
    } else {
      c.s += '\n\t  System ' + macText(c.b, body + 2) + ', System Priority ' + c.u16(body) + ', Key ' + c.u16(body + 8) +
        ', Port ' + c.u16(body + 12) + ', Port Priority ' + c.u16(body + 10) +
        '\n\t  State Flags [' + bitNames(STATE_FLAGS, c.b[body + 14]!, 'none') + ']';
    }
    if (v > 1) c.s += unknownDataLines(c.b, body, bodyLen, c.snapend, '\n\t  ');
    p += tlvLen;
    left -= tlvLen;
  }
}
