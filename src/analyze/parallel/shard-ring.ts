/**
 * One reader, one worker: packet records handed over through shared memory, laid out like pcap
 * records (a header with the frame number, then the captured bytes). The writer publishes its
 * position every `BATCH` records, not per packet, and each side sleeps on the other's position
 * (Atomics.wait) only when the ring is full or empty.
 *
 * Positions are byte counts modulo 2^32; the ring's size is a power of two, so a position's
 * offset in the ring is its low bits. A record never wraps: when it does not fit before the end,
 * a `Wrap` record fills the rest and it starts again at 0.
 */
import type { PacketRecord } from '../../source/packet-record.js';

/** What a ring record is. */
export const RingRecord = {
  /** A packet for this shard. */
  Packet: 1,
  /** The whole capture's TCP clock starts (tsSec: its first TCP packet's seconds). */
  Start: 2,
  /** Retire flows due at this time (the whole capture reached an expiry point on this frame). */
  Expire: 3,
  /** Nothing more: the rest of the ring up to its end is unused. */
  Wrap: 4,
  /** The capture ended. */
  End: 5,
} as const;

/** Header fields, as int32 words. */
const enum Field { Type = 0, Frame = 1, SecHigh = 2, SecLow = 3, Nsec = 4, Caplen = 5, OrigLen = 6, LinkType = 7, Interface = 8, Words = 10 }
const HEADER_BYTES = Field.Words * 4;
/** Control words: positions written and read. */
const enum Control { Written = 0, Read = 1, Failed = 2, Words = 3 }
const BATCH = 128;

/** The shared memory of one ring; it crosses to the worker in `workerData`. */
export interface RingMemory { control: SharedArrayBuffer; data: SharedArrayBuffer }

export function createRingMemory(bytes = 8 << 20): RingMemory {
  if ((bytes & (bytes - 1)) !== 0) throw new Error('ring size must be a power of two');
  return { control: new SharedArrayBuffer(Control.Words * 4), data: new SharedArrayBuffer(bytes) };
}

function recordBytes(caplen: number): number {
  return (HEADER_BYTES + caplen + 7) & ~7;
}

export class RingWriter {
  private readonly control: Int32Array;
  private readonly words: Int32Array;
  private readonly bytes: Uint8Array;
  private readonly size: number;
  private written = 0;
  private readKnown = 0;
  private unpublished = 0;

  constructor(memory: RingMemory) {
    this.control = new Int32Array(memory.control);
    this.words = new Int32Array(memory.data);
    this.bytes = new Uint8Array(memory.data);
    this.size = memory.data.byteLength;
  }

  /** Appends a packet; waits while the worker has the ring full. */
  packet(pkt: PacketRecord): void {
    const o = this.reserve(recordBytes(pkt.caplen));
    this.header(o, RingRecord.Packet, pkt.frame, pkt.tsSec, pkt.tsNsec);
    const w = this.words, i = o >> 2;
    w[i + Field.Caplen] = pkt.caplen;
    w[i + Field.OrigLen] = pkt.origLen;
    w[i + Field.LinkType] = pkt.linkType;
    w[i + Field.Interface] = pkt.interfaceId;
    this.bytes.set(pkt.bytes.subarray(pkt.offset, pkt.offset + pkt.caplen), o + HEADER_BYTES);
    this.commit(recordBytes(pkt.caplen));
  }

  /** A record without packet bytes (`Start`, `Expire`, `End`). */
  signal(type: number, frame: number, tsSec: number, tsNsec: number): void {
    const o = this.reserve(HEADER_BYTES);
    this.header(o, type, frame, tsSec, tsNsec);
    this.words[(o >> 2) + Field.Caplen] = 0;
    this.commit(HEADER_BYTES);
    if (type === RingRecord.End) this.publish();
  }

  /** Makes every record written so far visible to the worker. */
  publish(): void {
    if (this.unpublished === 0) return;
    this.unpublished = 0;
    Atomics.store(this.control, Control.Written, this.written | 0);
    Atomics.notify(this.control, Control.Written);
  }

  private header(o: number, type: number, frame: number, tsSec: number, tsNsec: number): void {
    const w = this.words, i = o >> 2;
    w[i + Field.Type] = type;
    w[i + Field.Frame] = frame;
    w[i + Field.SecHigh] = Math.floor(tsSec / 4294967296);
    w[i + Field.SecLow] = tsSec >>> 0;
    w[i + Field.Nsec] = tsNsec;
  }

