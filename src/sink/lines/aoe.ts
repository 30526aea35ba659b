/** ATA over Ethernet, ethertype 0x88a2 (print-aoe.c); -v shows the command's arguments. */
import type { PrintContext } from './print-context.js';
import { macText } from './addresses.js';
import { dec, hexPad, HEX8 } from './text-tables.js';
import { tcpdumpCharText } from '../sanitize.js';
import { bitNames, type BitNames } from './tokens.js';

const COMMANDS = ['Issue ATA Command', 'Query Config Information', 'MAC Mask List', 'Reserve/Release'];
const FLAGS: BitNames = [[0x08, 'Response'], [0x04, 'Error'], [0x02, 'MBZ-1'], [0x01, 'MBZ-0']];
const ERRORS = ['', 'Unrecognized command code', 'Bad argument parameter', 'Device unavailable',
  'Config string present', 'Unsupported version', 'Target is reserved'];
const ATA_FLAGS: BitNames = [
  [0x80, 'MBZ-7'], [0x40, 'Ext48'], [0x20, 'MBZ-5'], [0x10, 'Device'], [0x08, 'MBZ-3'], [0x04, 'MBZ-2'],
  [0x02, 'Async'], [0x01, 'Write'],
];
const CONFIG_COMMANDS = ['read config string', 'test config string', 'test config string prefix',
  'set config string', 'force set config string'];
const MASK_COMMANDS = ['Read Mac Mask List', 'Edit Mac Mask List'];
const MASK_ERRORS = ['', 'Unspecified Error', 'Bad DCmd directive', 'Mask list full'];
const DIRECTIVES = ['No Directive', 'Add mac address to mask list', 'Delete mac address from mask list'];
const RESERVE_COMMANDS = ['Read reserve list', 'Set reserve list', 'Force set reserve list'];

function named(names: readonly string[], v: number, unknown: string): string {
  return (v < names.length && names[v]) || unknown;
}

function unknownHex(v: number): string {
  return 'Unknown (0x' + HEX8[v] + ')';
}

function invalid(c: PrintContext, o: number, len: number): void {
  c.s += ' (invalid)';
  c.need(o, len);
}

function mac(c: PrintContext, o: number): string {
  c.need(o, 6);
  return macText(c.b, o);
}

export function printAoe(c: PrintContext, o: number, len: number): void {
  c.proto = 'aoe';
  c.s += 'AoE length ' + dec(len);
  if (len < 1) return invalid(c, o, len);
  const version = c.u8(o) >> 4;
  c.s += ', Ver ' + version;
  if (version !== 1) return;
  if (len < 10) return invalid(c, o, len);
  const flags = c.u8(o) & 0x0f;
  c.s += ', Flags: [' + bitNames(FLAGS, flags, 'none') + ']';
  if (!c.opts.verbose) return;
  if (flags & 0x04) {
    const e = c.u8(o + 1);
    c.s += '\n\tError: ' + named(ERRORS, e, 'Invalid (' + e + ')');
  }
  const command = c.u8(o + 5);
  c.s += '\n\tMajor: 0x' + hexPad(c.u16(o + 2), 4) + ', Minor: 0x' + HEX8[c.u8(o + 4)] +
    ', Command: ' + named(COMMANDS, command, unknownHex(command)) + ', Tag: 0x' + hexPad(c.u32(o + 6), 8);
  o += 10; len -= 10;
  switch (command) {
    case 0: printIssue(c, o, len); return;
    case 1: printQuery(c, o, len); return;
    case 2: printMaskList(c, o, len); return;
    case 3: printReserve(c, o, len); return;
  }
}

function printIssue(c: PrintContext, o: number, len: number): void {
  if (len < 12) return invalid(c, o, len);
  c.s += '\n\tAFlags: [' + bitNames(ATA_FLAGS, c.u8(o), 'none') + '], Err/Feature: ' + c.u8(o + 1) +
    ', Sector Count: ' + c.u8(o + 2) + ', Cmd/Status: ' + c.u8(o + 3);
  c.s += '\n\tlba0: ' + c.u8(o + 4) + ', lba1: ' + c.u8(o + 5) + ', lba2: ' + c.u8(o + 6) +
    ', lba3: ' + c.u8(o + 7) + ', lba4: ' + c.u8(o + 8) + ', lba5: ' + c.u8(o + 9);
  c.need(o + 10, 2);
  if (len > 12) c.s += '\n\tData: ' + dec(len - 12) + ' bytes';
}

function printQuery(c: PrintContext, o: number, len: number): void {
  if (len < 8) return invalid(c, o, len);
  const ccmd = c.u8(o + 5);
  c.s += '\n\tBuffer Count: ' + dec(c.u16(o)) + ', Firmware Version: ' + dec(c.u16(o + 2)) +
    ', Sector Count: ' + c.u8(o + 4) + ', AoE: ' + (ccmd >> 4) + ', CCmd: ' + named(CONFIG_COMMANDS, ccmd & 0x0f, 'Unknown (0x02x)');
  const cslen = c.u16(o + 6);
  o += 8; len -= 8;
  if (cslen > 1024 || cslen > len) return invalid(c, o, len);
  if (cslen) {
    c.s += '\n\tConfig String (length ' + cslen + '): ';
    for (let i = 0; i < cslen; i++) c.s += tcpdumpCharText(c.u8(o + i));
  }
}

function printMaskList(c: PrintContext, o: number, len: number): void {
  if (len < 4) return invalid(c, o, len);
  const mcmd = c.u8(o + 1), merr = c.u8(o + 2), count = c.u8(o + 3);
  c.s += '\n\tMCmd: ' + named(MASK_COMMANDS, mcmd, unknownHex(mcmd)) + ', MError: ' +
    named(MASK_ERRORS, merr, unknownHex(merr)) + ', Dir Count: ' + count;
  o += 4; len -= 4;
  if (count * 8 > len) return invalid(c, o, len);
  for (let i = 0; i < count; i++, o += 8) {
    const d = c.u8(o + 1);
    c.s += '\n\t DCmd: ' + named(DIRECTIVES, d, unknownHex(d)) + ', Ethernet Address: ' + mac(c, o + 2);
  }
}

function printReserve(c: PrintContext, o: number, len: number): void {
  if (len < 2 || (len - 2) % 6) return invalid(c, o, len);
  const r = c.u8(o), n = c.u8(o + 1);
  c.s += '\n\tRCmd: ' + named(RESERVE_COMMANDS, r, unknownHex(r)) + ', NMacs: ' + n;
  o += 2; len -= 2;
  if (n * 6 !== len) return invalid(c, o, len);
  for (let i = 0; i < n; i++, o += 6) c.s += '\n\tEthernet Address ' + i + ': ' + mac(c, o);
}
