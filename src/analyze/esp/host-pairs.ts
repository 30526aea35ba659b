/**
 * Pairs of hosts that exchange IPsec, unordered (a conversation, not a
 * direction). Created only by ESP or AH packets, so its size follows the SA
 * count; every other packet only looks its pair up, which is how cleartext
 * between IPsec peers and silence while a pair keeps talking are found.
 */
import { BufferView } from '../../decode/bytes.js';
import { ADDRESS_FIELD, compareAddresses, putAddress } from './address.js';
import { ByteKeyIndex, growFloat64, growInt32, growUint32, growUint8, Slot } from './byte-key-index.js';

const KEY_LENGTH = 1 + 2 * ADDRESS_FIELD;
const HOST_FILTER_BITS = 16;
const KEY_LO = 1;
const KEY_HI = 1 + ADDRESS_FIELD;

/** Per pair, side by side in `counts` (one cache line). */
const enum Count {
  /** Every packet between the two hosts since the first IPsec packet. */
  Packets = 0,
  /** Those that were cleartext leaks. */
  Cleartext = 1,
  Stride = 2,
}
/** Newest SAs per pair in `newest`: ESP from low, ESP from high, AH from low, AH from high. */
const enum Newest {
  Ah = 2,
  Stride = 4,
}

/** Direction of a packet within its pair: from the lower address, or from the higher. */
export const FROM_LOW = 0;
export const FROM_HIGH = 1;

export class HostPairTable {
  readonly index: ByteKeyIndex;
  private version!: Uint8Array;
  private counts!: Float64Array;
  /**
   * Bit (1 << FROM_LOW | FROM_HIGH) per direction that has an SA, set when an
   * SA attaches: an SA exists only because it carried a packet, so this says
   * what a per-packet counter would, without a write per packet.
   */
  private ipsecDirections!: Uint8Array;
  /** Most recently created SA per protocol and direction (see `Newest`). */
  private newest!: Int32Array;
  /** Bumped when a slot is reused for another pair, so SAs can tell their cached pair is stale. */
  private generations!: Uint32Array;
  /** Bits set for every IPv4 address in some pair: most non-IPsec packets are dismissed without a lookup. */
  private readonly hostBits = new Uint32Array(1 << (HOST_FILTER_BITS - 5));
  private readonly bytesView = new BufferView();
  evictedPairs = 0;
  /** Called when a pair is evicted (its slot about to be reused). */
  onEvict: () => void = () => {};

  constructor(maxPairs: number) {
    this.index = new ByteKeyIndex(KEY_LENGTH, maxPairs, {
      grow: (c) => this.grow(c),
      evict: (s) => { this.evictedPairs++; this.generations[s]!++; this.onEvict(); },
    }, 256);
    const c = this.index.capacity;
    this.version = new Uint8Array(c);
    this.counts = new Float64Array(c * Count.Stride);
    this.ipsecDirections = new Uint8Array(c);
    this.newest = new Int32Array(c * Newest.Stride).fill(Slot.None);
    this.generations = new Uint32Array(c);
  }

  private grow(c: number): void {
    this.version = growUint8(this.version, c);
    this.counts = growFloat64(this.counts, c * Count.Stride);
    this.ipsecDirections = growUint8(this.ipsecDirections, c);
    this.newest = growInt32(this.newest, c * Newest.Stride);
    this.generations = growUint32(this.generations, c);
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

  /** Which way a packet from `src` to `dst` goes within its pair: FROM_LOW or FROM_HIGH. */
  directionOf(version: number, b: Uint8Array, src: number, dst: number): number {
    return compareAddresses(b, src, dst, version === 6 ? 16 : 4) <= 0 ? FROM_LOW : FROM_HIGH;
  }

  /** The pair of the packet's addresses (either way round), or Slot.None. */
  find(version: number, b: Uint8Array, src: number, dst: number): number {
    this.putKey(version, b, src, dst);
    return this.index.find();
  }

  /** A new pair (one `find` did not find): its slot, counts at zero. */
  add(version: number, b: Uint8Array, src: number, dst: number): number {
    this.putKey(version, b, src, dst);
    const s = this.index.insert();
    if (version === 4) {
      const v = this.bytesView.of(b);
      const x = this.hostBit(v, src);
      const y = this.hostBit(v, dst);
      this.hostBits[x >>> 5]! |= 1 << (x & 31);
      this.hostBits[y >>> 5]! |= 1 << (y & 31);
    }
    this.version[s] = version;
    this.counts[s * Count.Stride + Count.Packets] = 0;
    this.counts[s * Count.Stride + Count.Cleartext] = 0;
    this.ipsecDirections[s] = 0;
    this.newest.fill(Slot.None, s * Newest.Stride, (s + 1) * Newest.Stride);
    return s;
  }

  private putKey(version: number, b: Uint8Array, src: number, dst: number): void {
    const len = version === 6 ? 16 : 4;
    const k = this.index.scratch;
    k[0] = version;
    const srcFirst = compareAddresses(b, src, dst, len) <= 0;
    putAddress(k, KEY_LO, b, srcFirst ? src : dst, len);
    putAddress(k, KEY_HI, b, srcFirst ? dst : src, len);
  }

  /** Counts a packet between the pair's hosts; returns the pair's packets so far. */
  countPacket(pair: number): number {
    const i = pair * Count.Stride + Count.Packets;
    const n = this.counts[i]! + 1;
    this.counts[i] = n;
    return n;
  }

  packets(pair: number): number { return this.counts[pair * Count.Stride + Count.Packets]!; }

  /** Counts a cleartext leak between the pair's hosts. */
  countCleartext(pair: number): void { this.counts[pair * Count.Stride + Count.Cleartext]!++; }

  cleartext(pair: number): number { return this.counts[pair * Count.Stride + Count.Cleartext]!; }

  /** Bumped each time the pair's slot is reused: an SA that noted an older one must look its pair up again. */
  generation(pair: number): number { return this.generations[pair]!; }

  /** An SA from `direction`'s side now exists. */
  noteIpsecFrom(pair: number, direction: number): void { this.ipsecDirections[pair]! |= 1 << direction; }

  /** Whether any SA (ESP or AH) was seen from `direction`'s side. */
  hasIpsecFrom(pair: number, direction: number): boolean { return (this.ipsecDirections[pair]! & (1 << direction)) !== 0; }

  /** The newest ESP or AH SA from `direction`'s side, or Slot.None. */
  newestSa(pair: number, isAh: boolean, direction: number): number {
    return this.newest[pair * Newest.Stride + (isAh ? Newest.Ah : 0) + direction]!;
  }

  /** Makes `sa` the newest of its protocol and direction; returns the one it replaces (or Slot.None). */
  replaceNewestSa(pair: number, isAh: boolean, direction: number, sa: number): number {
    const i = pair * Newest.Stride + (isAh ? Newest.Ah : 0) + direction;
    const old = this.newest[i]!;
    this.newest[i] = sa;
    return old;
  }

  /** Forgets an evicted SA so no pair points at a reused slot. */
  forgetSa(pair: number, sa: number): void {
    for (let i = pair * Newest.Stride; i < (pair + 1) * Newest.Stride; i++) if (this.newest[i] === sa) this.newest[i] = Slot.None;
  }
}
