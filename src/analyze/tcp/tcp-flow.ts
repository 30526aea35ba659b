/**
 * The state kept for one TCP connection (Wireshark's `tcp.stream`) and for
 * each of its two directions. Small integers and flags live in the objects;
 * everything that would be a heap number lives in a slab shared by all flows,
 * as do addresses and flag counts. Retired flows are reused, so objects are
 * created only while the table grows, and the rare parts (RTT estimator,
 * backoff chains) lazily after that.
 */
import { ipAddressText } from '../address-text.js';
import { RttEstimator } from './rtt.js';
import { TCP_FLAG_COUNT } from './flags.js';

/** Bits of TcpDirection.staticFlags, as in packet-tcp.c (TCP_S_*). */
export const StaticFlag = { BaseSeqSet: 0x01, SawSyn: 0x03, SawSynAck: 0x05 } as const;

/** Window scale when the handshake did not say: unknown (-1) or "not used" (-2), as in Wireshark. */
export const WINDOW_SCALE_UNKNOWN = -1;
export const WINDOW_SCALE_NONE = -2;

/** An RTO backoff chain being followed: one segment retransmitted again and again. */
export interface BackoffChain {
  seq: number;
  /** Retransmissions so far (frames and intervals stop being recorded after a while). */
  count: number;
  /** Times (ns, capture-relative) and frames of each retransmission. */
  frames: number[];
  intervals: number[];
  lastTimeNs: number;
  /** Whether an interval had to be clamped because the clock went backwards. */
  clockWentBack: boolean;
}

/**
 * Doubles of one flow slot in the shared Float64Array: sequence numbers
 * (uint32, past the small-integer range half the time), capture-relative
 * nanoseconds and byte totals. As object fields V8 would box each one in
 * its own heap number; in the slab they cost 8 bytes and no object.
 */
const FlowNum = { FirstNs: 0, LastNs: 1, MruSynNs: 2, FirstRttNs: 3, LongestStallNs: 4 } as const;
const FLOW_NUMS = 5;
const DirNum = {
  BaseSeq: 0, Window: 1, NextSeq: 2, NextSeqTimeNs: 3, MaxSeqToBeAcked: 4, LastAck: 5, LastAckTimeNs: 6,
  Bytes: 7, UniqueBytes: 8, RetransmittedBytes: 9, HighestAckFromPeer: 10, TimedEnd: 11, TimedNs: 12,
} as const;
const DIR_NUMS = 13;
const SLOT_NUMS = FLOW_NUMS + 2 * DIR_NUMS;
/** Address bytes per slot: A's then B's, 16 each whatever the IP version. */
const SLOT_ADDR = 32;

/**
 * Flat per-slot storage shared by every flow of one analyzer, and the free
 * list that lets a retired flow's objects and slot serve the next new flow:
 * a flood of short connections then makes no per-flow garbage, and the live
 * cost of a flow is its three small objects plus its slot
 * (SLOT_NUMS * 8 + SLOT_ADDR + TCP_FLAG_COUNT * 4 = 344 bytes).
 */
export class FlowSlab {
  nums = new Float64Array(0);
  addrs = new Uint8Array(0);
  counts = new Uint32Array(0);
  private capacity = 0;
  private slots = 0;
  private readonly free: TcpFlow[] = [];

  /** A flow for a new connection, recycled when one is free. */
  acquire(stream: number, ipVersion: number, bytes: Uint8Array, srcOffset: number, dstOffset: number,
    portA: number, portB: number, network: number): TcpFlow {
    const flow = this.free.pop() ?? new TcpFlow(this, this.newSlot());
    flow.reset(stream, ipVersion, bytes, srcOffset, dstOffset, portA, portB, network);
    return flow;
  }

  /**
   * Hands a retired flow back for reuse. A flow someone keeps a reference to
   * (a graph being drawn) is never reused: its endpoint texts are fixed now,
   * and its slot stays its own.
   */
  release(flow: TcpFlow): void {
    if (flow.watched) { flow.endpointA(); flow.endpointB(); return; }
    flow.a.chain = null;
    flow.b.chain = null;
    this.free.push(flow);
  }

