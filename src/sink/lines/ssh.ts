/**
 * SSH on tcp/22 as tcpdump 4.99 prints it (print-ssh.c): only the version
 * banner of a segment that starts with "SSH-", and only when the line ends
 * (LF or CR LF) inside the segment with nothing but printable ASCII before.
 */
import type { PrintContext } from './print-context.js';

const S = 0x53, H = 0x48, DASH = 0x2d, LF = 0x0a, CR = 0x0d;

export function printSsh(c: PrintContext, bp: number, length: number): void {
  c.proto = 'ssh';
  // tcpdump reads the four bytes without checking them against the length.
  if (c.u8(bp) !== S || c.u8(bp + 1) !== S || c.u8(bp + 2) !== H || c.u8(bp + 3) !== DASH) return;
  let end = 4;
  for (; end < length; end++) {
    const ch = c.u8(bp + end);
    if (ch === LF) break;
    if (ch === CR) {
      if (end + 1 >= length || c.u8(bp + end + 1) !== LF) return;
      break;
    }
    if (ch < 0x20 || ch > 0x7e) return;
  }
  if (end >= length) return;
  // Every byte before `end` was checked to be printable ASCII: the banner is safe to show as is.
  c.s += ': SSH: ';
  for (let i = 0; i < end; i++) c.s += String.fromCharCode(c.b[bp + i]!);
}
