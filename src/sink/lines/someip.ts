/**
 * SOME/IP lines (print-someip.c, AUTOSAR): the header's fields on one line,
 * which tcpdump ends with a newline of its own. Field by field, so a cut
 * capture shows the fields before the cut.
 */
import type { PrintContext } from './print-context.js';
import { dec } from './text-tables.js';

const MESSAGE_TYPES: ReadonlyMap<number, string> = new Map([
  [0x00, 'REQUEST'], [0x01, 'REQUEST_NO_RETURN'], [0x02, 'NOTIFICATION'], [0x80, 'RESPONSE'], [0x81, 'ERROR'],
  [0x20, 'TP_REQUEST'], [0x21, 'TP_REQUEST_NO_RETURN'], [0x22, 'TP_NOTIFICATION'], [0xa0, 'TP_RESPONSE'], [0xa1, 'TP_ERROR'],
]);
const RETURN_CODES = [
  'E_OK', 'E_NOT_OK', 'E_UNKNOWN_SERVICE', 'E_UNKNOWN_METHOD', 'E_NOT_READY', 'E_NOT_REACHABLE', 'E_TIMEOUT',
  'E_WRONG_PROTOCOL_VERSION', 'E_WRONG_INTERFACE_VERSION', 'E_MALFORMED_MESSAGE', 'E_WRONG_MESSAGE_TYPE',
  'E_E2E_REPEATED', 'E_E2E_WRONG_SEQUENCE', 'E_E2E', 'E_E2E_NOT_AVAILABLE', 'E_E2E_NO_NEW_DATA',
];

export function printSomeip(c: PrintContext, bp: number, length: number): void {
  c.proto = 'someip';
  c.s += 'SOMEIP';
  if (length < 16) { c.s += ' (invalid)'; return; }
  const messageId = c.u32(bp);
  c.s += ', service ' + (messageId >>> 16) + ', ' + (messageId & 0x8000 ? 'event ' : 'method ') + (messageId & 0x7fff);
  c.s += ', len ' + dec(c.u32(bp + 4));
  const requestId = c.u32(bp + 8);
  c.s += ', client ' + (requestId >>> 16) + ', session ' + (requestId & 0xffff);
  c.s += ', pver ' + c.u8(bp + 12);
  c.s += ', iver ' + c.u8(bp + 13);
  c.s += ', msgtype ' + (MESSAGE_TYPES.get(c.u8(bp + 14)) ?? 'Unknown');
  c.s += ', retcode ' + (RETURN_CODES[c.u8(bp + 15)] ?? 'Unknown') + '\n';
}
