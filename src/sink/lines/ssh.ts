/**
 * SSH on TCP 22, as tcpdump's print-ssh.c: only the version exchange line
 * ("SSH-2.0-OpenSSH_9.6") is printed, when it is the whole first line of the
 * segment in printable ASCII; anything else (the encrypted stream) prints
 * nothing. The line must end in the segment: if the capture stops first, the
 * line is cut (` [|ssh]`).
 */
import type { PrintContext } from './print-context.js';

const S = 0x53, H = 0x48, DASH = 0x2d, CR = 0x0d, LF = 0x0a;

export function printSsh(c: PrintContext, p: number, length: number): void {
  c.proto = 'ssh';
  // tcpdump reads byte by byte, so a capture that ends before the answer is a truncation.
  if (c.u8(p) !== S || c.u8(p + 1) !== S || c.u8(p + 2) !== H || c.u8(p + 3) !== DASH) return;
  for (let i = 4; i < length; i++) {
    const ch = c.u8(p + i);
    if (ch === LF) { printVersion(c, p, i); return; }
    if (ch === CR) {
      if (i + 1 >= length) return;
      if (c.u8(p + i + 1) === LF) { printVersion(c, p, i); return; }
      return;
    }
    if (ch < 0x20 || ch > 0x7e) return;
  }
}

/** The checks above let only printable ASCII through, so the text needs no escaping. */
function printVersion(c: PrintContext, p: number, n: number): void {
  c.s += ': SSH: ';
  const b = c.b;
  for (let i = 0; i < n; i++) c.s += String.fromCharCode(b[p + i]!);
}
