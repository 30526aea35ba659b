/**
 * IP over InfiniBand (LINKTYPE_IPOIB, RFC 4391), as tcpdump's print-ipoib.c:
 * a 44-byte pseudo-header (the 20-byte source hardware address, padding and
 * the 2-byte ethertype at 40) before the network layer.
 */
import { hexAsciiLines } from './hexdump.js';
import { printEthertype } from './link.js';
import type { PrintContext } from './print-context.js';
import { ETHERTYPE_NAMES, hexPad } from './text-tables.js';

const IPOIB_HEADER = 44;

function header(c: PrintContext, start: number, length: number): void {
  const type = c.u16(start + 40);
  const name = ETHERTYPE_NAMES.get(type);
  c.s += c.opts.quiet ? ', ethertype ' + (name ?? 'Unknown') : ', ethertype ' + (name ?? 'Unknown') + ' (0x' + hexPad(type, 4) + ')';
  c.s += ', length ' + length + ': ';
}

export function printIpoib(c: PrintContext, start: number, length: number, caplen: number): void {
  c.proto = 'ipoib';
  if (caplen < IPOIB_HEADER || length < IPOIB_HEADER) {
    c.trunc();
    c.linkHeaderLength = Math.min(caplen, length);
    return;
  }
  if (c.opts.link) { c.s += 'IPOIB'; header(c, start, length); }
  c.linkHeaderLength = IPOIB_HEADER;
  const p = start + IPOIB_HEADER;
  if (printEthertype(c, c.u16(start + 40), p, length - IPOIB_HEADER)) return;
  if (!c.opts.link) header(c, start, length);
  if (!c.opts.suppressDefaultPrint) c.s += hexAsciiLines(c.b, p, caplen - IPOIB_HEADER, '\n\t');
}
