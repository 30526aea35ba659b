/** EIGRP (print-eigrp.c): the opcode and length; the -v TLV walk is not reproduced. */
import type { PrintContext } from './print-context.js';

const OPCODES = ['', 'Update', '', 'Query', 'Reply', 'Hello', 'IPX SAP', 'Probe'];
const HEADER_LENGTH = 20;

export function printEigrp(c: PrintContext, bp: number, length: number): void {
  c.proto = 'eigrp';
  c.need(bp, HEADER_LENGTH);
  const version = c.b[bp]!, opcode = c.b[bp + 1]!;
  if (version !== 2) { c.s += 'EIGRP version ' + version + ' packet not supported'; return; }
  c.s += 'EIGRP ' + (OPCODES[opcode] || 'unknown (' + opcode + ')') + ', length: ' + length;
}
