/**
 * Runs of in-order ESP packets, counted outside the SA table.
 *
 * Nearly every packet of an IPsec capture carries the next sequence number
 * of an SA already seen, at the SA's usual spacing. Such a packet changes
 * the SA record only by sums: its packet count and its replay-window bits
 * follow from the first and the next sequence number of the run, bytes add
 * up, and the last time and frame are overwritten. So while an IPv4 SA is
 * in such a run its counters live here, in one row of a direct-mapped
 * table: a packet costs one hash, five compares and a few stores in one
 * 64-byte row, where updating the SA record itself touched five arrays.
 *
 * The SA table owns the runs and brings a record up to date ("closing"
 * its run) whenever it hands the record out (SaTable.record), so nobody
 * reads an SA without its run folded in: a packet of the SA that breaks
 * the run (any other sequence number, a longer gap than seen before, a
 * silence) is counted on the record, as is a rekey successor's link, an
 * eviction or a report. A run also ends when cleartext passes between its
 * hosts (it takes the pair's cleartext count as fixed) and when another
 * SA needs the row. The analyzer's general path opens the next run. An SA
 * in a run is spared by the SA table's eviction (its busy hook) unless
 * every SA is in one.
 * Runs are off while decrypting (every packet goes to the decryptor) and
 * after a host pair was evicted (pair slots may then be reused).
 */
import { BufferView } from '../../decode/bytes.js';
import type { DecodedPacket } from '../../decode/decoded-packet.js';
import type { PacketRecord } from '../../source/packet-record.js';
import { Slot, type ByteKeyIndex } from './byte-key-index.js';
import type { HostPairTable } from './host-pairs.js';
import { SaFlag, type SaRecord } from './sa-record.js';

/** Rows in the table (a power of two): more than the SAs busy at once in any capture we know. */
const ROW_BITS = 12;
const ROWS = 1 << ROW_BITS;

/**
 * A row is one 64-byte cache line holding what a packet reads and writes,
 * seen through two views of one buffer: int32 fields first, then float64.
 * (A packet of an SA comes only every so many packets of others, by when a
 * second line would have to come from further out in the cache.)
 */
const enum Row {
  Bytes = 64,
  /** Int32 fields, at row * IntStride + field: SPI, source and destination address. */
  Spi = 0,
  Src = 1,
  Dst = 2,
  /** The sequence number that continues the run; 0 when the row is empty (0 never continues one). */
  Next = 3,
  /** The SA's host pair. */
  Pair = 4,
  IntStride = 16,
  /** Float64 fields, at row * NumStride + field. */
  LastTime = 3,
  /** A packet further than this after the previous one leaves the run (new longest gap or a silence). */
  GapLimit = 4,
  /** ESP bytes of the run's packets. */
  RunBytes = 5,
  LastFrame = 6,
  PairPacketsAtLast = 7,
  NumStride = 8,
}

/** A sequence number from which on checkCounterEdges must see every packet (int32 of ESN_WARNING_THRESHOLD). */
const ESN_EDGE = 0xf0000000 | 0;

/** The largest double below `x` (x finite): `gap <= nextDown(x)` is `gap < x`. */
function nextDown(x: number): number {
  if (x === 0) return -Number.MIN_VALUE;
  const f = new Float64Array([x]);
  const bits = new BigInt64Array(f.buffer);
  bits[0] = bits[0]! + (x > 0 ? -1n : 1n);
  return f[0]!;
}

