/**
 * The state kept for one TCP connection (Wireshark's `tcp.stream`) and for
 * each of its two directions. Everything is plain numeric fields, written in
 * place on every packet; objects are created only when a flow starts, and
 * only the rare parts (RTT reservoir, backoff chains) lazily after that.
 */
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

/** One direction of a connection: the sender's sequence state and what it sent. */
export class TcpDirection {
  // --- Wireshark's per-direction sequence analysis state (tcp_flow_t, tcp_analyze_seq_flow_info_t).
  staticFlags = 0;
  baseSeq = 0;
  /** -1 unknown, -2 no scaling, 0..14 the shift this side announced. */
  winScale = WINDOW_SCALE_UNKNOWN;
  /** Last window this side advertised, unscaled; 2^32-1 until the first packet. */
  window = 0xffffffff;
  isFirstAck = false;
  nextSeq = 0;
  nextSeqTimeNs = -Infinity;
  nextSeqFrame = 0;
  maxSeqToBeAcked = 0;
  lastAck = 0;
  lastAckTimeNs = -Infinity;
  dupAckNum = 0;
  lastNonDupAck = 0;
  lastSegmentFlags = 0;

  // --- Statistics.
  packets = 0;
  /** Payload bytes sent, retransmissions included. */
  bytes = 0;
  /** Payload bytes that advanced the sequence space (goodput). */
  uniqueBytes = 0;
  retransmittedBytes = 0;
  firstDataNs = NaN;
  lastDataNs = NaN;
  sawFin = false;
  sawRst = false;
  /** Highest ACK the other side sent for this direction's data (valid when `acked`). */
  highestAckFromPeer = 0;
  acked = false;

  // --- Data-to-ACK RTT: one segment is timed at a time (as BSD TCP does), never a retransmitted one (Karn).
  timing = false;
  timedEnd = 0;
  timedNs = 0;
  readonly rtt = new RttEstimator();

  // --- RTO backoff chain being followed, if any.
  chain: BackoffChain | null = null;
}

/** A connection: its key, its two directions, and what it has shown so far. */
export class TcpFlow {
  /** Address bytes (4 or 16) and ports of the endpoints, A being the sender of the first packet seen. */
  readonly addrA: Uint8Array;
  readonly addrB: Uint8Array;
  readonly a = new TcpDirection();
  readonly b = new TcpDirection();
  /** Count of each flag raised on this stream, indexed by bit position (TCP_EVENT_KINDS order). */
  readonly counts = new Uint32Array(TCP_FLAG_COUNT);

  firstFrame = 0;
  lastFrame = 0;
  firstNs = 0;
  lastNs = 0;
  packets = 0;
  /** Time of the latest SYN (without ACK), for the handshake RTT; 0 = none (as Wireshark's ts_mru_syn). */
  mruSynNs = 0;
  hasMruSyn = false;
  /** Wireshark's ts_first_rtt: first pure ACK after a SYN, minus that SYN; 0 = not known. */
  firstRttNs = 0;
  /** True once a SYN without ACK has been seen (tells client from server). */
  clientIsA = true;
  sawSyn = false;
  sawSynAck = false;
  /** Which side sent the first RST or FIN: 0 none, 1 A, 2 B. */
  rstBy = 0;
  finBy = 0;
  /** Longest gap between packets while data was unacknowledged. */
  longestStallNs = 0;
  stallEndFrame = 0;
  stallStartFrame = 0;
  /** Set when this flow started with a SYN that reused a closed connection's ports. */
  portsReused = false;

  // --- FlowTable bookkeeping.
  hash = 0;
  bucketNext: TcpFlow | null = null;
  lruPrev: TcpFlow | null = null;
  lruNext: TcpFlow | null = null;
  inClosedList = false;
  /** Cached "ip:port" texts, built on first use (events and reports only). */
  private textA: string | null = null;
  private textB: string | null = null;

  constructor(
    readonly stream: number,
    readonly ipVersion: number,
    bytes: Uint8Array, srcOffset: number, dstOffset: number,
    readonly portA: number,
    readonly portB: number,
  ) {
    const len = ipVersion === 6 ? 16 : 4;
    this.addrA = bytes.slice(srcOffset, srcOffset + len);
    this.addrB = bytes.slice(dstOffset, dstOffset + len);
  }

  /** Whether both sides finished, or one reset: the connection is over. */
  get closed(): boolean {
    return this.rstBy !== 0 || (this.a.sawFin && this.b.sawFin);
  }

  endpointA(): string { return this.textA ??= formatEndpoint(this.addrA, this.portA); }
  endpointB(): string { return this.textB ??= formatEndpoint(this.addrB, this.portB); }
}

export function formatAddress(addr: Uint8Array): string {
  if (addr.length === 4) return `${addr[0]}.${addr[1]}.${addr[2]}.${addr[3]}`;
  const groups: number[] = [];
  for (let i = 0; i < 16; i += 2) groups.push((addr[i]! << 8) | addr[i + 1]!);
  // RFC 5952: compress the longest run of two or more zero groups.
  let bestAt = -1, bestLen = 1;
  for (let i = 0; i < 8;) {
    if (groups[i] !== 0) { i++; continue; }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) { bestAt = i; bestLen = j - i; }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestAt < 0) return hex.join(':');
  return `${hex.slice(0, bestAt).join(':')}::${hex.slice(bestAt + bestLen).join(':')}`;
}

export function formatEndpoint(addr: Uint8Array, port: number): string {
  return addr.length === 16 ? `[${formatAddress(addr)}]:${port}` : `${formatAddress(addr)}:${port}`;
}
