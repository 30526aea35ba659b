/**
 * One SA's record in the SA table, and the layout behind it. Each SA owns a
 * fixed-size row in two shared arrays (Float64: counts, times, frames;
 * Int32: sequence state, links, flags, then the replay bitmap) and one in
 * the anomaly counters, so a packet touches two or three cache lines and
 * never allocates. `SaRecord` names the fields of one row; code outside this
 * file reads and writes an SA only through it.
 *
 * SPI and sequence numbers are stored as int32 and read back as uint32.
 */
import { IpProto } from '../../decode/layers.js';
import { Slot } from './byte-key-index.js';

/** Bits of `SaRecord.flags`. */
export const enum SaFlag {
  /** Findings reported once per SA. */
  ReservedSpiReported = 1,
  EsnReported = 2,
  SeenInUdp = 4,
  SeenPlain = 8,
  SequenceZeroReported = 16,
  /** The tracker has a right edge: a first valid sequence number was seen (sequence-tracker.ts). */
  SeqStarted = 32,
  /** A low number behind the right edge waits for the SA's next packet: restart, or replay/stale? */
  SeqHeld = 64,
  /** The counter went on past 2^32 (the low 32 bits of an extended sequence number, RFC 4303 A2). */
  Esn = 128,
}

/** Counters of per-SA findings (`SaRecord.count`). */
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

/** Float64 fields of a record, at slot * Num.Stride. */
const enum Num {
  // Read or written for every packet: kept within the first 64 bytes of the record.
  Packets = 0,
  Bytes = 1,
  LastTime = 2,
  LastFrame = 3,
  MaxGap = 4,
  PairPacketsAtLast = 5,
  PairCleartextAtLast = 6,
  LateAfterRekey = 7,
  LateLastFrame = 8,
  FirstTime = 9,
  FirstFrame = 10,
  MaxGapFrom = 11,
  MaxGapTo = 12,
  Missing = 13,
  HeldFrame = 14,
  HeldTime = 15,
  Stride = 16,
}

/** Int32 fields of a record, at slot * SaColumns.intStride; the replay bitmap follows them. */
const enum Int {
  Spi = 0,
  HighestSeq = 1,
  LastSeq = 2,
  FirstSeq = 3,
  Pair = 4,
  PairGeneration = 5,
  PairDirection = 6,
  Predecessor = 7,
  Successor = 8,
  Flags = 9,
  Version = 10,
  Protocol = 11,
  Generation = 12,
  EventsEmitted = 13,
  MaxReorderDepth = 14,
  RunRow = 15,
  HeldSeq = 16,
  Window = 17,
}

/** Float64 words of a record. */
export const SA_NUM_FIELDS = Num.Stride as number;
/** Int32 words of a record before its replay bitmap. */
export const SA_INT_FIELDS = Int.Window as number;

/** The shared arrays records live in (the SA table; they are replaced when it grows). */
export interface SaColumns {
  readonly num: Float64Array;
  readonly int: Int32Array;
  readonly anomalies: Float64Array;
  /** Int32 words per record: the fields, then `windowWords` of replay bitmap. */
  readonly intStride: number;
  readonly windowWords: number;
}

/** The columns for `capacity` records. */
export function allocateSaColumns(capacity: number, intStride: number): { num: Float64Array; int: Int32Array; anomalies: Float64Array } {
  return {
    num: new Float64Array(capacity * SA_NUM_FIELDS),
    int: new Int32Array(capacity * intStride),
    anomalies: new Float64Array(capacity * SA_ANOMALY_COUNT),
  };
}

/** One SA: named fields over its rows in the table's columns. */
export class SaRecord {
  /** Where this record starts in `num`, `int` and `anomalies`. */
  private readonly n: number;
  private readonly i: number;
  private readonly a: number;

  constructor(private readonly columns: SaColumns, readonly slot: number) {
    this.n = slot * Num.Stride;
    this.i = slot * columns.intStride;
    this.a = slot * SA_ANOMALY_COUNT;
  }

