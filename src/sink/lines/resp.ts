/**
 * Redis RESP on tcp/6379 as tcpdump 4.99 prints it (print-resp.c): every
 * item of the segment (pipelined commands included) as ` "text"`, or
 * " empty", " null", " invalid" and the length remarks; anything it cannot
 * finish, including a malformed item, ends the line with " [|resp]".
 *
 * tcpdump recurses into arrays; here an array only adds its element count to
 * the items still owed, since a failure anywhere ends the whole line anyway.
 * Each item consumes at least one byte, so the walk is bounded by the segment.
 */
import { printChars } from './dns.js';
import { TRUNCATED, type PrintContext } from './print-context.js';

const CR = 0x0d, LF = 0x0a;
const SIMPLE_STRING = 0x2b, ERROR = 0x2d, INTEGER = 0x3a, BULK_STRING = 0x24, ARRAY = 0x2a;
const INT_MAX = 0x7fffffff;

/** resp_get_length's results below zero. */
const NULL_ITEM = -1, LENGTH_TRUNCATED = -2, TOO_LARGE = -3, NEGATIVE = -4, INVALID = -5;

/** The cursor of the walk; module state so a packet allocates nothing. */
const at = { p: 0, len: 0 };

export function printResp(c: PrintContext, bp: number, length: number): void {
  c.proto = 'resp';
  c.s += ': RESP';
  at.p = bp;
  at.len = length;
  let owed = 0;
  try {
    while (at.len > 0 || owed > 0) {
      if (owed > 0) owed--;
      owed += item(c);
    }
  } catch (e) {
    if (e !== TRUNCATED) throw e;
    c.trunc();
  }
}

/** One item at the cursor; returns how many elements it opens (an array's count), else 0. */
function item(c: PrintContext): number {
  if (at.len < 1) throw TRUNCATED;
  switch (c.u8(at.p)) {
    case SIMPLE_STRING: case ERROR: case INTEGER: {
      skip(1);
      const text = at.p;
      findCrLf(c);
      segment(c, text, at.p - text);
      skip(2);
      return 0;
    }
    case BULK_STRING: {
      skip(1);
      const n = itemLength(c);
      if (n > 0) {
        if (at.len < n || !c.has(at.p, n)) throw TRUNCATED;
        segment(c, at.p, n);
        skip(n);
      } else if (n === 0) {
        c.s += ' empty';
      }
      if (n >= 0) { findCrLf(c); skip(2); } else lengthRemark(c, n);
      return 0;
    }
    case ARRAY: {
      skip(1);
      const n = itemLength(c);
      if (n > 0) return n;
      if (n === 0) c.s += ' empty';
      else lengthRemark(c, n);
      return 0;
    }
    default: {
      // Inline command: a line of text between runs of CR and LF.
      skipCrLf(c);
      const text = at.p;
      for (;;) {
        if (at.len < 1) throw TRUNCATED;
        const ch = c.u8(at.p);
        if (ch === CR || ch === LF) break;
        skip(1);
      }
      segment(c, text, at.p - text);
      skipCrLf(c);
      return 0;
    }
  }
}

function skip(n: number): void {
  at.p += n;
  at.len -= n;
}

function lengthRemark(c: PrintContext, n: number): void {
  switch (n) {
    case NULL_ITEM: c.s += ' null'; break;
    case LENGTH_TRUNCATED: throw TRUNCATED;
    case TOO_LARGE: c.s += ' length too large'; break;
    case NEGATIVE: c.s += ' length negative and not -1'; break;
    default: c.s += ' invalid'; break;
  }
}

/** ` "text"`, control and high bytes made visible. */
function segment(c: PrintContext, p: number, n: number): void {
  c.s += ' "';
  if (!printChars(c, p, n)) throw TRUNCATED;
  c.s += '"';
}

/** Moves the cursor to the next CR LF (which stays unconsumed). */
function findCrLf(c: PrintContext): void {
  for (;;) {
    if (at.len < 2 || !c.has(at.p, 2)) throw TRUNCATED;
    if (c.b[at.p] === CR && c.b[at.p + 1] === LF) return;
    skip(1);
  }
}

/** Skips a run of CR and LF; there must be at least one unless more data follows. */
function skipCrLf(c: PrintContext): void {
  let found = false;
  for (;;) {
    if (at.len === 0 || !c.has(at.p, 1)) {
      if (found) return;
      throw TRUNCATED;
    }
    const ch = c.b[at.p];
    if (ch !== CR && ch !== LF) return;
    found = true;
    skip(1);
  }
}

/** `<digits>\r\n` or `-1\r\n` at the cursor, consumed; a length, or one of the codes below zero. */
function itemLength(c: PrintContext): number {
  if (at.len === 0) return LENGTH_TRUNCATED;
  let negative = false;
  if (c.u8(at.p) === ERROR) { negative = true; skip(1); }
  let result = 0, digits = false, tooLarge = false;
  for (;;) {
    if (at.len === 0) return LENGTH_TRUNCATED;
    const ch = c.u8(at.p);
    if (ch < 0x30 || ch > 0x39) {
      if (!digits) { skip(1); return INVALID; }
      break;
    }
    const d = ch - 0x30;
    if (result > (INT_MAX - d) / 10) tooLarge = true;
    else result = result * 10 + d;
    skip(1);
    digits = true;
  }
  if (c.u8(at.p) !== CR) { skip(1); return INVALID; }
  skip(1);
  if (at.len === 0) return LENGTH_TRUNCATED;
  if (c.u8(at.p) !== LF) { skip(1); return INVALID; }
  skip(1);
  if (negative) return tooLarge || result !== 1 ? NEGATIVE : NULL_ITEM;
  return tooLarge ? TOO_LARGE : result;
}
