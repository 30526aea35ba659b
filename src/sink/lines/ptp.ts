/**
 * Precision Time Protocol (print-ptp.c), over Ethernet (0x88f7) or UDP
 * 319/320. tcpdump prints the whole v2 header at every verbosity.
 */
import type { PrintContext } from './print-context.js';
import { dec, hex } from './text-tables.js';
import { bitNames, type BitNames } from './tokens.js';

const MESSAGE_TYPES = new Map([
  [0x0, 'sync msg'], [0x1, 'delay req msg'], [0x2, 'peer delay req msg'], [0x3, 'peer delay resp msg'],
  [0x8, 'follow up msg'], [0x9, 'delay resp msg'], [0xa, 'pdelay resp fup msg'], [0xb, 'announce msg'],
  [0xc, 'signalling msg'], [0xd, 'management msg'],
]);
const CONTROLS = ['Sync', 'Delay_Req', 'Follow_Up', 'Delay_Resp', 'Management', 'Other'];
const FLAGS: BitNames = [
  [0x1, 'l1 61'], [0x2, 'l1 59'], [0x4, 'utc reasonable'], [0x8, 'timescale'], [0x10, 'time tracable'],
  [0x20, 'frequency tracable'], [0x100, 'alternate master'], [0x200, 'two step'], [0x400, 'unicast'],
  [0x1000, 'profile specific 1'], [0x2000, 'profile specific 2'], [0x4000, 'security mask'], [0x18c0, 'unknown'],
];
const HEADER = 34;
const ORIGIN = 'originTimeStamp', PRECISE_ORIGIN = 'preciseOriginTimeStamp', RECEIVE = 'receiveTimeStamp';

function u48(c: PrintContext, o: number): number {
  return c.u16(o) * 0x100000000 + c.u32(o + 2);
}

/** A 64-bit field as "%" PRIx64. */
function hex64(c: PrintContext, o: number): string {
  const high = c.u32(o), low = c.u32(o + 4);
  return high ? hex(high) + low.toString(16).padStart(8, '0') : hex(low);
}

export function printPtp(c: PrintContext, p: number, length: number): void {
  c.proto = 'ptp';
  if (length < HEADER) { c.s += ' (invalid)'; return; }
  const version = c.u8(p + 1);
  c.s += 'PTPv' + version;
  if (version === 1) { c.s += ' (not implemented)'; return; }
  if (version !== 2) return;
  const first = c.u8(p);
  const type = first & 0x0f;
  c.s += ', v1 compat : ' + (first & 0x10 ? 'yes' : 'no') + ', msg type : ' + (MESSAGE_TYPES.get(type) ?? 'Reserved');
  c.s += ', length : ' + dec(c.u16(p + 2));
  c.s += ', domain : ' + c.u8(p + 4);
  c.s += ', reserved1 : ' + c.u8(p + 5);
  c.s += ', Flags [' + bitNames(FLAGS, c.u16(p + 6), 'none') + ']';
  c.s += ', NS correction : ' + u48(c, p + 8);
  c.s += ', sub NS correction : ' + dec(c.u16(p + 14));
  c.s += ', reserved2 : ' + dec(c.u32(p + 16));
  c.s += ', clock identity : 0x' + hex64(c, p + 20);
  c.s += ', port id : ' + dec(c.u16(p + 28));
  c.s += ', seq id : ' + dec(c.u16(p + 30));
  const control = c.u8(p + 32);
  c.s += ', control : ' + control + ' (' + (CONTROLS[control] ?? 'Reserved') + ')';
  c.s += ', log message interval : ' + c.u8(p + 33);
  const o = p + HEADER;
  switch (type) {
    case 0x0: case 0x1: timestamp(c, o, ORIGIN); return;
    case 0x8: timestamp(c, o, PRECISE_ORIGIN); return;
    case 0x2: case 0xa: timestamp(c, o, PRECISE_ORIGIN); portIdentity(c, o + 10); return;
    case 0x3: case 0x9: timestamp(c, o, RECEIVE); portIdentity(c, o + 10); return;
    case 0xb: announce(c, o); return;
    case 0xc: portIdentity(c, o); return;
    case 0xd: {
      portIdentity(c, o);
      // tcpdump reads all four of these from the same byte, the port identity's first.
      const v = c.u8(o);
      c.s += ', , start boundary hops  ' + v + ', , boundary hops  ' + v + ', , flags  0x' + hex(v) + ', , reserved  0x' + hex(v);
      return;
    }
  }
}

function timestamp(c: PrintContext, o: number, name: string): void {
  c.s += ', ' + name + ' :';
  c.s += ' ' + u48(c, o) + ' seconds,';
  c.s += ' ' + dec(c.u32(o + 6)) + ' nanoseconds';
}

function portIdentity(c: PrintContext, o: number): void {
  c.s += ', port identity : 0x' + hex64(c, o);
  c.s += ', port id : ' + dec(c.u16(o + 8));
}

function announce(c: PrintContext, o: number): void {
  c.s += ', ' + ORIGIN + ' :';
  c.s += ' ' + u48(c, o) + ' seconds';
  c.s += ' ' + dec(c.u32(o + 6)) + ' nanoseconds';
  c.s += ', origin cur utc :' + dec(c.u16(o + 10));
  c.s += ', rsvd : ' + c.u8(o + 12);
  c.s += ', gm priority_1 : ' + c.u8(o + 13);
  c.s += ', gm clock class : ' + c.u8(o + 14);
  c.s += ', gm clock accuracy : ' + c.u8(o + 15);
  c.s += ', gm clock variance : ' + dec(c.u16(o + 16));
  c.s += ', gm priority_2 : ' + c.u8(o + 18);
  c.s += ', gm clock id : 0x' + hex64(c, o + 19);
  c.s += ', steps removed : ' + dec(c.u16(o + 27));
  c.s += ', time source : 0x' + hex(c.u8(o + 29));
}
