/**
 * IP reassembly for analysis. Fragments of a datagram (IPv4, or IPv6 with a Fragment header) are
 * kept until it is whole; it is then rebuilt in one reused buffer, from its IP header on, and
 * decoded by the same loop as any packet, as the frame of the fragment that completed it (the
 * frame tshark shows the reassembled datagram on). Only fragments come here: the decoder marks
 * them with `LayerBit.IpFragment`, so whole packets pay one bit test.
 *
 * Bounded as Linux bounds its queues (net.ipv4.ipfrag_*): `REASSEMBLY_LIMITS`. A datagram still
 * open after `timeoutSeconds` of capture time, or the oldest one when a bound is reached, is
 * dropped and counted incomplete. Damage (overlaps, two different ends, a datagram over 65,535
 * bytes) is counted and told to `onAnomaly`, never thrown.
 */
import type { PacketRecord } from '../source/packet-record.js';
import { decodePacket } from './decode.js';
import { DecodedPacket } from './decoded-packet.js';
import { IPV4_MIN_HEADER_LEN, Ipv4View, setIpv4HeaderChecksum } from './ipv4.js';
import { IPV6_HEADER_LEN, Ipv6View, MAX_IPV6_EXTENSIONS } from './ipv6.js';
import { IpProto, LayerBit, LinkType } from './layers.js';
import { MAX_TUNNEL_DEPTH } from './tunnel.js';

export const REASSEMBLY_LIMITS = {
  /** Datagrams being reassembled at once. */
  maxDatagrams: 1024,
  /** Fragment payload bytes held over all of them (Linux's ipfrag_high_thresh is 4 MB). */
  maxBytes: 4 * 1024 * 1024,
  /** Fragments of one datagram: more is a flood (a whole 64 KiB datagram at the smallest MTU needs ~1,400). */
  maxFragments: 2048,
  /** Capture seconds a datagram may stay incomplete (Linux's ipfrag_time). */
  timeoutSeconds: 30,
} as const;

/** Damage found while reassembling; `FRAGMENT_ANOMALY_NAMES` names them as analysis events. */
const FragmentAnomaly = {
  /** A fragment covers bytes another one already brought, with the same data. */
  Overlap: 0,
  /** ... with different data (which copy a host uses is up to its stack: an evasion technique). */
  OverlapConflict: 1,
  /** Two last fragments that end the datagram at different lengths, or data past its end. */
  EndConflict: 2,
  /** The fragments would make a datagram over 65,535 bytes (the "ping of death"): dropped. */
  TooLong: 3,
  /** More fragments than `maxFragments` for one datagram: dropped. */
  TooManyFragments: 4,
} as const;
export const FRAGMENT_ANOMALY_NAMES = [
  'ip.fragment_overlap', 'ip.fragment_overlap_conflict', 'ip.fragment_end_conflict', 'ip.fragment_too_long', 'ip.fragment_flood',
] as const;

/** What reassembly did over a capture. */
export interface ReassemblyStats {
  /** Fragments seen, and those not taken because the capture cut them short (analysed as they are). */
  fragments: number;
  notReassembled: number;
  /** Datagrams rebuilt and analysed. */
  reassembled: number;
  /** Datagrams never completed: timed out, pushed out by the bounds, or still open at the end. */
  incomplete: number;
  /** Of those, pushed out by `maxDatagrams` or `maxBytes` before their time. */
  evicted: number;
  /** Anomalies by `FragmentAnomaly` value. */
  anomalies: number[];
}

type FragmentAnomalyListener = (anomaly: number, pkt: PacketRecord) => void;

interface Piece { start: number; end: number; data: Uint8Array }

class Datagram {
  readonly pieces: Piece[] = [];
  /** The IP header (IPv6: its unfragmentable part, Fragment header taken out), from the offset-0 fragment. */
  header: Uint8Array | null = null;
  /** Length of the fragmentable part, once a last fragment said it (-1 before). */
  length = -1;
  bytes = 0;
  /** Damaged past use: later fragments are swallowed until the entry times out. */
  dropped = false;
  readonly tunnelKinds: number[] = [];
  readonly tunnelNetworks: number[] = [];
  constructor(readonly key: string, readonly version: number, readonly openedAt: number) {}
}

