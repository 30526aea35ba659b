/**
 * The JavaScript side of the capture ring (layout in ring-layout.ts): takes
 * everything the native producer has committed in one batch, hands it on as
 * contiguous spans of pcap records and/or as packets read in place, and
 * releases the space. Nothing is allocated per packet.
 *
 * Waking: the consumer raises the `waiting` flag, re-checks the head and only
 * then sleeps; the producer, on each publish, swaps the flag back to 0 and
 * calls `wake()` through a threadsafe function once enough is pending for a
 * worthwhile batch (or a few milliseconds have passed; `setMinBatch`). Both
 * sides use sequentially consistent operations, so one always sees the
 * other; a busy consumer costs the producer nothing. A slow fallback timer
 * guards against the unforeseen.
 */
import { endianness } from 'node:os';
import type { PacketHandler, PacketRecord } from '../packet-record.js';
import {
  RECORD_HEADER_BYTES, RING_CONTROL_BYTES, RING_STATE_FINISHED, RING_STATS_OFFSET, RING_STAT_COUNT,
  RingSlot, ringBufferBytes,
} from './ring-layout.js';

/** Receives a run of whole pcap records: `bytes[offset, offset+length)`. Valid only during the call. */
export type SpanHandler = (bytes: Uint8Array, offset: number, length: number) => void;

const littleEndian = endianness() === 'LE';
const FALLBACK_WAKE_MS = 500;
/** pcap global header size: a record's fileOffset is where it would sit in a pcap written from the ring. */
const PCAP_FILE_HEADER_BYTES = 24;

export class RingConsumer {
  readonly buffer: SharedArrayBuffer;
  /** The whole shared buffer; packet offsets handed on index into it. */
  readonly bytes: Uint8Array;
  readonly capacity: number;
  private readonly mask: number;
  private readonly control: Int32Array;
  private readonly statsView: Float64Array;
  private readonly view: DataView;
  private tail = 0;
  private consumedBytes = 0;
  /** Records' fractions times this are nanoseconds (1000 for a microsecond ring). */
  private fracScale = 1;
  private wakeUp: (() => void) | undefined;
  /** Pending bytes worth waking for on our own; fewer wait for the producer's wake (see setMinBatch). */
  private minBatchBytes = 0;

  constructor(capacity: number, snaplen: number) {
    if (capacity < 65536 || capacity > 2 ** 30 || (capacity & (capacity - 1)) !== 0) {
      throw new RangeError(`ring capacity must be a power of two between 64 KiB and 1 GiB, not ${capacity}`);
    }
    this.capacity = capacity;
    this.mask = capacity - 1;
    this.buffer = new SharedArrayBuffer(ringBufferBytes(capacity, snaplen));
    this.bytes = new Uint8Array(this.buffer);
    this.control = new Int32Array(this.buffer, 0, RING_CONTROL_BYTES / 4);
    this.statsView = new Float64Array(this.buffer, RING_STATS_OFFSET, RING_STAT_COUNT);
    this.view = new DataView(this.buffer);
  }

  /**
   * Batch size to wait for: with fewer bytes pending the consumer sleeps
   * until the producer wakes it (once that much is pending, or a few
   * milliseconds later: native/zsniff_pcap.c, publish). 0 takes every record
   * as soon as it is seen (immediate mode). Must match the producer's rule.
   */
  setMinBatch(bytes: number): void {
    this.minBatchBytes = bytes;
  }

  /** The precision of the records the producer writes (set once the capture is open). */
  setNanosecond(nanosecond: boolean): void {
    this.fracScale = nanosecond ? 1 : 1000;
  }

  /** Passed to the producer: called (on the main thread) when it published data or finished. */
  readonly wake = (): void => {
    const resolve = this.wakeUp;
    this.wakeUp = undefined;
    if (resolve) resolve();
  };

  /** A producer statistic (RingStat index); written by the native thread, read without tearing on 64-bit. */
  stat(index: number): number {
    return this.statsView[index] ?? 0;
  }

  /** Whether the producer has finished and published its last record. */
  finished(): boolean {
    return Atomics.load(this.control, RingSlot.state) === RING_STATE_FINISHED;
  }

  /** Bytes committed and not yet released. */
  pending(): number {
    return ((Atomics.load(this.control, RingSlot.head) >>> 0) - this.tail) >>> 0;
  }

