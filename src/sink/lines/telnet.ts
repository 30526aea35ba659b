/**
 * Telnet commands as tcpdump 4.99 prints them (print-telnet.c): the IAC
 * sequences a segment starts with, " [telnet DO SUPPRESS GO AHEAD, WILL NAWS]";
 * data that does not start with IAC prints nothing. (tcpdump's -X -vvv form,
 * a hex dump per command, is not reproduced.)
 */
import type { PrintContext } from './print-context.js';
import { hex } from './text-tables.js';

const IAC = 255, SB = 250, SE = 240;
const FIRST_COMMAND = 236;
const COMMANDS = [
  'EOF', 'SUSP', 'ABORT', 'EOR', 'SE', 'NOP', 'DMARK', 'BRK', 'IP', 'AO', 'AYT', 'EC', 'EL', 'GA', 'SB',
  'WILL', 'WONT', 'DO', 'DONT', 'IAC',
];
const OPTIONS = [
  'BINARY', 'ECHO', 'RCP', 'SUPPRESS GO AHEAD', 'NAME', 'STATUS', 'TIMING MARK', 'RCTE', 'NAOL', 'NAOP',
  'NAOCRD', 'NAOHTS', 'NAOHTD', 'NAOFFD', 'NAOVTS', 'NAOVTD', 'NAOLFD', 'EXTEND ASCII', 'LOGOUT',
  'BYTE MACRO', 'DATA ENTRY TERMINAL', 'SUPDUP', 'SUPDUP OUTPUT', 'SEND LOCATION', 'TERMINAL TYPE',
  'END OF RECORD', 'TACACS UID', 'OUTPUT MARKING', 'TTYLOC', '3270 REGIME', 'X.3 PAD', 'NAWS', 'TSPEED',
  'LFLOW', 'LINEMODE', 'XDISPLOC', 'OLD-ENVIRON', 'AUTHENTICATION', 'ENCRYPT', 'NEW-ENVIRON',
];
const AUTHENTICATION = 37, ENCRYPT = 38;
/** Sub-option words by option; gaps print as numbers. */
const SUB_COMMANDS = ['IS', 'SEND', 'INFO'];
const AUTH_COMMANDS = ['IS', 'SEND', 'REPLY', 'NAME'];
const AUTH_TYPES = ['NULL', 'KERBEROS_V4', 'KERBEROS_V5', 'SPX', 'MINK', 'SRP', 'RSA', 'SSL', '', '', 'LOKI',
  'SSA', 'KEA_SJ', 'KEA_SJ_INTEG', 'DSS', 'NTLM'];
const ENCRYPT_COMMANDS = ['IS', 'SUPPORT', 'REPLY', 'START', 'END', 'REQUEST-START', 'REQUEST-END',
  'END_KEYID', 'DEC_KEYID'];
const ENCRYPT_TYPES = ['NULL', 'DES_CFB64', 'DES_OFB64', 'DES3_CFB64', 'DES3_OFB64', '', 'CAST5_40_CFB64',
  'CAST5_40_OFB64', 'CAST128_CFB64', 'CAST128_OFB64'];

/** C's "%#x": no prefix for zero. */
function altHex(x: number): string {
  return x === 0 ? '0' : '0x' + hex(x);
}

function wordOrNumber(x: number, words: readonly string[]): string {
  const w = x < words.length ? words[x]! : '';
  return w !== '' ? w : altHex(x);
}

/** Where the command walk is; module state so a packet allocates nothing for it. */
const at = { sp: 0, length: 0 };

/** tcpdump's FETCH: false past the declared length; a read past the capture throws. */
function fetch(c: PrintContext): number {
  if (at.length < 1) return -1;
  const v = c.u8(at.sp);
  at.sp++;
  at.length--;
  return v;
}

/**
 * Reads (and with `print`, prints) the command at `sp`; returns its length in
 * bytes, or -1 when it is not a whole command. The length of an unfinished
 * sub-negotiation may run past `length`, as tcpdump's does.
 */
function command(c: PrintContext, sp: number, length: number, print: boolean): number {
  at.sp = sp;
  at.length = length;
  if (fetch(c) !== IAC) return -1;
  const cmd = fetch(c);
  if (cmd < 0) return -1;
  if (cmd === IAC) {
    if (print) c.s += 'IAC IAC';
    return at.sp - sp;
  }
  if (cmd < FIRST_COMMAND) return -1;
  const name = COMMANDS[cmd - FIRST_COMMAND]!;
  if (cmd < SB) {
    if (print) c.s += name;
    return at.sp - sp;
  }
  // WILL, WONT, DO, DONT and SB name an option.
  const option = fetch(c);
  if (option < 0) return -1;
  if (print) c.s += name + ' ' + (option < OPTIONS.length ? OPTIONS[option]! : altHex(option));
  if (cmd !== SB) return at.sp - sp;

  // IAC SB option ... IAC SE: find the IAC that ends it (or the last byte).
  const start = at.sp;
  let p = start;
  while (at.length > p + 1 - start) {
    if (c.u8(p) === IAC && c.u8(p + 1) === SE) break;
    p++;
  }
  if (c.u8(p) !== IAC) return -1;
  const [commands, types] = option === AUTHENTICATION ? [AUTH_COMMANDS, AUTH_TYPES]
    : option === ENCRYPT ? [ENCRYPT_COMMANDS, ENCRYPT_TYPES] : [SUB_COMMANDS, null];
  if (p > at.sp) {
    const v = fetch(c);
    if (v < 0) return -1;
    if (print) c.s += ' ' + wordOrNumber(v, commands);
    if (types !== null && p > at.sp) {
      const t = fetch(c);
      if (t < 0) return -1;
      if (print) c.s += ' ' + wordOrNumber(t, types);
    }
  }
  while (p > at.sp) {
    const v = fetch(c);
    if (v < 0) return -1;
    if (print) c.s += ' ' + altHex(v);
  }
  if (print) c.s += ' SE';
  return at.sp + 2 - sp;
}

/** Prints the telnet commands of `length` payload bytes at `sp` (nothing when it starts with data). */
export function printTelnet(c: PrintContext, sp: number, length: number): void {
  c.proto = 'telnet';
  let first = true;
  // Every command is at least two bytes and every read is bounded by the capture, so this ends.
  while (length > 0 && c.u8(sp) === IAC) {
    const l = command(c, sp, length, false);
    if (l < 0) break;
    c.s += first ? ' [telnet ' : ', ';
    command(c, sp, length, true);
    first = false;
    sp += l;
    // An unfinished sub-negotiation can claim more than is left: tcpdump's unsigned length wraps.
    length = (length - l) >>> 0;
  }
  if (!first) c.s += ']';
}
