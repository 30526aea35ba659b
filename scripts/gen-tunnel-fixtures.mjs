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
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  ETHERTYPE, IPPROTO, concat, erspan2, erspan3, ethernet, geneve, gre, ipv4, mpls, pppoeSession, udp, vxlan,
} from '../test/helpers/packets.js';
import { pcapFile, readPcapRecords } from '../test/helpers/capture-files.js';

const here = dirname(fileURLToPath(import.meta.url));
const fixtures = join(here, '..', 'fixtures');
const outDir = process.argv[2] ?? fixtures;
/** Frames of the source capture used: its handshake, losses, reordering and recovery. */
const FRAMES = 260;

/**
 * The outer IPv4 header and `head` (the tunnel headers) for a payload of
 * `innerWire` bytes on the wire, of which less may have been captured (the
 * source capture's snaplen cut frames).
 */
let ipId = 0x2000;
const outerIpv4 = (src, dst, proto, head, innerWire) =>
  ipv4({ src, dst, proto, payload: head, totalLength: 20 + head.length + innerWire, id: ipId++ });
const outer = (type, fromA, payload) => ethernet({
  dst: fromA ? '02:00:5e:10:00:01' : '02:00:5e:10:00:03', src: fromA ? '02:00:5e:10:00:02' : '02:00:5e:10:00:04', type, payload,
});

/** Tunnel endpoints: each direction of the inner connection through its own pair. */
const endpoints = (fromA) => (fromA ? ['192.0.2.1', '192.0.2.2'] : ['198.51.100.7', '198.51.100.9']);

/**
 * Each tunnel: how to wrap one inner Ethernet frame (`wire` bytes long on
 * the wire) going A->B (`fromA`) or back; returns the outer headers (the
 * captured inner bytes follow them unchanged, less the first `strip`).
 */
let seq = 1;
const overIp = (fromA, proto, head, wire) => outer(ETHERTYPE.IPV4, fromA, outerIpv4(...endpoints(fromA), proto, head, wire));
const TUNNELS = {
  // GRE with a key and sequence numbers, carrying the IP packet (RFC 2890).
  gre: (wire, fromA) => ({ head: overIp(fromA, IPPROTO.GRE, gre({ protocol: ETHERTYPE.IPV4, key: 77, sequence: seq++ }), wire - 14), strip: 14 }),
  // Transparent Ethernet bridging over GRE: the whole frame.
  'gre-teb': (wire, fromA) => ({ head: overIp(fromA, IPPROTO.GRE, gre({ protocol: ETHERTYPE.TEB }), wire), strip: 0 }),
  // ERSPAN type II: GRE with a sequence number, protocol 0x88be, an 8-byte header (version 1, session 5).
  erspan2: (wire, fromA) => {
    const head = gre({ protocol: ETHERTYPE.ERSPAN2, sequence: seq++, payload: erspan2({ session: 5, index: fromA ? 1 : 2 }) });
    return { head: overIp(fromA, IPPROTO.GRE, head, wire), strip: 0 };
  },
  // ERSPAN type III: protocol 0x22eb, a 12-byte header (version 2, session 6, a timestamp).
  erspan3: (wire, fromA, r) => {
    const timestamp = (r.tsSec * 1e6 + r.tsNsec / 1000) % 0x100000000;
    const head = gre({ protocol: ETHERTYPE.ERSPAN3, sequence: seq++, payload: erspan3({ session: 6, timestamp }) });
    return { head: overIp(fromA, IPPROTO.GRE, head, wire), strip: 0 };
  },
  // VXLAN (RFC 7348), VNI 4242, UDP 4789 with a per-flow source port.
  vxlan: (wire, fromA) => {
    const vx = vxlan({ vni: 4242 });
    const head = udp({ sport: fromA ? 49152 : 51000, dport: 4789, length: 8 + vx.length + wire, payload: vx });
    return { head: overIp(fromA, IPPROTO.UDP, head, wire), strip: 0 };
  },
  // Geneve (RFC 8926), VNI 99, one 8-byte option, transparent Ethernet.
  geneve: (wire, fromA) => {
    // One option: class 0x0102, type 3, one 4-byte word of data (0x00c0ffee).
    const gn = geneve({ vni: 99, options: [0x01, 0x02, 0x03, 0x01, 0x00, 0xc0, 0xff, 0xee] });
    const head = udp({ sport: fromA ? 49153 : 51001, dport: 6081, length: 8 + gn.length + wire, payload: gn });
    return { head: overIp(fromA, IPPROTO.UDP, head, wire), strip: 0 };
  },
  // IP-in-IP (RFC 2003).
  ipip: (wire, fromA) => ({ head: overIp(fromA, IPPROTO.IPIP, new Uint8Array(0), wire - 14), strip: 14 }),
  // An MPLS label stack of two (the bottom one with S set), then the IP packet.
  mpls: (wire, fromA) => ({
    head: outer(ETHERTYPE.MPLS, fromA, mpls({ labels: [{ label: fromA ? 1001 : 2001 }, { label: fromA ? 16 : 17 }] })),
    strip: 14,
  }),
  // A PPPoE session (RFC 2516), PPP protocol 0x0021.
  pppoe: (wire, fromA) => ({ head: outer(ETHERTYPE.PPPOE_SESSION, fromA, pppoeSession({ session: 0x1234, length: 2 + wire - 14 })), strip: 14 }),
};

const source = readPcapRecords(join(fixtures, 'tcp-reorder.pcap')).slice(0, FRAMES);
// Side A is whoever sent the first frame.
const sender = (r) => r.bytes.subarray(26, 30).join('.');
const a = sender(source[0]);
for (const [name, wrap] of Object.entries(TUNNELS)) {
  seq = 1;
  ipId = 0x2000;
  const out = source.map((r) => {
    const { head, strip } = wrap(r.origLen, sender(r) === a, r);
    return { tsSec: r.tsSec, tsNsec: r.tsNsec, bytes: concat(head, r.bytes.subarray(strip)), origLen: head.length + r.origLen - strip };
  });
  writeFileSync(join(outDir, `tunnel-${name}.pcap`), pcapFile(out));
}
console.log(`wrote ${Object.keys(TUNNELS).length} tunnel fixtures of ${source.length} frames to ${outDir}`);
