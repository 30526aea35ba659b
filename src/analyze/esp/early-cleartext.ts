/**
 * Cleartext seen before its two hosts became IPsec peers. Whether a TCP
 * segment between two hosts is a leak is only known once they exchange ESP,
 * which may come later in the capture (the SA is negotiated after the first
 * packets went out unprotected). Every flow between hosts not yet known as
 * peers is therefore noted here, and when an SA first appears between two
 * hosts their notes move to the leak detector as cleartext flows.
 *
 * Most captures have no IPsec at all, so this sits on the path of every
 * packet: a direct-mapped table (one hash, a few compares, no allocation,
 * fixed memory) rather than the leak detector's chained index. A flow whose
 * entry is taken by another flow replaces it; the count of replaced flows is
 * kept, and with 4,096 entries it is the flows seen most recently before
 * the SA came up that survive, which are the ones that matter.
 */
import type { DecodedPacket } from '../../decode/decoded-packet.js';
import type { PacketRecord } from '../../source/packet-record.js';
import { BufferView, i32 } from '../../decode/bytes.js';
import { LayerBit } from '../../decode/layers.js';
import { LeakFlow, noteLeakDetail, type LeakFlowColumns, type LeakFlowDetail } from './cleartext-leak-detector.js';

/**
 * Sizes and layout as const enum members: they compile to literals, where
 * module-level constants are loads from the module's context on every use
 * (measurable on a path every packet takes).
 *
 * An entry's hot part is one 64-byte row, read through an int32 and a
 * float64 view of one buffer: the key of an IPv4 flow and the counters a
 * packet updates. Entries are found by hash, so a column per field (as the
 * leak detector keeps) would cost a cache line per field per packet.
 */
const enum Early {
  Flows = 4096,
  RowBytes = 64,
  /**
   * Int32 fields, at entry * IntStride: version<<8|protocol, both ports,
   * first words of the addresses, and Used: 0 when free, else the entry's
   * position in the list of entries in use, plus one.
   */
  Proto = 0,
  Ports = 1,
  Src = 2,
  Dst = 3,
  Used = 4,
  IntStride = 16,
  /** Float64 fields, at entry * NumStride (after the int32 fields' 20 bytes). */
  Packets = 3,
  Bytes = 4,
  LastFrame = 5,
  LastTime = 6,
  NumStride = 8,
  /** IPv6: the other three words of each address, in `wideKey` (6 per entry). */
  WideWords = 6,
}
export const EARLY_FLOWS = Early.Flows as number;

export class EarlyCleartext implements LeakFlowDetail {
  private readonly rowBuffer = new ArrayBuffer(Early.Flows * Early.RowBytes);
  private readonly bytesView = new BufferView();
  private readonly ints = new Int32Array(this.rowBuffer);
  private readonly nums = new Float64Array(this.rowBuffer);
  private readonly wideKey = new Int32Array(Early.Flows * Early.WideWords);
  private readonly firstFrame = new Float64Array(Early.Flows);
  private readonly firstTime = new Float64Array(Early.Flows);
  readonly sampleFrames = new Float64Array(Early.Flows * LeakFlow.Samples);
  readonly sampleTimes = new Float64Array(Early.Flows * LeakFlow.Samples);
  readonly segSeq = new Uint32Array(Early.Flows);
  readonly segLength = new Uint32Array(Early.Flows);
  readonly segSends = new Uint32Array(Early.Flows);
  /** Entries in use, and their list (each one's Used field is its position in `used` + 1). */
  inUse = 0;
  private readonly used = new Int32Array(Early.Flows);
  /** Flows whose notes were overwritten by another flow's. */
  replaced = 0;

  /** Notes a non-IPsec packet (IPv4 or IPv6) that is not exempt from the leak rules; `time` is the capture's monotonic time. */
  record(d: DecodedPacket, p: PacketRecord, time: number): void {
    const v = this.bytesView.of(p.bytes);
    // Both ports in one read: the first four bytes of a TCP or UDP header, which starts at transportOffset.
    const ports = (d.layers & (LayerBit.Tcp | LayerBit.Udp)) !== 0 ? v.getInt32(d.transportOffset) : 0;
    // IPv4, nearly always, has its own lookup: fewer values live at once, so fewer spills.
    const e = d.ipVersion === 6 ? this.entry6(d, v, ports, p.frame) : this.entry4(d, v, ports, p.frame);
    const n = e * Early.NumStride;
    const nums = this.nums;
    const count = nums[n + Early.Packets]!;
    nums[n + Early.Packets] = count + 1;
    const frame = p.frame;
    nums[n + Early.Bytes]! += p.origLen;
    nums[n + Early.LastFrame] = frame;
    nums[n + Early.LastTime] = time;
    // A flow's first packet (a new entry starts at 0 packets).
    if (count === 0) this.firstTime[e] = time;
    noteLeakDetail(this, e, count, d, frame, time);
  }