  /** The offset where `n` bytes can be written, after a `Wrap` record if they do not fit before the end. */
  private reserve(n: number): number {
    if (n > this.size >> 1) throw new Error(`packet of ${n} bytes is too large for the shard ring`);
    let o = this.written & (this.size - 1);
    const tail = this.size - o;
    if (tail < n) {
      this.waitForRoom(tail);
      this.words[o >> 2] = RingRecord.Wrap;
      this.commit(tail);
      o = 0;
    }
    this.waitForRoom(n);
    return o;
  }

  private commit(n: number): void {
    this.written = (this.written + n) >>> 0;
    if (++this.unpublished >= BATCH) this.publish();
  }

  private waitForRoom(n: number): void {
    while (this.size - ((this.written - this.readKnown) >>> 0) < n) {
      this.publish();
      if (Atomics.load(this.control, Control.Failed) !== 0) throw new Error('internal error: an analysis worker failed');
      const read = Atomics.load(this.control, Control.Read);
      if ((read >>> 0) === this.readKnown) Atomics.wait(this.control, Control.Read, read);
      this.readKnown = Atomics.load(this.control, Control.Read) >>> 0;
    }
  }
}

/** The worker's side: calls `onRecord` for each record until `End`. */
export class RingReader {
  private readonly control: Int32Array;
  private readonly words: Int32Array;
  private readonly size: number;
  /** The record being handled, as a packet (`bytes` is the ring; `offset` its start). */
  readonly pkt: PacketRecord;

  constructor(memory: RingMemory) {
    this.control = new Int32Array(memory.control);
    this.words = new Int32Array(memory.data);
    this.size = memory.data.byteLength;
    this.pkt = { frame: 0, tsSec: 0, tsNsec: 0, caplen: 0, origLen: 0, linkType: 1, interfaceId: 0, bytes: new Uint8Array(memory.data), offset: 0, fileOffset: 0 };
  }

  /** Tells the writer, which may be waiting for room, that this reader stopped on an error. */
  fail(): void {
    Atomics.store(this.control, Control.Failed, 1);
    Atomics.store(this.control, Control.Read, Atomics.load(this.control, Control.Read) + 1);
    Atomics.notify(this.control, Control.Read);
  }

  /** Reads to the `End` record; `onRecord(type)` sees `pkt` filled in (the bytes only for `Packet`). */
  run(onRecord: (type: number, pkt: PacketRecord) => void): void {
    const w = this.words, pkt = this.pkt, mask = this.size - 1;
    let read = 0, handled = 0;
    for (;;) {
      const written = Atomics.load(this.control, Control.Written) >>> 0;
      if (written === read) {
        Atomics.store(this.control, Control.Read, read | 0);
        Atomics.notify(this.control, Control.Read);
        Atomics.wait(this.control, Control.Written, written | 0);
        continue;
      }
      while (read !== written) {
        const o = read & mask, i = o >> 2;
        const type = w[i + Field.Type]!;
        if (type === RingRecord.Wrap) { read = (read + this.size - o) >>> 0; continue; }
        pkt.frame = w[i + Field.Frame]!;
        pkt.tsSec = w[i + Field.SecHigh]! * 4294967296 + (w[i + Field.SecLow]! >>> 0);
        pkt.tsNsec = w[i + Field.Nsec]!;
        const caplen = w[i + Field.Caplen]!;
        if (type === RingRecord.End) { Atomics.store(this.control, Control.Read, written | 0); return; }
        if (type === RingRecord.Packet) {
          pkt.caplen = caplen;
          pkt.origLen = w[i + Field.OrigLen]!;
          pkt.linkType = w[i + Field.LinkType]!;
          pkt.interfaceId = w[i + Field.Interface]!;
          pkt.offset = o + HEADER_BYTES;
        }
        onRecord(type, pkt);
        read = (read + recordBytes(caplen)) >>> 0;
        if (++handled % BATCH === 0) {
          Atomics.store(this.control, Control.Read, read | 0);
          Atomics.notify(this.control, Control.Read);
        }
      }
    }
  }
}
