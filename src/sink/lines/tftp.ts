/**
 * TFTP lines (print-tftp.c): "TFTP, length 20, RRQ "name" octet", blocks and
 * errors. Names and messages are shown in tcpdump's M-/^ notation.
 */
import type { PrintContext } from './print-context.js';
import { tcpdumpCharText } from '../sanitize.js';
import { dec } from './text-tables.js';

const RRQ = 1, WRQ = 2, DATA = 3, ACK = 4, ERROR = 5, OACK = 6;
const OPCODES = ['', 'RRQ', 'WRQ', 'DATA', 'ACK', 'ERROR', 'OACK'];
const ERRORS = ['EUNDEF', 'ENOTFOUND', 'EACCESS', 'ENOSPACE', 'EBADOP', 'EBADID', 'EEXISTS', 'ENOUSER'];

/**
 * nd_printztn: a NUL-terminated string of at most `n` bytes; returns the bytes
 * used with the NUL, or 0 when the string ran past `n` or the capture.
 */
function printTerminated(c: PrintContext, p: number, n: number): number {
  for (let used = 0; used < n && p + used < c.snapend; ) {
    const ch = c.b[p + used++]!;
    if (ch === 0) return used;
    c.s += tcpdumpCharText(ch);
  }
  return 0;
}

/** Option names and values, each NUL-terminated, a space before each non-empty one. */
function printOptions(c: PrintContext, p: number, length: number): void {
  while (length !== 0) {
    if (c.u8(p) !== 0) c.s += ' ';
    const used = printTerminated(c, p, length);
    if (used === 0) { c.trunc(); return; }
    p += used;
    length -= used;
  }
}

export function printTftp(c: PrintContext, bp: number, length: number): void {
  c.proto = 'tftp';
  c.s += 'TFTP, length ' + dec(length);
  if (length < 2) { c.trunc(); return; }
  const op = c.u16(bp);
  if (op < RRQ || op > OACK) { c.s += ', tftp-#' + op; return; }
  c.s += ', ' + OPCODES[op];
  let p = bp + 2;
  length -= 2;
  switch (op) {
    case RRQ: case WRQ: {
      if (length === 0) { c.trunc(); return; }
      c.s += ' "';
      let used = printTerminated(c, p, length);
      c.s += '"';
      if (used === 0) { c.trunc(); return; }
      p += used; length -= used;
      if (length === 0) { c.trunc(); return; } // no mode
      c.s += ' ';
      used = printTerminated(c, p, length);
      if (used === 0) { c.trunc(); return; }
      printOptions(c, p + used, length - used);
      return;
    }
    case OACK:
      printOptions(c, p, length);
      return;
    case ACK: case DATA:
      if (length < 2) { c.trunc(); return; }
      c.s += ' block ' + c.u16(p);
      return;
    case ERROR: {
      if (length < 2) { c.trunc(); return; }
      const code = c.u16(p);
      c.s += ' ' + (code < ERRORS.length ? ERRORS[code] : 'tftp-err-#' + code + ' "');
      p += 2; length -= 2;
      if (length === 0) { c.trunc(); return; }
      c.s += ' "';
      const used = printTerminated(c, p, length);
      c.s += '"';
      if (used === 0) c.trunc();
      return;
    }
  }
}