export class InOrderRuns {
  private readonly rowBuffer = new ArrayBuffer(ROWS * Row.Bytes);
  private readonly ints = new Int32Array(this.rowBuffer);
  private readonly nums = new Float64Array(this.rowBuffer);
  /** Per row, read only when a run opens or closes: the SA's slot, `Next` at the start, and the pair's cleartext count then. */
  private readonly slot = new Int32Array(ROWS);
  private readonly start = new Int32Array(ROWS);
  private readonly pairCleartextAtOpen = new Float64Array(ROWS);
  /** Packets of runs already closed. */
  private packetsClosed = 0;
  /** Rows holding a run: scans of the table stop once they have met this many (most captures have none). */
  private openRows = 0;
  /** Packets may be taken here; false while decrypting and after a host pair was evicted. */
  enabled: boolean;
  /** Just below the silence threshold: a gap this long or longer is looked at. */
  private readonly silenceBelow: number;
  /** Replay bitmap bits - 1. */
  private readonly windowMask: number;
  private readonly bytesView = new BufferView();

  /**
   * `records` are the SA table's, by slot (read here without folding: this is
   * what folds); `index` is its key index, touched when a run ends.
   */
  constructor(private readonly records: readonly SaRecord[], private readonly index: ByteKeyIndex,
    private readonly pairs: HostPairTable, windowBits: number, silenceSeconds: number, enabled: boolean) {
    this.enabled = enabled;
    this.silenceBelow = nextDown(silenceSeconds);
    this.windowMask = windowBits - 1;
  }

  /**
   * Counts a plain IPv4 ESP packet (not in UDP, no AH) if it continues a run: returns false,
   * having changed nothing, for anything else. `now` is the packet's time as
   * the analyzer keeps it (the running maximum of packet times).
   */
  take(d: DecodedPacket, p: PacketRecord, now: number): boolean {
    // (Disabled, the table is empty and nothing matches: no test needed here.)
    const v = this.bytesView.of(p.bytes);
    // Plain IPv4 ESP is the transport layer: its header is at transportOffset and its
    // length is the IP payload's (d.esp.o and d.esp.length, one object fewer to load).
    const eo = d.transportOffset;
    const spi = v.getInt32(eo);
    const seq = v.getInt32(eo + 4);
    const src = v.getInt32(d.srcAddrOffset);
    const dst = v.getInt32(d.dstAddrOffset);
    const row = rowOf(spi, src, dst);
    const i = row * Row.IntStride;
    const ints = this.ints;
    // seq 0 would match an empty row; it is an anomaly for the general path anyway.
    if (ints[i + Row.Next] !== seq || seq === 0 || ints[i + Row.Spi] !== spi || ints[i + Row.Src] !== src || ints[i + Row.Dst] !== dst) return false;
    const next = (seq + 1) | 0;
    const n = row * Row.NumStride;
    const nums = this.nums;
    if (next === ESN_EDGE || !(now - nums[n + Row.LastTime]! <= nums[n + Row.GapLimit]!)) return false;
    ints[i + Row.Next] = next;
    nums[n + Row.LastTime] = now;
    nums[n + Row.RunBytes]! += d.ipPayloadLength;
    nums[n + Row.LastFrame] = p.frame;
    nums[n + Row.PairPacketsAtLast] = this.pairs.countPacket(ints[i + Row.Pair]!);
    return true;
  }

