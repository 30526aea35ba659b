// Tunnels in the shared decoder: every encapsulation of the tunnel fixtures is
// opened down to the inner TCP; overlays that reuse inner addresses stay apart;
// nesting and truncation stay bounded. (Frame-by-frame agreement with tshark on
// these fixtures is in tcp-fixtures.test.js.)
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { spawnSync } from 'node:child_process';
import { analyze, decodeCapture, decodePacket, DecodedPacket, Layer, Stop, TunnelKind, MAX_TUNNEL_DEPTH } from '../dist/index.js';
import { ETHERTYPE, IPPROTO, TCP_FLAGS, ethernet, gre, ipv4, packetRecord as record, tcp } from './helpers/packets.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const fx = (name) => join(root, 'fixtures', name);
const dir = mkdtempSync(join(tmpdir(), 'zsniff-tunnels-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const EXPECTED = {
  'tunnel-gre.pcap': [TunnelKind.Gre, 77],
  'tunnel-gre-teb.pcap': [TunnelKind.Gre, -1],
  'tunnel-erspan2.pcap': [TunnelKind.Erspan, -1],
  'tunnel-erspan3.pcap': [TunnelKind.Erspan, -1],
  'tunnel-vxlan.pcap': [TunnelKind.Vxlan, 4242],
  'tunnel-geneve.pcap': [TunnelKind.Geneve, 99],
  'tunnel-ipip.pcap': [TunnelKind.IpInIp, -1],
  'tunnel-mpls.pcap': [TunnelKind.Mpls, -1],
  'tunnel-pppoe.pcap': [TunnelKind.Pppoe, -1],
};

test('every tunnel fixture decodes to the inner TCP connection, with the tunnel named', async () => {
  for (const [name, [kind, vn]] of Object.entries(EXPECTED)) {
    let packets = 0;
    await decodeCapture(fx(name), (d) => {
      packets++;
      assert.equal(d.stop, Stop.None, `${name} frame ${d.pkt.frame}: stopped (${d.stop} at ${d.stopLayer})`);
      assert.ok(d.layers & Layer.Tunnel, `${name}: tunnel bit`);
      assert.ok(d.layers & Layer.Tcp, `${name} frame ${d.pkt.frame}: inner TCP`);
      assert.ok(!(d.layers & Layer.Udp), `${name}: the outer UDP is not the packet's transport`);
      assert.equal(d.tunnels.count, 1, name);
      assert.equal(d.tunnels.kind[0], kind, name);
      assert.equal(d.tunnels.virtualNetwork[0], vn, name);
      assert.deepEqual([d.tcp.srcPort, d.tcp.dstPort].sort((x, y) => x - y), [5001, 33286], name);
    });
    assert.equal(packets, 260, name);
  }
});

test('the same connection in two VXLAN overlays is two streams (tshark would merge them)', async () => {
  // The fixture's frames again, with the VNI changed: the same inner addresses and ports.
  const bytes = readFileSync(fx('tunnel-vxlan.pcap'));
  const copy = Buffer.from(bytes);
  let frames = 0;
  for (let o = 24; o < copy.length; o += 16 + copy.readUInt32LE(o + 8)) {
    // Ethernet 14 + IPv4 20 + UDP 8: the VNI is bytes 4..6 of the VXLAN header.
    copy.writeUIntBE(5151, o + 16 + 14 + 20 + 8 + 4, 3);
    frames++;
  }
  assert.equal(frames, 260);
  // Interleave: each frame of overlay 4242, then the same frame of overlay 5151.
  const parts = [bytes.subarray(0, 24)];
  for (let o = 24; o < bytes.length;) {
    const n = 16 + bytes.readUInt32LE(o + 8);
    parts.push(bytes.subarray(o, o + n), copy.subarray(o, o + n));
    o += n;
  }
  const merged = join(dir, 'two-overlays.pcap');
  writeFileSync(merged, Buffer.concat(parts));
  const one = await analyze(fx('tunnel-vxlan.pcap'));
  const two = await analyze(merged);
  assert.equal(one.tcp.streamsTotal, 1);
  assert.equal(two.tcp.streamsTotal, 2, 'two overlays, two streams');
  for (const s of two.tcp.streams) assert.deepEqual(s.counts, one.tcp.streams[0].counts, 'each overlay alone has the one overlay\'s flags');
});

function greInGre(depth) {
  // depth GRE headers (protocol IPv4) around one TCP SYN, all inside one outer IPv4.
  let inner = ipv4({ proto: IPPROTO.TCP, payload: tcp({ sport: 1234, dport: 80, seq: 1000, flags: TCP_FLAGS.SYN }) });
  for (let i = 0; i < depth; i++) inner = ipv4({ proto: IPPROTO.GRE, payload: gre({ protocol: ETHERTYPE.IPV4, payload: inner }) });
  return record(ethernet({ payload: inner }));
}

test('tunnel nesting is bounded and says so', () => {
  const d = new DecodedPacket();
  decodePacket(greInGre(MAX_TUNNEL_DEPTH), d);
  assert.equal(d.stop, Stop.None);
  assert.equal(d.tunnels.count, MAX_TUNNEL_DEPTH);
  assert.ok(d.layers & Layer.Tcp);
  decodePacket(greInGre(MAX_TUNNEL_DEPTH + 1), d);
  assert.equal(d.stop, Stop.TooDeep);
  assert.equal(d.stopLayer, Layer.Tunnel);
  assert.equal(d.tunnels.count, MAX_TUNNEL_DEPTH);
  assert.ok(!(d.layers & Layer.Tcp), 'nothing past the bound is decoded');
  // A bomb far deeper than the bound costs no more than the bound.
  decodePacket(greInGre(200), d);
  assert.equal(d.stop, Stop.TooDeep);
});

test('a tunnel cut at any byte decodes without reading past the capture', async () => {
  const d = new DecodedPacket();
  for (const name of Object.keys(EXPECTED)) {
    const bytes = readFileSync(fx(name));
    const first = bytes.subarray(24 + 16, 24 + 16 + bytes.readUInt32LE(24 + 8));
    for (let cut = 0; cut <= first.length; cut++) {
      const r = record([...first.subarray(0, cut)], { origLen: first.length });
      decodePacket(r, d);
      const end = d.captureEnd;
      if (d.layers & Layer.Tcp) assert.ok(d.tcp.o + 20 <= end, `${name} cut at ${cut}: TCP view past the capture`);
      if (d.layers & Layer.Ipv4) assert.ok(d.ipv4.o + 20 <= end, `${name} cut at ${cut}: IPv4 view past the capture`);
      if (d.layers & Layer.Ethernet) assert.ok(d.ethernet.o + 14 <= end, `${name} cut at ${cut}: Ethernet view past the capture`);
    }
  }
});

test('the line printer and --json still describe the outer packet', async () => {
  const r = spawnSync(process.execPath, [join(root, 'bin', 'zsniff.js'), 'read', '--json', '-c', '1', fx('tunnel-gre.pcap')], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const j = JSON.parse(r.stdout.trim().split('\n')[0]);
  assert.equal(j.ip?.src ?? j.ipv4?.src, '192.0.2.1', r.stdout.slice(0, 400));
});
