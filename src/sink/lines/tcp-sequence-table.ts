/**
 * tcpdump's relative TCP sequence numbers. For every segment with ACK set,
 * tcpdump looks the conversation up by (addresses, ports), ordered so both
 * directions share one entry: the lower port is "first" (on equal ports, the
 * lower address). A miss or a SYN records the segment's own seq and ack-1 as
 * the bases and prints absolute numbers; later segments print seq and ack
 * minus those bases (mod 2^32). Segments without ACK never touch the table.
 *
 * The table is an open-addressing hash over typed arrays (no allocation per
 * packet). tcpdump's grows forever; ours is bounded: when it holds
 * `maxEntries` conversations it is cleared, after which the next segment of a
 * forgotten conversation prints absolute numbers again (as after a SYN).
 */

/** Words of a key: version, source (4 words), destination (4 words), ports. */
const KEY_WORDS = 10;

export class RelativeSequenceTable {
  private slots: number;
  private keys: Uint32Array;
  private seqBase: Uint32Array;
  private ackBase: Uint32Array;
  private used: Uint8Array;
  private count = 0;
  /** The key being looked up, built in place. */
  private readonly probe = new Uint32Array(KEY_WORDS);

  /** After `lookup`: the bases of the conversation in table order, and whether it was already known. */
  baseSeq = 0;
  baseAck = 0;
  found = false;

  constructor(readonly maxEntries = 1 << 16, initialSlots = 1024) {
    this.slots = initialSlots;
    this.keys = new Uint32Array(initialSlots * KEY_WORDS);
    this.seqBase = new Uint32Array(initialSlots);
    this.ackBase = new Uint32Array(initialSlots);
    this.used = new Uint8Array(initialSlots);
  }

  get size(): number { return this.count; }

  clear(): void {
    this.used.fill(0);
    this.count = 0;
  }

  /**
   * Applies tcpdump's rule to one ACK segment. Returns tcpdump's `rev`: true
   * when this segment runs from the conversation's second endpoint to its
   * first, so its seq is relative to `baseAck` and its ack to `baseSeq`.
   * `found` says whether the numbers are to be printed relative.
   *
   * @param addrLen 4 or 16
   */
  relate(b: Uint8Array, srcOff: number, dstOff: number, addrLen: number,
         sport: number, dport: number, seq: number, ack: number, syn: boolean): boolean {
    let rev = false;
    if (sport > dport) rev = true;
    else if (sport === dport) {
      for (let i = 0; i < addrLen; i++) {
        const x = b[srcOff + i]!, y = b[dstOff + i]!;
        if (x !== y) { rev = x > y; break; }
      }
    }
    const k = this.probe;
    k[0] = addrLen;
    const firstOff = rev ? dstOff : srcOff;
    const secondOff = rev ? srcOff : dstOff;
    for (let w = 0; w < 4; w++) {
      k[1 + w] = w * 4 < addrLen ? word(b, firstOff + w * 4) : 0;
      k[5 + w] = w * 4 < addrLen ? word(b, secondOff + w * 4) : 0;
    }
    k[9] = rev ? ((dport << 16) | sport) >>> 0 : ((sport << 16) | dport) >>> 0;

    let slot = this.find(k);
    this.found = slot >= 0 && !syn;
    if (slot < 0 || syn) {
      if (slot < 0) slot = this.insert(k);
      if (rev) { this.ackBase[slot] = seq; this.seqBase[slot] = (ack - 1) >>> 0; }
      else { this.seqBase[slot] = seq; this.ackBase[slot] = (ack - 1) >>> 0; }
    }
    this.baseSeq = this.seqBase[slot]!;
    this.baseAck = this.ackBase[slot]!;
    return rev;
  }

  private hash(k: Uint32Array): number {
    let h = 0x811c9dc5;
    for (let i = 0; i < KEY_WORDS; i++) h = Math.imul(h ^ k[i]!, 0x01000193);
    h ^= h >>> 15;
    return (h >>> 0) & (this.slots - 1);
  }

  private find(k: Uint32Array): number {
    const mask = this.slots - 1;
    for (let s = this.hash(k); ; s = (s + 1) & mask) {
      if (this.used[s] === 0) return -1;
      if (this.keyAt(s, k)) return s;
    }
  }

  private keyAt(s: number, k: Uint32Array): boolean {
    const base = s * KEY_WORDS;
    const keys = this.keys;
    for (let i = 0; i < KEY_WORDS; i++) if (keys[base + i] !== k[i]) return false;
    return true;
  }

  private insert(k: Uint32Array): number {
    if (this.count >= this.maxEntries) this.clear();
    else if ((this.count + 1) * 2 > this.slots) this.grow();
    const mask = this.slots - 1;
    let s = this.hash(k);
    while (this.used[s] !== 0) s = (s + 1) & mask;
    this.used[s] = 1;
    this.keys.set(k, s * KEY_WORDS);
    this.count++;
    return s;
  }

  private grow(): void {
    const oldKeys = this.keys, oldSeq = this.seqBase, oldAck = this.ackBase, oldUsed = this.used;
    const oldSlots = this.slots;
    this.slots = oldSlots * 2;
    this.keys = new Uint32Array(this.slots * KEY_WORDS);
    this.seqBase = new Uint32Array(this.slots);
    this.ackBase = new Uint32Array(this.slots);
    this.used = new Uint8Array(this.slots);
    this.count = 0;
    const mask = this.slots - 1;
    for (let s = 0; s < oldSlots; s++) {
      if (oldUsed[s] === 0) continue;
      const k = oldKeys.subarray(s * KEY_WORDS, (s + 1) * KEY_WORDS);
      let t = this.hash(k);
      while (this.used[t] !== 0) t = (t + 1) & mask;
      this.used[t] = 1;
      this.keys.set(k, t * KEY_WORDS);
      this.seqBase[t] = oldSeq[s]!;
      this.ackBase[t] = oldAck[s]!;
      this.count++;
    }
  }
}

function word(b: Uint8Array, o: number): number {
  return ((b[o]! << 24) | (b[o + 1]! << 16) | (b[o + 2]! << 8) | b[o + 3]!) >>> 0;
}
