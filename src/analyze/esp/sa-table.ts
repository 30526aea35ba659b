/**
 * Security associations seen in a capture, keyed by (protocol, source,
 * destination, SPI) as RFC 4301 identifies an SA on the wire. Each slot owns
 * one fixed-size record (sa-record.ts), so a full table costs a fixed, known
 * amount of memory. When the cap is reached the least recently active SA is
 * evicted and its totals are kept in `evicted`.
 *
 * The table also owns the in-order runs (in-order-runs.ts), which count the
 * packets of busy IPv4 ESP SAs outside their records: `record(s)` folds an
 * SA's run into its record first, so every read sees the SA up to date.
 */
import { i32 } from '../../decode/bytes.js';
import { IpProto } from '../../decode/layers.js';
import { ADDRESS_FIELD, putAddress } from './address.js';
import { ByteKeyIndex, growFloat64, Slot } from './byte-key-index.js';
import type { HostPairTable } from './host-pairs.js';
import { InOrderRuns } from './in-order-runs.js';
import { allocateSaColumns, SA_ANOMALY_COUNT, SA_INT_FIELDS, SA_NUM_FIELDS, SaRecord, type SaColumns } from './sa-record.js';

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

/** What the eviction policy dropped, so a report can say so. */
interface EvictionTotals {
  sas: number;
  packets: number;
  bytes: number;
}


interface SaTableOptions {
  maxSas: number;
  /** Replay window (bits) the tracker checks against. */
  windowBits: number;
  /** Count in-order packets of IPv4 ESP SAs as runs (off while decrypting). */
  inOrderRuns: boolean;
  /** For the runs: a packet this long after the SA's previous one is looked at (silence). */
  silenceSeconds: number;
}

export class SaTable implements SaColumns {
  readonly index: ByteKeyIndex;
  /**
   * Int32 words of replay bitmap per SA: the window rounded up to a power of
   * two bits (at least 32), so a bit position is a mask, not a division.
   */
  readonly windowWords: number;
  /** Ints per SA record in `int`. */
  readonly intStride: number;
  num: Float64Array;
  int: Int32Array;
  anomalies: Float64Array;
  /** One per slot up to the capacity; read through `record`, which folds in-order runs. */
  private readonly records: SaRecord[] = [];
  /** Counts in-order packets of IPv4 ESP SAs outside their records (see the file comment). */
  readonly runs: InOrderRuns;

  /** The IPv4 SA cache (see `Cache`). */
  private readonly cache = new Int32Array(Cache.Stride << Cache.Bits).fill(-1);

  readonly evicted: EvictionTotals = { sas: 0, packets: 0, bytes: 0 };
  /** Called before a slot is reused (its record up to date), so owners can unlink references to it. */
  onEvict: (sa: SaRecord) => void = () => {};

  constructor(pairs: HostPairTable, options: SaTableOptions) {
    let bits = 32;
    while (bits < options.windowBits) bits *= 2;
    this.windowWords = bits / 32;
    this.intStride = SA_INT_FIELDS + this.windowWords;
    this.index = new ByteKeyIndex(KEY_LENGTH, options.maxSas, {
      grow: (c) => this.grow(c),
      evict: (s) => this.evict(s),
      // An SA in an in-order run is busy however long ago its record was touched.
      busy: (s) => this.records[s]!.runRow !== 0,
    }, 256);
    const columns = allocateSaColumns(this.index.capacity, this.intStride);
    this.num = columns.num;
    this.int = columns.int;
    this.anomalies = columns.anomalies;
    this.addRecords(this.index.capacity);
    this.runs = new InOrderRuns(this.records, this.index, pairs, bits, options.silenceSeconds, options.inOrderRuns);
  }

  get size(): number { return this.index.size; }

  /** SA `s`, its in-order run (if any) folded in. */
  record(s: number): SaRecord {
    const sa = this.records[s]!;
    if (sa.runRow !== 0) this.runs.close(sa);
    return sa;
  }

  /** Ends SA `s`'s in-order run, if it is in one (its next packets go through the general path). */
  endRun(s: number): void {
    this.record(s);
  }

  private addRecords(capacity: number): void {
    for (let s = this.records.length; s < capacity; s++) this.records.push(new SaRecord(this, s));
  }

  private grow(c: number): void {
    this.num = growFloat64(this.num, c * SA_NUM_FIELDS);
    const int = new Int32Array(c * this.intStride);
    int.set(this.int);
    this.int = int;
    this.anomalies = growFloat64(this.anomalies, c * SA_ANOMALY_COUNT);
    this.addRecords(c);
  }

