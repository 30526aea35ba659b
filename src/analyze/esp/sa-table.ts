/**
 * Security associations seen in a capture, keyed by (protocol, source,
 * destination, SPI) as RFC 4301 identifies an SA on the wire. Each slot owns
 * one fixed-size record in `num` (Float64: counts, times, frames) and one in
 * `int` (Int32: sequence state, links, flags, then the replay bitmap), so a
 * packet touches two or three cache lines, never allocates, and a full table
 * costs a fixed, known amount of memory. When the cap is reached the least
 * recently active SA is evicted and its totals are kept in `evicted`.
 *
 * 32-bit fields (SPI, sequence numbers) are kept as int32 and read back with
 * `>>> 0`: an unsigned value above 2^30 passed between functions would be
 * boxed as a heap number on every packet.
 */
import { i32 } from '../../decode/bytes.js';
import { ADDRESS_FIELD, putAddress } from './address.js';
import { ByteKeyIndex, growFloat64 } from './byte-key-index.js';

/** version(1) protocol(1) spi(4) src(16) dst(16) */
const KEY_LENGTH = 2 + 4 + 2 * ADDRESS_FIELD;
const KEY_SPI = 2;
const KEY_SRC = 6;
const KEY_DST = 6 + ADDRESS_FIELD;

export const DEFAULT_MAX_SAS = 100_000;
/**
 * Direct-mapped cache of IPv4 SA keys in front of the hash index (most
 * captures have few busy SAs). Entry: spi, src, dst as int32 and a tag,
 * slot * 2 + 1 for AH (-1 when empty), so a probe is three compares and a
 * bit test. An SA can only sit in the entry its key hashes to, so evicting
 * it clears that one entry and a hit never needs a generation check. A
 * const enum, so the probe reads literals rather than module bindings.
 */
const enum Cache {
  Bits = 12,
  Stride = 4,
}
export const NO_SLOT = -1;

/** Bits of `SaTable.flags`: findings reported once per SA. */
export const SaFlag = {
  ReservedSpiReported: 1,
  EsnReported: 2,
  SeenInUdp: 4,
  SeenPlain: 8,
  SequenceZeroReported: 16,
  /** The tracker has a right edge: a first valid sequence number was seen (sequence-tracker.ts). */
  SeqStarted: 32,
  /** A low number behind the right edge waits for the SA's next packet: restart, or replay/stale? */
  SeqHeld: 64,
  /** The counter went on past 2^32 (the low 32 bits of an extended sequence number, RFC 4303 A2). */
  Esn: 128,
} as const;

/** Counters of per-SA findings, by index into `SaTable.anomalies`. */
export const SaAnomaly = {
  Gap: 0,
  Replay: 1,
  OutOfOrder: 2,
  OutsideWindow: 3,
  Restart: 4,
  SequenceZero: 5,
  Silence: 6,
  AuthFailed: 7,
  Decrypted: 8,
  DecryptFailed: 9,
  Wrap: 10,
} as const;
export const SA_ANOMALY_COUNT = 11;

/** Float64 fields of an SA record (`SaTable.num`, at slot * NUM_STRIDE); const enums compile to literals on the hot path. */
export const enum SaNum {
  // Read or written for every packet: kept within the first 64 bytes of the record.
  Packets = 0,
  Bytes = 1,
  LastTime = 2,
  LastFrame = 3,
  /** Longest silence (seconds) so far. */
  MaxGap = 4,
  /** The host pair's packet and cleartext counts when this SA last spoke. */
  PairPacketsAtLast = 5,
  PairCleartextAtLast = 6,
  /** Packets on this SA after its successor's first packet, and the last such frame. */
  LateAfterRekey = 7,
  LateLastFrame = 8,
  FirstTime = 9,
  FirstFrame = 10,
  /** The frames either side of the longest silence. */
  MaxGapFrom = 11,
  MaxGapTo = 12,
  /** Sequence numbers skipped and not (yet) seen late. */
  Missing = 13,
  /** Frame and time (the packet's own) of the number held while SaFlag.SeqHeld is set. */
  HeldFrame = 14,
  HeldTime = 15,
}
export const NUM_STRIDE = 16;

/** Int32 fields of an SA record (`SaTable.int`, at slot * intStride); the replay bitmap follows them. */
export const enum SaInt {
  /** SPI and sequence numbers as int32 (read with >>> 0). */
  Spi = 0,
  HighestSeq = 1,
  LastSeq = 2,
  FirstSeq = 3,
  /** Host-pair slot, the pair's generation when looked up, and this SA's direction in it. */
  Pair = 4,
  PairGeneration = 5,
  PairDirection = 6,
  /** Rekey links: the SA this one replaced, and the one that replaced it (NO_SLOT when none). */
  Predecessor = 7,
  Successor = 8,
  Flags = 9,
  Version = 10,
  Protocol = 11,
  /** Bumped when a slot is reused, so cached references to the old SA are recognised as stale. */
  Generation = 12,
  /** Events emitted for this SA (caps event floods per SA). */
  EventsEmitted = 13,
  MaxReorderDepth = 14,
  /** While the SA is in an in-order run (in-order-runs.ts): its row there + 1; 0 otherwise. */
  RunRow = 15,
  /** The sequence number held while SaFlag.SeqHeld is set. */
  HeldSeq = 16,
  /** First word of the circular replay bitmap: bit (seq mod window bits) per sequence number. */
  Window = 17,
}