  /** The entry of an IPv4 packet's flow, started for it if the flow is not the one noted there. */
  private entry4(d: DecodedPacket, v: DataView<ArrayBufferLike>, ports: number, frame: number): number {
    const s0 = v.getInt32(d.srcAddrOffset), d0 = v.getInt32(d.dstAddrOffset);
    const proto = (4 << 8) | (d.ipProtocol & 0xff);
    const e = entryOf(s0, d0, ports, proto);
    const ints = this.ints;
    const i = e * Early.IntStride;
    if (ints[i + Early.Used] === 0 || ints[i + Early.Proto] !== proto || ints[i + Early.Ports] !== ports ||
        ints[i + Early.Src] !== s0 || ints[i + Early.Dst] !== d0) {
      this.start(e, proto, ports, s0, 0, 0, 0, d0, 0, 0, 0, frame);
    }
    return e;
  }

  /** As entry4, for IPv6: the other three words of each address are compared in `wideKey`. */
  private entry6(d: DecodedPacket, v: DataView<ArrayBufferLike>, ports: number, frame: number): number {
    const so = d.srcAddrOffset, dso = d.dstAddrOffset;
    const s0 = v.getInt32(so), s1 = v.getInt32(so + 4), s2 = v.getInt32(so + 8), s3 = v.getInt32(so + 12);
    const d0 = v.getInt32(dso), d1 = v.getInt32(dso + 4), d2 = v.getInt32(dso + 8), d3 = v.getInt32(dso + 12);
    const proto = (6 << 8) | (d.ipProtocol & 0xff);
    const e = entryOf(s0 ^ s1 ^ s2 ^ s3, d0 ^ d1 ^ d2 ^ d3, ports, proto);
    const ints = this.ints;
    const i = e * Early.IntStride;
    const w = e * Early.WideWords;
    const wide = this.wideKey;
    if (ints[i + Early.Used] === 0 || ints[i + Early.Proto] !== proto || ints[i + Early.Ports] !== ports ||
        ints[i + Early.Src] !== s0 || ints[i + Early.Dst] !== d0 ||
        wide[w] !== s1 || wide[w + 1] !== s2 || wide[w + 2] !== s3 || wide[w + 3] !== d1 || wide[w + 4] !== d2 || wide[w + 5] !== d3) {
      this.start(e, proto, ports, s0, s1, s2, s3, d0, d1, d2, d3, frame);
    }
    return e;
  }

  /** Entry `e` now notes a new flow (replacing the one it noted, if any). */
  private start(e: number, proto: number, ports: number, s0: number, s1: number, s2: number, s3: number,
    d0: number, d1: number, d2: number, d3: number, frame: number): void {
    const ints = this.ints;
    const i = e * Early.IntStride;
    if (ints[i + Early.Used] !== 0) this.replaced++;
    else { this.used[this.inUse] = e; ints[i + Early.Used] = ++this.inUse; }
    ints[i + Early.Proto] = proto; ints[i + Early.Ports] = ports; ints[i + Early.Src] = s0; ints[i + Early.Dst] = d0;
    const w = e * Early.WideWords;
    const wide = this.wideKey;
    wide[w] = s1; wide[w + 1] = s2; wide[w + 2] = s3; wide[w + 3] = d1; wide[w + 4] = d2; wide[w + 5] = d3;
    const n = e * Early.NumStride;
    this.nums[n + Early.Packets] = 0;
    this.nums[n + Early.Bytes] = 0;
    this.firstFrame[e] = frame;
    this.segSeq[e] = 0; this.segLength[e] = 0; this.segSends[e] = 0;
  }

