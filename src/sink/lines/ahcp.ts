/**
 * AHCP lines (print-ahcp.c, the Ad-Hoc Configuration Protocol version 1):
 * "AHCP Version 1"; -v adds the header and message type, -vv the options.
 * An invalid part is flagged and then checked as captured, so " (invalid)"
 * can be followed by " [|ahcp]", as in tcpdump.
 */
import { ipv4Text, ipv6Text, linkAddrText } from './addresses.js';
import type { PrintContext } from './print-context.js';
import { dec, hexPad } from './text-tables.js';

const MAGIC = 43;
const HEADER_FIX = 24;
const MESSAGES = ['Discover', 'Offer', 'Request', 'Ack', 'Nack', 'Release'];
const OPTIONS = [
  'Pad', 'Mandatory', 'Origin Time', 'Expires', 'My-IPv6-Address', 'My-IPv4-Address', 'IPv6 Prefix', 'IPv4 Prefix',
  'IPv6 Address', 'IPv4 Address', 'IPv6 Prefix Delegation', 'IPv4 Prefix Delegation', 'Name Server', 'NTP Server',
];
/** How each option's value is shown, by option number; undefined: its length only. */
const enum Value { Time, Seconds, V6Addresses, V4Addresses, V6Prefixes, V4Prefixes }
const OPTION_VALUES: readonly (Value | undefined)[] = [
  undefined, undefined, Value.Time, Value.Seconds, Value.V6Addresses, Value.V4Addresses, Value.V6Prefixes, undefined,
  Value.V6Addresses, Value.V4Addresses, Value.V6Prefixes, Value.V4Prefixes, Value.V6Addresses, Value.V6Addresses,
];

export function printAhcp(c: PrintContext, cp: number, len: number): void {
  c.proto = 'ahcp';
  c.s += 'AHCP';
  if (len < 2 || c.u8(cp) !== MAGIC) return invalid(c, cp, len);
  const version = c.u8(cp + 1);
  cp += 2; len -= 2;
  if (version !== 1) {
    c.s += ' Version ' + version + ' (unknown)';
    c.need(cp, len);
    return;
  }
  c.s += ' Version 1';
  if (len < HEADER_FIX - 2) return invalid(c, cp, len);
  if (c.opts.verbose === 0) {
    c.need(cp, HEADER_FIX - 2);
  } else {
    // Field by field, so a capture cut short shows the fields before the cut, as in tcpdump.
    c.s += '\n\tHopcount ' + c.u8(cp);
    c.s += ', Original Hopcount ' + c.u8(cp + 1);
    c.s += ', Nonce 0x' + hexPad(c.u32(cp + 2), 8);
    c.need(cp + 6, 8);
    c.s += ', Source Id ' + linkAddrText(c.b, cp + 6, 8);
    c.need(cp + 14, 8);
    c.s += ', Destination Id ' + linkAddrText(c.b, cp + 14, 8);
  }
  cp += HEADER_FIX - 2; len -= HEADER_FIX - 2;
  printBody(c, cp, len);
}

function invalid(c: PrintContext, cp: number, len: number): void {
  c.s += ' (invalid)';
  c.need(cp, len);
}

function printBody(c: PrintContext, cp: number, len: number): void {
  if (len < 4) return invalid(c, cp, len);
  const type = c.u8(cp), mbz = c.u8(cp + 1), bodyLength = c.u16(cp + 2);
  cp += 4; len -= 4;
  if (c.opts.verbose) {
    c.s += '\n\t' + (MESSAGES[type] ?? 'Unknown-' + type);
    if (mbz !== 0) c.s += ', MBZ ' + mbz;
    c.s += ', Length ' + bodyLength;
  }
  if (bodyLength > len) return invalid(c, cp, len);
  // The body's own length counts; bytes after it are ignored.
  if (c.opts.verbose >= 2) printOptions(c, cp, bodyLength);
  else c.need(cp, bodyLength);
}

function printOptions(c: PrintContext, cp: number, len: number): void {
  while (len) {
    const option = c.u8(cp);
    cp += 1; len -= 1;
    c.s += '\n\t ' + (OPTIONS[option] ?? 'Unknown-' + option);
    if (option === 0 || option === 1) continue;
    if (!len) return invalid(c, cp, len);
    const optionLength = c.u8(cp);
    cp += 1; len -= 1;
    if (optionLength > len) return invalid(c, cp, len);
    const shape = OPTION_VALUES[option];
    if (shape === undefined) {
      c.s += ' (Length ' + optionLength + ')';
      c.need(cp, optionLength);
    } else {
      printValue(c, shape, cp, optionLength);
    }
    cp += optionLength; len -= optionLength;
  }
}

function printValue(c: PrintContext, shape: Value, cp: number, len: number): void {
  if (shape === Value.Time || shape === Value.Seconds) {
    if (len !== 4) return invalid(c, cp, len);
    const t = c.u32(cp);
    c.s += shape === Value.Seconds ? ': ' + dec(t) + 's' : ': ' + new Date(t * 1000).toISOString().slice(0, 19).replace('T', ' ') + ' UTC';
    return;
  }
  const size = shape === Value.V6Addresses ? 16 : shape === Value.V4Addresses ? 4 : shape === Value.V6Prefixes ? 17 : 5;
  const v6 = shape === Value.V6Addresses || shape === Value.V6Prefixes;
  const prefix = shape === Value.V6Prefixes || shape === Value.V4Prefixes;
  for (let sep = ': '; len; sep = ', ') {
    if (len < size) return invalid(c, cp, len);
    c.need(cp, v6 ? 16 : 4);
    const address = v6 ? ipv6Text(c.b, cp) : ipv4Text(c.b, cp);
    c.s += sep + address + (prefix ? '/' + c.u8(cp + size - 1) : '');
    cp += size; len -= size;
  }
}
