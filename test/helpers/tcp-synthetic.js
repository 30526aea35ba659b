// Synthetic TCP captures for tests that need volume rather than realism.
import { PcapWriter } from '../../dist/sink/pcap-writer.js';

function put16(b, o, v) { b[o] = (v >>> 8) & 0xff; b[o + 1] = v & 0xff; }
function put32(b, o, v) { b[o] = (v >>> 24) & 0xff; b[o + 1] = (v >>> 16) & 0xff; b[o + 2] = (v >>> 8) & 0xff; b[o + 3] = v & 0xff; }

/** `count` complete short connections (7 packets each) from ever-changing client ports and addresses. */
export async function writeShortConnections(path, count) {
  const w = new PcapWriter(path, { linkType: 101, snaplen: 65535 });
  const b = new Uint8Array(40);
  const rec = { frame: 0, tsSec: 0, tsNsec: 0, caplen: 40, origLen: 40, linkType: 101, interfaceId: 0, bytes: b, offset: 0, fileOffset: 0 };
  let t = 1_700_000_000 * 1e6;
  const emit = (src, dst, sp, dp, seq, ack, flags) => {
    b[0] = 0x45; put16(b, 2, 40); b[8] = 64; b[9] = 6; put32(b, 12, src); put32(b, 16, dst);
    put16(b, 20, sp); put16(b, 22, dp); put32(b, 24, seq); put32(b, 28, ack); b[32] = 0x50; b[33] = flags; put16(b, 34, 65535);
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
