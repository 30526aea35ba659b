/**
 * IPv6 mobility header (print-mobility.c), next header 135 (and the old 62):
 * the message type and its fields; -v adds cookies, tokens and the options.
 * tcpdump ends the line after it, whatever follows.
 */
import { ipv6Text } from './addresses.js';
import { TRUNCATED, type PrintContext } from './print-context.js';
import { bitNames, type BitNames } from './tokens.js';
import { HEX8, hexPad } from './text-tables.js';

const MIN_LENGTH = 8;
const TYPE_NAMES = ['BRR', 'HoTI', 'CoTI', 'HoT', 'CoT', 'BU', 'BA', 'BE'];
/** The smallest header each type fits in. */
const TYPE_MIN_LENGTH = [8, 16, 16, 24, 24, 12, 12, 24];
const UPDATE_BITS: BitNames = [[0x08, 'A'], [0x04, 'H'], [0x02, 'L'], [0x01, 'K']];

/** Cookie or token: "%08x:%08x". */
function pair(c: PrintContext, o: number): string {
  return hexPad(c.u32(o), 8) + ':' + hexPad(c.u32(o + 4), 8);
}

export function printMobility(c: PrintContext, bp: number): void {
  c.proto = 'mobility';
  const v = c.opts.verbose;
  const mhlen = (c.u8(bp + 1) + 1) << 3;
  const type = c.u8(bp + 2);
  if (type < TYPE_NAMES.length && mhlen < TYPE_MIN_LENGTH[type]!) {
    c.s += '(header length ' + mhlen + ' is too small for type ' + type + ')';
    c.trunc();
    return;
  }
  c.s += 'mobility: ' + (TYPE_NAMES[type] ?? 'type-#' + type);
  let hlen = MIN_LENGTH;
  switch (type) {
    case 0: break;
    case 1: case 2:
      if (v > 0) c.s += (type === 1 ? ' Home' : ' Care-of') + ' Init Cookie=' + pair(c, bp + hlen);
      hlen += 8;
      break;
    case 3: case 4: {
      c.s += ' nonce id=0x' + c.u16(bp + 6).toString(16);
      const who = type === 3 ? ' Home' : ' Care-of';
      if (v > 0) c.s += who + ' Init Cookie=' + pair(c, bp + hlen);
      hlen += 8;
      if (v > 0) c.s += who + ' Keygen Token=' + pair(c, bp + hlen);
      hlen += 8;
      break;
    }
    case 5: {
      c.s += ' seq#=' + c.u16(bp + 6);
      c.need(bp + hlen, 2);
      const bits = c.b[bp + hlen]! >> 4;
      if (bits !== 0) c.s += ' ' + bitNames(UPDATE_BITS, bits, '', '');
      hlen += 2;
      c.s += ' lifetime=' + (c.u16(bp + hlen) << 2);
      hlen += 2;
      break;
    }
    case 6:
      c.s += ' status=' + c.u8(bp + 6);
      if (c.u8(bp + 7) & 0x80) c.s += ' K';
      c.s += ' seq#=' + c.u16(bp + hlen);
      hlen += 2;
      c.s += ' lifetime=' + (c.u16(bp + hlen) << 2);
      hlen += 2;
      break;
    case 7:
      c.s += ' status=' + c.u8(bp + 6);
      c.need(bp + hlen, 16);
      c.s += ' homeaddr ' + ipv6Text(c.b, bp + hlen);
      hlen += 16;
      break;
    default:
      c.s += ' len=' + c.u8(bp + 1);
      return;
  }
  if (v > 0) printOptions(c, bp + hlen, mhlen - hlen);
}

/** Mobility options; a cut-off one ends the line with the marker. Each moves on by at least one byte. */
function printOptions(c: PrintContext, bp: number, len: number): void {
  for (let i = 0, optlen = 0; i < len; i += optlen) {
    const kind = c.u8(bp + i);
    if (kind === 0) optlen = 1;
    else if (i + 1 < len) optlen = c.u8(bp + i + 1) + 2;
    else throw TRUNCATED;
    if (i + optlen > len) throw TRUNCATED;
    c.need(bp + i + optlen, 1);
    const left = len - i;
    switch (kind) {
      case 0: c.s += '(pad1)'; break;
      case 1: c.s += '(padn)'; break;
      case 2:
        if (left < 4) { c.s += '(refresh: trunc)'; throw TRUNCATED; }
        c.s += '(refresh: ' + (c.u16(bp + i + 2) << 2) + ')';
        break;
      case 3:
        if (left < 18) { c.s += '(altcoa: trunc)'; throw TRUNCATED; }
        c.need(bp + i + 2, 16);
        c.s += '(alt-CoA: ' + ipv6Text(c.b, bp + i + 2) + ')';
        break;
      case 4:
        if (left < 6) { c.s += '(ni: trunc)'; throw TRUNCATED; }
        c.s += '(ni: ho=0x' + hexPad(c.u16(bp + i + 2), 4) + ' co=0x' + hexPad(c.u16(bp + i + 4), 4) + ')';
        break;
      case 5:
        if (left < 12) { c.s += '(auth: trunc)'; throw TRUNCATED; }
        c.s += '(auth)';
        break;
      default:
        c.s += '(type-0x' + HEX8[kind] + ': len=' + c.u8(bp + i + 1) + ')';
    }
  }
}
