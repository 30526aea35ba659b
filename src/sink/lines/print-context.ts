/**
 * The state one line is built in. The printers mirror tcpdump's structure:
 * every read is bounds-checked against `snapend`, and a read past it ends the
 * line with " [|proto]" (tcpdump longjmps; we throw one shared sentinel, which
 * costs nothing on the normal path and needs no allocation when it happens).
 */
import type { IkeInitiatorCache } from './isakmp.js';
import type { LinePalette } from './palette.js';
import { NfsCallTable, RxCallTable } from './reply-tables.js';
import type { RelativeSequenceTable } from './tcp-sequence-table.js';

export interface LineFormatOptions {
  /** -e: print the link-level header. */
  link: boolean;
  /** -q: quieter protocol lines. */
  quiet: boolean;
  /** -v count. */
  verbose: number;
  /** -S: absolute TCP sequence numbers. */
  absoluteSequence: boolean;
  /** -q, -x and -X turn off tcpdump's hex dump of payloads it cannot dissect. */
  suppressDefaultPrint: boolean;
}

/**
 * Continues an ESP line with what the ESP carries, when it was decrypted
 * (tcpdump -E): ": " and the plaintext's text, " [|esp]", or nothing.
 * `ipOff` and `version` name the enclosing IP header, as tcpdump's `bp2`.
 */
export interface EspPlaintextPrinter {
  printPlaintext(c: PrintContext, bp: number, length: number, ipOff: number, version: number, fragmented: boolean): void;
}

/** Encapsulations one line follows; deeper ones end it (the decoder stops at 8). */
const MAX_PRINT_NESTING = 32;

/** Thrown when a printer reads past the captured bytes (tcpdump's nd_trunc_longjmp). */
export const TRUNCATED: { readonly truncated: true } = Object.freeze({ truncated: true });

export class PrintContext {
  b: Uint8Array = new Uint8Array(0);
  /** One past the last byte printers may read; narrowed to an IP datagram's end while inside it. */
  snapend = 0;
  /** The text of the line so far. */
  s = '';
  /** Names the protocol in a truncation marker, as tcpdump's ndo_protocol does. */
  proto = '';
  /** Link-layer header length, for -x (which dumps from the network layer). */
  linkHeaderLength = 0;
  /** Tunnels entered on this line (GRE, VXLAN, MPLS, IP-in-IP...): bounded, since a nesting bomb recurses. */
  nesting = 0;
  /** Set when ESP keys were given: prints decrypted payloads after the ESP text. */
  esp: EspPlaintextPrinter | null = null;
  /** NFS calls seen, to read replies by (tcpdump's xid map); lives as long as the printer. */
  readonly nfsCalls = new NfsCallTable();
  /** AFS Rx calls seen, for the same reason (print-rx.c's call cache). */
  readonly rxCalls = new RxCallTable();
  /** IKEv1 initiators seen so far in this run (tcpdump's cookie cache); made on first use. */
  ikeInitiators: IkeInitiatorCache | null = null;

  constructor(
    readonly opts: LineFormatOptions,
    readonly sequences: RelativeSequenceTable,
    readonly paint: LinePalette | null,
  ) {}

  reset(b: Uint8Array, start: number, caplen: number): void {
    this.b = b;
    this.snapend = start + caplen;
    this.s = '';
    this.proto = '';
    this.linkHeaderLength = 0;
    this.nesting = 0;
  }

  /**
   * Counts one more encapsulation; false (with a marker ending the line) past
   * MAX_PRINT_NESTING. tcpdump has no such bound, only the packet's length.
   */
  enter(): boolean {
    if (++this.nesting <= MAX_PRINT_NESTING) return true;
    this.s += ' [|nesting]';
    return false;
  }

  /** True when `n` bytes at `o` were captured (ND_TTEST_LEN). */
  has(o: number, n: number): boolean {
    return n >= 0 && o + n <= this.snapend;
  }

  u8(o: number): number {
    if (o >= this.snapend) throw TRUNCATED;
    return this.b[o]!;
  }

  u16(o: number): number {
    if (o + 2 > this.snapend) throw TRUNCATED;
    return (this.b[o]! << 8) | this.b[o + 1]!;
  }

  u32(o: number): number {
    if (o + 4 > this.snapend) throw TRUNCATED;
    const b = this.b;
    return ((b[o]! << 24) | (b[o + 1]! << 16) | (b[o + 2]! << 8) | b[o + 3]!) >>> 0;
  }

  /** Throws unless `n` bytes at `o` were captured (ND_TCHECK_LEN under longjmp). */
  need(o: number, n: number): void {
    if (o + n > this.snapend) throw TRUNCATED;
  }

  /** " [|proto]": what tcpdump's nd_print_trunc appends. */
  trunc(): void {
    this.s += ' [|' + this.proto + ']';
  }
}
