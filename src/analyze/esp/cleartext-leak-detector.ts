/**
 * Cleartext between IPsec peers: once two hosts have exchanged ESP, any
 * other traffic between them (bar IKE, NAT keepalives and, by choice, ICMP)
 * means a packet missed the SPD policy that should have protected it. Leaks
 * are gathered per directional flow (addresses, protocol, ports), so a
 * report can name the host and port that leaks and what the leaked flow
 * looked like: a TCP segment repeated with growing gaps is a sender
 * retransmitting to a peer that drops cleartext.
 */
import { ADDRESS_FIELD, formatAddress, putAddress } from './address.js';
import { ByteKeyIndex, growFloat64, growUint32, growUint8, Slot } from './byte-key-index.js';
import type { DecodedPacket } from '../../decode/decoded-packet.js';
import { IpProto, LayerBit } from '../../decode/layers.js';
import { NAT_T_PORT } from '../../decode/esp.js';
import type { EarlyCleartext } from './early-cleartext.js';
import { BufferView } from '../../decode/bytes.js';

/** version(1) protocol(1) src(16) dst(16) sport(2) dport(2) */
const KEY_LENGTH = 2 + 2 * ADDRESS_FIELD + 4;
const KEY_SRC = 2;
const KEY_DST = 2 + ADDRESS_FIELD;
const KEY_PORTS = 2 + 2 * ADDRESS_FIELD;
const IKE_PORT = 500;
/** What a flow keeps (a const enum: read on the per-packet path). */
export const enum LeakFlow {
  /** Packet times kept per flow, enough to show a retransmission backoff. */
  Samples = 8,
}

const DEFAULT_MAX_LEAK_FLOWS = 10_000;

/** One directional cleartext flow between IPsec peers, for reports. */
export interface CleartextFlow {
  src: string;
  dst: string;
  /** IP protocol number (6 TCP, 17 UDP, 1 ICMP...). */
  protocol: number;
  srcPort: number;
  dstPort: number;
  packets: number;
  bytes: number;
  firstFrame: number;
  lastFrame: number;
  firstTime: number;
  lastTime: number;
  /** Frames and times of the first packets (up to 8). */
  frames: number[];
  times: number[];
  /** TCP: payload bytes of the first data segment, and how often that same segment was sent. */
  tcpFirstSegmentLength: number;
  tcpFirstSegmentSends: number;
  tcpFirstSegmentSeq: number;
}

/** Per-flow counters, a column per field indexed by flow slot: the leak detector's and EarlyCleartext's. */
export interface LeakFlowColumns {
  packets: Float64Array; bytes: Float64Array;
  firstFrame: Float64Array; lastFrame: Float64Array; firstTime: Float64Array; lastTime: Float64Array;
  /** LeakFlow.Samples entries per slot. */
  sampleFrames: Float64Array; sampleTimes: Float64Array;
  segSeq: Uint32Array; segLength: Uint32Array; segSends: Uint32Array;
}

/** Resets slot `s` for a flow whose first packet is `frame` at `time`. */
function startLeakFlow(c: LeakFlowColumns, s: number, frame: number, time: number): void {
  c.packets[s] = 0; c.bytes[s] = 0;
  c.firstFrame[s] = frame; c.firstTime[s] = time;
  c.segSeq[s] = 0; c.segLength[s] = 0; c.segSends[s] = 0;
}

/** What both leak tables keep per flow besides its counters: the first packets' frames and times, and the first TCP segment. */
export type LeakFlowDetail = Pick<LeakFlowColumns, 'sampleFrames' | 'sampleTimes' | 'segSeq' | 'segLength' | 'segSends'>;

/** Counts one packet (at `time`) of the flow in slot `s`; for TCP, notes how often its first data segment was sent. */
function countLeakPacket(c: LeakFlowColumns, s: number, d: DecodedPacket, frame: number, wireLength: number, time: number): void {
  const n = c.packets[s]!;
  c.packets[s] = n + 1;
  c.bytes[s]! += wireLength;
  c.lastFrame[s] = frame;
  c.lastTime[s] = time;
  noteLeakDetail(c, s, n, d, frame, time);
}

