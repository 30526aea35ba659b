/**
 * Text protocols as tcpdump 4.99 prints them (util-print.c txtproto_print and
 * the small print-http.c, print-smtp.c, print-ftp.c, print-rtsp.c,
 * print-sip.c, print-whois.c): the protocol name in capitals, then ": " and
 * the first line of the payload, or with -v ", length: N" and every line,
 * each on its own output line after "\n\t".
 *
 * Only lines made of printable ASCII and tabs are printed, so nothing from the
 * wire that a terminal would act on reaches the output: a line holding any
 * other byte ends the text silently. A line cut by the end of the payload is
 * printed with " [|proto]" after it; one cut by the end of the capture is not
 * printed at all (tcpdump's read past the snapshot gives only " [|proto]").
 */
import type { PrintContext } from './print-context.js';
import { dec } from './text-tables.js';

interface TextProtocol {
  /** tcpdump's ndo_protocol, shown in capitals and in truncation markers. */
  readonly name: string;
  readonly label: string;
  /**
   * Request names (upper case) of protocols that also carry bodies: only a
   * payload starting with one of them, or whose second word is a 3-digit
   * status code, is taken as a header; other payloads print the bare name.
   * null: every payload is text (FTP, SMTP, WHOIS).
   */
  readonly requests: readonly string[] | null;
}

function textProtocol(name: string, requests: readonly string[] | null): TextProtocol {
  return { name, label: name.toUpperCase(), requests };
}

const HTTP = textProtocol('http', [
  'GET', 'PUT', 'COPY', 'HEAD', 'LOCK', 'MOVE', 'POLL', 'POST', 'BCOPY', 'BMOVE', 'MKCOL', 'TRACE',
  'LABEL', 'MERGE', 'DELETE', 'SEARCH', 'UNLOCK', 'REPORT', 'UPDATE', 'NOTIFY', 'BDELETE', 'CONNECT',
  'OPTIONS', 'CHECKIN', 'PROPFIND', 'CHECKOUT', 'CCM_POST', 'SUBSCRIBE', 'PROPPATCH', 'BPROPFIND',
  'BPROPPATCH', 'UNCHECKOUT', 'MKACTIVITY', 'MKWORKSPACE', 'UNSUBSCRIBE', 'RPC_CONNECT',
  'VERSION-CONTROL', 'BASELINE-CONTROL',
]);
const RTSP = textProtocol('rtsp', [
  'DESCRIBE', 'ANNOUNCE', 'GET_PARAMETER', 'OPTIONS', 'PAUSE', 'PLAY', 'RECORD', 'REDIRECT', 'SETUP',
  'SET_PARAMETER', 'TEARDOWN',
]);
export const SIP = textProtocol('sip', [
  'ACK', 'BYE', 'CANCEL', 'DO', 'INFO', 'INVITE', 'MESSAGE', 'NOTIFY', 'OPTIONS', 'PRACK', 'QAUTH',
  'REFER', 'REGISTER', 'SPRACK', 'SUBSCRIBE', 'UPDATE', 'PUBLISH',
]);
const SMTP = textProtocol('smtp', null);
const FTP = textProtocol('ftp', null);
const WHOIS = textProtocol('whois', null);

/** The printers for tcpdump's TCP dissector names (app-ports.ts) that are text protocols. */
export const TCP_TEXT_PROTOCOLS: ReadonlyMap<string, TextProtocol> = new Map([
  ['smtp', SMTP], ['whois', WHOIS], ['ftp', FTP], ['http', HTTP], ['http-alt', HTTP], ['rtsp', RTSP],
  ['rtsp-alt', RTSP],
]);

const TAB = 0x09, LF = 0x0a, CR = 0x0d, SPACE = 0x20;
/** tcpdump keeps a token in a 129-byte buffer with its NUL: longer words are no token. */
const MAX_TOKEN_LENGTH = 128;
const ascii = new TextDecoder('latin1');

function printable(ch: number): boolean {
  return ch >= 0x20 && ch <= 0x7e;
}

/** Where the last token was found; module state so a packet allocates nothing for it. */
const token = { start: 0, length: 0 };