/** Where a fragment's parts are, read again from its bytes (the decoder's views may describe an inner packet). */
interface FragmentFields {
  version: number; key: string;
  /** The header kept (IPv6: the unfragmentable part) is [ip, headerEnd); the payload [payloadStart, payloadEnd). */
  ip: number; headerEnd: number; payloadStart: number; payloadEnd: number;
  offset: number; more: boolean;
  /** IPv6: the next-header byte that names the Fragment header, and what comes after it. */
  nextHeaderAt: number; nextHeader: number;
}

export class IpReassembler {
  readonly stats: ReassemblyStats = { fragments: 0, notReassembled: 0, reassembled: 0, incomplete: 0, evicted: 0, anomalies: [0, 0, 0, 0, 0] };
  /** Open datagrams, oldest first (a Map keeps insertion order). */
  private readonly open = new Map<string, Datagram>();
  private heldBytes = 0;
  private latest = -Infinity;
  private buffer = new Uint8Array(2048);
  private readonly record: PacketRecord = {
    frame: 0, tsSec: 0, tsNsec: 0, caplen: 0, origLen: 0, linkType: LinkType.Raw,
    interfaceId: 0, bytes: this.buffer, offset: 0, fileOffset: 0,
  };
  private readonly whole = new DecodedPacket();
  private readonly fields: FragmentFields = { version: 0, key: '', ip: 0, headerEnd: 0, payloadStart: 0, payloadEnd: 0, offset: 0, more: false, nextHeaderAt: -1, nextHeader: 0 };
  private readonly ipv4 = new Ipv4View();
  private readonly ipv6 = new Ipv6View();

  constructor(private readonly onAnomaly: FragmentAnomalyListener | null = null) {}

  /**
   * Takes the fragment `d` (decoded with `LayerBit.IpFragment`). Returns the datagram it
   * completed, decoded (valid until the next call); `null` when it is kept for later or dropped;
   * `d` itself when it cannot be reassembled (cut short by the capture), to be analysed as it is.
   */
  add(d: DecodedPacket): DecodedPacket | null {
    const pkt = d.pkt!;
    this.stats.fragments++;
    const f = this.read(d);
    if (f === null) { this.stats.notReassembled++; return d; }
    const now = pkt.tsSec + pkt.tsNsec / 1e9;
    if (now > this.latest) { this.latest = now; this.expire(); }

    let g = this.open.get(f.key);
    if (g === undefined) {
      g = new Datagram(f.key, f.version, this.latest);
      for (let i = 0; i < d.fragmentTunnels; i++) {
        g.tunnelKinds.push(d.tunnels.kind[i]!);
        g.tunnelNetworks.push(d.tunnels.virtualNetwork[i]!);
      }
      this.open.set(f.key, g);
      while (this.open.size > REASSEMBLY_LIMITS.maxDatagrams) this.evictOldest();
    }
    if (g.dropped) return null;

    const b = d.bytes;
    const start = f.offset;
    const end = start + (f.payloadEnd - f.payloadStart);
    // What counts against 65,535 besides the payload: IPv4's header, IPv6's extension headers.
    const headerLength = f.version === 4 ? f.headerEnd - f.ip : f.headerEnd - f.ip - IPV6_HEADER_LEN;
    if (headerLength + end > 65535) return this.drop(g, FragmentAnomaly.TooLong, pkt);
    if (g.pieces.length >= REASSEMBLY_LIMITS.maxFragments) return this.drop(g, FragmentAnomaly.TooManyFragments, pkt);
    if (!f.more) {
      if (g.length >= 0 && g.length !== end) this.report(FragmentAnomaly.EndConflict, pkt);
      else g.length = end;
    }
    if (g.length >= 0 && end > g.length) this.report(FragmentAnomaly.EndConflict, pkt);

    let overlap = -1;
    for (const p of g.pieces) {
      const lo = Math.max(p.start, start), hi = Math.min(p.end, end);
      if (lo >= hi) continue;
      let same = true;
      for (let i = lo; i < hi; i++) if (p.data[i - p.start] !== b[f.payloadStart + i - start]) { same = false; break; }
      if (!same) overlap = FragmentAnomaly.OverlapConflict;
      else if (overlap < 0) overlap = FragmentAnomaly.Overlap;
    }
    if (overlap >= 0) this.report(overlap, pkt);

    if (start === 0 && g.header === null) {
      const h = b.slice(f.ip, f.headerEnd);
      if (f.version === 6) h[f.nextHeaderAt - f.ip] = f.nextHeader;
      g.header = h;
    }
    const size = end - start;
    while (this.heldBytes + size > REASSEMBLY_LIMITS.maxBytes && this.open.size > 1) this.evictOldest(g);
    g.pieces.push({ start, end, data: b.slice(f.payloadStart, f.payloadEnd) });
    g.bytes += size;
    this.heldBytes += size;

    if (g.header === null || g.length < 0 || !covered(g)) return null;
    this.forget(g);
    this.stats.reassembled++;
    return this.build(g, pkt, d.followTunnels);
  }

