/**
 * NTP lines (print-ntp.c): "NTPv4, Client, length 48"; with -v the leap
 * indicator, stratum, poll, root delay and dispersion, reference ID, the four
 * timestamps (with their UTC dates) and the two deltas, or a control
 * message's header.
 */
import { ipv4Text } from './addresses.js';
import type { PrintContext } from './print-context.js';
import { tcpdumpCharText } from '../sanitize.js';
import { dec, hexPad } from './text-tables.js';

const MODES = [
  'unspecified', 'symmetric active', 'symmetric passive', 'Client', 'Server', 'Broadcast', 'Control Message', 'Reserved',
];
const LEAP = ['', '+1s', '-1s', 'clock unsynchronized'];
const MODE_CONTROL = 6, MODE_PRIVATE = 7;
const TIME_MESSAGE_LENGTH = 48, CONTROL_HEADER_LENGTH = 12;
const field = { stratum: 1, poll: 2, precision: 3, rootDelay: 4, rootDispersion: 8, refId: 12,
  refTime: 16, originTime: 24, receiveTime: 32, transmitTime: 40, keyId: 48, digest: 52 } as const;
/** Seconds from 1900 (NTP's era 0) to 1970. */
const NTP_UNIX_OFFSET = 2208988800;
const TWO_32 = 4294967296;

export function printNtp(c: PrintContext, bp: number, length: number): void {
  c.proto = 'ntp';
  const status = c.u8(bp); // leap indicator (2 bits), version (3), mode (3)
  const mode = status & 7;
  c.s += 'NTPv' + ((status >> 3) & 7) + ', ' + MODES[mode] + ', length ' + dec(length);
  if (!c.opts.verbose) return;
  c.s += '\n\tLeap indicator: ' + LEAP[status >> 6] + ' (' + (status & 0xc0) + ')';
  if (mode === MODE_CONTROL) printControl(c, bp, length);
  else if (mode !== MODE_PRIVATE) printTimeMessage(c, bp, length);
}

function printTimeMessage(c: PrintContext, bp: number, length: number): void {
  if (length < TIME_MESSAGE_LENGTH) { invalid(c, bp, length); return; }
  const stratum = c.u8(bp + field.stratum);
  c.s += ', Stratum ' + stratum + ' (' + (stratum === 0 ? 'unspecified' : stratum === 1 ? 'primary reference'
    : stratum <= 15 ? 'secondary reference' : 'reserved') + ')';
  const poll = (c.u8(bp + field.poll) << 24) >> 24;
  c.s += ', poll ' + poll;
  if (poll > -32 && poll < 32) c.s += poll >= 0 ? ' (' + 2 ** poll + 's)' : ' (1/' + 2 ** -poll + 's)';
  c.s += ', precision ' + ((c.u8(bp + field.precision) << 24) >> 24);
  c.s += '\n\tRoot Delay: ' + shortFixed(c, bp + field.rootDelay);
  c.s += ', Root dispersion: ' + shortFixed(c, bp + field.rootDispersion);
  c.need(bp + field.refId, 4);
  c.s += ', Reference-ID: ';
  const ref = bp + field.refId;
  switch (stratum) {
    case 0: c.s += '(unspec)'; break;
    case 1: for (let i = 0; i < 4; i++) c.s += tcpdumpCharText(c.b[ref + i]!); break;
    case 62: c.s += ipv4Text(c.b, ref) + ' INFO_QUERY'; return;
    case 63: c.s += ipv4Text(c.b, ref) + ' INFO_REPLY'; return;
    default: c.s += '0x' + hexPad(c.u32(ref), 8); break;
  }
  c.need(bp + field.refTime, 8);
  c.s += '\n\t  Reference Timestamp:  ' + timestamp(c, bp + field.refTime);
  c.need(bp + field.originTime, 8);
  c.s += '\n\t  Originator Timestamp: ' + timestamp(c, bp + field.originTime);
  c.need(bp + field.receiveTime, 8);
  c.s += '\n\t  Receive Timestamp:    ' + timestamp(c, bp + field.receiveTime);
  c.need(bp + field.transmitTime, 8);
  c.s += '\n\t  Transmit Timestamp:   ' + timestamp(c, bp + field.transmitTime);
  c.s += '\n\t    Originator - Receive Timestamp:  ' + delta(c, bp + field.originTime, bp + field.receiveTime);
  c.s += '\n\t    Originator - Transmit Timestamp: ' + delta(c, bp + field.originTime, bp + field.transmitTime);
  const extra = length - TIME_MESSAGE_LENGTH;
  if (extra === 4 || extra === 20 || extra === 24) {
    // A key ID, alone (crypto-NAK) or before a 128- or 160-bit digest.
    c.s += '\n\tKey id: ' + c.u32(bp + field.keyId);
    if (extra > 4) {
      const words = (extra - 4) / 4;
      c.need(bp + field.digest, words * 4);
      c.s += '\n\tAuthentication: ';
      for (let i = 0; i < words; i++) c.s += hexPad(c.u32(bp + field.digest + 4 * i), 8);
    }
  } else if (extra > 0) {
    c.s += '\n\t(' + extra + ' more bytes after the header)';
  }
}

