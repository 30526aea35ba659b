/**
 * NTP lines (print-ntp.c): "NTPv4, Client, length 48". The -v body (stratum,
 * timestamps, control messages) is not printed yet.
 */
import type { PrintContext } from './print-context.js';
import { dec } from './text-tables.js';

const MODES = [
  'unspecified', 'symmetric active', 'symmetric passive', 'Client', 'Server', 'Broadcast', 'Control Message', 'Reserved',
];

export function printNtp(c: PrintContext, bp: number, length: number): void {
  c.proto = 'ntp';
  const status = c.u8(bp); // leap indicator (2 bits), version (3), mode (3)
  c.s += 'NTPv' + ((status >> 3) & 7) + ', ' + MODES[status & 7] + ', length ' + dec(length);
}
