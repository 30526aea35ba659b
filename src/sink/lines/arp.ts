/** ARP lines (print-arp.c): "ARP, Request who-has 10.0.0.2 tell 10.0.0.1, length 28". */
import { ipv4Text, linkAddrText } from './addresses.js';
import { hexAsciiLines } from './hexdump.js';
import type { PrintContext } from './print-context.js';
import { ETHERTYPE_NAMES, dec, hexPad } from './text-tables.js';

const OPERATIONS = new Map<number, string>([
  [1, 'Request'], [2, 'Reply'], [3, 'Reverse Request'], [4, 'Reverse Reply'],
  [8, 'Inverse Request'], [9, 'Inverse Reply'], [10, 'NACK Reply'],
]);
const HARDWARE = new Map<number, string>([
  [1, 'Ethernet'], [6, 'TokenRing'], [7, 'ArcNet'], [15, 'FrameRelay'], [23, 'Strip'],
  [24, 'IEEE 1394'], [19, 'ATM'], [32, 'InfiniBand'],
]);
const ETHERTYPE_IP = 0x0800, ETHERTYPE_TRAIL = 0x1000;

/** `length` is what follows the link header on the wire; `caplen` what was captured of it. */
export function printArp(c: PrintContext, bp: number, length: number, caplen: number): void {
  c.proto = 'arp';
  c.need(bp, 8);
  const hrd = c.u16(bp), pro = c.u16(bp + 2), op = c.u16(bp + 6);
  const hln = c.u8(bp + 4), pln = c.u8(bp + 5);
  const sha = bp + 8, spa = sha + hln, tha = spa + pln, tpa = tha + hln;
  if (hrd === 19) {
    // ATM ARP (RFC 2225) has a different layout; named only.
    if (!c.opts.link) c.s += 'ARP, ';
    c.s += 'ATM, length ' + length;
    return;
  }
  c.need(tpa, pln);
  if (!c.opts.link) c.s += 'ARP, ';
  const v = c.opts.verbose;
  const ipLike = (pro === ETHERTYPE_IP || pro === ETHERTYPE_TRAIL) && pln === 4;
  if (!ipLike || hln === 0 || v > 0) {
    c.s += (HARDWARE.get(hrd) ?? 'Unknown Hardware (' + hrd + ')') + ' (len ' + hln + '), ' +
      (ETHERTYPE_NAMES.get(pro) ?? 'Unknown Protocol (0x' + hexPad(pro, 4) + ')') + ' (len ' + pln + ')';
    if (v === 0) { c.s += ', length ' + dec(length); return; }
  }
  c.s += (v > 0 ? ', ' : '') + (OPERATIONS.get(op) ?? 'Unknown (' + op + ')') + ' ';
  switch (op) {
    case 1: {
      c.s += 'who-has ' + ip(c, tpa, pro, pln);
      let nonzero = false;
      for (let i = 0; i < hln; i++) if (c.u8(tha + i) !== 0) { nonzero = true; break; }
      if (nonzero) c.s += ' (' + hw(c, tha, hln) + ')';
      c.s += ' tell ' + ip(c, spa, pro, pln);
      break;
    }
    case 2:
      c.s += ip(c, spa, pro, pln) + ' is-at ' + hw(c, sha, hln);
      break;
    case 3: case 8:
      c.s += 'who-is ' + hw(c, tha, hln) + ' tell ' + hw(c, sha, hln);
      break;
    case 4:
      c.s += hw(c, tha, hln) + ' at ' + ip(c, tpa, pro, pln);
      break;
    case 9:
      c.s += hw(c, sha, hln) + ' at ' + ip(c, spa, pro, pln);
      break;
    default:
      // tcpdump's default print: the ARP body as hex and ASCII.
      // ARP's default print is not affected by -q/-x/-X (it calls the printer directly).
      c.s += hexAsciiLines(c.b, bp, Math.min(caplen, c.snapend - bp), '\n\t');
      return;
  }
  c.s += ', length ' + dec(length);
}

function ip(c: PrintContext, o: number, pro: number, pln: number): string {
  if (pro !== ETHERTYPE_IP && pro !== ETHERTYPE_TRAIL) return '<wrong proto type>';
  if (pln !== 4) return '<wrong len>';
  c.need(o, 4);
  return ipv4Text(c.b, o);
}

function hw(c: PrintContext, o: number, hln: number): string {
  c.need(o, hln);
  return linkAddrText(c.b, o, hln);
}
