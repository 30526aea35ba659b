/**
 * LISP control lines (print-lisp.c, RFC 6830/6833): the message type, and for
 * Map-Register and Map-Notify their EID records, locators, xTR-ID and
 * Site-ID; -v adds flags, TTLs and priorities.
 */
import { ipv4Text, ipv6Text } from './addresses.js';
import { printHex } from './hexdump.js';
import type { PrintContext } from './print-context.js';
import { dec } from './text-tables.js';
import { bitNames, type BitNames } from './tokens.js';

const MAP_REGISTER = 3, MAP_NOTIFY = 4;
const HEADER = 16, EID_RECORD = 12, LOCATOR = 8;
const AFI_IPV4 = 1, AFI_IPV6 = 2;
const TYPES: ReadonlyMap<number, string> = new Map([
  [0, 'LISP-Reserved'], [1, 'LISP-Map-Request'], [2, 'LISP-Map-Reply'], [3, 'LISP-Map-Register'],
  [4, 'LISP-Map-Notify'], [8, 'LISP-Encapsulated-Contol-Message'],
]);
const REGISTER_FLAGS: BitNames = [
  [0x08000000, 'P-Proxy-Map-Reply'], [0x04000000, 'S-LISP-SEC-Capable'], [0x02000000, 'I-xTR-ID-Present'],
  [0x01000000, 'R-Build-For-RTR'], [0x00000100, 'M-Want-Map-Notify'],
];
const NOTIFY_FLAGS: BitNames = [[0x08000000, 'I-xTR-ID-Present'], [0x04000000, 'R-Build-For-RTR']];
const LOCATOR_FLAGS: BitNames = [[0x0004, 'Local-Locator'], [0x0002, 'RLoc-Probed'], [0x0001, 'Reachable']];
const AUTH_TYPES = ['None', 'SHA1', 'SHA256'];
const ACTIONS = ['No-Action', 'Natively-Forward', 'Send-Map-Request', 'Drop'];

export function printLisp(c: PrintContext, bp: number, length: number): void {
  c.proto = 'lisp';
  const v = c.opts.verbose > 0;
  c.need(bp, HEADER);
  const first = c.b[bp]!, type = first >> 4;
  c.s += (TYPES.get(type) ?? 'unknown-type-' + type) + ',';
  if (v && (type === MAP_REGISTER || type === MAP_NOTIFY)) {
    c.s += ' flags [' + bitNames(type === MAP_REGISTER ? REGISTER_FLAGS : NOTIFY_FLAGS, c.u32(bp), 'none') + '],';
  }
  if (type !== MAP_REGISTER && type !== MAP_NOTIFY) return;
  const xtrPresent = (first & (type === MAP_REGISTER ? 2 : 8)) !== 0;
  const authLength = c.u16(bp + 14);
  let records = c.b[bp + 3]!;
  if (v) {
    const keyId = c.u16(bp + 12);
    c.s += '\n    ' + records + ' record(s), Authentication ' + (AUTH_TYPES[keyId] ?? 'unknown-type') + ',';
    printHex(c, bp + HEADER, authLength, '\n    Authentication-Data: ');
  } else {
    c.s += ' ' + records + ' record(s),';
  }
  // tcpdump keeps this offset in 16 bits; a huge authentication length wraps it.
  let off = (HEADER + authLength) & 0xffff;
  if (records === 0) { c.s += ' (invalid)'; return; }
  while (length > off && records !== 0) {
    records--;
    c.need(bp + off, EID_RECORD);
    const eid = bp + off;
    c.s += '\n';
    off = (off + EID_RECORD) & 0xffff;
    const maskLength = c.b[eid + 5]!, afi = c.u16(eid + 10);
    let locators = c.b[eid + 4]!;
    if (v) {
      const flags = c.b[eid + 6]!;
      c.s += '      Record TTL ' + dec(c.u32(eid)) + ',' + (flags & 0x10 ? ' Authoritative,' : ' Non-Authoritative,') +
        ' ' + (ACTIONS[flags >> 5] ?? 'unknown') + ', Map Version: ' + (c.u16(eid + 8) & 0x0fff) + ',';
    }
    if (afi === AFI_IPV4) {
      c.need(bp + off, 4);
      c.s += ' EID ' + ipv4Text(c.b, bp + off) + '/' + maskLength + ',';
      off = (off + 4) & 0xffff;
    } else if (afi === AFI_IPV6) {
      c.need(bp + off, 16);
      c.s += ' EID ' + ipv6Text(c.b, bp + off) + '/' + maskLength + ',';
      off = (off + 16) & 0xffff;
    } else {
      return; // LCAF and other families are not decoded.
    }
    c.s += ' ' + locators + ' locator(s)';
    while (locators !== 0) {
      locators--;
      c.need(bp + off, LOCATOR);
      const loc = bp + off;
      off = (off + LOCATOR) & 0xffff;
      const locAfi = c.u16(loc + 6);
      if (v) c.s += '\n       ';
      if (locAfi === AFI_IPV4) {
        c.need(bp + off, 4);
        c.need(loc + LOCATOR, 4);
        c.s += ' LOC ' + ipv4Text(c.b, loc + LOCATOR);
        off = (off + 4) & 0xffff;
      } else if (locAfi === AFI_IPV6) {
        c.need(bp + off, 16);
        c.need(loc + LOCATOR, 16);
        c.s += ' LOC ' + ipv6Text(c.b, loc + LOCATOR);
        off = (off + 16) & 0xffff;
      }
      if (v) {
        c.s += '\n          Priority/Weight ' + c.b[loc]! + '/' + c.b[loc + 1]! + ', Multicast Priority/Weight ' +
          c.b[loc + 2]! + '/' + c.b[loc + 3]! + ', flags [' + bitNames(LOCATOR_FLAGS, c.u16(loc + 4), 'none') + '],';
      }
    }
  }
  const at = bp + off;
  if (xtrPresent) {
    if (!c.has(at, 24)) { c.s += ' (invalid)'; return; }
    printHex(c, at, 16, '\n    xTR-ID: ');
    const siteId = (BigInt(c.u32(at + 16)) << 32n) | BigInt(c.u32(at + 20));
    c.s += '\n    SITE-ID: ' + siteId.toString();
  } else if (at < c.snapend) {
    printHex(c, at, c.snapend - at, '\n    Data: ');
  }
}
