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
 * The SA record is brought up to date ("closing" the run) before anyone
 * reads it: when a packet of the SA breaks the run (any other sequence
 * number, a longer gap than seen before, a silence), when the SA gets a
 * rekey successor, when cleartext passes between its hosts (a run takes
 * the pair's cleartext count as fixed), when another SA needs the row,
 * when the SA is evicted, and before reports. The analyzer's general path
 * opens the next run. An SA in a run is spared by the SA table's eviction
 * (SaTable's busy hook) unless every SA is in one.
 * Runs are off while decrypting (every packet goes to the decryptor) and
 * after a host pair was evicted (pair slots may then be reused).
 */
import { BufferView } from '../../decode/bytes.js';
import type { DecodedPacket } from '../../decode/decoded-packet.js';
import type { PacketRecord } from '../../source/packet-record.js';
import { NUM_STRIDE, SaFlag, SaInt, SaNum, type SaTable } from './sa-table.js';

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
  /** The SA's host pair as an index into HostPairTable.counts (pair * 2). */
  PairIndex = 4,
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
  /** Packets may be taken here; false while decrypting and after a host pair was evicted. */
  enabled: boolean;
  /** Just below the silence threshold: a gap this long or longer is looked at. */
  private readonly silenceBelow: number;
  /** Replay bitmap bits - 1. */
  private readonly windowMask: number;
  private readonly bytesView = new BufferView();

  /** Time of the packet `take` is given: the running maximum of packet times. */
  now = 0;

  constructor(private readonly sas: SaTable, private readonly pairs: { readonly counts: Float64Array },
    silenceSeconds: number, enabled: boolean) {
    this.enabled = enabled;
    this.silenceBelow = nextDown(silenceSeconds);
    this.windowMask = sas.windowWords * 32 - 1;
  }

  /**
   * Counts a plain IPv4 ESP packet (not in UDP, no AH) if it continues a run: returns false,
   * having changed nothing, for anything else. The packet's time is `now`,
   * set by the caller (the running maximum of packet times).
   *
   * Only objects are passed: a double argument to a call V8 does not
   * inline is boxed in a new heap number, an allocation per packet.
   */
  take(d: DecodedPacket, p: PacketRecord): boolean {
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
    const now = this.now;
    if (next === ESN_EDGE || !(now - nums[n + Row.LastTime]! <= nums[n + Row.GapLimit]!)) return false;
    ints[i + Row.Next] = next;
    nums[n + Row.LastTime] = now;
    nums[n + Row.RunBytes]! += d.ipPayloadLength;
    nums[n + Row.LastFrame] = p.frame;
    const pair = ints[i + Row.PairIndex]!;
    const pairCounts = this.pairs.counts;
    const pairPackets = pairCounts[pair]! + 1;
    pairCounts[pair] = pairPackets;
    nums[n + Row.PairPacketsAtLast] = pairPackets;
    return true;
  }

  /**
   * Starts a run for IPv4 ESP SA `s` (key as int32) after the general path
   * counted a packet of it, if the SA can have one: a second packet seen, no
   * successor, a known host pair, a right edge (a valid first number seen)
   * and no number held for the next packet to decide (sequence-tracker.ts),
   * and a next sequence number that is neither 0 nor near the wrap.
   */
  open(s: number, spi: number, src: number, dst: number, pair: number): void {
    if (!this.enabled || pair < 0) return;
    const t = this.sas;
    const bi = s * t.intStride;
    const int = t.int;
    const next = (int[bi + SaInt.HighestSeq]! + 1) | 0;
    if (int[bi + SaInt.Successor]! >= 0 || next === 0 || (next >>> 0) >= (ESN_EDGE >>> 0)) return;
    if ((int[bi + SaInt.Flags]! & (SaFlag.SeqStarted | SaFlag.SeqHeld)) !== SaFlag.SeqStarted) return;
    const num = t.num;
    const bn = s * NUM_STRIDE;
    // Not after an SA's first packet: the next one sets its usual spacing (a new longest gap) anyway,
    // and an SA seen once should not hold a row, which also spares it from eviction.
    if (num[bn + SaNum.MaxGap] === 0) return;
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
    ints[i + Row.PairIndex] = pair * 2;
    nums[n + Row.LastTime] = num[bn + SaNum.LastTime]!;
    nums[n + Row.GapLimit] = Math.min(num[bn + SaNum.MaxGap]!, this.silenceBelow);
    nums[n + Row.RunBytes] = 0;
    nums[n + Row.LastFrame] = num[bn + SaNum.LastFrame]!;
    nums[n + Row.PairPacketsAtLast] = num[bn + SaNum.PairPacketsAtLast]!;
    // Cleartext between the pair closes its runs (closeRunsOf), so this holds for the whole run.
    this.pairCleartextAtOpen[row] = this.pairs.counts[pair * 2 + 1]!;
    this.slot[row] = s;
    this.start[row] = next;
    int[bi + SaInt.RunRow] = row + 1;
  }

  /** Packets taken so far, open runs included (a scan: for reports, not per packet). */
  get packetsTaken(): number {
    let n = this.packetsClosed;
    for (let row = 0; row < ROWS; row++) if (this.occupied(row)) n += (this.ints[row * Row.IntStride + Row.Next]! - this.start[row]!) >>> 0;
    return n;
  }

  /** Ends SA `s`'s run, if it has one, bringing its record up to date. */
  close(s: number): void {
    const t = this.sas;
    const row = t.int[s * t.intStride + SaInt.RunRow]!;
    if (row !== 0) this.closeRow(row - 1);
  }

  /** Ends every run (before reports read the SA table). */
  closeAll(): void {
    for (let row = 0; row < ROWS; row++) if (this.occupied(row)) this.closeRow(row);
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
    const t = this.sas;
    const s = this.slot[row]!;
    const int = t.int;
    const num = t.num;
    const bi = s * t.intStride;
    const bn = s * NUM_STRIDE;
    const i = row * Row.IntStride;
    const n = row * Row.NumStride;
    const next = this.ints[i + Row.Next]!;
    const start = this.start[row]!;
    this.ints[i + Row.Next] = 0;
    int[bi + SaInt.RunRow] = 0;
    const packets = (next - start) >>> 0;
    if (packets === 0) return;
    this.packetsClosed += packets;
    const last = (next - 1) | 0;
    const nums = this.nums;
    num[bn + SaNum.Packets]! += packets;
    num[bn + SaNum.Bytes]! += nums[n + Row.RunBytes]!;
    num[bn + SaNum.LastTime] = nums[n + Row.LastTime]!;
    num[bn + SaNum.LastFrame] = nums[n + Row.LastFrame]!;
    num[bn + SaNum.PairPacketsAtLast] = nums[n + Row.PairPacketsAtLast]!;
    // As the general path writes it: only a count above zero.
    const clear = this.pairCleartextAtOpen[row]!;
    if (clear !== 0) num[bn + SaNum.PairCleartextAtLast] = clear;
    int[bi + SaInt.HighestSeq] = last;
    int[bi + SaInt.LastSeq] = last;
    // The replay bitmap as advancing one number at a time would have left it.
    const w = bi + SaInt.Window;
    if (packets > this.windowMask) {
      int.fill(-1, w, w + t.windowWords);
    } else {
      for (let q = start; q !== next; q = (q + 1) | 0) {
        const pos = q & this.windowMask;
        int[w + (pos >>> 5)]! |= 1 << (pos & 31);
      }
    }
    t.index.touch(s);
  }
}

/** Row of an IPv4 SA key (int32 SPI and addresses). */
function rowOf(spi: number, src: number, dst: number): number {
  return Math.imul(spi ^ Math.imul(dst, 0x85ebca6b) ^ src, 0x9e3779b1) >>> (32 - ROW_BITS);
}
