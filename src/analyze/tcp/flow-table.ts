/**
 * Connections by address/port 4-tuple and virtual network (tunnels), in bounded memory. Lookups hash the
 * address bytes and ports straight from the packet (no string keys, nothing
 * allocated); flows whose hashes collide are chained and told apart by
 * comparing the bytes with the copies in the flow slab. A least-recently-used list lets idle and closed flows
 * be retired, and caps the table at `maxFlows`.
 */
import type { TcpFlow } from './tcp-flow.js';

export interface FlowTableOptions {
  /** Most flows kept at once; the least recently active one is evicted beyond it. */
  maxFlows: number;
  /** Capture seconds after which a flow with no packets is retired. */
  idleTimeout: number;
  /** Capture seconds a closed (FIN both ways, or RST) flow is kept for late packets. */
  closedLinger: number;
}

export const DEFAULT_FLOW_TABLE_OPTIONS: FlowTableOptions = {
  // About 1.4 KB of RSS per tracked connection: 30,000 keeps `analyze` of any
  // capture (a SYN flood included) under 150 MB. Evictions are reported.
  maxFlows: 30_000,
  idleTimeout: 600,
  closedLinger: 30,
};

/** Why a flow left the table. */
export const RetireReason = { Closed: 0, Idle: 1, Evicted: 2, End: 3 } as const;
export type RetireReasonValue = typeof RetireReason[keyof typeof RetireReason];

type RetireListener = (flow: TcpFlow, reason: RetireReasonValue) => void;