/** What the eviction policy dropped, so a report can say so. */
export interface EvictionTotals {
  sas: number;
  packets: number;
  bytes: number;
}

export class SaTable {
  readonly index: ByteKeyIndex;
  /**
   * Int32 words of replay bitmap per SA: the window rounded up to a power of
   * two bits (at least 32), so a bit position is a mask, not a division.
   */
  readonly windowWords: number;
  /** Ints per SA record in `int`. */
  readonly intStride: number;
  num!: Float64Array;
  int!: Int32Array;
  anomalies!: Float64Array;

  /** The IPv4 SA cache (see `Cache`); read directly by the analyzer's per-packet path. */
  readonly cache = new Int32Array(Cache.Stride << Cache.Bits).fill(-1);

  /** Whether the last `lookup` created the SA. */
  created = false;
  readonly evicted: EvictionTotals = { sas: 0, packets: 0, bytes: 0 };
  /** Called before a slot is reused, so owners can unlink references to it. */
  onEvict: (slot: number) => void = () => {};

  constructor(maxSas = DEFAULT_MAX_SAS, windowBits = 64) {
    let bits = 32;
    while (bits < windowBits) bits *= 2;
    this.windowWords = bits / 32;
    this.intStride = SaInt.Window + this.windowWords;
    this.index = new ByteKeyIndex(KEY_LENGTH, maxSas, {
      grow: (c) => this.grow(c),
      evict: (s) => this.evict(s),
      // An SA in an in-order run is busy however long ago its record was touched.
      busy: (s) => this.int[s * this.intStride + SaInt.RunRow] !== 0,
    }, 256);
    this.num = new Float64Array(this.index.capacity * NUM_STRIDE);
    this.int = new Int32Array(this.index.capacity * this.intStride);
    this.anomalies = new Float64Array(this.index.capacity * SA_ANOMALY_COUNT);
  }

  get size(): number { return this.index.size; }

  private grow(c: number): void {
    this.num = growFloat64(this.num, c * NUM_STRIDE);
    const int = new Int32Array(c * this.intStride);
    int.set(this.int);
    this.int = int;
    this.anomalies = growFloat64(this.anomalies, c * SA_ANOMALY_COUNT);
  }

  private evict(s: number): void {
    this.onEvict(s);
    this.uncache(s);
    const int = this.int;
    const b = s * this.intStride;
    int[b + SaInt.Generation]!++;
    this.evicted.sas++;
    this.evicted.packets += this.num[s * NUM_STRIDE + SaNum.Packets]!;
    this.evicted.bytes += this.num[s * NUM_STRIDE + SaNum.Bytes]!;
    const p = int[b + SaInt.Predecessor]!;
    if (p !== NO_SLOT && this.getInt(p, SaInt.Successor) === s) this.setInt(p, SaInt.Successor, NO_SLOT);
    const n = int[b + SaInt.Successor]!;
    if (n !== NO_SLOT && this.getInt(n, SaInt.Predecessor) === s) this.setInt(n, SaInt.Predecessor, NO_SLOT);
  }

  /**
   * The slot of the SA (protocol, src, dst, spi), creating it when new;
   * `created` tells which. Addresses are read from `b` at the given offsets;
   * `spi` may be given as int32 or uint32.
   */
  lookup(protocol: number, spi: number, version: number, b: Uint8Array, src: number, dst: number): number {
    if (version === 4) {
      const s = this.cached(protocol, spi, b, src, dst);
      if (s !== NO_SLOT) {
        this.created = false;
        return s;
      }
    }
    return this.lookupMissed(protocol, spi, version, b, src, dst);
  }

  /**
   * Where an IPv4 SA key (int32 SPI and addresses) sits in `cache`. The
   * analyzer's per-packet path probes the cache itself with this.
   */
  cacheEntry(spi: number, src: number, dst: number): number {
    return (Math.imul(spi ^ Math.imul(dst, 0x85ebca6b) ^ src, 0x9e3779b1) >>> (32 - Cache.Bits)) * Cache.Stride;
  }

