/**
 * Security associations seen in a capture, keyed by (protocol, source,
 * destination, SPI) as RFC 4301 identifies an SA on the wire. Per-SA state
 * lives in column arrays indexed by slot (struct of arrays), so tracking a
 * packet allocates nothing and a full table costs a fixed, known amount of
 * memory; when the cap is reached the least recently active SA is evicted
 * and its totals are kept in the `evicted*` counters.
 */
import { ADDRESS_FIELD, putAddress } from './address.js';
import {
  ByteKeyIndex, growFloat64, growInt32, growUint32, growUint8,
} from './byte-key-index.js';

/** version(1) protocol(1) spi(4) src(16) dst(16) */
const KEY_LENGTH = 2 + 4 + 2 * ADDRESS_FIELD;
const KEY_SPI = 2;
const KEY_SRC = 6;
const KEY_DST = 6 + ADDRESS_FIELD;

export const DEFAULT_MAX_SAS = 100_000;
/** Direct-mapped cache of IPv4 SA keys in front of the hash index (most captures have few busy SAs). */
const CACHE_BITS = 12;
export const NO_SLOT = -1;

/** Bits of `SaTable.flags`: findings reported once per SA. */
export const SaFlag = {
  ReservedSpiReported: 1,
  EsnReported: 2,
  SeenInUdp: 4,
  SeenPlain: 8,
  SequenceZeroReported: 16,
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

/** What the eviction policy dropped, so a report can say so. */
export interface EvictionTotals {
  sas: number;
  packets: number;
  bytes: number;
}

export class SaTable {
  readonly index: ByteKeyIndex;
  /** Bits per SA in the replay window (the option, rounded up to 32 for storage). */
  readonly windowWords: number;

  version!: Uint8Array;
  protocol!: Uint8Array;
  flags!: Uint8Array;
  spi!: Uint32Array;
  firstTime!: Float64Array;
  lastTime!: Float64Array;
  firstFrame!: Float64Array;
  lastFrame!: Float64Array;
  packets!: Float64Array;
  bytes!: Float64Array;
  firstSeq!: Uint32Array;
  lastSeq!: Uint32Array;
  highestSeq!: Uint32Array;
  /** Sequence numbers skipped and not (yet) seen late. */
  missing!: Float64Array;
  maxReorderDepth!: Uint32Array;
  anomalies!: Float64Array;
  /** Circular replay bitmap: bit (seq mod window bits) per sequence number. */
  window!: Uint32Array;
  /** Longest silence (seconds) and the frames either side of it. */
  maxGap!: Float64Array;
  maxGapFrom!: Float64Array;
  maxGapTo!: Float64Array;
  /** Host-pair slot, and that pair's packet count when this SA last spoke. */
  pair!: Int32Array;
  pairPacketsAtLast!: Float64Array;
  pairCleartextAtLast!: Float64Array;
  /** Rekey links: the SA this one replaced, and the one that replaced it. */
  predecessor!: Int32Array;
  successor!: Int32Array;
  /** Packets on this SA after its successor's first packet, and the last such frame. */
  lateAfterRekey!: Float64Array;
  lateLastFrame!: Float64Array;
  /** Events emitted for this SA (caps event floods per SA). */
  eventsEmitted!: Uint32Array;
  /** Direction of this SA within its host pair, and the pair's generation when it was looked up. */
  pairDirection!: Uint8Array;
  pairGeneration!: Uint32Array;
  /** Bumped when a slot is reused, so cached references to the old SA are recognised as stale. */
  generation!: Uint32Array;

  private readonly cacheSpi = new Uint32Array(1 << CACHE_BITS);
  private readonly cacheSrc = new Uint32Array(1 << CACHE_BITS);
  private readonly cacheDst = new Uint32Array(1 << CACHE_BITS);
  private readonly cacheProtocol = new Uint8Array(1 << CACHE_BITS);
  private readonly cacheSlot = new Int32Array(1 << CACHE_BITS).fill(NO_SLOT);
  private readonly cacheGeneration = new Uint32Array(1 << CACHE_BITS);

  /** Whether the last `lookup` created the SA. */
  created = false;
  readonly evicted: EvictionTotals = { sas: 0, packets: 0, bytes: 0 };
  /** Called before a slot is reused, so owners can unlink references to it. */
  onEvict: (slot: number) => void = () => {};

  constructor(maxSas = DEFAULT_MAX_SAS, windowBits = 64) {
    this.windowWords = Math.max(1, Math.ceil(windowBits / 32));
    this.index = new ByteKeyIndex(KEY_LENGTH, maxSas, {
      grow: (c) => this.grow(c),
      evict: (s) => this.evict(s),
    }, 256);
    this.allocate(this.index.capacity);
  }

  get size(): number { return this.index.size; }

  private allocate(c: number): void {
    this.version = new Uint8Array(c); this.protocol = new Uint8Array(c); this.flags = new Uint8Array(c);
    this.spi = new Uint32Array(c);
    this.firstTime = new Float64Array(c); this.lastTime = new Float64Array(c);
    this.firstFrame = new Float64Array(c); this.lastFrame = new Float64Array(c);
    this.packets = new Float64Array(c); this.bytes = new Float64Array(c);
    this.firstSeq = new Uint32Array(c); this.lastSeq = new Uint32Array(c); this.highestSeq = new Uint32Array(c);
    this.missing = new Float64Array(c); this.maxReorderDepth = new Uint32Array(c);
    this.anomalies = new Float64Array(c * SA_ANOMALY_COUNT);
    this.window = new Uint32Array(c * this.windowWords);
    this.maxGap = new Float64Array(c); this.maxGapFrom = new Float64Array(c); this.maxGapTo = new Float64Array(c);
    this.pair = new Int32Array(c).fill(NO_SLOT); this.pairPacketsAtLast = new Float64Array(c);
    this.pairCleartextAtLast = new Float64Array(c);
    this.predecessor = new Int32Array(c).fill(NO_SLOT); this.successor = new Int32Array(c).fill(NO_SLOT);
    this.lateAfterRekey = new Float64Array(c); this.lateLastFrame = new Float64Array(c);
    this.eventsEmitted = new Uint32Array(c);
    this.pairDirection = new Uint8Array(c); this.pairGeneration = new Uint32Array(c);
    this.generation = new Uint32Array(c);
  }

  private grow(c: number): void {
    this.version = growUint8(this.version, c); this.protocol = growUint8(this.protocol, c);
    this.flags = growUint8(this.flags, c); this.spi = growUint32(this.spi, c);
    this.firstTime = growFloat64(this.firstTime, c); this.lastTime = growFloat64(this.lastTime, c);
    this.firstFrame = growFloat64(this.firstFrame, c); this.lastFrame = growFloat64(this.lastFrame, c);
    this.packets = growFloat64(this.packets, c); this.bytes = growFloat64(this.bytes, c);
    this.firstSeq = growUint32(this.firstSeq, c); this.lastSeq = growUint32(this.lastSeq, c);
    this.highestSeq = growUint32(this.highestSeq, c);
    this.missing = growFloat64(this.missing, c); this.maxReorderDepth = growUint32(this.maxReorderDepth, c);
    this.anomalies = growFloat64(this.anomalies, c * SA_ANOMALY_COUNT);
    this.window = growUint32(this.window, c * this.windowWords);
    this.maxGap = growFloat64(this.maxGap, c); this.maxGapFrom = growFloat64(this.maxGapFrom, c);
    this.maxGapTo = growFloat64(this.maxGapTo, c);
    this.pair = growInt32(this.pair, c); this.pairPacketsAtLast = growFloat64(this.pairPacketsAtLast, c);
    this.pairCleartextAtLast = growFloat64(this.pairCleartextAtLast, c);
    this.predecessor = growInt32(this.predecessor, c); this.successor = growInt32(this.successor, c);
    this.lateAfterRekey = growFloat64(this.lateAfterRekey, c); this.lateLastFrame = growFloat64(this.lateLastFrame, c);
    this.eventsEmitted = growUint32(this.eventsEmitted, c);
    this.pairDirection = growUint8(this.pairDirection, c); this.pairGeneration = growUint32(this.pairGeneration, c);
    this.generation = growUint32(this.generation, c);
  }

  private evict(s: number): void {
    this.onEvict(s);
    this.generation[s]!++;
    this.evicted.sas++;
    this.evicted.packets += this.packets[s]!;
    this.evicted.bytes += this.bytes[s]!;
    const p = this.predecessor[s]!;
    if (p !== NO_SLOT && this.successor[p] === s) this.successor[p] = NO_SLOT;
    const n = this.successor[s]!;
    if (n !== NO_SLOT && this.predecessor[n] === s) this.predecessor[n] = NO_SLOT;
  }

  /**
   * The slot of the SA (protocol, src, dst, spi), creating it when new;
   * `created` tells which. Addresses are read from `b` at the given offsets.
   */
  lookup(protocol: number, spi: number, version: number, b: Uint8Array, src: number, dst: number): number {
    if (version !== 4) return this.lookupIndexed(protocol, spi, version, b, src, dst);
    const srcU = ((b[src]! << 24) | (b[src + 1]! << 16) | (b[src + 2]! << 8) | b[src + 3]!) >>> 0;
    const dstU = ((b[dst]! << 24) | (b[dst + 1]! << 16) | (b[dst + 2]! << 8) | b[dst + 3]!) >>> 0;
    const i = (Math.imul((spi ^ Math.imul(dstU, 0x85ebca6b) ^ srcU) >>> 0, 0x9e3779b1) >>> (32 - CACHE_BITS));
    const cached = this.cacheSlot[i]!;
    if (cached !== NO_SLOT && this.cacheSpi[i] === spi && this.cacheDst[i] === dstU && this.cacheSrc[i] === srcU &&
        this.cacheProtocol[i] === protocol && this.cacheGeneration[i] === this.generation[cached]) {
      this.created = false;
      this.index.touch(cached);
      return cached;
    }
    const s = this.lookupIndexed(protocol, spi, version, b, src, dst);
    this.cacheSpi[i] = spi; this.cacheSrc[i] = srcU; this.cacheDst[i] = dstU;
    this.cacheProtocol[i] = protocol; this.cacheSlot[i] = s; this.cacheGeneration[i] = this.generation[s]!;
    return s;
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
    this.version[s] = version; this.protocol[s] = protocol; this.flags[s] = 0; this.spi[s] = spi;
    this.firstTime[s] = 0; this.lastTime[s] = 0; this.firstFrame[s] = 0; this.lastFrame[s] = 0;
    this.packets[s] = 0; this.bytes[s] = 0;
    this.firstSeq[s] = 0; this.lastSeq[s] = 0; this.highestSeq[s] = 0;
    this.missing[s] = 0; this.maxReorderDepth[s] = 0;
    this.anomalies.fill(0, s * SA_ANOMALY_COUNT, (s + 1) * SA_ANOMALY_COUNT);
    this.window.fill(0, s * this.windowWords, (s + 1) * this.windowWords);
    this.maxGap[s] = 0; this.maxGapFrom[s] = 0; this.maxGapTo[s] = 0;
    this.pair[s] = NO_SLOT; this.pairPacketsAtLast[s] = 0; this.pairCleartextAtLast[s] = 0;
    this.predecessor[s] = NO_SLOT; this.successor[s] = NO_SLOT;
    this.lateAfterRekey[s] = 0; this.lateLastFrame[s] = 0;
    this.eventsEmitted[s] = 0;
    this.pairDirection[s] = 0; this.pairGeneration[s] = 0;
  }

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