  private newSlot(): number {
    if (this.slots === this.capacity) {
      const cap = Math.max(1024, this.capacity * 2);
      const nums = new Float64Array(cap * SLOT_NUMS); nums.set(this.nums); this.nums = nums;
      const addrs = new Uint8Array(cap * SLOT_ADDR); addrs.set(this.addrs); this.addrs = addrs;
      const counts = new Uint32Array(cap * TCP_FLAG_COUNT); counts.set(this.counts); this.counts = counts;
      this.capacity = cap;
    }
    return this.slots++;
  }
}

/** One direction of a connection: the sender's sequence state and what it sent. */
export class TcpDirection {
  // --- Wireshark's per-direction sequence analysis state (tcp_flow_t, tcp_analyze_seq_flow_info_t).
  staticFlags = 0;
  /** -1 unknown, -2 no scaling, 0..14 the shift this side announced. */
  winScale = WINDOW_SCALE_UNKNOWN;
  isFirstAck = false;
  nextSeqFrame = 0;
  dupAckNum = 0;
  lastNonDupAck = 0;
  lastSegmentFlags = 0;

  // --- Statistics.
  packets = 0;
  sawFin = false;
  sawRst = false;
  /** Whether highestAckFromPeer is valid. */
  acked = false;

  // --- Data-to-ACK RTT: one segment is timed at a time (as BSD TCP does), never a retransmitted one (Karn).
  timing = false;
  /** Created on the first sample: most flows of a flood never carry data. Kept across reuse. */
  private estimator: RttEstimator | null = null;

  // --- RTO backoff chain being followed, if any.
  chain: BackoffChain | null = null;

  constructor(private readonly slab: FlowSlab, private readonly at: number) {}

  reset(): void {
    this.staticFlags = 0;
    this.winScale = WINDOW_SCALE_UNKNOWN;
    this.isFirstAck = false;
    this.nextSeqFrame = 0;
    this.dupAckNum = 0;
    this.lastNonDupAck = 0;
    this.lastSegmentFlags = 0;
    this.packets = 0;
    this.sawFin = false;
    this.sawRst = false;
    this.acked = false;
    this.timing = false;
    this.estimator?.reset();
    this.chain = null;
    const n = this.slab.nums, o = this.at;
    n.fill(0, o, o + DIR_NUMS);
    // Last window this side advertised, unscaled; 2^32-1 until the first packet.
    n[o + DirNum.Window] = 0xffffffff;
    // No segment yet: every "within" test against these fails.
    n[o + DirNum.NextSeqTimeNs] = -Infinity;
    n[o + DirNum.LastAckTimeNs] = -Infinity;
  }

  /** RTT samples for data sent this way; null before the first. */
  get rtt(): RttEstimator | null { return this.estimator !== null && this.estimator.count > 0 ? this.estimator : null; }
  addRtt(seconds: number): void { (this.estimator ??= new RttEstimator()).add(seconds); }

