/**
 * Per-Packet Information (print-ppi.c): a little-endian header naming the
 * link type of the frame after it, which its own printer then prints.
 */
import { u32le } from '../../decode/bytes.js';
import type { PrintContext } from './print-context.js';
import { hexAsciiLines } from './hexdump.js';

const PPI_HDRLEN = 8, PPI_MAX_LEN = 65532;

/** pcap_datalink_val_to_name for the link types a PPI header names in practice. */
const DLT_NAMES = new Map([
  [0, 'NULL'], [1, 'EN10MB'], [9, 'PPP'], [12, 'RAW'], [104, 'C_HDLC'], [105, 'IEEE802_11'], [108, 'LOOP'],
  [113, 'LINUX_SLL'], [119, 'PRISM_HEADER'], [127, 'IEEE802_11_RADIO'], [163, 'IEEE802_11_RADIO_AVS'], [192, 'PPI'],
]);

/** Prints the frame of link type `lt` at `start`; false when no printer knows that link type. */
type LinkPrinter = (c: PrintContext, lt: number, start: number, length: number, caplen: number) => boolean;

function header(c: PrintContext, start: number, len: number, dlt: number, length: number): void {
  const b = c.b;
  const name = DLT_NAMES.get(dlt) ?? 'UNKNOWN';
  c.s += (c.opts.quiet ? name : 'V.' + b[start]! + ' DLT ' + name + ' (' + dlt + ') len ' + len) + ', length ' + length + ': ';
}

/** DLT_PPI: the header (with -e), then the inner frame by its link type, or a hex dump. */
export function printPpi(c: PrintContext, start: number, length: number, caplen: number, inner: LinkPrinter): void {
  // A PPI header may name PPI again, as deep as the capture allows.
  if (!c.enter()) return;
  c.proto = 'ppi';
  if (caplen < PPI_HDRLEN) { c.trunc(); c.linkHeaderLength = caplen; return; }
  const b = c.b, len = b[start + 2]! | (b[start + 3]! << 8);
  if (len < PPI_HDRLEN || len > PPI_MAX_LEN) {
    c.s += ' [length ' + len + ' < ' + PPI_HDRLEN + ' or > ' + PPI_MAX_LEN + '] (invalid)';
    c.linkHeaderLength = caplen;
    return;
  }
  if (caplen < len) { c.trunc(); c.linkHeaderLength = caplen; return; }
  const dlt = u32le(b, start + 4);
  if (c.opts.link) header(c, start, len, dlt, length);
  if (inner(c, dlt, start + len, length - len, caplen - len)) {
    // tcpdump adds the inner header length twice (print-ppi.c), which -x shows.
    c.linkHeaderLength = len + 2 * c.linkHeaderLength;
    return;
  }
  if (!c.opts.link) header(c, start, len, dlt, length);
  if (!c.opts.suppressDefaultPrint && caplen > len) c.s += hexAsciiLines(b, start + len, caplen - len, '\n\t');
  c.linkHeaderLength = len;
}
