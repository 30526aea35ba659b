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
import { Layer } from '../../decode/layers.js';
import { countLeakPacket, LEAK_SAMPLES, startLeakFlow, type LeakFlowColumns } from './cleartext-leak-detector.js';

export const EARLY_FLOWS = 4096;
/** Int32 words per entry key: version<<8|protocol, ports, source (4 words), destination (4 words). */
const KEY_WORDS = 10;
const K_PROTO = 0;
const K_PORTS = 1;
const K_SRC = 2;
const K_DST = 6;

function word(b: Uint8Array, o: number): number {
  return (b[o]! << 24) | (b[o + 1]! << 16) | (b[o + 2]! << 8) | b[o + 3]!;
}

export class EarlyCleartext implements LeakFlowColumns {
  readonly key = new Int32Array(EARLY_FLOWS * KEY_WORDS);
  readonly used = new Uint8Array(EARLY_FLOWS);
  readonly packets = new Float64Array(EARLY_FLOWS);
  readonly bytes = new Float64Array(EARLY_FLOWS);
  readonly firstFrame = new Float64Array(EARLY_FLOWS);
  readonly lastFrame = new Float64Array(EARLY_FLOWS);
  readonly firstTime = new Float64Array(EARLY_FLOWS);
  readonly lastTime = new Float64Array(EARLY_FLOWS);
  readonly sampleFrames = new Float64Array(EARLY_FLOWS * LEAK_SAMPLES);
  readonly sampleTimes = new Float64Array(EARLY_FLOWS * LEAK_SAMPLES);
  readonly segSeq = new Uint32Array(EARLY_FLOWS);
  readonly segLength = new Uint32Array(EARLY_FLOWS);
  readonly segSends = new Uint32Array(EARLY_FLOWS);
  /** Entries in use: adoption skips its scan when none are. */
  inUse = 0;
  /** Flows whose notes were overwritten by another flow's. */
  replaced = 0;

  /** Notes a non-IPsec packet (IPv4 or IPv6) that is not exempt from the leak rules. */
  record(d: DecodedPacket, frame: number, time: number, wireLength: number): void {
    const b = d.bytes;
    // Sources hand packets in long-lived buffers (file chunk, capture ring): one view per buffer.
    const v = this.viewBytes === b ? this.view : this.viewOver(b);
    const v6 = d.ipVersion === 6;
    const so = d.srcAddrOffset, dso = d.dstAddrOffset;
    const s0 = v.getInt32(so), d0 = v.getInt32(dso);
    let s1 = 0, s2 = 0, s3 = 0, d1 = 0, d2 = 0, d3 = 0;
    if (v6) {
      s1 = v.getInt32(so + 4); s2 = v.getInt32(so + 8); s3 = v.getInt32(so + 12);
      d1 = v.getInt32(dso + 4); d2 = v.getInt32(dso + 8); d3 = v.getInt32(dso + 12);
    }
    const layers = d.layers;
    // Both ports in one read: they are the first four bytes of a TCP or UDP header.
    let ports = 0;
    if ((layers & Layer.Tcp) !== 0) ports = v.getInt32(d.tcp.o);
    else if ((layers & Layer.Udp) !== 0) ports = v.getInt32(d.udp.o);
    const proto = (d.ipVersion << 8) | (d.ipProtocol & 0xff);
    let h = Math.imul(s0 ^ s1 ^ s2 ^ s3, 0x9e3779b1) ^ Math.imul(d0 ^ d1 ^ d2 ^ d3, 0x85ebca6b);
    h = Math.imul(h ^ ports ^ (proto << 20), 0xc2b2ae35);
    const e = (h >>> 20) & (EARLY_FLOWS - 1);
    const k = this.key;
    const at = e * KEY_WORDS;
    if (this.used[e] === 0 || k[at + K_PROTO] !== proto || k[at + K_PORTS] !== ports || k[at + K_SRC] !== s0 ||
        k[at + K_DST] !== d0 || (v6 && (k[at + K_SRC + 1] !== s1 || k[at + K_SRC + 2] !== s2 || k[at + K_SRC + 3] !== s3 ||
        k[at + K_DST + 1] !== d1 || k[at + K_DST + 2] !== d2 || k[at + K_DST + 3] !== d3))) {
      if (this.used[e] !== 0) this.replaced++;
      else { this.used[e] = 1; this.inUse++; }
      k[at + K_PROTO] = proto; k[at + K_PORTS] = ports;
      k[at + K_SRC] = s0; k[at + K_SRC + 1] = s1; k[at + K_SRC + 2] = s2; k[at + K_SRC + 3] = s3;
      k[at + K_DST] = d0; k[at + K_DST + 1] = d1; k[at + K_DST + 2] = d2; k[at + K_DST + 3] = d3;
      startLeakFlow(this, e, frame, time);
    }
    countLeakPacket(this, e, d, frame, time, wireLength);
  }

