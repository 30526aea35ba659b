/** Ethernet configuration testing protocol, ethertype 0x9000 (print-loopback.c). */
import type { PrintContext } from './print-context.js';
import { macText } from './addresses.js';
import { dec } from './text-tables.js';

function le16(c: PrintContext, o: number): number {
  return c.u8(o) | (c.u8(o + 1) << 8);
}

function invalid(c: PrintContext, o: number, len: number): void {
  c.s += ' (invalid)';
  c.need(o, len);
}

export function printLoopback(c: PrintContext, o: number, len: number): void {
  c.proto = 'loopback';
  c.s += 'Loopback';
  if (len < 2) return invalid(c, o, len);
  const skip = le16(c, o);
  o += 2; len -= 2;
  c.s += ', skipCount ' + skip + (skip % 8 ? ' (bogus)' : '');
  if (skip > len) return invalid(c, o, len);
  c.need(o, skip);
  o += skip; len -= skip;
  if (len < 2) return invalid(c, o, len);
  const fn = le16(c, o);
  o += 2; len -= 2;
  c.s += ', ' + (fn === 1 ? 'Reply' : fn === 2 ? 'Forward Data' : ' invalid (' + fn + ')');
  if (fn === 1) {
    if (len < 2) return invalid(c, o, len);
    c.s += ', receipt number ' + le16(c, o);
    o += 2; len -= 2;
  } else if (fn === 2) {
    if (len < 6) return invalid(c, o, len);
    c.need(o, 6);
    c.s += ', forwarding address ' + macText(c.b, o);
    o += 6; len -= 6;
  }
  if (fn === 1 || fn === 2) c.s += ', data (' + dec(len) + ' octets)';
  c.need(o, len);
}
