// Synthetic TCP captures for tests that need volume rather than realism.
import { PcapWriter } from '../../dist/sink/pcap-writer.js';
import { IPPROTO, emitIpv4, emitTcp } from './packets.js';

/** `count` complete short connections (7 packets each) from ever-changing client ports and addresses. */
export async function writeShortConnections(path, count) {
  const w = new PcapWriter(path, { linkType: 101, snaplen: 65535 });
  const b = new Uint8Array(40);
  const rec = { frame: 0, tsSec: 0, tsNsec: 0, caplen: 40, origLen: 40, linkType: 101, interfaceId: 0, bytes: b, offset: 0, fileOffset: 0 };
  let t = 1_700_000_000 * 1e6;
  const emit = (src, dst, sp, dp, seq, ack, flags) => {
    emitIpv4(b, 0, { src, dst, proto: IPPROTO.TCP, totalLength: 40, df: false });
    emitTcp(b, 20, { sport: sp, dport: dp, seq, ack, flags });
    t += 50;
    rec.tsSec = Math.floor(t / 1e6); rec.tsNsec = (t % 1e6) * 1000; rec.frame++;
    w.writePacket(rec);
  };
  const server = 0x0a000001;
  for (let i = 0; i < count; i++) {
    const client = 0x0b000000 + (i >>> 14), sp = 1024 + (i & 0x3fff), c = 1000 + i, s = 5000 + i;
    emit(client, server, sp, 80, c, 0, 0x02);
    emit(server, client, 80, sp, s, c + 1, 0x12);
    emit(client, server, sp, 80, c + 1, s + 1, 0x10);
    emit(client, server, sp, 80, c + 1, s + 1, 0x11);
    emit(server, client, 80, sp, s + 1, c + 2, 0x10);
    emit(server, client, 80, sp, s + 1, c + 2, 0x11);
    emit(client, server, sp, 80, c + 2, s + 2, 0x10);
  }
  await w.close();
}
