// Link types beyond Ethernet, SLL, loopback and raw IP in the shared decoder: serial links (PPP,
// PPP in HDLC framing, Cisco HDLC, Frame Relay), ARCNET, Solaris ipnet, NFLOG, IPoIB, switch tags
// and Juniper's capture header, plus WCCP inside GRE. Each hands the analyzers the TCP it carries;
// a header cut at any byte stops cleanly inside the capture.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { analyze, decodePacket, DecodedPacket, Layer, Stop, TunnelKind } from '../dist/index.js';
import {
  ETHERTYPE, IPPROTO, LINKTYPE, TCP_FLAGS, be16, concat, ethernet, gre, ipv4, ipv6, packetRecord as record, tcp, wrapIp,
} from './helpers/packets.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const fx = (name) => join(root, 'fixtures', name);

const segment = tcp({ src: '10.1.1.1', dst: '10.2.2.2', sport: 43210, dport: 80, seq: 7, flags: TCP_FLAGS.SYN });
const datagram = ipv4({ src: '10.1.1.1', dst: '10.2.2.2', proto: IPPROTO.TCP, payload: segment });
const segment6 = tcp({ src: 'fd00::1', dst: 'fd00::2', sport: 43210, dport: 80, seq: 7, flags: TCP_FLAGS.SYN });
const datagram6 = ipv6({ proto: IPPROTO.TCP, payload: segment6 });

const LINKS = [
  LINKTYPE.PPP, LINKTYPE.PPP_HDLC, LINKTYPE.C_HDLC, LINKTYPE.FRELAY, LINKTYPE.ARCNET_LINUX, LINKTYPE.JUNIPER_ETHER,
  LINKTYPE.IPNET, LINKTYPE.NFLOG, LINKTYPE.IPOIB, LINKTYPE.DSA_TAG_BRCM, LINKTYPE.DSA_TAG_BRCM_PREPEND,
  LINKTYPE.DSA_TAG_DSA, LINKTYPE.DSA_TAG_EDSA,
];

function decodeAs(bytes, linkType, origLen) {
  return decodePacket(record(bytes, { linkType, origLen }), new DecodedPacket());
}

test('every link type hands its IPv4 and IPv6 TCP to the network layer', () => {
  for (const lt of LINKS) {
    for (const [ip, version] of [[datagram, 4], [datagram6, 6]]) {
      const bytes = wrapIp(ip, lt);
      const d = decodeAs(bytes, lt);
      assert.equal(d.stop, Stop.None, `link type ${lt}, IPv${version}: stopped (${d.stop})`);
      assert.equal(d.ipVersion, version, `link type ${lt}`);
      assert.ok(d.has(Layer.Tcp), `link type ${lt}, IPv${version}: no TCP`);
      assert.equal(d.tcp.dstPort, 80);
      assert.equal(d.networkOffset, bytes.length - ip.length, `link type ${lt}: the network layer starts after the link header`);
      assert.equal(d.tunnels.count, 0, 'a link header is not a tunnel');
    }
  }
});

test('PPP: without address and control, with a one-byte protocol, with pppd direction, MPLS, and Cisco HDLC on a PPP link', () => {
  const cases = [
    ['no address/control', concat(be16(0x0021), datagram)],
    ['one-byte protocol', concat([0xff, 0x03, 0x21], datagram)],
    ['ACFC and PFC', concat([0x21], datagram)],
    ['pppd in', concat([0x00, 0x03], be16(0x0021), datagram)],
    ['pppd out', concat([0x01, 0x03], be16(0x0021), datagram)],
    ['Cisco HDLC framing', concat([0x8f, 0x00], be16(ETHERTYPE.IPV4), datagram)],
  ];
  for (const lt of [LINKTYPE.PPP, LINKTYPE.PPP_HDLC]) {
    for (const [name, bytes] of cases) {
      const d = decodeAs(bytes, lt);
      assert.ok(d.has(Layer.Tcp), `${lt} ${name}`);
    }
  }
  // An MPLS label (bottom of stack) before IPv4: a tunnel, as MPLS is on Ethernet.
  const mpls = decodeAs(concat([0xff, 0x03], be16(0x0281), [0x00, 0x01, 0x01, 0x40], datagram), LINKTYPE.PPP);
  assert.ok(mpls.has(Layer.Tcp));
  assert.equal(mpls.tunnels.kind[0], TunnelKind.Mpls);
  // LCP is PPP's own: nothing further to decode.
  const lcp = decodeAs(concat([0xff, 0x03], be16(0xc021), [1, 1, 0, 4]), LINKTYPE.PPP);
  assert.equal(lcp.stop, Stop.Unsupported);
  assert.equal(lcp.stopLayer, 0);
});