  private view: DataView<ArrayBufferLike> = new DataView(new ArrayBuffer(0));
  /** Never null, so the per-packet identity test compares two typed arrays (no null case to code for). */
  private viewBytes: Uint8Array = new Uint8Array(0);

  private viewOver(b: Uint8Array): DataView<ArrayBufferLike> {
    this.view = new DataView(b.buffer, b.byteOffset, b.byteLength);
    this.viewBytes = b;
    return this.view;
  }

  /**
   * Hands every noted flow between the packet's two hosts (either way) to
   * `take(entry)` and forgets it. Called when the hosts become IPsec peers.
   */
  takeBetween(d: DecodedPacket, take: (entry: number) => void): void {
    if (this.inUse === 0) return;
    const b = d.bytes;
    const v6 = d.ipVersion === 6;
    const proto = d.ipVersion;
    const words = v6 ? 4 : 1;
    const k = this.key;
    for (let e = 0; e < EARLY_FLOWS; e++) {
      if (this.used[e] === 0) continue;
      const at = e * KEY_WORDS;
      if ((k[at + K_PROTO]! >>> 8) !== proto) continue;
      const forward = this.sameHosts(k, at, b, d.srcAddrOffset, d.dstAddrOffset, words);
      if (!forward && !this.sameHosts(k, at, b, d.dstAddrOffset, d.srcAddrOffset, words)) continue;
      take(e);
      this.used[e] = 0;
      this.inUse--;
    }
  }

  private sameHosts(k: Int32Array, at: number, b: Uint8Array, src: number, dst: number, words: number): boolean {
    for (let i = 0; i < words; i++) {
      if (k[at + K_SRC + i] !== word(b, src + 4 * i) || k[at + K_DST + i] !== word(b, dst + 4 * i)) return false;
    }
    return true;
  }

  /** Version, protocol and ports of an entry, and its addresses written into `src`/`dst` (16 bytes each). */
  keyOf(e: number, src: Uint8Array, dst: Uint8Array): { version: number; protocol: number; srcPort: number; dstPort: number } {
    const at = e * KEY_WORDS;
    const k = this.key;
    for (let i = 0; i < 4; i++) {
      const s = k[at + K_SRC + i]!, t = k[at + K_DST + i]!;
      src[4 * i] = s >>> 24; src[4 * i + 1] = (s >>> 16) & 0xff; src[4 * i + 2] = (s >>> 8) & 0xff; src[4 * i + 3] = s & 0xff;
      dst[4 * i] = t >>> 24; dst[4 * i + 1] = (t >>> 16) & 0xff; dst[4 * i + 2] = (t >>> 8) & 0xff; dst[4 * i + 3] = t & 0xff;
    }
    const ports = k[at + K_PORTS]!;
    return { version: k[at + K_PROTO]! >>> 8, protocol: k[at + K_PROTO]! & 0xff, srcPort: ports >>> 16, dstPort: ports & 0xffff };
  }
}
