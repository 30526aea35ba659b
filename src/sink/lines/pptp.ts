/**
 * PPTP control messages on tcp/1723 as tcpdump 4.99 prints them
 * (print-pptp.c): ": pptp", the message type and every field of the
 * message as NAME(value); -v adds the header length, message class, magic
 * cookie and the meanings of result, error and reason codes.
 */
import type { PrintContext } from './print-context.js';
import { dec, hexPad, visibleChar } from './text-tables.js';

const MAGIC_COOKIE = 0x1a2b3c4d;
const HEADER_LEN = 12;

const MESSAGE_NAMES: readonly string[] = [
  'NOT_DEFINED', 'SCCRQ', 'SCCRP', 'StopCCRQ', 'StopCCRP', 'ECHORQ', 'ECHORP', 'OCRQ', 'OCRP', 'ICRQ', 'ICRP',
  'ICCN', 'CCRQ', 'CDN', 'WEN', 'SLI',
];

/** How a field prints; fields follow each other with no gaps. */
const enum F { Version, Reserved8, Reserved16, FramingCap, BearerCap, U16, U32, Hex32, Text, CountedText, Result, Error, BearerType, FramingType, Reason }

/** [kind, NAME, size or, for CountedText, the offset of its u16 length field]. */
type Field = readonly [F, string?, number?];

const CALL_ID: Field = [F.U16, 'CALL_ID'], PEER_CALL_ID: Field = [F.U16, 'PEER_CALL_ID'];
const CALL_SER: Field = [F.U16, 'CALL_SER_NUM'], RECV_WIN: Field = [F.U16, 'RECV_WIN'];
const PROC_DELAY: Field = [F.U16, 'PROC_DELAY'], CAUSE: Field = [F.U16, 'CAUSE_CODE'];
const CONN_SPEED: Field = [F.U32, 'CONN_SPEED'], PHY_CHAN: Field = [F.U32, 'PHY_CHAN_ID'];
const RESULT: Field = [F.Result], ERROR: Field = [F.Error], RSV16: Field = [F.Reserved16];
const SUB_ADDR: Field = [F.Text, 'SUB_ADDR', 64];
const CONTROL_CONNECTION: readonly Field[] = [
  [F.FramingCap], [F.BearerCap], [F.U16, 'MAX_CHAN'], [F.U16, 'FIRM_REV'], [F.Text, 'HOSTNAME', 64], [F.Text, 'VENDOR', 64],
];

/** Message bodies by control message type (RFC 2637 section 2). */
const MESSAGES: readonly (readonly Field[])[] = [
  [],
  [[F.Version], RSV16, ...CONTROL_CONNECTION],
  [[F.Version], RESULT, ERROR, ...CONTROL_CONNECTION],
  [[F.Reason], [F.Reserved8], RSV16],
  [RESULT, ERROR, RSV16],
  [[F.U32, 'ID']],
  [[F.U32, 'ID'], RESULT, ERROR, RSV16],
  [CALL_ID, CALL_SER, [F.U32, 'MIN_BPS'], [F.U32, 'MAX_BPS'], [F.BearerType], [F.FramingType], RECV_WIN, PROC_DELAY,
    [F.U16, 'PHONE_NO_LEN'], RSV16, [F.CountedText, 'PHONE_NO', 24], SUB_ADDR],
  [CALL_ID, PEER_CALL_ID, RESULT, ERROR, CAUSE, CONN_SPEED, RECV_WIN, PROC_DELAY, PHY_CHAN],
  [CALL_ID, CALL_SER, [F.BearerType], PHY_CHAN, [F.U16, 'DIALED_NO_LEN'], [F.U16, 'DIALING_NO_LEN'],
    [F.CountedText, 'DIALED_NO', 12], [F.CountedText, 'DIALING_NO', 14], SUB_ADDR],
  [CALL_ID, PEER_CALL_ID, RESULT, ERROR, RECV_WIN, PROC_DELAY, RSV16],
  [PEER_CALL_ID, RSV16, CONN_SPEED, RECV_WIN, PROC_DELAY, [F.FramingType]],
  [CALL_ID, RSV16],
  [CALL_ID, RESULT, ERROR, CAUSE, RSV16, [F.Text, 'CALL_STATS', 128]],
  [PEER_CALL_ID, RSV16, [F.U32, 'CRC_ERR'], [F.U32, 'FRAMING_ERR'], [F.U32, 'HARDWARE_OVERRUN'], [F.U32, 'BUFFER_OVERRUN'],
    [F.U32, 'TIMEOUT_ERR'], [F.U32, 'ALIGN_ERR']],
  [PEER_CALL_ID, RSV16, [F.Hex32, 'SEND_ACCM'], [F.Hex32, 'RECV_ACCM']],
];

