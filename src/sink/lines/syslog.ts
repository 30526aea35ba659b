/**
 * Syslog lines (print-syslog.c): "SYSLOG daemon.info, length: 90"; with -v
 * the facility, severity and message, with -vv also a hex dump. The message
 * is shown byte for byte in tcpdump's M-/^ notation, so it is printable.
 */
import { hexLines } from './hexdump.js';
import type { PrintContext } from './print-context.js';
import { tcpdumpCharText } from '../sanitize.js';
import { dec } from './text-tables.js';

const SEVERITIES = ['emergency', 'alert', 'critical', 'error', 'warning', 'notice', 'info', 'debug'];
const FACILITIES = ['kernel', 'user', 'mail', 'daemon', 'auth', 'syslog', 'lpr', 'news', 'uucp', 'cron', 'authpriv',
  'ftp', 'ntp', 'security', 'console', 'cron', 'local0', 'local1', 'local2', 'local3', 'local4', 'local5', 'local6', 'local7'];
const MAX_PRIORITY_DIGITS = 3;

export function printSyslog(c: PrintContext, bp: number, length: number): void {
  c.proto = 'syslog';
  // "<PRI>": up to three digits, facility * 8 + severity.
  if (c.u8(bp) !== 0x3c) { c.s += ' (invalid)'; return; }
  let off = 1, pri = 0;
  while (off <= MAX_PRIORITY_DIGITS && c.u8(bp + off) >= 0x30 && c.u8(bp + off) <= 0x39) {
    pri = pri * 10 + c.b[bp + off]! - 0x30;
    off++;
  }
  if (c.u8(bp + off) !== 0x3e) { c.s += ' (invalid)'; return; }
  off++;
  const facility = (pri & 0x3f8) >> 3, severity = pri & 7;
  const facilityName = FACILITIES[facility] ?? 'unknown (' + facility + ')';
  if (c.opts.verbose < 1) {
    c.s += 'SYSLOG ' + facilityName + '.' + SEVERITIES[severity] + ', length: ' + dec(length);
    return;
  }
  c.s += 'SYSLOG, length: ' + dec(length) + '\n\tFacility ' + facilityName + ' (' + facility + '), Severity ' +
    SEVERITIES[severity] + ' (' + severity + ')\n\tMsg: ';
  for (let i = off; i < length; i++) c.s += tcpdumpCharText(c.u8(bp + i));
  if (c.opts.verbose > 1) c.s += hexLines(c.b, bp, Math.min(length, c.snapend - bp), '\n\t');
}
