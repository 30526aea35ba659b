/** HSRP version 0 (print-hsrp.c, RFC 2281): opcode, state, group and virtual address; -v adds timers, priority and the password. */
import { ipv4Text } from './addresses.js';
import { relativeTime } from './igmp.js';
import type { PrintContext } from './print-context.js';
import { printPaddedText } from './vrrp.js';

const OPCODES = ['hello', 'coup', 'resign'];
const STATES: ReadonlyMap<number, string> = new Map([
  [0, 'initial'], [1, 'learn'], [2, 'listen'], [4, 'speak'], [8, 'standby'], [16, 'active'],
]);

export function printHsrp(c: PrintContext, bp: number, length: number): void {
  c.proto = 'hsrp';
  const version = c.u8(bp);
  c.s += 'HSRPv' + version;
  if (version !== 0) return;
  const op = c.u8(bp + 1);
  c.s += '-' + (OPCODES[op] ?? 'unknown (' + op + ')') + ' ' + length + ': ';
  const state = c.u8(bp + 2);
  c.s += 'state=' + (STATES.get(state) ?? 'Unknown (' + state + ')') + ' group=' + c.u8(bp + 6) + ' ';
  const reserved = c.u8(bp + 7);
  if (reserved !== 0) c.s += '[reserved=' + reserved + '!] ';
  c.need(bp + 16, 4);
  c.s += 'addr=' + ipv4Text(c.b, bp + 16);
  if (c.opts.verbose === 0) return;
  c.s += ' hellotime=' + relativeTime(c.u8(bp + 3)) + ' holdtime=' + relativeTime(c.u8(bp + 4)) +
    ' priority=' + c.u8(bp + 5) + ' auth="';
  printPaddedText(c, bp + 8, 8);
  c.s += '"';
}