  /**
   * Starts a run for IPv4 ESP SA `sa` (key as int32) after the general path
   * counted a packet of it, if the SA can have one: a second packet seen, no
   * successor, a known host pair, a right edge (a valid first number seen)
   * and no number held for the next packet to decide (sequence-tracker.ts),
   * and a next sequence number that is neither 0 nor near the wrap.
   */
  open(sa: SaRecord, spi: number, src: number, dst: number): void {
    const pair = sa.pair;
    if (!this.enabled || pair === Slot.None) return;
    const next = (sa.highestSeq + 1) | 0;
    if (sa.successor !== Slot.None || next === 0 || (next >>> 0) >= (ESN_EDGE >>> 0)) return;
    if ((sa.flags & (SaFlag.SeqStarted | SaFlag.SeqHeld)) !== SaFlag.SeqStarted) return;
    // Not after an SA's first packet: the next one sets its usual spacing (a new longest gap) anyway,
    // and an SA seen once should not hold a row, which also spares it from eviction.
    if (sa.maxGap === 0) return;
    const row = rowOf(spi, src, dst);
    if (this.occupied(row)) this.closeRow(row);
    const i = row * Row.IntStride;
    const n = row * Row.NumStride;
    const ints = this.ints;
    const nums = this.nums;
    ints[i + Row.Spi] = spi;
    ints[i + Row.Src] = src;
    ints[i + Row.Dst] = dst;
    ints[i + Row.Next] = next;
    ints[i + Row.Pair] = pair;
    this.openRows++;
    nums[n + Row.LastTime] = sa.lastTime;
    nums[n + Row.GapLimit] = Math.min(sa.maxGap, this.silenceBelow);
    nums[n + Row.RunBytes] = 0;
    nums[n + Row.LastFrame] = sa.lastFrame;
    nums[n + Row.PairPacketsAtLast] = sa.pairPacketsAtLast;
    // Cleartext between the pair ends its runs (the analyzer's endRunsOfPair), so this holds for the whole run.
    this.pairCleartextAtOpen[row] = this.pairs.cleartext(pair);
    this.slot[row] = sa.slot;
    this.start[row] = next;
    sa.runRow = row + 1;
  }

  /** Packets taken so far, open runs included (a scan: for reports, not per packet). */
  get packetsTaken(): number {
    let n = this.packetsClosed;
    for (let row = 0, left = this.openRows; left > 0 && row < ROWS; row++) {
      if (!this.occupied(row)) continue;
      n += (this.ints[row * Row.IntStride + Row.Next]! - this.start[row]!) >>> 0;
      left--;
    }
    return n;
  }

  /** Ends `sa`'s run, if it has one, bringing its record up to date. */
  close(sa: SaRecord): void {
    const row = sa.runRow;
    if (row !== 0) this.closeRow(row - 1);
  }

  /** Ends every run. */
  closeAll(): void {
    for (let row = 0; this.openRows > 0 && row < ROWS; row++) if (this.occupied(row)) this.closeRow(row);
  }

  /** Ends every run and takes no more packets. */
  disable(): void {
    this.closeAll();
    this.enabled = false;
  }

  private occupied(row: number): boolean {
    return this.ints[row * Row.IntStride + Row.Next] !== 0;
  }

  /** Folds `row` into its SA's record and empties the row. */
  private closeRow(row: number): void {
    const sa = this.records[this.slot[row]!]!;
    const i = row * Row.IntStride;
    const n = row * Row.NumStride;
    const next = this.ints[i + Row.Next]!;
    const start = this.start[row]!;
    this.ints[i + Row.Next] = 0;
    this.openRows--;
    sa.runRow = 0;
    const packets = (next - start) >>> 0;
    if (packets === 0) return;
    this.packetsClosed += packets;
    const last = (next - 1) | 0;
    const nums = this.nums;
    sa.packets += packets;
    sa.bytes += nums[n + Row.RunBytes]!;
    sa.lastTime = nums[n + Row.LastTime]!;
    sa.lastFrame = nums[n + Row.LastFrame]!;
    sa.pairPacketsAtLast = nums[n + Row.PairPacketsAtLast]!;
    // As the general path writes it: only a count above zero.
    const clear = this.pairCleartextAtOpen[row]!;
    if (clear !== 0) sa.pairCleartextAtLast = clear;
    sa.highestSeq = last;
    sa.lastSeq = last;
    // The replay bitmap as advancing one number at a time would have left it.
    if (packets > this.windowMask) {
      sa.fillWindow(true);
    } else {
      for (let q = start; q !== next; q = (q + 1) | 0) sa.markSeen(q & this.windowMask);
    }
    this.index.touch(sa.slot);
  }
}

/** Row of an IPv4 SA key (int32 SPI and addresses). */
function rowOf(spi: number, src: number, dst: number): number {
  return Math.imul(spi ^ Math.imul(dst, 0x85ebca6b) ^ src, 0x9e3779b1) >>> (32 - ROW_BITS);
}
