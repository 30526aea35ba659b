#!/usr/bin/env node
/**
 * Wraps real lossy TCP in tunnel headers (fixtures/tunnel-*.pcap). This
 * kernel has no GRE, ERSPAN, Geneve or IP-in-IP devices, so the traffic is
 * the lab's: fixtures/tcp-reorder.pcap, a bulk transfer through a tbf queue
 * that drops and reorders, captured on a veth. Each frame keeps its bytes and
 * time; only the tunnel around it is new. The two directions of the
 * connection come through different tunnel endpoints (as mirror sessions and
 * asymmetric routes deliver them), so an analyzer that keyed inner flows by
 * the outer addresses would split the connection in two.
 *
 *   node scripts/gen-tunnel-fixtures.mjs [outdir]     (default: fixtures/)
 *
 * Byte-for-byte reproducible; outer checksums are correct.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const fixtures = join(here, '..', 'fixtures');
const outDir = process.argv[2] ?? fixtures;
/** Frames of the source capture used: its handshake, losses, reordering and recovery. */
const FRAMES = 260;

const cat = (...parts) => Buffer.concat(parts.map((p) => Buffer.from(p)));
const u8 = (v) => Buffer.from([v & 0xff]);
const be16 = (v) => { const b = Buffer.alloc(2); b.writeUInt16BE(v & 0xffff); return b; };
const be32 = (v) => { const b = Buffer.alloc(4); b.writeUInt32BE(v >>> 0); return b; };
const ip4 = (s) => Buffer.from(s.split('.').map(Number));
const mac = (s) => Buffer.from(s.split(':').map((x) => parseInt(x, 16)));

function checksum(b) {
  let sum = 0;
  for (let i = 0; i + 1 < b.length; i += 2) sum += b.readUInt16BE(i);
  if (b.length % 2) sum += b[b.length - 1] << 8;
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return (~sum) & 0xffff;
}

/** Reads a little-endian microsecond pcap: [{ sec, usec, data, origLen }]. */
function readPcap(file) {
  const b = readFileSync(file);
  if (b.readUInt32LE(0) !== 0xa1b2c3d4) throw new Error(`${file}: expected a little-endian microsecond pcap`);
  const out = [];
  for (let o = 24; o + 16 <= b.length;) {
    const caplen = b.readUInt32LE(o + 8);
    out.push({ sec: b.readUInt32LE(o), usec: b.readUInt32LE(o + 4), origLen: b.readUInt32LE(o + 12), data: b.subarray(o + 16, o + 16 + caplen) });
    o += 16 + caplen;
  }
  return out;
}

function writePcap(file, records) {
  const head = Buffer.alloc(24);
  head.writeUInt32LE(0xa1b2c3d4, 0); head.writeUInt16LE(2, 4); head.writeUInt16LE(4, 6);
  head.writeUInt32LE(262144, 16); head.writeUInt32LE(1, 20);
  const parts = [head];
  for (const r of records) {
    const h = Buffer.alloc(16);
    h.writeUInt32LE(r.sec, 0); h.writeUInt32LE(r.usec, 4); h.writeUInt32LE(r.data.length, 8); h.writeUInt32LE(r.origLen, 12);
    parts.push(h, r.data);
  }
  writeFileSync(file, Buffer.concat(parts));
}

/**
 * An outer IPv4 header for a payload of `innerWire` bytes on the wire, of
 * which `body` is what was captured (the source capture's snaplen cut frames).
 */
let ipId = 0x2000;
function outerIpv4(src, dst, proto, head, innerWire) {
  const h = cat(u8(0x45), u8(0), be16(20 + head.length + innerWire), be16(ipId++), be16(0x4000), u8(64), u8(proto), be16(0), ip4(src), ip4(dst));
  h.writeUInt16BE(checksum(h), 10);
  return h;
}
const ether = (type, fromA) => cat(fromA ? mac('02:00:5e:10:00:01') : mac('02:00:5e:10:00:03'),
  fromA ? mac('02:00:5e:10:00:02') : mac('02:00:5e:10:00:04'), be16(type));

/** Tunnel endpoints: each direction of the inner connection through its own pair. */
const endpoints = (fromA) => (fromA ? ['192.0.2.1', '192.0.2.2'] : ['198.51.100.7', '198.51.100.9']);

/**
 * Each tunnel: how to wrap one inner Ethernet frame (`frame`, captured bytes;
 * `wire`, its length on the wire) going A->B (`fromA`) or back; returns the
 * outer headers (the captured inner bytes follow them unchanged).
 */