  /** The IPv4 SA cache alone: the slot, or NO_SLOT on a miss. */
  cached(protocol: number, spi: number, b: Uint8Array, src: number, dst: number): number {
    const spiI = spi | 0;
    const srcI = i32(b, src);
    const dstI = i32(b, dst);
    const c = this.cache;
    const e = this.cacheEntry(spiI, srcI, dstI);
    const tag = c[e + 3]!;
    if (tag === -1 || c[e] !== spiI || c[e + 1] !== srcI || c[e + 2] !== dstI || (tag & 1) !== (protocol === 51 /* AH */ ? 1 : 0)) return NO_SLOT;
    const s = tag >> 1;
    this.index.touch(s);
    return s;
  }

  /** `lookup` past the cache: the hash index, then the cache is refilled (IPv4). */
  lookupMissed(protocol: number, spi: number, version: number, b: Uint8Array, src: number, dst: number): number {
    const s = this.lookupIndexed(protocol, spi | 0, version, b, src, dst);
    if (version !== 4) return s;
    const spiI = spi | 0;
    const srcI = i32(b, src);
    const dstI = i32(b, dst);
    const c = this.cache;
    const e = this.cacheEntry(spiI, srcI, dstI);
    c[e] = spiI; c[e + 1] = srcI; c[e + 2] = dstI; c[e + 3] = s * 2 + (protocol === 51 /* AH */ ? 1 : 0);
    return s;
  }

  /** Drops an evicted IPv4 SA from the cache entry its key hashes to. */
  private uncache(s: number): void {
    const k = this.index.keyOf(s);
    if (k[0] !== 4) return;
    const spiI = i32(k, KEY_SPI);
    const srcI = i32(k, KEY_SRC);
    const dstI = i32(k, KEY_DST);
    const e = this.cacheEntry(spiI, srcI, dstI);
    if (this.cache[e + 3]! >> 1 === s) this.cache[e + 3] = -1;
  }

  private lookupIndexed(protocol: number, spi: number, version: number, b: Uint8Array, src: number, dst: number): number {
    const len = version === 6 ? 16 : 4;
    const k = this.index.scratch;
    k[0] = version;
    k[1] = protocol;
    k[KEY_SPI] = spi >>> 24; k[KEY_SPI + 1] = (spi >>> 16) & 0xff;
    k[KEY_SPI + 2] = (spi >>> 8) & 0xff; k[KEY_SPI + 3] = spi & 0xff;
    putAddress(k, KEY_SRC, b, src, len);
    putAddress(k, KEY_DST, b, dst, len);
    const found = this.index.find();
    if (found !== NO_SLOT) {
      this.created = false;
      return found;
    }
    const s = this.index.insert();
    this.reset(s, protocol, spi, version);
    this.created = true;
    return s;
  }

  private reset(s: number, protocol: number, spi: number, version: number): void {
    this.num.fill(0, s * NUM_STRIDE, (s + 1) * NUM_STRIDE);
    const b = s * this.intStride;
    const generation = this.int[b + SaInt.Generation]!;
    this.int.fill(0, b, b + this.intStride);
    this.int[b + SaInt.Generation] = generation;
    this.int[b + SaInt.Spi] = spi;
    this.int[b + SaInt.Version] = version;
    this.int[b + SaInt.Protocol] = protocol;
    this.int[b + SaInt.Pair] = NO_SLOT;
    this.int[b + SaInt.Predecessor] = NO_SLOT;
    this.int[b + SaInt.Successor] = NO_SLOT;
    this.anomalies.fill(0, s * SA_ANOMALY_COUNT, (s + 1) * SA_ANOMALY_COUNT);
  }

  /** A Float64 field (SaNum) of an SA, for code off the per-packet path. */
  getNum(s: number, field: number): number { return this.num[s * NUM_STRIDE + field]!; }
  setNum(s: number, field: number, v: number): void { this.num[s * NUM_STRIDE + field] = v; }
  /** An Int32 field (SaInt) of an SA. */
  getInt(s: number, field: number): number { return this.int[s * this.intStride + field]!; }
  setInt(s: number, field: number, v: number): void { this.int[s * this.intStride + field] = v; }
  /** An Int32 field read as unsigned (SPI, sequence numbers). */
  getU32(s: number, field: number): number { return this.int[s * this.intStride + field]! >>> 0; }

  count(s: number, anomaly: number): void {
    this.anomalies[s * SA_ANOMALY_COUNT + anomaly]!++;
  }

  anomaly(s: number, anomaly: number): number {
    return this.anomalies[s * SA_ANOMALY_COUNT + anomaly]!;
  }

  /** The SA's source and destination address bytes (16-byte fields, IPv4 padded). */
  keyOf(s: number): { key: Uint8Array; src: number; dst: number } {
    return { key: this.index.keyOf(s), src: KEY_SRC, dst: KEY_DST };
  }

  /** Live slots. */
  slots(): number[] {
    const out: number[] = [];
    this.index.forEachSlot((s) => out.push(s));
    return out;
  }
}
