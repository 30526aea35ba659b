/** PPPoE (print-pppoe.c): discovery packets with their tags, sessions with the PPP they carry. */
import { printPpp } from './ppp.js';
import type { PrintContext } from './print-context.js';
import { HEX8, hex } from './text-tables.js';

const CODE_NAMES: ReadonlyMap<number, string> = new Map([
  [0x09, 'PADI'], [0x07, 'PADO'], [0x19, 'PADR'], [0x65, 'PADS'], [0xa7, 'PADT'], [0, ''],
]);

const TAG_NAMES: ReadonlyMap<number, string> = new Map([
  [0x0000, 'EOL'], [0x0101, 'Service-Name'], [0x0102, 'AC-Name'], [0x0103, 'Host-Uniq'],
  [0x0104, 'AC-Cookie'], [0x0105, 'Vendor-Specific'], [0x0110, 'Relay-Session-ID'],
  [0x0120, 'PPP-Max-Payload'], [0x0201, 'Service-Name-Error'], [0x0202, 'AC-System-Error'],
  [0x0203, 'Generic-Error'],
]);

/** Tag text beyond this many characters is cut (tcpdump's MAXTAGPRINT buffer). */
const MAX_TAG_TEXT = 79;

export function printPppoe(c: PrintContext, bp: number, length: number): void {
  c.proto = 'pppoe';
  if (length < 6) { c.s += ' (length ' + length + ' < 6) (invalid)'; return; }
  length -= 6;
  c.need(bp, 6);
  const b = c.b;
  const version = b[bp]! >> 4, type = b[bp]! & 0x0f, code = b[bp + 1]!;
  const session = c.u16(bp + 2);
  let payloadLength = c.u16(bp + 4);
  if (version !== 1) c.s += ' [ver ' + version + ']';
  if (type !== 1) c.s += ' [type ' + type + ']';
  c.s += 'PPPoE ' + (CODE_NAMES.get(code) ?? 'PAD-' + hex(code));
  if (code === 0x09 && payloadLength > 1484 - 6) c.s += ' [len ' + payloadLength + '!]';
  if (payloadLength > length) { c.s += ' [len ' + payloadLength + ' > ' + length + '!]'; payloadLength = length; }
  if (session) c.s += ' [ses 0x' + hex(session) + ']';
  const payload = bp + 6;
  if (code === 0) {
    c.s += ' ';
    if (!c.enter()) return;
    printPpp(c, payload, payloadLength);
    return;
  }
  // Each tag moves on by at least four bytes, so the walk ends with the payload.
  let tag = 0xffff;
  for (let p = payload; tag !== 0 && p < payload + payloadLength;) {
    tag = c.u16(p);
    const tagLength = c.u16(p + 2);
    p += 4;
    const name = TAG_NAMES.get(tag) ?? 'TAG-0x' + hex(tag);
    if (tagLength === 0) { c.s += ' [' + name + ']'; continue; }
    c.need(p, tagLength);
    let text = '', printable = 0;
    const shown = Math.min(tagLength, MAX_TAG_TEXT);
    for (let i = 0; i < shown; i++) {
      const v = b[p + i]!;
      if (v >= 0x20 && v <= 0x7e) { text += String.fromCharCode(v); printable++; } else text += '.';
    }
    if (printable > shown - printable) c.s += ' [' + name + ' "' + text + '"]';
    else {
      let hexText = '';
      for (let i = 0; i < tagLength; i++) hexText += HEX8[b[p + i]!]!.toUpperCase();
      c.s += ' [' + name + ' 0x' + hexText + ']';
    }
    p += tagLength;
  }
}