/** The detail of a flow's packet number `n` (0 for its first). */
export function noteLeakDetail(c: LeakFlowDetail, s: number, n: number, d: DecodedPacket, frame: number, time: number): void {
  if (n < LeakFlow.Samples) {
    c.sampleFrames[s * LeakFlow.Samples + n] = frame;
    c.sampleTimes[s * LeakFlow.Samples + n] = time;
  }
  if ((d.layers & LayerBit.Tcp) !== 0 && d.tcp.payloadLength > 0) {
    const seq = d.tcp.seq;
    if (c.segSends[s] === 0) {
      c.segSeq[s] = seq; c.segLength[s] = d.tcp.payloadLength; c.segSends[s] = 1;
    } else if (c.segSeq[s] === seq) {
      c.segSends[s]!++;
    }
  }
}

export class CleartextLeakDetector implements LeakFlowColumns {
  readonly index: ByteKeyIndex;
  private version!: Uint8Array;
  private protocol!: Uint8Array;
  packets!: Float64Array;
  bytes!: Float64Array;
  firstFrame!: Float64Array;
  lastFrame!: Float64Array;
  firstTime!: Float64Array;
  lastTime!: Float64Array;
  sampleFrames!: Float64Array;
  sampleTimes!: Float64Array;
  segSeq!: Uint32Array;
  segLength!: Uint32Array;
  segSends!: Uint32Array;
  private readonly bytesView = new BufferView();
  /** Packets that were leaks, over all flows (survives eviction). */
  totalPackets = 0;
  evictedFlows = 0;

  constructor(readonly allowIcmp: boolean, maxFlows = DEFAULT_MAX_LEAK_FLOWS) {
    this.index = new ByteKeyIndex(KEY_LENGTH, maxFlows, {
      grow: (c) => this.grow(c),
      evict: () => { this.evictedFlows++; },
    }, 64);
    this.allocate(this.index.capacity);
  }

  private allocate(c: number): void {
    this.version = new Uint8Array(c); this.protocol = new Uint8Array(c);
    this.packets = new Float64Array(c); this.bytes = new Float64Array(c);
    this.firstFrame = new Float64Array(c); this.lastFrame = new Float64Array(c);
    this.firstTime = new Float64Array(c); this.lastTime = new Float64Array(c);
    this.sampleFrames = new Float64Array(c * LeakFlow.Samples); this.sampleTimes = new Float64Array(c * LeakFlow.Samples);
    this.segSeq = new Uint32Array(c); this.segLength = new Uint32Array(c); this.segSends = new Uint32Array(c);
  }

  private grow(c: number): void {
    this.version = growUint8(this.version, c); this.protocol = growUint8(this.protocol, c);
    this.packets = growFloat64(this.packets, c); this.bytes = growFloat64(this.bytes, c);
    this.firstFrame = growFloat64(this.firstFrame, c); this.lastFrame = growFloat64(this.lastFrame, c);
    this.firstTime = growFloat64(this.firstTime, c); this.lastTime = growFloat64(this.lastTime, c);
    this.sampleFrames = growFloat64(this.sampleFrames, c * LeakFlow.Samples);
    this.sampleTimes = growFloat64(this.sampleTimes, c * LeakFlow.Samples);
    this.segSeq = growUint32(this.segSeq, c); this.segLength = growUint32(this.segLength, c);
    this.segSends = growUint32(this.segSends, c);
  }

  /**
   * True when a non-ESP packet between IPsec peers is expected in the clear:
   * IKE, NAT keepalives, AH-protected traffic, fragments we cannot classify,
   * ICMPv6 neighbour discovery, and ICMP when allowed.
   */
  isExempt(d: DecodedPacket): boolean {
    const layers = d.layers;
    if ((layers & (LayerBit.Ah | LayerBit.IkeNonEsp | LayerBit.NatKeepalive)) !== 0) return true;
    const proto = d.ipProtocol;
    if ((layers & LayerBit.Fragment) !== 0) return proto === IpProto.Udp || proto === IpProto.Esp || proto === IpProto.Ah;
    if ((layers & LayerBit.Udp) !== 0) {
      // Both ports in one read (every non-IPsec UDP packet comes here).
      const ports = this.bytesView.of(d.bytes).getInt32(d.udp.o);
      const sp = ports >>> 16;
      const dp = ports & 0xffff;
      return sp === IKE_PORT || dp === IKE_PORT || sp === NAT_T_PORT || dp === NAT_T_PORT;
    }
    if ((layers & LayerBit.Icmp6) !== 0) {
      const type = d.bytes[d.icmp.o]!;
      // Neighbour discovery (133-137) cannot be protected by IPsec before keys exist.
      if (type >= 133 && type <= 137) return true;
      return this.allowIcmp;
    }
    if ((layers & LayerBit.Icmp) !== 0) return this.allowIcmp;
    return false;
  }