  /** A new SA in this slot (a reused slot keeps its generation, bumped on eviction). */
  reset(spi: number, version: number, protocol: number): void {
    const c = this.columns;
    c.num.fill(0, this.n, this.n + Num.Stride);
    const generation = this.generation;
    c.int.fill(0, this.i, this.i + c.intStride);
    c.int[this.i + Int.Generation] = generation;
    c.int[this.i + Int.Spi] = spi;
    c.int[this.i + Int.Version] = version;
    c.int[this.i + Int.Protocol] = protocol;
    c.int[this.i + Int.Pair] = Slot.None;
    c.int[this.i + Int.Predecessor] = Slot.None;
    c.int[this.i + Int.Successor] = Slot.None;
    c.anomalies.fill(0, this.a, this.a + SA_ANOMALY_COUNT);
  }

  // --- Counts, times and frames.
  get packets(): number { return this.columns.num[this.n + Num.Packets]!; }
  set packets(v: number) { this.columns.num[this.n + Num.Packets] = v; }
  get bytes(): number { return this.columns.num[this.n + Num.Bytes]!; }
  set bytes(v: number) { this.columns.num[this.n + Num.Bytes] = v; }
  /** The capture's time (running maximum) and the frame of the SA's last packet. */
  get lastTime(): number { return this.columns.num[this.n + Num.LastTime]!; }
  set lastTime(v: number) { this.columns.num[this.n + Num.LastTime] = v; }
  get lastFrame(): number { return this.columns.num[this.n + Num.LastFrame]!; }
  set lastFrame(v: number) { this.columns.num[this.n + Num.LastFrame] = v; }
  /** Longest silence (seconds) so far, and the frames either side of it. */
  get maxGap(): number { return this.columns.num[this.n + Num.MaxGap]!; }
  set maxGap(v: number) { this.columns.num[this.n + Num.MaxGap] = v; }
  get maxGapFrom(): number { return this.columns.num[this.n + Num.MaxGapFrom]!; }
  set maxGapFrom(v: number) { this.columns.num[this.n + Num.MaxGapFrom] = v; }
  get maxGapTo(): number { return this.columns.num[this.n + Num.MaxGapTo]!; }
  set maxGapTo(v: number) { this.columns.num[this.n + Num.MaxGapTo] = v; }
  /** The host pair's packet and cleartext counts when this SA last spoke. */
  get pairPacketsAtLast(): number { return this.columns.num[this.n + Num.PairPacketsAtLast]!; }
  set pairPacketsAtLast(v: number) { this.columns.num[this.n + Num.PairPacketsAtLast] = v; }
  get pairCleartextAtLast(): number { return this.columns.num[this.n + Num.PairCleartextAtLast]!; }
  set pairCleartextAtLast(v: number) { this.columns.num[this.n + Num.PairCleartextAtLast] = v; }
  /** Packets on this SA after its successor's first packet, and the last such frame. */
  get lateAfterRekey(): number { return this.columns.num[this.n + Num.LateAfterRekey]!; }
  set lateAfterRekey(v: number) { this.columns.num[this.n + Num.LateAfterRekey] = v; }
  get lateLastFrame(): number { return this.columns.num[this.n + Num.LateLastFrame]!; }
  set lateLastFrame(v: number) { this.columns.num[this.n + Num.LateLastFrame] = v; }
  get firstTime(): number { return this.columns.num[this.n + Num.FirstTime]!; }
  set firstTime(v: number) { this.columns.num[this.n + Num.FirstTime] = v; }
  get firstFrame(): number { return this.columns.num[this.n + Num.FirstFrame]!; }
  set firstFrame(v: number) { this.columns.num[this.n + Num.FirstFrame] = v; }
  /** Sequence numbers skipped and not (yet) seen late. */
  get missing(): number { return this.columns.num[this.n + Num.Missing]!; }
  set missing(v: number) { this.columns.num[this.n + Num.Missing] = v; }
  /** Frame and time (the packet's own) of the number held while SaFlag.SeqHeld is set. */
  get heldFrame(): number { return this.columns.num[this.n + Num.HeldFrame]!; }
  set heldFrame(v: number) { this.columns.num[this.n + Num.HeldFrame] = v; }
  get heldTime(): number { return this.columns.num[this.n + Num.HeldTime]!; }
  set heldTime(v: number) { this.columns.num[this.n + Num.HeldTime] = v; }

