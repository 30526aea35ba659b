/**
 * The ESP layers of one packet, opened one inside the other, for what is
 * shown to people (`zsniff read --esp-secrets`, as tcpdump -E): each layer's
 * DecryptStatus and, when it opened, its plaintext decoded with the normal
 * decoders. Unlike the analyzer, nothing is held back: plaintext that no ICV
 * vouches for (a wrong key without an integrity key) is shown, as tcpdump
 * shows it, and the status says what was checked.
 *
 * Depth d's plaintext is depth d+1's input, so each depth has its own
 * decryptor and decode record; they are made when a packet first needs them
 * and reused for every packet after.
 */
import { decodePacket } from '../../decode/decode.js';
import { DecodedPacket } from '../../decode/decoded-packet.js';
import { Layer } from '../../decode/layers.js';
import { DecryptStatus, EspDecryptor } from './decrypt.js';
import type { EspSecret } from './secrets.js';

/** ESP inside ESP inside ...: layers opened at most. */
export const MAX_ESP_UNWRAP_DEPTH = 4;

export class EspUnwrapper {
  /** ESP layers met in the last packet (each has a status; 0 when it had none). */
  count = 0;

  private readonly decryptors: EspDecryptor[] = [];
  private readonly decoded: DecodedPacket[] = [];
  private readonly carriers: DecodedPacket[] = [];
  private readonly statuses = new Uint8Array(MAX_ESP_UNWRAP_DEPTH);

  constructor(private readonly secrets: readonly EspSecret[]) {}

  /**
   * Opens the ESP layers of the packet decoded in `d`. Returns how many were
   * met. Results stay valid until the next call.
   */
  unwrap(d: DecodedPacket): number {
    let carrier = d;
    let depth = 0;
    while (depth < MAX_ESP_UNWRAP_DEPTH && (carrier.layers & Layer.Esp) !== 0 && carrier.ipVersion !== 0 && openable(carrier)) {
      if (depth === this.decryptors.length) {
        this.decryptors.push(new EspDecryptor(this.secrets));
        this.decoded.push(new DecodedPacket());
      }
      this.carriers[depth] = carrier;
      const decryptor = this.decryptors[depth]!;
      const status = decryptor.decrypt(carrier);
      this.statuses[depth] = status;
      depth++;
      if (status !== DecryptStatus.Ok) break;
      carrier = decodePacket(decryptor.inner, this.decoded[depth - 1]!);
    }
    this.count = depth;
    return depth;
  }

  /** The DecryptStatus of layer `depth` (0 = outermost). */
  status(depth: number): number { return this.statuses[depth]!; }

  /** The decryptor of layer `depth`: its plaintext, next header, payload length and ICV/padding verdicts. */
  decryptor(depth: number): EspDecryptor { return this.decryptors[depth]!; }

  /** The decoded packet whose ESP header is layer `depth`: the packet itself for 0, else layer depth-1's plaintext. */
  carrier(depth: number): DecodedPacket { return this.carriers[depth]!; }

  /** Layer `depth`'s plaintext, decoded (valid when its status is Ok). */
  inner(depth: number): DecodedPacket { return this.decoded[depth]!; }
}

/**
 * Where tcpdump does not try (print-esp.c): an IPv4 fragment that is not the
 * last (the trailer with the next header is in another one), and IPv6
 * jumbograms.
 */
function openable(d: DecodedPacket): boolean {
  if (d.ipVersion === 4) return !d.ipv4.moreFragments;
  return d.ipv6.payloadLength !== 0;
}