  /** Datagrams open and fragment bytes held now (never past `REASSEMBLY_LIMITS`). */
  get inFlight(): { datagrams: number; bytes: number } { return { datagrams: this.open.size, bytes: this.heldBytes }; }

  /** Ends the capture: what is still open is incomplete. */
  finish(): void {
    this.stats.incomplete += countOpen(this.open);
    this.open.clear();
    this.heldBytes = 0;
  }

  /** The fragment's fields, or null when the capture does not hold all its bytes. */
  private read(d: DecodedPacket): FragmentFields | null {
    const b = d.bytes;
    const ip = d.fragmentIp;
    const captured = d.captureEnd;
    const f = this.fields;
    f.ip = ip;
    const version = b[ip]! >> 4;
    f.version = version;
    let tunnelKey = '';
    for (let i = 0; i < d.fragmentTunnels; i++) tunnelKey += `${d.tunnels.kind[i]}.${d.tunnels.virtualNetwork[i]}/`;
    if (version === 4) {
      const v4 = this.ipv4;
      v4.b = b; v4.o = ip;
      const hl = v4.headerLength;
      const total = v4.totalLength;
      if (hl < IPV4_MIN_HEADER_LEN || total < hl || ip + total > captured) return null;
      f.headerEnd = ip + hl;
      f.payloadStart = ip + hl;
      f.payloadEnd = ip + total;
      f.offset = v4.fragmentOffset;
      f.more = v4.moreFragments;
      // RFC 791: source, destination, protocol and identification name the datagram.
      f.key = `4|${tunnelKey}${addressKey(b, v4.srcOffset, 8)}|${v4.protocol}|${v4.id}`;
      return f;
    }
    const v6 = this.ipv6;
    v6.b = b; v6.o = ip;
    const payload = v6.payloadLength;
    if (payload < 8 || ip + IPV6_HEADER_LEN + payload > captured) return null;
    let next = v6.nextHeader;
    let nextAt = v6.nextHeaderOffset;
    let q = ip + IPV6_HEADER_LEN;
    for (let n = 0; n < MAX_IPV6_EXTENSIONS && next !== IpProto.Fragment; n++) {
      if (next !== IpProto.HopByHop && next !== IpProto.Routing && next !== IpProto.DstOpts) return null;
      nextAt = q;
      next = b[q]!;
      q += (b[q + 1]! + 1) * 8;
      if (q + 8 > ip + IPV6_HEADER_LEN + payload) return null;
    }
    if (next !== IpProto.Fragment) return null;
    f.nextHeaderAt = nextAt;
    f.nextHeader = b[q]!;
    f.headerEnd = q;
    f.payloadStart = q + 8;
    f.payloadEnd = ip + IPV6_HEADER_LEN + payload;
    v6.fragmentHeader = q;
    f.offset = v6.fragmentOffset;
    f.more = v6.moreFragments;
    // RFC 8200 4.5: source, destination and identification.
    f.key = `6|${tunnelKey}${addressKey(b, v6.srcOffset, 32)}|${v6.fragmentId}`;
    return f;
  }