  get baseSeq(): number { return this.slab.nums[this.at + DirNum.BaseSeq]!; }
  set baseSeq(v: number) { this.slab.nums[this.at + DirNum.BaseSeq] = v; }
  get window(): number { return this.slab.nums[this.at + DirNum.Window]!; }
  set window(v: number) { this.slab.nums[this.at + DirNum.Window] = v; }
  get nextSeq(): number { return this.slab.nums[this.at + DirNum.NextSeq]!; }
  set nextSeq(v: number) { this.slab.nums[this.at + DirNum.NextSeq] = v; }
  get nextSeqTimeNs(): number { return this.slab.nums[this.at + DirNum.NextSeqTimeNs]!; }
  set nextSeqTimeNs(v: number) { this.slab.nums[this.at + DirNum.NextSeqTimeNs] = v; }
  get maxSeqToBeAcked(): number { return this.slab.nums[this.at + DirNum.MaxSeqToBeAcked]!; }
  set maxSeqToBeAcked(v: number) { this.slab.nums[this.at + DirNum.MaxSeqToBeAcked] = v; }
  get lastAck(): number { return this.slab.nums[this.at + DirNum.LastAck]!; }
  set lastAck(v: number) { this.slab.nums[this.at + DirNum.LastAck] = v; }
  get lastAckTimeNs(): number { return this.slab.nums[this.at + DirNum.LastAckTimeNs]!; }
  set lastAckTimeNs(v: number) { this.slab.nums[this.at + DirNum.LastAckTimeNs] = v; }
  /** Payload bytes sent, retransmissions included. */
  get bytes(): number { return this.slab.nums[this.at + DirNum.Bytes]!; }
  set bytes(v: number) { this.slab.nums[this.at + DirNum.Bytes] = v; }
  /** Payload bytes that advanced the sequence space (goodput). */
  get uniqueBytes(): number { return this.slab.nums[this.at + DirNum.UniqueBytes]!; }
  set uniqueBytes(v: number) { this.slab.nums[this.at + DirNum.UniqueBytes] = v; }
  get retransmittedBytes(): number { return this.slab.nums[this.at + DirNum.RetransmittedBytes]!; }
  set retransmittedBytes(v: number) { this.slab.nums[this.at + DirNum.RetransmittedBytes] = v; }
  /** Highest ACK the other side sent for this direction's data (valid when `acked`). */
  get highestAckFromPeer(): number { return this.slab.nums[this.at + DirNum.HighestAckFromPeer]!; }
  set highestAckFromPeer(v: number) { this.slab.nums[this.at + DirNum.HighestAckFromPeer] = v; }
  get timedEnd(): number { return this.slab.nums[this.at + DirNum.TimedEnd]!; }
  set timedEnd(v: number) { this.slab.nums[this.at + DirNum.TimedEnd] = v; }
  get timedNs(): number { return this.slab.nums[this.at + DirNum.TimedNs]!; }
  set timedNs(v: number) { this.slab.nums[this.at + DirNum.TimedNs] = v; }
}

/** A connection: its key, its two directions, and what it has shown so far. */
export class TcpFlow {
  readonly a: TcpDirection;
  readonly b: TcpDirection;
  stream = 0;
  ipVersion = 4;
  /** Ports of the endpoints, A being the sender of the first packet seen. */
  portA = 0;
  portB = 0;

  firstFrame = 0;
  lastFrame = 0;
  packets = 0;
  hasMruSyn = false;
  /** True once a SYN without ACK has been seen (tells client from server). */
  clientIsA = true;
  sawSyn = false;
  sawSynAck = false;
  /** Which side sent the first RST or FIN: 0 none, 1 A, 2 B. */
  rstBy = 0;
  finBy = 0;
  stallEndFrame = 0;
  stallStartFrame = 0;
  /** Set when this flow started with a SYN that reused a closed connection's ports. */
  portsReused = false;
  /** Whether a segment observer follows this flow (it may hold on to it after retirement). */
  watched = false;
  /** The virtual network the connection lives in (`TunnelStack.network`; 0 outside any overlay). */
  network = 0;

  // --- FlowTable bookkeeping.
  /** 30 bits, so that it stays a small integer. */
  hash = 0;
  bucketNext: TcpFlow | null = null;
  lruPrev: TcpFlow | null = null;
  lruNext: TcpFlow | null = null;
  inClosedList = false;
  /** Cached "ip:port" texts, built on first use (events and reports only). */
  private textA: string | null = null;
  private textB: string | null = null;

  constructor(readonly slab: FlowSlab, readonly slot: number) {
    this.a = new TcpDirection(slab, slot * SLOT_NUMS + FLOW_NUMS);
    this.b = new TcpDirection(slab, slot * SLOT_NUMS + FLOW_NUMS + DIR_NUMS);
  }

