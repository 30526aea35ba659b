/**
 * A bounded hash index over fixed-length byte keys, the shape every ESP table
 * shares (SAs, host pairs, cleartext flows). Keys are assembled by the caller
 * in `scratch` (copying ~40 bytes is cheaper than building a string), hashed
 * numerically, and compared byte for byte, so two keys that collide in the
 * hash never merge. Slots are small integers the owner uses to index its own
 * column arrays; when the table is full a slot not touched recently is reused
 * (the CLOCK approximation of least-recently-used: a touch is one byte
 * write, where a true LRU list would relink on every packet), which keeps
 * memory bounded on captures with unbounded key counts.
 */

/**
 * Slots are numbered from 0; `Slot.None` stands for no slot wherever one
 * could be (a key not found, an empty bucket, a link to nothing). A const
 * enum, so the per-packet paths that compare with it read a literal.
 */
export const enum Slot {
  None = -1,
}

interface ByteKeyIndexHooks {
  /** The slot capacity doubled: grow the owner's columns to `capacity`. */
  grow(capacity: number): void;
  /** `slot` is about to be reused for a new key: account for what it held. */
  evict(slot: number): void;
  /** In use even if not touched lately: spared by eviction unless every slot is. */
  busy?(slot: number): boolean;
}

export class ByteKeyIndex {
  /** Fill the first `keyLength` bytes, then call `find` or `insert`. */
  readonly scratch: Uint8Array;
  /** Slots handed out so far (≤ capacity). */
  size = 0;
  /** Keys dropped to make room. */
  evictions = 0;
  capacity: number;

  private keys: Uint8Array;
  private buckets: Int32Array;
  private chain: Int32Array;
  private hashes: Int32Array;
  /** CLOCK reference bits: set on touch, cleared as the hand sweeps past. */
  private referenced: Uint8Array;
  private hand = 0;

  constructor(
    readonly keyLength: number,
    readonly maxCapacity: number,
    private readonly hooks: ByteKeyIndexHooks,
    initialCapacity = 1024,
  ) {
    if (maxCapacity < 1) throw new RangeError('ByteKeyIndex needs room for at least one key');
    this.capacity = Math.min(initialCapacity, maxCapacity);
    this.scratch = new Uint8Array(keyLength);
    this.keys = new Uint8Array(this.capacity * keyLength);
    this.chain = new Int32Array(this.capacity).fill(Slot.None);
    this.hashes = new Int32Array(this.capacity);
    this.referenced = new Uint8Array(this.capacity);
    this.buckets = new Int32Array(bucketCountFor(this.capacity)).fill(Slot.None);
  }

  /** FNV-1a over the scratch key; Math.imul keeps it in 32-bit integer arithmetic. */
  private hashScratch(): number {
    const k = this.scratch;
    let h = 0x811c9dc5 | 0;
    for (let i = 0; i < this.keyLength; i++) h = Math.imul(h ^ k[i]!, 0x01000193);
    return h ^ (h >>> 15);
  }

  private sameKey(slot: number): boolean {
    const k = this.scratch;
    const keys = this.keys;
    const base = slot * this.keyLength;
    for (let i = 0; i < this.keyLength; i++) if (keys[base + i] !== k[i]) return false;
    return true;
  }

  /** The slot holding the scratch key (marked most recent), or Slot.None. */
  find(): number {
    const h = this.hashScratch();
    let s = this.buckets[h & (this.buckets.length - 1)]!;
    while (s !== Slot.None) {
      if (this.hashes[s] === h && this.sameKey(s)) {
        this.touch(s);
        return s;
      }
      s = this.chain[s]!;
    }
    return Slot.None;
  }

  /**
   * Adds the scratch key (which must not be present) and returns its slot.
   * When full, the least recently touched key is evicted first.
   */
  insert(): number {
    const h = this.hashScratch();
    let slot: number;
    if (this.size < this.capacity) {
      slot = this.size++;
    } else if (this.capacity < this.maxCapacity) {
      this.growTo(Math.min(this.capacity * 2, this.maxCapacity));
      slot = this.size++;
    } else {
      slot = this.victim();
      this.hooks.evict(slot);
      this.evictions++;
      this.unlinkBucket(slot);
    }
    this.keys.set(this.scratch, slot * this.keyLength);
    this.hashes[slot] = h;
    const b = h & (this.buckets.length - 1);
    this.chain[slot] = this.buckets[b]!;
    this.buckets[b] = slot;
    this.referenced[slot] = 1;
    return slot;
  }

  /** The next slot the clock hand finds unreferenced and not busy (busy ones only after three sweeps). */
  private victim(): number {
    const r = this.referenced;
    const busy = this.hooks.busy;
    for (let looked = 0; ; looked++) {
      const s = this.hand;
      this.hand = s + 1 === this.size ? 0 : s + 1;
      if (r[s] === 0 && (busy === undefined || looked >= 3 * this.size || !busy(s))) return s;
      r[s] = 0;
    }
  }

  /** The stored key bytes of `slot` (a view; do not keep). */
  keyOf(slot: number): Uint8Array {
    return this.keys.subarray(slot * this.keyLength, (slot + 1) * this.keyLength);
  }

  /** Visits every live slot (in slot order). */
  forEachSlot(fn: (slot: number) => void): void {
    for (let s = 0; s < this.size; s++) fn(s);
  }

  /** Marks `slot` as recently used, sparing it from the next eviction sweep. */
  touch(slot: number): void {
    this.referenced[slot] = 1;
  }

  private unlinkBucket(slot: number): void {
    const b = this.hashes[slot]! & (this.buckets.length - 1);
    let s = this.buckets[b]!;
    if (s === slot) {
      this.buckets[b] = this.chain[slot]!;
      return;
    }
    while (s !== Slot.None) {
      const n = this.chain[s]!;
      if (n === slot) {
        this.chain[s] = this.chain[slot]!;
        return;
      }
      s = n;
    }
  }

  private growTo(capacity: number): void {
    const keys = new Uint8Array(capacity * this.keyLength);
    keys.set(this.keys);
    this.keys = keys;
    this.hashes = copyInt32(this.hashes, capacity, 0);
    const referenced = new Uint8Array(capacity);
    referenced.set(this.referenced);
    this.referenced = referenced;
    this.chain = new Int32Array(capacity).fill(Slot.None);
    this.buckets = new Int32Array(bucketCountFor(capacity)).fill(Slot.None);
    for (let s = 0; s < this.size; s++) {
      const b = this.hashes[s]! & (this.buckets.length - 1);
      this.chain[s] = this.buckets[b]!;
      this.buckets[b] = s;
    }
    this.capacity = capacity;
    this.hooks.grow(capacity);
  }
}

function bucketCountFor(capacity: number): number {
  let n = 16;
  while (n < capacity * 2) n *= 2;
  return n;
}

function copyInt32(a: Int32Array, capacity: number, fill: number): Int32Array {
  const out = new Int32Array(capacity).fill(fill);
  out.set(a);
  return out;
}

/** Grows a column to `capacity`, keeping its contents. */
export function growFloat64(a: Float64Array, capacity: number): Float64Array {
  const out = new Float64Array(capacity);
  out.set(a);
  return out;
}

export function growUint32(a: Uint32Array, capacity: number): Uint32Array {
  const out = new Uint32Array(capacity);
  out.set(a);
  return out;
}

export function growInt32(a: Int32Array, capacity: number, fill: number = Slot.None): Int32Array {
  return copyInt32(a, capacity, fill);
}

export function growUint8(a: Uint8Array, capacity: number): Uint8Array {
  const out = new Uint8Array(capacity);
  out.set(a);
  return out;
}
