/**
 * Pairs of hosts that exchange IPsec, unordered (a conversation, not a
 * direction). Created only by ESP or AH packets, so its size follows the SA
 * count; every other packet only looks its pair up, which is how cleartext
 * between IPsec peers and silence while a pair keeps talking are found.
 */
import { BufferView } from '../../decode/bytes.js';
import { ADDRESS_FIELD, compareAddresses, putAddress } from './address.js';
import { ByteKeyIndex, growFloat64, growInt32, growUint32, growUint8 } from './byte-key-index.js';
import { NO_SLOT } from './sa-table.js';

const KEY_LENGTH = 1 + 2 * ADDRESS_FIELD;
const HOST_FILTER_BITS = 16;
const KEY_LO = 1;
const KEY_HI = 1 + ADDRESS_FIELD;

export const PAIR_PACKETS = 0;
export const PAIR_CLEARTEXT = 1;

/** Direction of a packet within its pair: from the lower address, or from the higher. */
export const FROM_LOW = 0;
export const FROM_HIGH = 1;

export class HostPairTable {
  readonly index: ByteKeyIndex;
  version!: Uint8Array;
  /**
   * Per pair, side by side (one cache line): every packet between the two
   * hosts since the first IPsec packet [pair*2 + PAIR_PACKETS], and those
   * that were cleartext leaks [pair*2 + PAIR_CLEARTEXT].
   */
  counts!: Float64Array;
  /**
   * Bit (1 << FROM_LOW | FROM_HIGH) per direction that has an SA, set when an
   * SA attaches: an SA exists only because it carried a packet, so this says
   * what a per-packet counter would, without a write per packet.
   */
  ipsecDirections!: Uint8Array;
  /** Most recently created SA per protocol slot and direction: [pair*4 + (ah?2:0) + dir]. */
  newestSa!: Int32Array;
  /** Bumped when a slot is reused for another pair, so SAs can tell their cached pair is stale. */
  generation!: Uint32Array;
  /** Bits set for every IPv4 address in some pair: most non-IPsec packets are dismissed without a lookup. */
  private readonly hostBits = new Uint32Array(1 << (HOST_FILTER_BITS - 5));
  private readonly bytesView = new BufferView();
  /** Direction of the last lookup. */
  direction = FROM_LOW;
  /** Whether the last lookup created its pair. */
  created = false;
  evictedPairs = 0;
  /** Called when a pair is evicted (its slot about to be reused). */
  onEvict: () => void = () => {};

  constructor(maxPairs: number) {
    this.index = new ByteKeyIndex(KEY_LENGTH, maxPairs, {
      grow: (c) => this.grow(c),
      evict: (s) => { this.evictedPairs++; this.generation[s]!++; this.onEvict(); },
    }, 256);
    const c = this.index.capacity;
    this.version = new Uint8Array(c);
    this.counts = new Float64Array(c * 2);
    this.ipsecDirections = new Uint8Array(c);
    this.newestSa = new Int32Array(c * 4).fill(NO_SLOT);
    this.generation = new Uint32Array(c);
  }

  private grow(c: number): void {
    this.version = growUint8(this.version, c);
    this.counts = growFloat64(this.counts, c * 2);
    this.ipsecDirections = growUint8(this.ipsecDirections, c);
    this.newestSa = growInt32(this.newestSa, c * 4);
    this.generation = growUint32(this.generation, c);
  }

  private hostBit(v: DataView<ArrayBufferLike>, o: number): number {
    return Math.imul(v.getInt32(o), 0x9e3779b1) >>> (32 - HOST_FILTER_BITS);
  }

  /** False when the packet's hosts cannot form a known pair (IPv4 only; IPv6 always says maybe). */
  mayContain(version: number, b: Uint8Array, src: number, dst: number): boolean {
    if (this.index.size === 0) return false;
    if (version !== 4) return true;
    // Every non-IPsec packet between hosts of an IPsec capture asks: one DataView, not byte-wise reads.
    const v = this.bytesView.of(b);
    const x = this.hostBit(v, src);
    const y = this.hostBit(v, dst);
    return (this.hostBits[x >>> 5]! & (1 << (x & 31))) !== 0 && (this.hostBits[y >>> 5]! & (1 << (y & 31))) !== 0;
  }

  /**
   * The pair of the packet's addresses, created when `create`; -1 when absent.
   * Sets `direction`.
   */
  lookup(version: number, b: Uint8Array, src: number, dst: number, create: boolean): number {
    const len = version === 6 ? 16 : 4;
    const k = this.index.scratch;
    k[0] = version;
    const srcFirst = compareAddresses(b, src, dst, len) <= 0;
    this.direction = srcFirst ? FROM_LOW : FROM_HIGH;
    putAddress(k, KEY_LO, b, srcFirst ? src : dst, len);
    putAddress(k, KEY_HI, b, srcFirst ? dst : src, len);
    const found = this.index.find();
    this.created = false;
    if (found !== NO_SLOT || !create) return found;
    const s = this.index.insert();
    this.created = true;
    if (version === 4) {
      const v = this.bytesView.of(b);
      const x = this.hostBit(v, src);
      const y = this.hostBit(v, dst);
      this.hostBits[x >>> 5]! |= 1 << (x & 31);
      this.hostBits[y >>> 5]! |= 1 << (y & 31);
    }
    this.version[s] = version;
    this.counts[s * 2 + PAIR_PACKETS] = 0;
    this.counts[s * 2 + PAIR_CLEARTEXT] = 0;
    this.ipsecDirections[s] = 0;
    this.newestSa.fill(NO_SLOT, s * 4, s * 4 + 4);
    return s;
  }

  /** Forgets an evicted SA so no pair points at a reused slot. */
  forgetSa(pair: number, sa: number): void {
    for (let i = pair * 4; i < pair * 4 + 4; i++) if (this.newestSa[i] === sa) this.newestSa[i] = NO_SLOT;
  }
}