function mix32(h: number): number {
  h ^= h >>> 16; h = Math.imul(h, 0x7feb352d);
  h ^= h >>> 15; h = Math.imul(h, 0x846ca68b);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Hash of one endpoint: address words and port, mixed. */
function endpointHash(b: Uint8Array, o: number, len: number, port: number): number {
  let h = port * 0x9e3779b1;
  for (let i = 0; i < len; i += 4) {
    const w = ((b[o + i]! << 24) | (b[o + i + 1]! << 16) | (b[o + i + 2]! << 8) | b[o + i + 3]!) | 0;
    h = mix32((h ^ w) >>> 0);
  }
  return h;
}

function sameBytes(a: Uint8Array, ao: number, b: Uint8Array, bo: number, len: number): boolean {
  for (let i = 0; i < len; i++) if (a[ao + i] !== b[bo + i]) return false;
  return true;
}

/** A doubly-linked list of flows through their lruPrev/lruNext fields, oldest first. */
class LruList {
  head: TcpFlow | null = null;
  tail: TcpFlow | null = null;

  append(flow: TcpFlow): void {
    flow.lruPrev = this.tail;
    flow.lruNext = null;
    if (this.tail) this.tail.lruNext = flow;
    else this.head = flow;
    this.tail = flow;
  }

  unlink(flow: TcpFlow): void {
    if (flow.lruPrev) flow.lruPrev.lruNext = flow.lruNext;
    else if (this.head === flow) this.head = flow.lruNext;
    if (flow.lruNext) flow.lruNext.lruPrev = flow.lruPrev;
    else if (this.tail === flow) this.tail = flow.lruPrev;
    flow.lruPrev = null;
    flow.lruNext = null;
  }
}

export class FlowTable {
  /**
   * First flow of each collision chain, by hash & mask. An array rather than
   * a Map: a Map keyed by 32-bit hashes would box most keys.
   */
  private buckets: (TcpFlow | null)[] = new Array<TcpFlow | null>(1024).fill(null);
  private mask = 1023;
  /**
   * Open and closed flows are kept in separate LRU lists, so that closed
   * flows can be retired on time even behind a long-quiet open one, and are
   * the first to go when the table is full.
   */
  private readonly open = new LruList();
  private readonly closedList = new LruList();
  size = 0;
  peakSize = 0;
  retiredClosed = 0;
  retiredIdle = 0;
  /** Flows pushed out by the cap before they were due (closed ones early, or open ones). */
  evicted = 0;
  evictedOpen = 0;
  /** Set by the last `find`: 0 when the packet goes A->B, 1 when B->A. */
  direction = 0;
  /** Set by the last `find`: the hash a new flow for that packet should get. */
  lastHash = 0;

  constructor(private readonly opts: FlowTableOptions, private readonly onRetire: RetireListener) {}

  /**
   * The flow for a packet from (src, sport) to (dst, dport), or null. Sets
   * `direction`. Touching the flow (for LRU order) is the caller's job.
   */
  find(b: Uint8Array, srcOff: number, dstOff: number, addrLen: number, sport: number, dport: number, network: number): TcpFlow | null {
    const hs = endpointHash(b, srcOff, addrLen, sport);
    const hd = endpointHash(b, dstOff, addrLen, dport);
    // 30 bits keep the hash a small integer in every flow that stores it.
    const h = mix32(((hs + hd) >>> 0) ^ addrLen ^ network) & 0x3fffffff;
    this.lastHash = h;
    for (let f: TcpFlow | null = this.buckets[h & this.mask]!; f !== null; f = f.bucketNext) {
      if (f.hash !== h || f.addrLength !== addrLen || f.network !== network) continue;
      const addrs = f.slab.addrs, ao = f.addrOffset;
      if (f.portA === sport && f.portB === dport && sameBytes(addrs, ao, b, srcOff, addrLen) && sameBytes(addrs, ao + 16, b, dstOff, addrLen)) {
        this.direction = 0;
        return f;
      }
      if (f.portA === dport && f.portB === sport && sameBytes(addrs, ao, b, dstOff, addrLen) && sameBytes(addrs, ao + 16, b, srcOff, addrLen)) {
        this.direction = 1;
        return f;
      }
    }
    return null;
  }

  /** Adds a flow created for the packet of the last `find` (whose hash it takes). */
  insert(flow: TcpFlow): void {
    flow.hash = this.lastHash;
    if (this.size >= this.opts.maxFlows) {
      const victim = this.closedList.head ?? this.open.head!;
      if (!victim.closed) this.evictedOpen++;
      this.retire(victim, RetireReason.Evicted);
    }
    const i = flow.hash & this.mask;
    flow.bucketNext = this.buckets[i]!;
    this.buckets[i] = flow;
    flow.inClosedList = false;
    this.open.append(flow);
    this.size++;
    if (this.size > this.buckets.length) this.grow();
    if (this.size > this.peakSize) this.peakSize = this.size;
  }

  /** Takes a flow out of the table (a new connection replaced it, or it is retired). */
  remove(flow: TcpFlow): void {
    const i = flow.hash & this.mask;
    const head = this.buckets[i]!;
    if (head === flow) {
      this.buckets[i] = flow.bucketNext;
    } else {
      for (let f: TcpFlow | null = head; f !== null; f = f.bucketNext) {
        if (f.bucketNext === flow) { f.bucketNext = flow.bucketNext; break; }
      }
    }
    flow.bucketNext = null;
    (flow.inClosedList ? this.closedList : this.open).unlink(flow);
    this.size--;
  }

  /** Doubles the bucket array, keeping chains about one flow long. */
  private grow(): void {
    const n = this.buckets.length * 2;
    this.buckets = new Array<TcpFlow | null>(n).fill(null);
    this.mask = n - 1;
    for (const f of this.flows()) {
      const i = f.hash & this.mask;
      f.bucketNext = this.buckets[i]!;
      this.buckets[i] = f;
    }
  }

  /** Marks a flow as just active: it moves to the young end of its list (the closed list once closed). */
  touch(flow: TcpFlow): void {
    const list = flow.inClosedList ? this.closedList : this.open;
    if (flow.closed && !flow.inClosedList) {
      this.open.unlink(flow);
      flow.inClosedList = true;
      this.closedList.append(flow);
      return;
    }
    if (list.tail === flow) return;
    list.unlink(flow);
    list.append(flow);
  }

  /**
   * Retires closed flows quiet for `closedLinger` and any flow quiet for
   * `idleTimeout`. Cheap when nothing is due: it looks at the two oldest
   * flows and stops.
   */
  expire(nowNs: number): void {
    const lingerNs = this.opts.closedLinger * 1e9;
    const idleNs = this.opts.idleTimeout * 1e9;
    for (let f = this.closedList.head; f !== null && nowNs - f.lastNs >= lingerNs; f = this.closedList.head) {
      this.retire(f, RetireReason.Closed);
    }
    for (let f = this.open.head; f !== null && nowNs - f.lastNs >= idleNs; f = this.open.head) {
      this.retire(f, RetireReason.Idle);
    }
  }

  /** Retires every flow (end of capture), oldest first. */
  drain(): void {
    while (this.closedList.head !== null) this.retire(this.closedList.head, RetireReason.End);
    while (this.open.head !== null) this.retire(this.open.head, RetireReason.End);
  }

  /** Every flow still in the table. */
  *flows(): IterableIterator<TcpFlow> {
    for (let f = this.closedList.head; f !== null; f = f.lruNext) yield f;
    for (let f = this.open.head; f !== null; f = f.lruNext) yield f;
  }

  private retire(flow: TcpFlow, reason: RetireReasonValue): void {
    this.remove(flow);
    if (reason === RetireReason.Closed) this.retiredClosed++;
    else if (reason === RetireReason.Idle) this.retiredIdle++;
    else if (reason === RetireReason.Evicted) this.evicted++;
    this.onRetire(flow, reason);
  }
}
