/**
 * Runs of in-order ESP packets, counted outside the SA table.
 *
 * Nearly every packet of an IPsec capture carries the next sequence number
 * of an SA already seen, at the SA's usual spacing. Such a packet changes
 * the SA record only by sums: its packet count and its replay-window bits
 * follow from the first and the next sequence number of the run, bytes add
 * up, and the last time and frame are overwritten. So while an IPv4 SA is
 * in such a run its counters live here, in one row of a direct-mapped
 * table: a packet costs one hash, four compares and a few stores in one
 * Float64Array, where updating the SA record itself touched five arrays.
 *
 * The SA record is brought up to date ("closing" the run) before anyone
 * reads it: when a packet of the SA breaks the run (any other sequence
 * number, a longer gap than seen before, a silence), when the SA gets a
 * rekey successor, when another SA needs the row, when the SA is evicted,
 * and before reports. The analyzer's general path opens the next run.
 * Runs are off while decrypting (every packet goes to the decryptor) and
 * after a host pair was evicted (pair slots may then be reused).
 */
import { NUM_STRIDE, SaInt, SaNum, type SaTable } from './sa-table.js';

/** Rows in the table (a power of two): more than the SAs busy at once in any capture we know. */
const ROW_BITS = 12;

/** Fields of a row (Float64, 16 per row). The first eight are what a packet reads and writes. */
const enum Run {
  /** SPI, source and destination address as int32. */
  Spi = 0,
  Src = 1,
  Dst = 2,
  /** The sequence number that continues the run (int32); NaN when the row is empty. */
  Next = 3,
  LastTime = 4,
  /** A packet further than this after the previous one leaves the run (new longest gap or a silence). */
  GapLimit = 5,
  /** ESP bytes of the run's packets. */
  Bytes = 6,
  LastFrame = 7,
  /** The SA's host pair as an index into HostPairTable.counts (pair * 2). */
  PairIndex = 8,
  PairPacketsAtLast = 9,
  PairCleartextAtLast = 10,
  /** The SA's slot, and `Next` when the run was opened. */
  Slot = 11,
  Start = 12,
  Stride = 16,
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
  private readonly rows = new Float64Array(Run.Stride << ROW_BITS).fill(NaN);
  /** Packets of runs already closed. */
  private packetsClosed = 0;
  /** Packets may be taken here; false while decrypting and after a host pair was evicted. */
  enabled: boolean;
  /** Just below the silence threshold: a gap this long or longer is looked at. */
  private readonly silenceBelow: number;
  /** Replay bitmap bits - 1. */
  private readonly windowMask: number;
  /** A big-endian view over the buffer the packets arrive in, and that buffer. */
  private view: DataView<ArrayBufferLike> = new DataView(new ArrayBuffer(0));
  /** Never null, so the per-packet identity test compares two typed arrays (no null case to code for). */
  private viewBytes: Uint8Array = new Uint8Array(0);

  constructor(private readonly sas: SaTable, silenceSeconds: number, enabled: boolean) {
    this.enabled = enabled;
    this.silenceBelow = nextDown(silenceSeconds);
    this.windowMask = sas.windowWords * 32 - 1;
  }

  /**
   * Counts a plain IPv4 ESP packet if it continues a run: returns false,
   * having changed nothing, for anything else. `now` is the running
   * maximum of packet times; `pairCounts` is HostPairTable.counts.
   */
  take(d: { esp: { o: number; length: number }; srcAddrOffset: number; dstAddrOffset: number },
    b: Uint8Array, now: number, frame: number, pairCounts: Float64Array): boolean {
    // (Disabled, the table is empty and nothing matches: no test needed here.)
    // Sources hand every packet in one long-lived buffer (file chunk, capture ring): one view per buffer.
    const v = this.viewBytes === b ? this.view : this.viewOver(b);
    const eo = d.esp.o;
    const spi = v.getInt32(eo);
    const seq = v.getInt32(eo + 4);
    const src = v.getInt32(d.srcAddrOffset);
    const dst = v.getInt32(d.dstAddrOffset);
    const r = this.rows;
    const e = rowOf(spi, src, dst);
    if (r[e + Run.Next] !== seq || r[e + Run.Spi] !== spi || r[e + Run.Src] !== src || r[e + Run.Dst] !== dst) return false;
    const next = (seq + 1) | 0;
    if (next === ESN_EDGE || !(now - r[e + Run.LastTime]! <= r[e + Run.GapLimit]!)) return false;
    r[e + Run.Next] = next;
    r[e + Run.LastTime] = now;
    r[e + Run.Bytes]! += d.esp.length;
    r[e + Run.LastFrame] = frame;
    const pair = r[e + Run.PairIndex]! | 0;
    const pairPackets = pairCounts[pair]! + 1;
    pairCounts[pair] = pairPackets;
    r[e + Run.PairPacketsAtLast] = pairPackets;
    r[e + Run.PairCleartextAtLast] = pairCounts[pair + 1]!;
    return true;
  }

  private viewOver(b: Uint8Array): DataView<ArrayBufferLike> {
    this.view = new DataView(b.buffer, b.byteOffset, b.byteLength);
    this.viewBytes = b;
    return this.view;
  }

  /**
   * Starts a run for IPv4 ESP SA `s` (key as int32) after the general path
   * counted a packet of it, if the SA can have one: a second packet seen, no
   * successor, a known host pair, and a next sequence number that is neither
   * 0 nor near the wrap.
   */
  open(s: number, spi: number, src: number, dst: number, pair: number): void {
    if (!this.enabled || pair < 0) return;
    const t = this.sas;
    const bi = s * t.intStride;
    const int = t.int;
    const next = (int[bi + SaInt.HighestSeq]! + 1) | 0;
    if (int[bi + SaInt.Successor]! >= 0 || next === 0 || (next >>> 0) >= (ESN_EDGE >>> 0)) return;
    const num = t.num;
    const bn = s * NUM_STRIDE;
    // Not after an SA's first packet: the next one sets its usual spacing (a new longest gap) anyway,
    // and an SA seen once should not hold a row, which also spares it from eviction.
    if (num[bn + SaNum.MaxGap] === 0) return;
    const r = this.rows;
    const e = rowOf(spi, src, dst);
    if (this.occupied(e)) this.closeRow(e);
    r[e + Run.Spi] = spi;
    r[e + Run.Src] = src;
    r[e + Run.Dst] = dst;
    r[e + Run.Next] = next;
    r[e + Run.Start] = next;
    r[e + Run.LastTime] = num[bn + SaNum.LastTime]!;
    r[e + Run.GapLimit] = Math.min(num[bn + SaNum.MaxGap]!, this.silenceBelow);
    r[e + Run.Bytes] = 0;
    r[e + Run.LastFrame] = num[bn + SaNum.LastFrame]!;
    r[e + Run.PairIndex] = pair * 2;
    r[e + Run.PairPacketsAtLast] = num[bn + SaNum.PairPacketsAtLast]!;
    r[e + Run.PairCleartextAtLast] = num[bn + SaNum.PairCleartextAtLast]!;
    r[e + Run.Slot] = s;
    int[bi + SaInt.RunRow] = e + 1;
  }

  /** Packets taken so far, open runs included (a scan: for reports, not per packet). */
  get packetsTaken(): number {
    let n = this.packetsClosed;
    const r = this.rows;
    for (let e = 0; e < r.length; e += Run.Stride) if (this.occupied(e)) n += ((r[e + Run.Next]! | 0) - (r[e + Run.Start]! | 0)) >>> 0;
    return n;
  }

  /** Ends SA `s`'s run, if it has one, bringing its record up to date. */
  close(s: number): void {
    const t = this.sas;
    const at = s * t.intStride + SaInt.RunRow;
    const row = t.int[at]!;
    if (row !== 0) this.closeRow(row - 1);
  }

  /** Ends every run (before reports read the SA table). */
  closeAll(): void {
    const r = this.rows;
    for (let e = 0; e < r.length; e += Run.Stride) if (this.occupied(e)) this.closeRow(e);
  }

  /** Ends every run and takes no more packets. */
  disable(): void {
    this.closeAll();
    this.enabled = false;
  }

  private occupied(e: number): boolean {
    return !Number.isNaN(this.rows[e + Run.Next]!);
  }

  /** Folds row `e` into its SA's record and empties the row. */
  private closeRow(e: number): void {
    const r = this.rows;
    const t = this.sas;
    const s = r[e + Run.Slot]!;
    const int = t.int;
    const num = t.num;
    const bi = s * t.intStride;
    const bn = s * NUM_STRIDE;
    const next = r[e + Run.Next]! | 0;
    const start = r[e + Run.Start]! | 0;
    r[e + Run.Next] = NaN;
    int[bi + SaInt.RunRow] = 0;
    const packets = (next - start) >>> 0;
    if (packets === 0) return;
    this.packetsClosed += packets;
    const last = (next - 1) | 0;
    num[bn + SaNum.Packets]! += packets;
    num[bn + SaNum.Bytes]! += r[e + Run.Bytes]!;
    num[bn + SaNum.LastTime] = r[e + Run.LastTime]!;
    num[bn + SaNum.LastFrame] = r[e + Run.LastFrame]!;
    num[bn + SaNum.PairPacketsAtLast] = r[e + Run.PairPacketsAtLast]!;
    num[bn + SaNum.PairCleartextAtLast] = r[e + Run.PairCleartextAtLast]!;
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

/** Row offset of an IPv4 SA key (int32 SPI and addresses). */
function rowOf(spi: number, src: number, dst: number): number {
  return (Math.imul(spi ^ Math.imul(dst, 0x85ebca6b) ^ src, 0x9e3779b1) >>> (32 - ROW_BITS)) * Run.Stride;
}
