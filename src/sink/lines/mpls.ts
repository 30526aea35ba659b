/** MPLS (print-mpls.c): the label stack, then a guess at the payload from the label or its first byte. */
import { hexAsciiLines } from './hexdump.js';
import { printIpv4 } from './ipv4.js';
import { printIpv6 } from './ipv6.js';
import type { PrintContext } from './print-context.js';
import { dec } from './text-tables.js';

/** mpls_labelname: the reserved labels 0-15, named with -v. */
const RESERVED_LABELS: readonly string[] = [
  'IPv4 explicit NULL', 'router alert', 'IPv6 explicit NULL', 'implicit NULL',
  'rsvd', 'rsvd', 'rsvd', 'rsvd', 'rsvd', 'rsvd', 'rsvd', 'rsvd', 'rsvd', 'rsvd', 'rsvd', 'rsvd',
];

export function printMpls(c: PrintContext, bp: number, length: number): void {
  c.proto = 'mpls';
  if (!c.enter()) return;
  c.s += 'MPLS';
  let p = bp;
  let entry = 0;
  let depth = 0;
  // Every entry takes four bytes of `length`: the stack ends with the packet.
  do {
    if (length < 4) {
      c.s += ' (invalid)';
      c.need(p, length);
      return;
    }
    entry = c.u32(p);
    const label = entry >>> 12;
    c.s += (depth > 0 && c.opts.verbose > 0 ? '\n\t' : ' ') + '(label ' + dec(label);
    depth++;
    if (c.opts.verbose > 0 && label < 16) c.s += ' (' + RESERVED_LABELS[label] + ')';
    c.s += ', tc ' + ((entry >>> 9) & 7);
    if (entry & 0x100) c.s += ', [S]';
    c.s += ', ttl ' + (entry & 0xff) + ')';
    p += 4;
    length -= 4;
  } while ((entry & 0x100) === 0);

  const label = entry >>> 12;
  let kind: number; // 4, 6, 1 (OSI) or 0 (unknown)
  if (label === 0 || label === 3) kind = 4;
  else if (label === 2) kind = 6;
  else {
    if (length < 1) return;
    const first = c.u8(p);
    kind = first >= 0x45 && first <= 0x4f ? 4 : first >= 0x60 && first <= 0x6f ? 6 : first >= 0x81 && first <= 0x83 ? 1 : 0;
  }
  if (kind === 0) {
    if (!c.opts.suppressDefaultPrint) c.s += hexAsciiLines(c.b, p, Math.min(length, Math.max(0, c.snapend - p)), '\n\t');
    return;
  }
  c.s += c.opts.verbose > 0 ? '\n\t' : ' ';
  if (kind === 4) printIpv4(c, p, length);
  else if (kind === 6) printIpv6(c, p, length);
  else c.s += 'OSI, length ' + length; // tcpdump dissects OSI; we do not
}