function printControl(c: PrintContext, bp: number, length: number): void {
  if (length < CONTROL_HEADER_LENGTH) { invalid(c, bp, length); return; }
  const control = c.u8(bp + 1);
  c.s += ', ' + (control & 0x80 ? 'Response' : 'Request') + ', ' + (control & 0x40 ? 'Error' : 'OK') + ', ' +
    (control & 0x20 ? 'More' : 'Last') + ', OpCode=' + (control & 0x1f) + '\n';
  c.s += '\tSequence=' + c.u16(bp + 2);
  const status = c.u16(bp + 4);
  c.s += ', Status=' + (status === 0 ? '0' : '0x' + status.toString(16));
  c.s += ', Assoc.=' + c.u16(bp + 6);
  c.s += ', Offset=' + c.u16(bp + 8);
  const count = c.u16(bp + 10);
  c.s += ', Count=' + count;
  if (CONTROL_HEADER_LENGTH + count > length) { invalid(c, bp, length); return; }
  if (count !== 0) {
    c.need(bp + CONTROL_HEADER_LENGTH, count);
    c.s += '\n\tTO-BE-DONE: data not interpreted';
  }
}

function invalid(c: PrintContext, bp: number, length: number): void {
  c.s += ' (invalid)';
  c.need(bp, length);
}

/** A 16.16 fixed-point number, the fraction in millionths. */
function shortFixed(c: PrintContext, o: number): string {
  const whole = c.u16(o), millionths = Math.trunc((c.u16(o + 2) / 65536) * 1000000);
  return whole + '.' + String(millionths).padStart(6, '0');
}

/** billionths of a 32-bit binary fraction, truncated as tcpdump's double arithmetic does. */
const billionths = (fraction: number): string => String(Math.trunc((fraction / TWO_32) * 1000000000)).padStart(9, '0');

/** p_ntp_time: seconds.billionths, and the UTC date when the seconds are not zero. */
function timestamp(c: PrintContext, o: number): string {
  const seconds = c.u32(o);
  let s = seconds + '.' + billionths(c.u32(o + 4));
  if (seconds !== 0) s += ' (' + new Date((seconds - NTP_UNIX_OFFSET) * 1000).toISOString().slice(0, 19) + 'Z)';
  return s;
}

/** p_ntp_delta: the signed difference of two timestamps (the second alone when the first is zero). */
function delta(c: PrintContext, olderAt: number, newerAt: number): string {
  const u = c.u32(newerAt), uf = c.u32(newerAt + 4), ou = c.u32(olderAt), ouf = c.u32(olderAt + 4);
  if (ou === 0 && ouf === 0) return timestamp(c, newerAt);
  let negative: boolean, i: number, f: number;
  if (u > ou) {
    negative = false; i = u - ou; f = (uf - ouf) >>> 0;
    if (ouf > uf) i -= 1;
  } else if (u < ou) {
    negative = true; i = ou - u; f = (ouf - uf) >>> 0;
    if (uf > ouf) i -= 1;
  } else {
    i = 0;
    negative = !(uf > ouf);
    f = negative ? ouf - uf : uf - ouf;
  }
  return (negative ? '-' : '+') + i + '.' + billionths(f);
}
