/**
 * LWAPP lines (print-lwapp.c, draft-ohara-capwap-lwapp): "LWAPPv0, Data
 * frame, Flags [none], length 30". Control frames sent to port 12223 carry
 * the access point's 6-byte identity first. The messages -v lists are not
 * printed (exact only without -v).
 */
import type { PrintContext } from './print-context.js';
import { bitNames, type BitNames } from './tokens.js';

const CONTROL_PORT = 12223;
const TRANSPORT_HEADER = 6;
const AP_IDENTITY = 6;
const HEADER_BITS: BitNames = [[0x01, 'Last Fragment Bit'], [0x02, 'Fragment Bit'], [0x04, 'Control Bit']];

export function printLwapp(c: PrintContext, bp: number, length: number, sport: number, dport: number): void {
  const control = sport === CONTROL_PORT || dport === CONTROL_PORT;
  c.proto = control ? 'lwapp_control' : 'lwapp_data';
  const withIdentity = control && dport === CONTROL_PORT;
  if (withIdentity || !control) c.need(bp, AP_IDENTITY);
  const header = withIdentity ? bp + AP_IDENTITY : bp;
  c.need(header, TRANSPORT_HEADER);
  const first = c.b[header]!;
  const version = first >> 6;
  if (version !== 0) { c.s += 'LWAPP version ' + version + ' packet not supported'; return; }
  c.s += 'LWAPPv0, ' + (first & 0x04 ? 'Control' : 'Data') + ' frame, Flags [' + bitNames(HEADER_BITS, first & 0x07, 'none') + '], length ' + length;
}
