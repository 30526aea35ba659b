/**
 * BSD timed lines (print-timed.c, the Time Synchronisation Protocol):
 * "TSP_LOOP vers 1 seq 15498 hopcnt 10 name host", the time for the
 * set/adjust messages.
 */
import type { PrintContext } from './print-context.js';
import { tcpdumpCharText } from '../sanitize.js';

const TYPES = [
  'TSP_ANY', 'TSP_ADJTIME', 'TSP_ACK', 'TSP_MASTERREQ', 'TSP_MASTERACK', 'TSP_SETTIME', 'TSP_MASTERUP', 'TSP_SLAVEUP',
  'TSP_ELECTION', 'TSP_ACCEPT', 'TSP_REFUSE', 'TSP_CONFLICT', 'TSP_RESOLVE', 'TSP_QUIT', 'TSP_DATE', 'TSP_DATEREQ',
  'TSP_DATEACK', 'TSP_TRACEON', 'TSP_TRACEOFF', 'TSP_MSITE', 'TSP_MSITEREQ', 'TSP_TEST', 'TSP_SETDATE', 'TSP_SETDATEREQ',
  'TSP_LOOP',
];
const ADJTIME = 1, SETTIME = 5, SETDATE = 22, SETDATEREQ = 23, LOOP = 24;
const NAME_OFFSET = 12, NAME_SIZE = 256;

export function printTimed(c: PrintContext, bp: number): void {
  c.proto = 'timed';
  const type = c.u8(bp);
  c.s += TYPES[type] ?? '(tsp_type 0x' + type.toString(16) + ')';
  c.s += ' vers ' + c.u8(bp + 1);
  c.s += ' seq ' + c.u16(bp + 2);
  if (type === LOOP) {
    c.s += ' hopcnt ' + c.u8(bp + 4);
  } else if (type === ADJTIME || type === SETTIME || type === SETDATE || type === SETDATEREQ) {
    let sec = c.u32(bp + 4) | 0;
    let usec = c.u32(bp + 8) | 0;
    if (usec < 0) return;
    c.s += ' time ';
    if (sec < 0 && usec !== 0) {
      sec++;
      if (sec === 0) c.s += '-';
      usec = 1000000 - usec;
    }
    c.s += sec + '.' + zeroPad6(usec);
  }
  c.s += ' name ';
  for (let i = 0; i < NAME_SIZE; i++) {
    const ch = c.u8(bp + NAME_OFFSET + i);
    if (ch === 0) break;
    c.s += tcpdumpCharText(ch);
  }
}

/** printf's %06d, the sign counted in the width. */
function zeroPad6(n: number): string {
  return n < 0 ? '-' + String(-n).padStart(5, '0') : String(n).padStart(6, '0');
}
