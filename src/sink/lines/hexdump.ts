/**
 * tcpdump's -x / -X / -A payload dumps (print-ascii.c), byte for byte:
 * "\n\t0x0000:  4500 0054 ...  E..T..". Only printable ASCII (0x21-0x7e)
 * appears in the ASCII column, so dumped packet bytes can never carry
 * terminal control sequences.
 */
import { TRUNCATED, type PrintContext } from './print-context.js';
import { HEX8, hexPad } from './text-tables.js';

/** The ASCII column character for a byte: itself when visible, else '.'. */
const GRAPH: readonly string[] = Array.from({ length: 256 }, (_, i) => (i > 0x20 && i <= 0x7e ? String.fromCharCode(i) : '.'));

const HEXSTUFF_WIDTH = 40;

/**
 * " xxxx" and the two ASCII-column characters for every 16-bit word, built
 * on first use: a dump then costs two lookups per two bytes.
 */
let wordHex: string[] | null = null;
let wordAscii: string[] | null = null;

function wordTables(): [string[], string[]] {
  if (wordHex === null || wordAscii === null) {
    wordHex = new Array<string>(65536);
    wordAscii = new Array<string>(65536);
    for (let w = 0; w < 65536; w++) {
      wordHex[w] = ' ' + HEX8[w >> 8]! + HEX8[w & 0xff]!;
      wordAscii[w] = GRAPH[w >> 8]! + GRAPH[w & 0xff]!;
    }
  }
  return [wordHex, wordAscii];
}

/** hex_print: 16 bytes a line, as space-separated 16-bit groups. */
export function hexLines(b: Uint8Array, start: number, length: number, indent: string): string {
  let s = '';
  let p = start;
  const nshorts = length >> 1;
  let oset = 0;
  const [words] = wordTables();
  for (let i = 0; i < nshorts; i++) {
    if (i % 8 === 0) { s += indent + '0x' + hexPad(oset, 4) + ': '; oset += 16; }
    s += words[(b[p]! << 8) | b[p + 1]!]!;
    p += 2;
  }
  if (length & 1) {
    if (nshorts % 8 === 0) s += indent + '0x' + hexPad(oset, 4) + ': ';
    s += ' ' + HEX8[b[p]!]!;
  }
  return s;
}

/** hex_and_ascii_print: the hex groups padded to 40 columns, two spaces, then ASCII. */
export function hexAsciiLines(b: Uint8Array, start: number, length: number, indent: string): string {
  let s = '';
  let hexPart = '';
  let ascii = '';
  let oset = 0;
  let inLine = 0;
  let p = start;
  const end = start + (length & ~1);
  const [words, pairs] = wordTables();
  for (; p < end; p += 2) {
    const w = (b[p]! << 8) | b[p + 1]!;
    hexPart += words[w]!;
    ascii += pairs[w]!;
    if (++inLine === 8) {
      s += indent + '0x' + hexPad(oset, 4) + ': ' + hexPart + '  ' + ascii;
      hexPart = ''; ascii = ''; inLine = 0;
      oset += 16;
    }
  }
  if (length & 1) {
    const x = b[p]!;
    hexPart += ' ' + HEX8[x]!;
    ascii += GRAPH[x]!;
    inLine++;
  }
  if (inLine > 0) {
    s += indent + '0x' + hexPad(oset, 4) + ': ' + hexPart.padEnd(HEXSTUFF_WIDTH, ' ') + '  ' + ascii;
  }
  return s;
}

/**
 * ascii_print (-A): a newline, then the bytes with every non-printable one
 * (anything but 0x21-0x7e, space, tab and newline) shown as '.'; a CR is
 * dropped before a newline or at the very end, as tcpdump does.
 */
export function asciiText(b: Uint8Array, start: number, length: number): string {
  let s = '\n';
  for (let i = 0; i < length; i++) {
    const ch = b[start + i]!;
    const left = length - i - 1;
    if (ch === 0x0d) {
      if (left > 1 && b[start + i + 1] !== 0x0a) s += '.';
    } else if (ch === 0x09 || ch === 0x20 || ch === 0x0a) {
      s += String.fromCharCode(ch);
    } else {
      s += GRAPH[ch]!;
    }
  }
  return s;
}

/** print_unknown_data: the hex of up to `length` captured bytes, or tcpdump's complaint when `at` is past the capture. */
export function unknownDataLines(b: Uint8Array, at: number, length: number, snapend: number, indent: string): string {
  if (at > snapend) return indent + 'Dissector error: print_unknown_data called with pointer past end of packet';
  return hexLines(b, at, Math.min(length, snapend - at), indent);
}

/** print_unknown_data onto the line being built: a hex dump of what was captured of `length` bytes. */
export function printUnknownData(c: PrintContext, bp: number, length: number, indent: string): void {
  c.s += unknownDataLines(c.b, bp, length, c.snapend, indent);
}

/**
 * hex_print: like printUnknownData, but a dump cut short by the capture ends
 * the line with the truncation marker (it throws after the bytes it has).
 */
export function printHex(c: PrintContext, bp: number, length: number, indent: string): void {
  const available = c.snapend > bp ? c.snapend - bp : 0;
  c.s += hexLines(c.b, bp, Math.min(length, available), indent);
  if (length > available) throw TRUNCATED;
}
