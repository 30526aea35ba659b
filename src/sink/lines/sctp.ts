/**
 * SCTP (print-sctp.c): the chunk list, "(1) [DATA] (B)(E) [TSN: ..] ...",
 * with DATA, INIT, INIT ACK and SACK fields; ForCES channels are named and
 * the ForCES message type shown. -vv payload dumps are not reproduced.
 */
import { endpointPair } from './ip-addresses.js';
import type { PrintContext } from './print-context.js';
import { dec, hex } from './text-tables.js';

const CHUNK_NAMES: readonly string[] = [
  'DATA', 'INIT', 'INIT ACK', 'SACK', 'HB REQ', 'HB ACK', 'ABORT', 'SHUTDOWN', 'SHUTDOWN ACK',
  'OP ERR', 'COOKIE ECHO', 'COOKIE ACK', 'ECN ECHO', 'ECN CWR', 'SHUTDOWN COMPLETE',
];
const HIGH_CHUNK_NAMES: ReadonlyMap<number, string> = new Map([[0xc0, 'FOR CUM TSN'], [0xc1, 'REL CTRL'], [0xc2, 'REL CTRL ACK']]);

const PPID_NAMES: readonly string[] = [
  '', 'ISDN Q.921', 'M2UA', 'M3UA', 'SUA', 'M2PA', 'V5.2', 'H.248', 'BICC', 'TALI', 'DUA', 'ASAP', 'ENRP',
  'H.323', 'Q.IPC', 'SIMCO', 'DDPSC', 'DDPSSC', 'S1AP', 'RUA', 'HNBAP', 'ForCES HP', 'ForCES MP', 'ForCES LP',
  'SBc-AP', 'NBAP', '', 'X2AP',
];

/** ForCES channels are SCTP ports 6704-6706. */
const FORCES_CHANNELS = ['ForCES HP', 'ForCES MP', 'ForCES LP'];

export function isForcesPort(p: number): boolean {
  return p >= 6704 && p <= 6706;
}

function chunkName(id: number): string {
  return (id < CHUNK_NAMES.length ? CHUNK_NAMES[id] : HIGH_CHUNK_NAMES.get(id)) ?? 'Unknown chunk type: 0x' + hex(id);
}

export function printSctp(c: PrintContext, bp: number, length: number, ipOff: number, version: number): void {
  c.proto = 'sctp';
  if (length < 12) { c.s += 'truncated-sctp - ' + (12 - length) + ' bytes missing!'; return; }
  c.need(bp, 12);
  const sport = c.u16(bp), dport = c.u16(bp + 2);
  c.s += endpointPair(c, ipOff, version, dec(sport), dec(dport)) + 'sctp';
  let forces = false;
  if (isForcesPort(sport)) { c.s += '[' + FORCES_CHANNELS[sport - 6704] + ']'; forces = true; }
  if (isForcesPort(dport)) { c.s += '[' + FORCES_CHANNELS[dport - 6704] + ']'; forces = true; }
  bp += 12;
  // Unsigned like tcpdump's counter: a chunk claiming more than is left wraps it, and the capture's end stops the walk.
  let remaining = length - 12;
  const verbose2 = c.opts.verbose >= 2;
  let sep = verbose2 ? '\n\t' : ' (';
  // Every chunk moves on by at least four captured bytes.
  for (let n = 1; remaining !== 0; n++) {
    if (remaining < 4) { c.s += sep + n + ') [chunk descriptor cut off at end of packet]'; return; }
    c.need(bp, 4);
    const id = c.b[bp]!, flags = c.b[bp + 1]!, chunkLength = c.u16(bp + 2);
    if (chunkLength < 4) { c.s += sep + n + ') [Bad chunk length ' + chunkLength + ', < size of chunk descriptor]'; return; }
    const align = chunkLength % 4 === 0 ? 0 : 4 - (chunkLength % 4);
    if (remaining < align) { c.s += sep + n + ') [Bad chunk length ' + chunkLength + ', > remaining data in packet]'; return; }
    c.need(bp, chunkLength);
    c.s += sep + n + ') [' + chunkName(id) + '] ';
    const body = bp + 4;
    let left = chunkLength - 4;
    if (id === 0) {
      if (flags & 4) c.s += '(U)';
      if (flags & 2) c.s += '(B)';
      if (flags & 1) c.s += '(E)';
      if (flags & 7) c.s += ' ';
      if (left < 12) { c.s += 'bogus chunk length ' + chunkLength + ']'; return; }
      const ppid = c.u32(body + 8);
      c.s += '[TSN: ' + dec(c.u32(body)) + '] [SID: ' + c.u16(body + 4) + '] [SSEQ ' + c.u16(body + 6) + '] [PPID ' +
        (ppid < PPID_NAMES.length && PPID_NAMES[ppid] ? PPID_NAMES[ppid] : '0x' + hex(ppid)) + '] ';
      if (!forces) forces = ppid >= 21 && ppid <= 23;
      left -= 12;
      if (left === 0) { c.s += 'bogus chunk length ' + chunkLength + ']'; return; }
      if (forces) {
        printForcesHeader(c, body + 12, left);
        c.proto = 'sctp';
      }
    } else if (id === 1 || id === 2) {
      if (left < 16) { c.s += 'bogus chunk length ' + chunkLength + ']'; return; }
      c.s += '[init tag: ' + dec(c.u32(body)) + '] [rwnd: ' + dec(c.u32(body + 4)) + '] [OS: ' + c.u16(body + 8) +
        '] [MIS: ' + c.u16(body + 10) + '] [init TSN: ' + dec(c.u32(body + 12)) + '] ';
    } else if (id === 3) {
      if (!printSack(c, body, left, chunkLength)) return;
    }
    bp += chunkLength;
    remaining = (remaining - chunkLength) >>> 0;
    if (!verbose2) sep = ', (';
    if (align !== 0) {
      c.need(bp, align);
      bp += align;
      remaining = (remaining - align) >>> 0;
    }
  }
}