const ECHO_RESULTS = ['', 'OK', 'General Error'];
/** -v meanings of result codes, by message type (those that carry one). */
const RESULT_TEXT = new Map<number, readonly string[]>([
  [2, ['', 'Successful channel establishment', 'General error', 'Command channel already exists',
    'Requester is not authorized to establish a command channel', 'The protocol version of the requester is not supported']],
  [4, ECHO_RESULTS], [6, ECHO_RESULTS],
  [8, ['', 'Connected', 'General Error', 'No Carrier', 'Busy', 'No Dial Tone', 'Time-out', 'Do Not Accept']],
  [10, ['', 'Connect', 'General Error', 'Do Not Accept']],
  [13, ['', 'Lost Carrier', 'General Error', 'Admin Shutdown', 'Request']],
]);
const ERROR_TEXT = ['None', 'Not-Connected', 'Bad-Format', 'Bad-Value', 'No-Resource', 'Bad-Call-ID', 'PAC-Error'];
const REASON_TEXT = ['?', 'None', 'Stop-Protocol', 'Stop-Local-Shutdown'];
const BEARER_TYPES = ['?', 'A', 'D', 'Any'];
const FRAMING_TYPES = ['?', 'A', 'S', 'E'];

export function printPptp(c: PrintContext, bp: number): void {
  c.proto = 'pptp';
  c.s += ': pptp';
  const verbose = c.opts.verbose > 0;
  if (verbose) {
    c.s += ' Length=' + dec(c.u16(bp));
    const cls = c.u16(bp + 2);
    c.s += cls === 1 ? ' CTRL-MSG' : cls === 2 ? ' MGMT-MSG' : ' UNKNOWN-MSG-TYPE';
  }
  const cookie = c.u32(bp + 4);
  if (cookie !== MAGIC_COOKIE) c.s += ' UNEXPECTED Magic-Cookie!!(' + hexPad(cookie, 8) + ')';
  if (verbose || cookie !== MAGIC_COOKIE) c.s += ' Magic-Cookie=' + hexPad(cookie, 8);
  const type = c.u16(bp + 8);
  c.s += type < MESSAGE_NAMES.length ? ' CTRL_MSGTYPE=' + MESSAGE_NAMES[type]! : ' UNKNOWN_CTRL_MSGTYPE(' + dec(type) + ')';
  reserved(c, c.u16(bp + 10));
  const fields = MESSAGES[type];
  if (fields === undefined) return;
  const body = bp + HEADER_LEN;
  let p = body;
  for (const [kind, name, size] of fields) {
    switch (kind) {
      case F.Version: { const v = c.u16(p); c.s += ' PROTO_VER(' + (v >> 8) + '.' + (v & 0xff) + ')'; p += 2; break; }
      case F.Reserved8: reserved(c, c.u8(p)); p += 1; break;
      case F.Reserved16: reserved(c, c.u16(p)); p += 2; break;
      case F.FramingCap: { const v = c.u32(p); c.s += ' FRAME_CAP(' + (v & 1 ? 'A' : '') + (v & 2 ? 'S' : '') + ')'; p += 4; break; }
      case F.BearerCap: { const v = c.u32(p); c.s += ' BEARER_CAP(' + (v & 2 ? 'D' : '') + (v & 1 ? 'A' : '') + ')'; p += 4; break; }
      case F.U16: c.s += ' ' + name! + '(' + dec(c.u16(p)) + ')'; p += 2; break;
      case F.U32: c.s += ' ' + name! + '(' + dec(c.u32(p)) + ')'; p += 4; break;
      case F.Hex32: c.s += ' ' + name! + '(0x' + hexPad(c.u32(p), 8) + ')'; p += 4; break;
      case F.Text: text(c, name!, p, size!); p += size!; break;
      case F.CountedText: text(c, name!, p, Math.min(64, c.u16(body + size!))); p += 64; break;
      case F.Result: {
        const v = c.u8(p);
        c.s += ' RESULT_CODE(' + v;
        if (verbose) c.s += ':' + (RESULT_TEXT.get(type)![v] || '?');
        c.s += ')';
        p += 1;
        break;
      }
      case F.Error: coded(c, 'ERR_CODE', c.u8(p), verbose ? ERROR_TEXT : null); p += 1; break;
      case F.Reason: coded(c, 'REASON', c.u8(p), verbose ? REASON_TEXT : null); p += 1; break;
      case F.BearerType: c.s += ' BEARER_TYPE(' + (BEARER_TYPES[c.u32(p)] ?? '?') + ')'; p += 4; break;
      case F.FramingType: c.s += ' FRAME_TYPE(' + (FRAMING_TYPES[c.u32(p)] ?? '?') + ')'; p += 4; break;
    }
  }
}

function reserved(c: PrintContext, v: number): void {
  if (v !== 0) c.s += ' [ERROR: reserved=' + dec(v) + ' must be zero]';
}

/** NAME(n) and, with -v, NAME(n:meaning). */
function coded(c: PrintContext, name: string, v: number, meanings: readonly string[] | null): void {
  c.s += ' ' + name + '(' + v;
  if (meanings !== null) c.s += ':' + (meanings[v] ?? '?');
  c.s += ')';
}

/** nd_printjnp: up to `n` bytes or a NUL, made visible; a read past the capture ends the line. */
function text(c: PrintContext, name: string, p: number, n: number): void {
  c.s += ' ' + name + '(';
  for (let i = 0; i < n; i++) {
    const ch = c.u8(p + i);
    if (ch === 0) break;
    c.s += visibleChar(ch);
  }
  c.s += ')';
}