  /** The datagram, rebuilt into the reused buffer and decoded. */
  private build(g: Datagram, pkt: PacketRecord, followTunnels: boolean): DecodedPacket {
    const h = g.header!;
    const size = h.length + g.length;
    if (this.buffer.length < size) this.buffer = new Uint8Array(Math.max(size, this.buffer.length * 2));
    const out = this.buffer;
    out.set(h, 0);
    // First arrival wins an overlap (as Wireshark keeps it): later pieces are written first.
    for (let i = g.pieces.length - 1; i >= 0; i--) {
      const p = g.pieces[i]!;
      out.set(p.end <= g.length ? p.data : p.data.subarray(0, Math.max(0, g.length - p.start)), h.length + p.start);
    }
    if (g.version === 4) {
      out[2] = size >> 8; out[3] = size & 0xff;
      // Whole now: offset and more-fragments cleared, don't-fragment kept; the checksum made right again.
      out[6] &= 0x40; out[7] = 0;
      setIpv4HeaderChecksum(out, 0, h.length);
    } else {
      const payload = size - IPV6_HEADER_LEN;
      out[4] = payload >> 8; out[5] = payload & 0xff;
    }
    const r = this.record;
    r.frame = pkt.frame; r.tsSec = pkt.tsSec; r.tsNsec = pkt.tsNsec;
    r.caplen = size; r.origLen = size; r.interfaceId = pkt.interfaceId; r.fileOffset = pkt.fileOffset;
    r.bytes = out;
    const w = this.whole;
    w.followTunnels = followTunnels;
    decodePacket(r, w);
    if (g.tunnelKinds.length > 0) wrapInTunnels(w, g);
    return w;
  }

  private report(anomaly: number, pkt: PacketRecord): void {
    this.stats.anomalies[anomaly]!++;
    if (this.onAnomaly !== null) this.onAnomaly(anomaly, pkt);
  }

  private drop(g: Datagram, anomaly: number, pkt: PacketRecord): null {
    this.report(anomaly, pkt);
    this.heldBytes -= g.bytes;
    g.bytes = 0;
    g.pieces.length = 0;
    g.header = null;
    g.dropped = true;
    return null;
  }

  private forget(g: Datagram): void {
    this.heldBytes -= g.bytes;
    this.open.delete(g.key);
  }

  /** Drops datagrams open for longer than the timeout (the oldest are first in the map). */
  private expire(): void {
    for (const g of this.open.values()) {
      if (this.latest - g.openedAt <= REASSEMBLY_LIMITS.timeoutSeconds) break;
      this.forget(g);
      if (!g.dropped) this.stats.incomplete++;
    }
  }

  private evictOldest(keep: Datagram | null = null): void {
    for (const g of this.open.values()) {
      if (g === keep) continue;
      this.forget(g);
      if (!g.dropped) { this.stats.incomplete++; this.stats.evicted++; }
      return;
    }
  }
}

/** Whether the pieces cover [0, length) without a gap. */
function covered(g: Datagram): boolean {
  const sorted = g.pieces.slice().sort((x, y) => x.start - y.start);
  let reach = 0;
  for (const p of sorted) {
    if (p.start > reach) return false;
    if (p.end > reach) reach = p.end;
    if (reach >= g.length) return true;
  }
  return reach >= g.length;
}

function countOpen(open: Map<string, Datagram>): number {
  let n = 0;
  for (const g of open.values()) if (!g.dropped) n++;
  return n;
}

function addressKey(b: Uint8Array, o: number, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += String.fromCharCode(b[o + i]!);
  return s;
}

/** The tunnels the fragments were found in go around the datagram again, so that its flows keep their key. */
function wrapInTunnels(w: DecodedPacket, g: Datagram): void {
  const t = w.tunnels;
  const inner = t.count;
  const kinds = Array.from(t.kind.subarray(0, inner));
  const offsets = Array.from(t.headerOffset.subarray(0, inner));
  const networks = Array.from(t.virtualNetwork.subarray(0, inner));
  t.count = 0;
  t.network = 0;
  // Their headers are not in the rebuilt bytes: -1 says so.
  for (let i = 0; i < g.tunnelKinds.length && t.count < MAX_TUNNEL_DEPTH; i++) t.push(g.tunnelKinds[i]!, -1, g.tunnelNetworks[i]!);
  for (let i = 0; i < inner && t.count < MAX_TUNNEL_DEPTH; i++) t.push(kinds[i]!, offsets[i]!, networks[i]!);
  w.layers |= LayerBit.Tunnel;
}