  /**
   * Hands every noted flow between the packet's two hosts (either way) to
   * `take(entry)` and forgets it. Called when the hosts become IPsec peers.
   */
  takeBetween(d: DecodedPacket, take: (entry: number) => void): void {
    if (this.inUse === 0) return;
    const b = d.bytes;
    const version = d.ipVersion;
    const ints = this.ints;
    // Only the entries in use are looked at: a capture with thousands of host pairs calls this for each.
    const found: number[] = [];
    for (let k = 0; k < this.inUse; k++) {
      const e = this.used[k]!;
      if ((ints[e * Early.IntStride + Early.Proto]! >>> 8) !== version) continue;
      if (this.sameHosts(e, b, d.srcAddrOffset, d.dstAddrOffset, version) ||
          this.sameHosts(e, b, d.dstAddrOffset, d.srcAddrOffset, version)) found.push(e);
    }
    // In entry order, as a scan of the whole table would hand them over.
    found.sort((x, y) => x - y);
    for (const e of found) {
      take(e);
      this.release(e);
    }
  }

  /** Frees entry `e`: the last entry of the list takes its place there. */
  private release(e: number): void {
    const ints = this.ints;
    const at = ints[e * Early.IntStride + Early.Used]! - 1;
    const last = this.used[--this.inUse]!;
    this.used[at] = last;
    ints[last * Early.IntStride + Early.Used] = at + 1;
    ints[e * Early.IntStride + Early.Used] = 0;
  }

  private sameHosts(e: number, b: Uint8Array, src: number, dst: number, version: number): boolean {
    const i = e * Early.IntStride;
    if (this.ints[i + Early.Src] !== i32(b, src) || this.ints[i + Early.Dst] !== i32(b, dst)) return false;
    if (version !== 6) return true;
    const w = e * Early.WideWords;
    for (let k = 0; k < 3; k++) {
      if (this.wideKey[w + k] !== i32(b, src + 4 + 4 * k) || this.wideKey[w + 3 + k] !== i32(b, dst + 4 + 4 * k)) return false;
    }
    return true;
  }

  /** Version, protocol and ports of an entry, and its addresses written into `src`/`dst` (16 bytes each). */
  keyOf(e: number, src: Uint8Array, dst: Uint8Array): { version: number; protocol: number; srcPort: number; dstPort: number } {
    const i = e * Early.IntStride;
    const w = e * Early.WideWords;
    const ints = this.ints;
    const put = (into: Uint8Array, at: number, x: number): void => {
      into[at] = x >>> 24; into[at + 1] = (x >>> 16) & 0xff; into[at + 2] = (x >>> 8) & 0xff; into[at + 3] = x & 0xff;
    };
    put(src, 0, ints[i + Early.Src]!);
    put(dst, 0, ints[i + Early.Dst]!);
    for (let k = 0; k < 3; k++) {
      put(src, 4 + 4 * k, this.wideKey[w + k]!);
      put(dst, 4 + 4 * k, this.wideKey[w + 3 + k]!);
    }
    const ports = ints[i + Early.Ports]!;
    const proto = ints[i + Early.Proto]!;
    return { version: proto >>> 8, protocol: proto & 0xff, srcPort: ports >>> 16, dstPort: ports & 0xffff };
  }

  /** Writes entry `e`'s counters and detail into slot `s` of the leak detector's columns. */
  copyFlow(e: number, into: LeakFlowColumns, s: number): void {
    const n = e * Early.NumStride;
    into.packets[s] = this.nums[n + Early.Packets]!;
    into.bytes[s] = this.nums[n + Early.Bytes]!;
    into.lastFrame[s] = this.nums[n + Early.LastFrame]!;
    into.lastTime[s] = this.nums[n + Early.LastTime]!;
    into.firstFrame[s] = this.firstFrame[e]!;
    into.firstTime[s] = this.firstTime[e]!;
    into.segSeq[s] = this.segSeq[e]!;
    into.segLength[s] = this.segLength[e]!;
    into.segSends[s] = this.segSends[e]!;
    into.sampleFrames.set(this.sampleFrames.subarray(e * LeakFlow.Samples, (e + 1) * LeakFlow.Samples), s * LeakFlow.Samples);
    into.sampleTimes.set(this.sampleTimes.subarray(e * LeakFlow.Samples, (e + 1) * LeakFlow.Samples), s * LeakFlow.Samples);
  }
}

/** The entry of a flow: its addresses (IPv6: each folded to one word), ports and version<<8|protocol. */
function entryOf(src: number, dst: number, ports: number, proto: number): number {
  const h = Math.imul(Math.imul(src, 0x9e3779b1) ^ Math.imul(dst, 0x85ebca6b) ^ ports ^ (proto << 20), 0xc2b2ae35);
  return (h >>> 20) & (Early.Flows - 1);
}