  /** Records a leaked packet; `time` is the capture's monotonic time. Returns the flow slot. */
  record(d: DecodedPacket, frame: number, wireLength: number, time: number): number {
    this.totalPackets++;
    const version = d.ipVersion;
    const len = version === 6 ? 16 : 4;
    const k = this.index.scratch;
    const b = d.bytes;
    k[0] = version;
    k[1] = d.ipProtocol & 0xff;
    putAddress(k, KEY_SRC, b, d.srcAddrOffset, len);
    putAddress(k, KEY_DST, b, d.dstAddrOffset, len);
    let sport = 0;
    let dport = 0;
    if ((d.layers & LayerBit.Tcp) !== 0) { sport = d.tcp.srcPort; dport = d.tcp.dstPort; }
    else if ((d.layers & LayerBit.Udp) !== 0) { sport = d.udp.srcPort; dport = d.udp.dstPort; }
    k[KEY_PORTS] = sport >>> 8; k[KEY_PORTS + 1] = sport & 0xff;
    k[KEY_PORTS + 2] = dport >>> 8; k[KEY_PORTS + 3] = dport & 0xff;
    let s = this.index.find();
    if (s === Slot.None) {
      s = this.index.insert();
      this.version[s] = version;
      this.protocol[s] = d.ipProtocol & 0xff;
      startLeakFlow(this, s, frame, time);
    }
    countLeakPacket(this, s, d, frame, wireLength, time);
    return s;
  }

  /**
   * Takes over a flow noted before its hosts became IPsec peers
   * (EarlyCleartext), as if its packets had been recorded here.
   */
  adopt(early: EarlyCleartext, e: number): void {
    const k = this.index.scratch;
    const key = early.keyOf(e, this.adoptSrc, this.adoptDst);
    k[0] = key.version;
    k[1] = key.protocol;
    k.set(this.adoptSrc, KEY_SRC);
    k.set(this.adoptDst, KEY_DST);
    k[KEY_PORTS] = key.srcPort >>> 8; k[KEY_PORTS + 1] = key.srcPort & 0xff;
    k[KEY_PORTS + 2] = key.dstPort >>> 8; k[KEY_PORTS + 3] = key.dstPort & 0xff;
    // A new pair's flows are new here: nothing recorded them as leaks before.
    if (this.index.find() !== Slot.None) return;
    const s = this.index.insert();
    this.version[s] = key.version;
    this.protocol[s] = key.protocol;
    early.copyFlow(e, this, s);
    this.totalPackets += this.packets[s]!;
  }

  private readonly adoptSrc = new Uint8Array(ADDRESS_FIELD);
  private readonly adoptDst = new Uint8Array(ADDRESS_FIELD);

  get flowCount(): number { return this.index.size; }

  /** The flows, most packets first (built for reports, not per packet). */
  flows(): CleartextFlow[] {
    const out: CleartextFlow[] = [];
    this.index.forEachSlot((s) => {
      const key = this.index.keyOf(s);
      const v = this.version[s]!;
      const n = Math.min(this.packets[s]!, LeakFlow.Samples);
      const frames: number[] = [];
      const times: number[] = [];
      for (let i = 0; i < n; i++) {
        frames.push(this.sampleFrames[s * LeakFlow.Samples + i]!);
        times.push(this.sampleTimes[s * LeakFlow.Samples + i]!);
      }
      out.push({
        src: formatAddress(key, KEY_SRC, v),
        dst: formatAddress(key, KEY_DST, v),
        protocol: this.protocol[s]!,
        srcPort: (key[KEY_PORTS]! << 8) | key[KEY_PORTS + 1]!,
        dstPort: (key[KEY_PORTS + 2]! << 8) | key[KEY_PORTS + 3]!,
        packets: this.packets[s]!,
        bytes: this.bytes[s]!,
        firstFrame: this.firstFrame[s]!,
        lastFrame: this.lastFrame[s]!,
        firstTime: this.firstTime[s]!,
        lastTime: this.lastTime[s]!,
        frames,
        times,
        tcpFirstSegmentLength: this.segLength[s]!,
        tcpFirstSegmentSends: this.segSends[s]!,
        tcpFirstSegmentSeq: this.segSeq[s]!,
      });
    });
    out.sort((a, b) => b.packets - a.packets || a.firstFrame - b.firstFrame);
    return out;
  }
}