test('Frame Relay: NLPID with and without a pad byte, SNAP, and Cisco\'s EtherType encapsulation', () => {
  const cases = [
    ['NLPID', concat([0x18, 0x41, 0x03, 0xcc], datagram)],
    ['pad and NLPID', concat([0x18, 0x40, 0x01, 0x03, 0x00, 0xcc], datagram)],
    ['SNAP', concat([0x18, 0x41, 0x03, 0x00, 0x80, 0, 0, 0], be16(ETHERTYPE.IPV4), datagram)],
    ['EtherType', concat([0x18, 0x41], be16(ETHERTYPE.IPV4), datagram)],
    ['IPv6 NLPID', concat([0x18, 0x41, 0x03, 0x8e], datagram6)],
  ];
  for (const [name, bytes] of cases) assert.ok(decodeAs(bytes, LINKTYPE.FRELAY).has(Layer.Tcp), name);
  // An address whose first byte has the extension bit is none.
  assert.equal(decodeAs(concat([0x19, 0x41, 0x03, 0xcc], datagram), LINKTYPE.FRELAY).stop, Stop.Malformed);
  // Q.933 signalling on DLCI 0.
  assert.equal(decodeAs([0x00, 0x01, 0x03, 0x08, 0x00, 0x75, 0x95], LINKTYPE.FRELAY).stop, Stop.Unsupported);
});

test('ARCNET, NFLOG and Juniper: the variants of their headers', () => {
  // RFC 1051's short header.
  assert.ok(decodeAs(concat([0x01, 0x02, 0, 0, 0xf0], datagram), LINKTYPE.ARCNET_LINUX).has(Layer.Tcp));
  // NFLOG: the packet is the TLV of type 9 wherever it is; another family is not followed.
  const nflog = wrapIp(datagram, LINKTYPE.NFLOG);
  assert.ok(decodeAs(nflog, LINKTYPE.NFLOG).has(Layer.Tcp));
  const other = Uint8Array.from(nflog); other[0] = 7;
  assert.equal(decodeAs(other, LINKTYPE.NFLOG).stop, Stop.Unsupported);
  // A TLV length below its own header ends the walk; so does the end of the capture.
  const broken = Uint8Array.from(nflog); broken[4] = 0; broken[5] = 0;
  assert.equal(decodeAs(broken, LINKTYPE.NFLOG).stop, Stop.Malformed);
  assert.equal(decodeAs(nflog.subarray(0, 10), LINKTYPE.NFLOG).stop, Stop.Truncated);
  // Juniper without extensions, and without the layer-2 header (four bytes, then IP).
  assert.ok(decodeAs(concat([0x4d, 0x47, 0x43, 0x00], ethernet({ type: ETHERTYPE.IPV4, payload: datagram })), LINKTYPE.JUNIPER_ETHER).has(Layer.Tcp));
  assert.ok(decodeAs(concat([0x4d, 0x47, 0x43, 0x02, 0, 0, 0, 0], datagram), LINKTYPE.JUNIPER_ETHER).has(Layer.Tcp));
  assert.equal(decodeAs(concat([0x4d, 0x47, 0x44, 0x00], datagram), LINKTYPE.JUNIPER_ETHER).stop, Stop.Malformed);
});

test('WCCP inside GRE: version 2\'s redirect header and version 1 without one', () => {
  for (const payload of [concat([0x05, 0x59, 0x00, 0x48], datagram), datagram]) {
    const outer = ipv4({ src: '192.0.2.1', dst: '192.0.2.2', proto: IPPROTO.GRE, payload: gre({ protocol: 0x883e, payload }) });
    const d = decodeAs(ethernet({ type: ETHERTYPE.IPV4, payload: outer }), LINKTYPE.EN10MB);
    assert.ok(d.has(Layer.Tcp));
    assert.equal(d.tunnels.kind[0], TunnelKind.Gre);
  }
});

test('a link header cut at any byte stops inside the capture', () => {
  const d = new DecodedPacket();
  for (const lt of LINKS) {
    const bytes = wrapIp(datagram, lt);
    for (let cut = 0; cut <= bytes.length; cut++) {
      const r = record(bytes.subarray(0, cut), { linkType: lt, origLen: bytes.length });
      decodePacket(r, d);
      const end = d.captureEnd;
      if (d.has(Layer.Tcp)) assert.ok(d.tcp.o + 20 <= end, `link type ${lt} cut at ${cut}: TCP view past the capture`);
      if (d.has(Layer.Ipv4)) assert.ok(d.ipv4.o + 20 <= end, `link type ${lt} cut at ${cut}: IPv4 view past the capture`);
      if (d.has(Layer.Ethernet)) assert.ok(d.ethernet.o + 14 <= end, `link type ${lt} cut at ${cut}: Ethernet view past the capture`);
      if (cut < bytes.length - datagram.length) assert.equal(d.ipVersion, 0, `link type ${lt} cut at ${cut}: IP before its header`);
    }
  }
});

test('the link-type fixtures: analysis sees their TCP connections', async () => {
  const cases = { 'tcpdump-ipoib.pcap': 1, 'tcpdump-arcnet-rfc1201-arp-icmp-http.pcap': 1 };
  for (const [name, streams] of Object.entries(cases)) {
    const report = await analyze(fx(name));
    assert.ok(report.tcp.streams.length >= streams, `${name}: ${report.tcp.streams.length} TCP streams`);
  }
});