/** The SACK fields, gap blocks and duplicate TSNs; false when a "bogus chunk length" ended the line. */
function printSack(c: PrintContext, body: number, left: number, chunkLength: number): boolean {
  if (left < 12) { c.s += 'bogus chunk length ' + chunkLength + ']'; return false; }
  const cumAck = c.u32(body), gaps = c.u16(body + 8), dups = c.u16(body + 10);
  c.s += '[cum ack ' + dec(cumAck) + '] [a_rwnd ' + dec(c.u32(body + 4)) + '] [#gap acks ' + gaps + '] [#dup tsns ' + dups + '] ';
  let at = body + 12;
  left -= 12;
  for (let i = 0; left !== 0 && i < gaps; i++, at += 4, left -= 4) {
    if (left < 4) { c.s += 'bogus chunk length ' + chunkLength + ']'; return false; }
    c.s += '\n\t\t[gap ack block #' + (i + 1) + ': start = ' + dec((cumAck + c.u16(at)) >>> 0) +
      ', end = ' + dec((cumAck + c.u16(at + 2)) >>> 0) + '] ';
  }
  for (let i = 0; left !== 0 && i < dups; i++, at += 4, left -= 4) {
    if (left < 4) { c.s += 'bogus chunk length ' + chunkLength + ']'; return false; }
    c.s += '\n\t\t[dup TSN #' + (i + 1) + ': ' + dec(c.u32(at)) + '] ';
  }
  return true;
}

const FORCES_MESSAGES: ReadonlyMap<number, string> = new Map([
  [1, 'Association Setup'], [2, 'Association TearDown'], [3, 'Config'], [4, 'Query'], [5, 'Event Notification'],
  [6, 'Packet Redirect'], [0x0f, 'HeartBeat'], [0x11, 'Association Response'], [0x13, 'Config Response'],
  [0x14, 'Query Response'],
]);

/**
 * The start of print-forces.c's forces_print: the message type. Its TLV
 * walk prints nothing without -v on well-formed messages; exact-scope.ts
 * leaves ForCES DATA out of the exact set for that reason.
 */
function printForcesHeader(c: PrintContext, bp: number, len: number): void {
  c.proto = 'forces';
  c.need(bp, 24);
  const tom = c.b[bp + 1]!;
  const invalid = tom === 0 || (tom >= 7 && tom <= 0x0e) || tom === 0x10 || tom > 0x14;
  if (invalid) { c.s += 'Invalid ForCES message type ' + tom + '\n'; return; }
  const name = FORCES_MESSAGES.get(tom);
  if (name === undefined) { c.s += '\n\tUnknown ForCES message type=0x' + hex(tom); return; }
  c.s += '\n\tForCES ' + name + ' ';
}