/**
 * Finds the word at payload index `idx` (tcpdump's fetch_token) and returns
 * the index after it and the spaces that follow, or 0 when there is no word:
 * a blank, a byte that is not printable ASCII, the capture's end, or too long.
 */
function nextToken(c: PrintContext, bp: number, idx: number, len: number): number {
  const b = c.b;
  token.start = idx;
  for (; idx < len; idx++) {
    if (bp + idx >= c.snapend) return 0;
    const ch = b[bp + idx]!;
    if (ch === SPACE || ch === TAB || ch === CR || ch === LF) break;
    if (!printable(ch)) return 0;
    if (idx - token.start >= MAX_TOKEN_LENGTH) return 0;
  }
  token.length = idx - token.start;
  if (token.length === 0) return 0;
  // Only spaces are skipped: a tab (not "printable") stops here, so the next word is empty.
  while (idx < len && bp + idx < c.snapend && b[bp + idx] === SPACE) idx++;
  return idx;
}

function tokenIs(c: PrintContext, bp: number, word: string): boolean {
  if (token.length !== word.length) return false;
  const b = c.b, at = bp + token.start;
  for (let i = 0; i < word.length; i++) {
    let ch = b[at + i]!;
    if (ch >= 0x61 && ch <= 0x7a) ch -= 0x20;
    if (ch !== word.charCodeAt(i)) return false;
  }
  return true;
}

function tokenIsStatusCode(c: PrintContext, bp: number): boolean {
  if (token.length !== 3) return false;
  const b = c.b, at = bp + token.start;
  for (let i = 0; i < 3; i++) if (b[at + i]! < 0x30 || b[at + i]! > 0x39) return false;
  return true;
}

/** Whether the payload opens with a request line or a status line (the only payloads shown). */
function looksLikeHeader(c: PrintContext, bp: number, len: number, requests: readonly string[]): boolean {
  let idx = nextToken(c, bp, 0, len);
  if (idx === 0) return false;
  let found = false;
  for (let i = 0; i < requests.length && !found; i++) found = tokenIs(c, bp, requests[i]!);
  // The status code is the second word ("HTTP/1.1 200 OK", "SIP/2.0 180 Ringing").
  idx = nextToken(c, bp, idx, len);
  return found || (idx !== 0 && tokenIsStatusCode(c, bp));
}

/**
 * Prints the line at payload index `idx` after `prefix` (tcpdump's
 * print_txt_line) and returns the index after its LF or CR LF; 0 when
 * nothing more is to be printed. Reading past the capture throws, which ends
 * the packet's text with " [|proto]" as tcpdump's longjmp does.
 */
function printLine(c: PrintContext, prefix: string, bp: number, idx: number, len: number): number {
  const start = idx;
  while (idx < len) {
    const ch = c.u8(bp + idx);
    if (ch === LF) {
      c.s += prefix + ascii.decode(c.b.subarray(bp + start, bp + idx));
      return idx + 1;
    }
    if (ch === CR) {
      // A CR must be followed by LF in this payload; anything else counts as binary.
      if (idx + 1 >= len || c.u8(bp + idx + 1) !== LF) return 0;
      c.s += prefix + ascii.decode(c.b.subarray(bp + start, bp + idx));
      return idx + 2;
    }
    if (!printable(ch) && ch !== TAB) return 0;
    idx++;
  }
  c.s += prefix + ascii.decode(c.b.subarray(bp + start, bp + idx));
  c.trunc();
  return 0;
}

/** Prints `len` payload bytes at `bp` as `proto`; the caller has printed what goes before the name. */
export function printTextProtocol(c: PrintContext, bp: number, len: number, proto: TextProtocol): void {
  c.proto = proto.name;
  const show = proto.requests === null || looksLikeHeader(c, bp, len, proto.requests);
  c.s += proto.label;
  if (!show) return;
  if (c.opts.verbose === 0) {
    printLine(c, ': ', bp, 0, len);
    return;
  }
  c.s += ', length: ' + dec(len);
  // Each printed line ends at an LF past `idx`, so the walk moves forward and ends.
  let idx = 0;
  while (idx < len) {
    idx = printLine(c, '\n\t', bp, idx, len);
    if (idx === 0) break;
  }
}