let seq = 1;
const TUNNELS = {
  // GRE with a key and sequence numbers, carrying the IP packet (RFC 2890).
  gre: (frame, wire, fromA) => {
    const gre = cat(u8(0x30), u8(0), be16(0x0800), be32(77), be32(seq++));
    return { head: cat(ether(0x0800, fromA), outerIpv4(...endpoints(fromA), 47, gre, wire - 14), gre), strip: 14 };
  },
  // Transparent Ethernet bridging over GRE: the whole frame.
  'gre-teb': (frame, wire, fromA) => {
    const gre = cat(u8(0x00), u8(0), be16(0x6558));
    return { head: cat(ether(0x0800, fromA), outerIpv4(...endpoints(fromA), 47, gre, wire), gre), strip: 0 };
  },
  // ERSPAN type II: GRE with a sequence number, protocol 0x88be, an 8-byte header (version 1, session 5).
  erspan2: (frame, wire, fromA) => {
    const gre = cat(u8(0x10), u8(0), be16(0x88be), be32(seq++));
    const erspan = cat(be16(0x1000 | 0), be16(0x0000 | 5), be32(fromA ? 1 : 2));
    const head = cat(gre, erspan);
    return { head: cat(ether(0x0800, fromA), outerIpv4(...endpoints(fromA), 47, head, wire), head), strip: 0 };
  },
  // ERSPAN type III: protocol 0x22eb, a 12-byte header (version 2, session 6, a timestamp).
  erspan3: (frame, wire, fromA, r) => {
    const gre = cat(u8(0x10), u8(0), be16(0x22eb), be32(seq++));
    const erspan = cat(be16(0x2000), be16(6), be32((r.sec * 1e6 + r.usec) % 0x100000000), be16(0), be16(0));
    const head = cat(gre, erspan);
    return { head: cat(ether(0x0800, fromA), outerIpv4(...endpoints(fromA), 47, head, wire), head), strip: 0 };
  },
  // VXLAN (RFC 7348), VNI 4242, UDP 4789 with a per-flow source port.
  vxlan: (frame, wire, fromA) => {
    const vx = cat(u8(0x08), u8(0), be16(0), be32(4242 << 8));
    const udp = cat(be16(fromA ? 49152 : 51000), be16(4789), be16(8 + vx.length + wire), be16(0));
    const head = cat(udp, vx);
    return { head: cat(ether(0x0800, fromA), outerIpv4(...endpoints(fromA), 17, head, wire), head), strip: 0 };
  },
  // Geneve (RFC 8926), VNI 99, one 8-byte option, transparent Ethernet.
  geneve: (frame, wire, fromA) => {
    const opt = cat(be16(0x0102), u8(0x03), u8(0x01), be32(0xc0ffee));
    const gn = cat(u8(opt.length / 4), u8(0), be16(0x6558), be32(99 << 8), opt);
    const udp = cat(be16(fromA ? 49153 : 51001), be16(6081), be16(8 + gn.length + wire), be16(0));
    const head = cat(udp, gn);
    return { head: cat(ether(0x0800, fromA), outerIpv4(...endpoints(fromA), 17, head, wire), head), strip: 0 };
  },
  // IP-in-IP (RFC 2003).
  ipip: (frame, wire, fromA) => ({ head: cat(ether(0x0800, fromA), outerIpv4(...endpoints(fromA), 4, Buffer.alloc(0), wire - 14)), strip: 14 }),
  // An MPLS label stack of two (the bottom one with S set), then the IP packet.
  mpls: (frame, wire, fromA) => ({
    head: cat(ether(0x8847, fromA), be32((fromA ? 1001 : 2001) << 12 | 0 << 9 | 0 << 8 | 64), be32((fromA ? 16 : 17) << 12 | 1 << 8 | 64)),
    strip: 14,
  }),
  // A PPPoE session (RFC 2516), PPP protocol 0x0021.
  pppoe: (frame, wire, fromA) => ({
    head: cat(ether(0x8864, fromA), u8(0x11), u8(0), be16(0x1234), be16(2 + wire - 14), be16(0x0021)),
    strip: 14,
  }),
};

const source = readPcap(join(fixtures, 'tcp-reorder.pcap')).slice(0, FRAMES);
// Side A is whoever sent the first frame.
const a = source[0].data.subarray(26, 30).toString('hex');
for (const [name, wrap] of Object.entries(TUNNELS)) {
  seq = 1;
  ipId = 0x2000;
  const out = source.map((r) => {
    const fromA = r.data.subarray(26, 30).toString('hex') === a;
    const { head, strip } = wrap(r.data, r.origLen, fromA, r);
    const data = cat(head, r.data.subarray(strip));
    return { sec: r.sec, usec: r.usec, data, origLen: head.length + r.origLen - strip };
  });
  writePcap(join(outDir, `tunnel-${name}.pcap`), out);
}
console.log(`wrote ${Object.keys(TUNNELS).length} tunnel fixtures of ${source.length} frames to ${outDir}`);