  reset(stream: number, ipVersion: number, bytes: Uint8Array, srcOffset: number, dstOffset: number,
    portA: number, portB: number, network: number): void {
    this.stream = stream;
    this.network = network;
    this.ipVersion = ipVersion;
    this.portA = portA;
    this.portB = portB;
    const len = this.addrLength, at = this.slot * SLOT_ADDR, addrs = this.slab.addrs;
    for (let i = 0; i < len; i++) { addrs[at + i] = bytes[srcOffset + i]!; addrs[at + 16 + i] = bytes[dstOffset + i]!; }
    this.firstFrame = 0;
    this.lastFrame = 0;
    this.packets = 0;
    this.hasMruSyn = false;
    this.clientIsA = true;
    this.sawSyn = false;
    this.sawSynAck = false;
    this.rstBy = 0;
    this.finBy = 0;
    this.stallEndFrame = 0;
    this.stallStartFrame = 0;
    this.portsReused = false;
    this.watched = false;
    this.hash = 0;
    this.bucketNext = null;
    this.lruPrev = null;
    this.lruNext = null;
    this.inClosedList = false;
    this.textA = null;
    this.textB = null;
    this.slab.nums.fill(0, this.slot * SLOT_NUMS, this.slot * SLOT_NUMS + FLOW_NUMS);
    this.slab.counts.fill(0, this.slot * TCP_FLAG_COUNT, (this.slot + 1) * TCP_FLAG_COUNT);
    this.a.reset();
    this.b.reset();
  }

  get addrLength(): number { return this.ipVersion === 6 ? 16 : 4; }
  /** Where A's address starts in slab.addrs; B's is 16 bytes on. */
  get addrOffset(): number { return this.slot * SLOT_ADDR; }

  /** Count of one flag raised on this stream, by bit position (TCP_EVENT_KINDS order). */
  count(bit: number): number { return this.slab.counts[this.slot * TCP_FLAG_COUNT + bit]!; }
  bump(bit: number): void { this.slab.counts[this.slot * TCP_FLAG_COUNT + bit]!++; }

  get firstNs(): number { return this.slab.nums[this.slot * SLOT_NUMS + FlowNum.FirstNs]!; }
  set firstNs(v: number) { this.slab.nums[this.slot * SLOT_NUMS + FlowNum.FirstNs] = v; }
  get lastNs(): number { return this.slab.nums[this.slot * SLOT_NUMS + FlowNum.LastNs]!; }
  set lastNs(v: number) { this.slab.nums[this.slot * SLOT_NUMS + FlowNum.LastNs] = v; }
  /** Time of the latest SYN (without ACK), for the handshake RTT (Wireshark's ts_mru_syn; valid when hasMruSyn). */
  get mruSynNs(): number { return this.slab.nums[this.slot * SLOT_NUMS + FlowNum.MruSynNs]!; }
  set mruSynNs(v: number) { this.slab.nums[this.slot * SLOT_NUMS + FlowNum.MruSynNs] = v; }
  /** Wireshark's ts_first_rtt: first pure ACK after a SYN, minus that SYN; 0 = not known. */
  get firstRttNs(): number { return this.slab.nums[this.slot * SLOT_NUMS + FlowNum.FirstRttNs]!; }
  set firstRttNs(v: number) { this.slab.nums[this.slot * SLOT_NUMS + FlowNum.FirstRttNs] = v; }
  /** Longest gap between packets while data was unacknowledged. */
  get longestStallNs(): number { return this.slab.nums[this.slot * SLOT_NUMS + FlowNum.LongestStallNs]!; }
  set longestStallNs(v: number) { this.slab.nums[this.slot * SLOT_NUMS + FlowNum.LongestStallNs] = v; }

  /** Whether both sides finished, or one reset: the connection is over. */
  get closed(): boolean {
    return this.rstBy !== 0 || (this.a.sawFin && this.b.sawFin);
  }

  endpointA(): string { return this.textA ??= formatEndpoint(this.address(0), this.portA); }
  endpointB(): string { return this.textB ??= formatEndpoint(this.address(16), this.portB); }

  private address(at: number): Uint8Array {
    const o = this.slot * SLOT_ADDR + at;
    return this.slab.addrs.slice(o, o + this.addrLength);
  }
}

/** "a.b.c.d:port" or "[v6]:port". */
function formatEndpoint(addr: Uint8Array, port: number): string {
  if (addr.length === 4) return `${ipAddressText(addr, 0, 4)}:${port}`;
  return `[${ipAddressText(addr, 0, 6)}]:${port}`;
}
