/**
 * What tcpdump -E prints after "ESP(spi=...,seq=...), length N": ": " and the
 * plaintext's text when it decrypted, " [|esp]" when the pad length in the
 * decrypted trailer points outside the payload (a wrong key, usually), and
 * nothing when there is no key, the ICV does not match, or the ciphertext
 * cannot be deciphered at all.
 *
 * The ESP layers are opened before the line is printed (EspUnwrapper, from the
 * decoders' view of the packet); this printer matches each ESP header it meets
 * with the layer opened for it, and prints the plaintext with the same
 * printers as the rest of the line. Like tcpdump, which prints the plaintext
 * from a buffer of its own while the transport printers still read addresses
 * from the enclosing IP header (`bp2`), it prints from a buffer holding a copy
 * of that header followed by the plaintext: so transport mode shows
 * "47256 > 22: Flags [P.] ..." (the IP header's protocol is ESP, not TCP),
 * -v checksums use the outer addresses, and tunnel mode prints the inner
 * "IP a > b: ...".
 */
import { DecryptStatus, PLAINTEXT_OFFSET } from '../../analyze/esp/decrypt.js';
import type { EspUnwrapper } from '../../analyze/esp/unwrap.js';
import { printIpPayload } from './ip-demux.js';
import type { EspPlaintextPrinter, PrintContext } from './print-context.js';

/** Room for an IP datagram's plaintext and the headers in front of it, before any growth. */
const INITIAL_BUFFER = 65536 + 256;

export class DecryptedEspPrinter implements EspPlaintextPrinter {
  /** Nesting of the ESP being printed: 0 for the packet's own. */
  private depth = 0;
  /** Per depth: enclosing headers and plaintext, as printed. */
  private readonly buffers: Uint8Array[] = [];
  /** Per depth: where the plaintext starts in its buffer. */
  private readonly plaintextAt: number[] = [];

  /** `layers` must have unwrapped the packet being printed. */
  constructor(private readonly layers: EspUnwrapper) {}

  printPlaintext(c: PrintContext, bp: number, length: number, ipOff: number, version: number, fragmented: boolean): void {
    const depth = this.depth;
    const layers = this.layers;
    if (depth >= layers.count || !this.isLayer(c, bp, depth)) return;
    const status = layers.status(depth);
    if (status === DecryptStatus.BadTrailer) { c.trunc(); return; }
    // Too short for an IV, a trailer and the ICV although captured whole: tcpdump's reads of
    // the trailer fail. A capture cut inside the ESP is not deciphered (tcpdump deciphers what
    // was captured as if the packet ended there, which only prints noise).
    if (status === DecryptStatus.Truncated) { if (bp + length <= c.snapend) c.trunc(); return; }
    // Dummy packets (next header 59) print as tcpdump's "no next header".
    if (status !== DecryptStatus.Ok && status !== DecryptStatus.Dummy) return;

    const decryptor = layers.decryptor(depth);
    const headers = bp - ipOff;
    const n = decryptor.payloadLength;
    const buffer = this.buffer(depth, headers + n);
    // Byte loops rather than set(subarray(...)): no view objects per packet.
    const outer = c.b, plain = decryptor.plaintext;
    for (let i = 0; i < headers; i++) buffer[i] = outer[ipOff + i]!;
    for (let i = 0; i < n; i++) buffer[headers + i] = plain[PLAINTEXT_OFFSET + i]!;
    this.plaintextAt[depth] = headers;

    const outerEnd = c.snapend;
    c.s += ': ';
    c.b = buffer;
    c.snapend = headers + n;
    this.depth = depth + 1;
    try {
      printIpPayload(c, headers, n, version, fragmented, decryptor.nextHeader, 0);
    } finally {
      this.depth = depth;
      c.b = outer;
      c.snapend = outerEnd;
    }
  }

  /**
   * True when the ESP header at `bp` is the one the decoder found at this
   * depth (printers also meet ESP where the decoders do not look, such as
   * inside an ICMP error's quoted packet: those stay undeciphered).
   */
  private isLayer(c: PrintContext, bp: number, depth: number): boolean {
    const carrier = this.layers.carrier(depth);
    if (depth === 0) return c.b === carrier.bytes && bp === carrier.esp.o;
    return c.b === this.buffers[depth - 1] && bp === carrier.esp.o - PLAINTEXT_OFFSET + this.plaintextAt[depth - 1]!;
  }

  private buffer(depth: number, size: number): Uint8Array {
    let b = this.buffers[depth];
    if (b === undefined || b.length < size) {
      b = new Uint8Array(Math.max(size, INITIAL_BUFFER));
      this.buffers[depth] = b;
    }
    return b;
  }
}
