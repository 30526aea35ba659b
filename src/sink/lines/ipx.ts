/** IPX (print-ipx.c): addresses, then SAP and RIP bodies or the socket's name and length. */
import type { PrintContext } from './print-context.js';
import { dec, hex, hexPad, HEX8 } from './text-tables.js';
import { paddedText } from './stp.js';

const HEADER = 30;

/** "0a8808aa.00:00:00:00:00:01": network and node. */
function address(c: PrintContext, o: number): string {
  c.need(o, 10);
  const b = c.b;
  let s = hexPad(c.u32(o), 8) + '.';
  for (let i = 4; i < 10; i++) s += (i > 4 ? ':' : '') + HEX8[b[o + i]!]!;
  return s;
}

export function printIpx(c: PrintContext, p: number): void {
  c.proto = 'ipx';
  if (!c.opts.link) c.s += 'IPX ';
  c.s += address(c, p + 18) + '.' + hexPad(c.u16(p + 28), 4) + ' > ';
  c.s += address(c, p + 6) + '.' + hexPad(c.u16(p + 16), 4) + ': ';
  const length = c.u16(p + 2);
  if (length < HEADER) { c.s += '[length ' + length + ' < 30] (invalid)'; return; }
  const socket = c.u16(p + 16), data = p + HEADER, n = length - HEADER;
  switch (socket) {
    case 0x0451: c.s += 'ipx-ncp ' + dec(n); return;
    case 0x0452: printSap(c, data, n); return;
    case 0x0453: printRip(c, data, n); return;
    case 0x0455: c.s += 'ipx-netbios ' + dec(n); return;
    case 0x0456: c.s += 'ipx-diags ' + dec(n); return;
    case 0x0553: c.s += 'ipx-nwlink-dgm ' + dec(n); return;
    case 0x85be: c.s += 'EIGRP over IPX, length ' + dec(n); return;
    default: c.s += 'ipx-#' + hex(socket) + ' ' + dec(n);
  }
}

function printSap(c: PrintContext, o: number, length: number): void {
  const command = c.u16(o);
  if (length < 2) { c.s += ' (invalid)'; return; }
  o += 2; length -= 2;
  switch (command) {
    case 1: case 3:
      c.s += (command === 1 ? 'ipx-sap-req' : 'ipx-sap-nearest-req') + ' ' + hexPad(c.u16(o), 4);
      return;
    case 2: case 4:
      c.s += command === 2 ? 'ipx-sap-resp' : 'ipx-sap-nearest-resp';
      for (let i = 0; i < 8 && length !== 0; i++) {
        c.need(o, 2);
        if (length < 2) { c.s += ' (invalid)'; return; }
        c.s += ' ' + hexPad(c.u16(o), 4) + " '";
        o += 2; length -= 2;
        if (length < 48) { c.s += "' (invalid)"; return; }
        c.s += paddedText(c, o, 48) + "'";
        o += 48; length -= 48;
        c.need(o, 10);
        if (length < 10) { c.s += ' (invalid)'; return; }
        c.s += ' addr ' + address(c, o);
        o += 10; length -= 10;
        c.need(o, 4);
        if (length < 4) { c.s += ' (invalid)'; return; }
        o += 4; length -= 4;
      }
      return;
    default:
      c.s += 'ipx-sap-?' + hex(command);
  }
}

function printRip(c: PrintContext, o: number, length: number): void {
  const command = c.u16(o);
  if (length < 2) { c.s += ' (invalid)'; return; }
  o += 2; length -= 2;
  const route = (): string => ' ' + hexPad(c.u32(o), 8) + '/' + dec(c.u16(o + 4)) + '.' + dec(c.u16(o + 6));
  switch (command) {
    case 1:
      c.s += 'ipx-rip-req';
      if (length !== 0) {
        if (length < 8) { c.s += ' (invalid)'; return; }
        c.s += route();
      }
      return;
    case 2:
      c.s += 'ipx-rip-resp';
      for (let i = 0; i < 50 && length !== 0; i++) {
        if (length < 8) { c.s += ' (invalid)'; return; }
        c.s += route();
        o += 8; length -= 8;
      }
      return;
    default:
      c.s += 'ipx-rip-?' + hex(command);
  }
}