  /** Ring bytes consumed so far (the size of the pcap body written from the ring). */
  get bytesConsumed(): number {
    return this.consumedBytes;
  }

  /**
   * Resolves when records are pending or the producer has finished.
   * Returns false when it finished and everything was consumed.
   */
  async waitForData(): Promise<boolean> {
    let woken = false;
    for (;;) {
      const done = this.finished();
      const pending = this.pending();
      if (pending > 0 && (woken || done || pending >= this.minBatchBytes)) return true;
      if (done) return false;
      Atomics.store(this.control, RingSlot.waiting, 1);
      const again = this.pending();
      if (this.finished() || (again > 0 && again >= this.minBatchBytes)) {
        Atomics.store(this.control, RingSlot.waiting, 0);
        continue;
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          this.wakeUp = undefined;
          resolve();
        }, FALLBACK_WAKE_MS);
        this.wakeUp = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      // Woken (or timed out): take whatever is there, however little.
      woken = true;
    }
  }

  /**
   * Takes every committed record: hands the byte stream to `onSpan` (one or
   * two spans of whole records, split only where the stream wraps) and then each record to
   * `onPacket` in place, through the reused `pkt`. Stops calling `onPacket`
   * after it returns false. Releases the space afterwards.
   * Returns the number of records handed to `onPacket`, negated (and minus
   * one) when it asked to stop.
   */
  takeBatch(onSpan: SpanHandler | undefined, onPacket: PacketHandler | undefined, pkt: PacketRecord): number {
    const start = this.tail;
    const end = Atomics.load(this.control, RingSlot.head) >>> 0;
    const length = (end - start) >>> 0;
    if (length === 0) return 0;
    if (onSpan) {
      const from = start & this.mask;
      if (from + length <= this.capacity) {
        onSpan(this.bytes, RING_CONTROL_BYTES + from, length);
      } else {
        // The record that crosses the end is whole in the overhang: end the
        // first span after it, so that both spans hold whole records.
        let at = from;
        while (at < this.capacity) at += RECORD_HEADER_BYTES + this.view.getUint32(RING_CONTROL_BYTES + at + 8, littleEndian);
        const firstPiece = at - from;
        onSpan(this.bytes, RING_CONTROL_BYTES + from, firstPiece);
        if (firstPiece < length) onSpan(this.bytes, RING_CONTROL_BYTES + at - this.capacity, length - firstPiece);
      }
    }
    let delivered = 0;
    let stopped = false;
    if (onPacket) {
      const view = this.view;
      const mask = this.mask;
      const fracScale = this.fracScale;
      let p = start;
      let fileOffset = PCAP_FILE_HEADER_BYTES + this.consumedBytes;
      while (p !== end) {
        const at = RING_CONTROL_BYTES + (p & mask);
        const caplen = view.getUint32(at + 8, littleEndian);
        pkt.frame++;
        pkt.tsSec = view.getUint32(at, littleEndian);
        pkt.tsNsec = view.getUint32(at + 4, littleEndian) * fracScale;
        pkt.caplen = caplen;
        pkt.origLen = view.getUint32(at + 12, littleEndian);
        pkt.offset = at + RECORD_HEADER_BYTES;
        pkt.fileOffset = fileOffset;
        const size = RECORD_HEADER_BYTES + caplen;
        fileOffset += size;
        p = (p + size) >>> 0;
        delivered++;
        if (onPacket(pkt) === false) {
          stopped = true;
          break;
        }
      }
    }
    this.release(end, length);
    return stopped ? -delivered - 1 : delivered;
  }

  /** Calls `visit(offset, recordLength)` for each record of a span, for callers that split spans. */
  static forEachRecordIn(bytes: Uint8Array, offset: number, length: number,
    visit: (recordOffset: number, recordLength: number) => boolean | void): void {
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const end = offset + length;
    let at = offset;
    while (at + RECORD_HEADER_BYTES <= end) {
      const size = RECORD_HEADER_BYTES + view.getUint32(at + 8, littleEndian);
      if (visit(at, size) === false) return;
      at += size;
    }
  }

  private release(end: number, length: number): void {
    this.tail = end;
    this.consumedBytes += length;
    Atomics.store(this.control, RingSlot.tail, end | 0);
  }
}