  // --- Key, sequence state, links and flags. Sequence numbers and the SPI read as uint32.
  get spi(): number { return this.columns.int[this.i + Int.Spi]! >>> 0; }
  get version(): number { return this.columns.int[this.i + Int.Version]!; }
  get protocol(): number { return this.columns.int[this.i + Int.Protocol]!; }
  get isAh(): boolean { return this.protocol === IpProto.Ah; }
  /** The window's right edge. */
  get highestSeq(): number { return this.columns.int[this.i + Int.HighestSeq]! >>> 0; }
  set highestSeq(v: number) { this.columns.int[this.i + Int.HighestSeq] = v; }
  get lastSeq(): number { return this.columns.int[this.i + Int.LastSeq]! >>> 0; }
  set lastSeq(v: number) { this.columns.int[this.i + Int.LastSeq] = v; }
  get firstSeq(): number { return this.columns.int[this.i + Int.FirstSeq]! >>> 0; }
  set firstSeq(v: number) { this.columns.int[this.i + Int.FirstSeq] = v; }
  /** The sequence number held while SaFlag.SeqHeld is set. */
  get heldSeq(): number { return this.columns.int[this.i + Int.HeldSeq]! >>> 0; }
  set heldSeq(v: number) { this.columns.int[this.i + Int.HeldSeq] = v; }
  /** Host-pair slot (Slot.None before one is attached), the pair's generation then, and this SA's direction in it. */
  get pair(): number { return this.columns.int[this.i + Int.Pair]!; }
  set pair(v: number) { this.columns.int[this.i + Int.Pair] = v; }
  get pairGeneration(): number { return this.columns.int[this.i + Int.PairGeneration]!; }
  set pairGeneration(v: number) { this.columns.int[this.i + Int.PairGeneration] = v; }
  get pairDirection(): number { return this.columns.int[this.i + Int.PairDirection]!; }
  set pairDirection(v: number) { this.columns.int[this.i + Int.PairDirection] = v; }
  /** Rekey links: the SA this one replaced, and the one that replaced it (Slot.None when none). */
  get predecessor(): number { return this.columns.int[this.i + Int.Predecessor]!; }
  set predecessor(v: number) { this.columns.int[this.i + Int.Predecessor] = v; }
  get successor(): number { return this.columns.int[this.i + Int.Successor]!; }
  set successor(v: number) { this.columns.int[this.i + Int.Successor] = v; }
  /** SaFlag bits. */
  get flags(): number { return this.columns.int[this.i + Int.Flags]!; }
  set flags(v: number) { this.columns.int[this.i + Int.Flags] = v; }
  /** Bumped when the slot is reused, so cached references to the old SA are recognised as stale. */
  get generation(): number { return this.columns.int[this.i + Int.Generation]!; }
  set generation(v: number) { this.columns.int[this.i + Int.Generation] = v; }
  /** Events emitted for this SA (caps event floods per SA). */
  get eventsEmitted(): number { return this.columns.int[this.i + Int.EventsEmitted]!; }
  set eventsEmitted(v: number) { this.columns.int[this.i + Int.EventsEmitted] = v; }
  get maxReorderDepth(): number { return this.columns.int[this.i + Int.MaxReorderDepth]!; }
  set maxReorderDepth(v: number) { this.columns.int[this.i + Int.MaxReorderDepth] = v; }
  /** While the SA is in an in-order run (in-order-runs.ts): its row there + 1; 0 otherwise. */
  get runRow(): number { return this.columns.int[this.i + Int.RunRow]!; }
  set runRow(v: number) { this.columns.int[this.i + Int.RunRow] = v; }

  // --- The replay bitmap: bit (seq & mask) per sequence number, mask = windowWords * 32 - 1.
  seen(pos: number): boolean { return (this.columns.int[this.i + Int.Window + (pos >>> 5)]! & (1 << (pos & 31))) !== 0; }
  markSeen(pos: number): void { this.columns.int[this.i + Int.Window + (pos >>> 5)]! |= 1 << (pos & 31); }
  markUnseen(pos: number): void { this.columns.int[this.i + Int.Window + (pos >>> 5)]! &= ~(1 << (pos & 31)); }
  /** Every bit cleared (false) or set (true). */
  fillWindow(seen: boolean): void {
    const w = this.i + Int.Window;
    this.columns.int.fill(seen ? -1 : 0, w, w + this.columns.windowWords);
  }

  // --- Anomaly counters (SaAnomaly).
  count(anomaly: number): void { this.columns.anomalies[this.a + anomaly]!++; }
  anomaly(anomaly: number): number { return this.columns.anomalies[this.a + anomaly]!; }
}