  private evict(s: number): void {
    const sa = this.record(s);
    this.onEvict(sa);
    this.uncache(s);
    sa.generation++;
    this.evicted.sas++;
    this.evicted.packets += sa.packets;
    this.evicted.bytes += sa.bytes;
    const p = sa.predecessor;
    if (p !== Slot.None && this.records[p]!.successor === s) this.records[p]!.successor = Slot.None;
    const n = sa.successor;
    if (n !== Slot.None && this.records[n]!.predecessor === s) this.records[n]!.predecessor = Slot.None;
  }

  /** Where an IPv4 SA key (int32 SPI and addresses) sits in `cache`. */
  private cacheEntry(spi: number, src: number, dst: number): number {
    return (Math.imul(spi ^ Math.imul(dst, 0x85ebca6b) ^ src, 0x9e3779b1) >>> (32 - Cache.Bits)) * Cache.Stride;
  }

  /**
   * The slot of the SA (AH or ESP, src, dst, spi), or Slot.None when it is
   * new (then `add` it). Addresses are read from `b` at the given offsets;
   * `spi` may be given as int32 or uint32.
   */
  find(isAh: boolean, spi: number, version: number, b: Uint8Array, src: number, dst: number): number {
    if (version === 4) {
      const s = this.cached(isAh, spi, b, src, dst);
      if (s !== Slot.None) return s;
    }
    this.putKey(isAh, spi, version, b, src, dst);
    const s = this.index.find();
    if (s !== Slot.None && version === 4) this.fillCache(isAh, spi, b, src, dst, s);
    return s;
  }

  /** A new SA (one `find` did not find): its slot, the record reset. */
  add(isAh: boolean, spi: number, version: number, b: Uint8Array, src: number, dst: number): number {
    this.putKey(isAh, spi, version, b, src, dst);
    const s = this.index.insert();
    this.records[s]!.reset(spi, version, isAh ? IpProto.Ah : IpProto.Esp);
    if (version === 4) this.fillCache(isAh, spi, b, src, dst, s);
    return s;
  }

  /** The IPv4 SA cache alone: the slot, or Slot.None on a miss. */
  private cached(isAh: boolean, spi: number, b: Uint8Array, src: number, dst: number): number {
    const spiI = spi | 0;
    const srcI = i32(b, src);
    const dstI = i32(b, dst);
    const c = this.cache;
    const e = this.cacheEntry(spiI, srcI, dstI);
    const tag = c[e + 3]!;
    if (tag === -1 || c[e] !== spiI || c[e + 1] !== srcI || c[e + 2] !== dstI || (tag & 1) !== (isAh ? 1 : 0)) return Slot.None;
    const s = tag >> 1;
    this.index.touch(s);
    return s;
  }

  private fillCache(isAh: boolean, spi: number, b: Uint8Array, src: number, dst: number, s: number): void {
    const spiI = spi | 0;
    const srcI = i32(b, src);
    const dstI = i32(b, dst);
    const c = this.cache;
    const e = this.cacheEntry(spiI, srcI, dstI);
    c[e] = spiI; c[e + 1] = srcI; c[e + 2] = dstI; c[e + 3] = s * 2 + (isAh ? 1 : 0);
  }

  /** Drops an evicted IPv4 SA from the cache entry its key hashes to. */
  private uncache(s: number): void {
    const k = this.index.keyOf(s);
    if (k[0] !== 4) return;
    const e = this.cacheEntry(i32(k, KEY_SPI), i32(k, KEY_SRC), i32(k, KEY_DST));
    if (this.cache[e + 3]! >> 1 === s) this.cache[e + 3] = -1;
  }

  private putKey(isAh: boolean, spi: number, version: number, b: Uint8Array, src: number, dst: number): void {
    const len = version === 6 ? 16 : 4;
    const k = this.index.scratch;
    k[0] = version;
    k[1] = isAh ? IpProto.Ah : IpProto.Esp;
    k[KEY_SPI] = spi >>> 24; k[KEY_SPI + 1] = (spi >>> 16) & 0xff;
    k[KEY_SPI + 2] = (spi >>> 8) & 0xff; k[KEY_SPI + 3] = spi & 0xff;
    putAddress(k, KEY_SRC, b, src, len);
    putAddress(k, KEY_DST, b, dst, len);
  }

  /** The SA's source and destination address bytes (16-byte fields, IPv4 padded). */
  keyOf(s: number): { key: Uint8Array; src: number; dst: number } {
    return { key: this.index.keyOf(s), src: KEY_SRC, dst: KEY_DST };
  }

  /** Live SAs, their runs folded in (for reports). */
  live(): SaRecord[] {
    const out: SaRecord[] = [];
    this.index.forEachSlot((s) => out.push(this.record(s)));
    return out;
  }
}
