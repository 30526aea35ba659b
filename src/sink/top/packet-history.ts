/**
 * The packets of each TCP stream seen so far, kept so that `w` in `zsniff
 * top` can write a stream to a pcap. Bounded twice: each stream keeps its
 * most recent PER_STREAM_PACKETS packets (and at most PER_STREAM_BYTES),
 * and all streams together at most TOTAL_BYTES; past that the history of
 * the stream that was quiet longest is dropped whole.
 */
import type { PacketRecord } from '../../source/packet-record.js';
import { PcapWriter } from '../pcap-writer.js';

export const PER_STREAM_PACKETS = 10_000;
export const PER_STREAM_BYTES = 8 * 1024 * 1024;
export const TOTAL_BYTES = 256 * 1024 * 1024;

interface KeptPacket { tsSec: number; tsNsec: number; origLen: number; linkType: number; bytes: Uint8Array }

class StreamPackets {
  readonly ring: KeptPacket[] = [];
  /** Index of the oldest kept packet in `ring`: 0 until it is full. */
  head = 0;
  bytes = 0;
  /** Packets of the stream that were not kept (the oldest, past the bounds). */
  dropped = 0;
  lastUse = 0;

  add(p: KeptPacket): number {
    let freed = 0;
    if (this.ring.length < PER_STREAM_PACKETS) this.ring.push(p);
    else {
      freed += this.ring[this.head]!.bytes.length;
      this.ring[this.head] = p;
      this.head = (this.head + 1) % PER_STREAM_PACKETS;
      this.dropped++;
    }
    this.bytes += p.bytes.length - freed;
    while (this.bytes > PER_STREAM_BYTES && this.count > 1) freed += this.dropOldest();
    return freed;
  }

  get count(): number { return this.ring.length; }

  get oldest(): KeptPacket | undefined { return this.ring[this.head]; }

  private dropOldest(): number {
    // Rare (large packets): re-pack the ring in time order without its oldest.
    const ordered = this.inOrder();
    const first = ordered.shift()!;
    this.ring.length = 0;
    this.ring.push(...ordered);
    this.head = 0;
    this.bytes -= first.bytes.length;
    this.dropped++;
    return first.bytes.length;
  }

  inOrder(): KeptPacket[] {
    if (this.head === 0) return this.ring.slice();
    return [...this.ring.slice(this.head), ...this.ring.slice(0, this.head)];
  }
}

export class PacketHistory {
  private readonly streams = new Map<number, StreamPackets>();
  private total = 0;
  private clock = 0;

  add(stream: number, pkt: PacketRecord): void {
    let s = this.streams.get(stream);
    if (s === undefined) { s = new StreamPackets(); this.streams.set(stream, s); }
    s.lastUse = ++this.clock;
    const bytes = new Uint8Array(pkt.caplen);
    bytes.set(pkt.bytes.subarray(pkt.offset, pkt.offset + pkt.caplen));
    this.total += bytes.length - s.add({ tsSec: pkt.tsSec, tsNsec: pkt.tsNsec, origLen: pkt.origLen, linkType: pkt.linkType, bytes });
    if (this.total > TOTAL_BYTES) this.dropQuietest(stream);
  }

  private dropQuietest(keep: number): void {
    while (this.total > TOTAL_BYTES) {
      let victim: number | undefined;
      let oldest = Infinity;
      for (const [id, s] of this.streams) if (id !== keep && s.lastUse < oldest) { oldest = s.lastUse; victim = id; }
      if (victim === undefined) return;
      this.total -= this.streams.get(victim)!.bytes;
      this.streams.delete(victim);
    }
  }

  /** Packets kept for the stream, and how many of its earlier ones were not. */
  kept(stream: number): { packets: number; dropped: number } {
    const s = this.streams.get(stream);
    return { packets: s?.count ?? 0, dropped: s?.dropped ?? 0 };
  }

  /** The first kept packet of a stream, as a record (for matching a filter against the stream). */
  first(stream: number): PacketRecord | undefined {
    const p = this.streams.get(stream)?.oldest;
    return p === undefined ? undefined : record(p, 1);
  }

  /** Writes the stream's kept packets to a pcap file; returns how many. Packets of one link type only (the first's). */
  async write(stream: number, path: string, nanosecond: boolean): Promise<number> {
    const s = this.streams.get(stream);
    const packets = s?.inOrder() ?? [];
    if (packets.length === 0) return 0;
    const linkType = packets[0]!.linkType;
    const w = new PcapWriter(path, { linkType, nanosecond });
    let n = 0;
    try {
      for (const p of packets) {
        if (p.linkType !== linkType) continue;
        w.writePacket(record(p, ++n));
      }
    } finally {
      await w.close();
    }
    return n;
  }
}

function record(p: KeptPacket, frame: number): PacketRecord {
  return {
    frame, tsSec: p.tsSec, tsNsec: p.tsNsec, caplen: p.bytes.length, origLen: p.origLen, linkType: p.linkType,
    interfaceId: 0, bytes: p.bytes, offset: 0, fileOffset: 0,
  };
}
