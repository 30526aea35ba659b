#!/usr/bin/env node
/**
 * Crafts the link-type and decoder fixtures (fixtures/link-*.pcap,
 * fixtures/ipv6-ext-headers.pcap, fixtures/tcp-window-probes.pcap): every
 * link type zsniff decodes, IPv6 extension headers, ARP, ICMP/ICMPv6, and
 * the TCP expert flags the lab captures do not show. Byte-for-byte
 * reproducible (fixed timestamps, no randomness), checksums correct, so
 * tcpdump and tshark read them as we do.
 *
 *   node scripts/gen-link-fixtures.mjs [outdir]     (default: fixtures/)
 *
 * Needs nothing built: test/helpers/ writes the packets and the pcap.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  ETHERTYPE, IPPROTO, LINKTYPE, TCP_FLAGS, arp, be16, be32, concat, ethernet, icmp6, icmpEcho, ipAddress, ipv4, ipv6,
  loopLink, macAddress, nullLink, sll, sll2, tcp, udp, utf8,
} from '../test/helpers/packets.js';
import { pcapFile, stamp } from '../test/helpers/capture-files.js';

const here = dirname(fileURLToPath(import.meta.url));
const outDir = process.argv[2] ?? join(here, '..', 'fixtures');

const payload = (n, seed = 0) => Uint8Array.from({ length: n }, (_, i) => 0x41 + ((i + seed) % 26));
const { FIN, SYN, RST, PSH, ACK } = TCP_FLAGS;

// IPv4 IDs count on across the fixtures, as when the files were first written.
let ipId = 0x1000;
const ip4 = (src, dst, proto, body) => ipv4({ src, dst, proto, payload: body, id: ipId++ });
const ip6 = (src, dst, proto, body, ext) => ipv6({ src, dst, proto, payload: body, ext });
/** Whether IPv4 datagram `ip` was sent by `addr`. */
const sentBy = (ip, addr) => ipAddress(addr).every((b, i) => ip[12 + i] === b);
const echo6 = (id, seq, data) => concat(be16(id), be16(seq), data);

// A DNS query and answer for example.com, so that UDP carries something real.
const exampleCom = concat([7], utf8('example'), [3], utf8('com'), [0]);
const dnsQuery = concat(be16(0x1234), be16(0x0100), be16(1), be16(0), be16(0), be16(0), exampleCom, be16(1), be16(1));
const dnsAnswer = concat(be16(0x1234), be16(0x8180), be16(1), be16(1), be16(0), be16(0), exampleCom, be16(1), be16(1),
  be16(0xc00c), be16(1), be16(1), be32(300), be16(4), ipAddress('93.184.216.34'));

const MAC_A = '02:00:00:00:00:0a', MAC_B = '02:00:00:00:00:0b', BCAST = 'ff:ff:ff:ff:ff:ff';

// ---- pcap -------------------------------------------------------------------

const BASE = 1700000000;

/** Writes a microsecond pcap; `packets` are [secondsFromBase, bytes]. */
function writePcap(name, linkType, packets) {
  const records = packets.map(([t, bytes]) => {
    const { tsSec, tsNsec } = stamp(t);
    return { tsSec: BASE + tsSec, tsNsec, bytes };
  });
  mkdirSync(outDir, { recursive: true });
  const file = join(outDir, name);
  writeFileSync(file, pcapFile(records, { linkType }));
  console.log(`${file}: ${packets.length} packets`);
}

// ---- TCP conversations -------------------------------------------------------

/**
 * One TCP connection, tracked so that sequence numbers stay right: each call
 * returns the IP packet and advances the sender's sequence number.
 */
class TcpConn {
  constructor(a, b, aPort, bPort, isnA = 1000, isnB = 5000) {
    this.a = { ip: a, port: aPort, seq: isnA, peer: null };
    this.b = { ip: b, port: bPort, seq: isnB, peer: null };
    this.a.peer = this.b; this.b.peer = this.a;
  }
  side(from) { return from === 'a' ? this.a : this.b; }
  ip(src, dst, body) { return src.ip.includes(':') ? ip6(src.ip, dst.ip, IPPROTO.TCP, body) : ip4(src.ip, dst.ip, IPPROTO.TCP, body); }
  /** A segment from `from` with `flags`, `len` payload bytes; `seq`/`ack` override the tracked numbers. */
  seg(from, flags, { len = 0, win = 65535, seq, ack, advance = true, options } = {}) {
    const s = this.side(from), d = s.peer;
    const useSeq = seq ?? s.seq;
    const useAck = ack ?? (flags & ACK ? d.seq : 0);
    const data = payload(len, useSeq);
    const body = tcp({ src: s.ip, dst: d.ip, sport: s.port, dport: d.port, seq: useSeq, ack: useAck, flags, win, payload: data, options });
    if (advance) s.seq = Math.max(s.seq, useSeq + len + (flags & (SYN | FIN) ? 1 : 0));
    return this.ip(s, d, body);
  }
  /** SYN (with MSS and window scale 0), SYN-ACK, ACK. */
  handshake(t, rtt = 0.01) {
    const opts = concat([2, 4], be16(1460), [1, 3, 3, 0]);
    return [
      [t, this.seg('a', SYN, { options: opts })],
      [t + rtt, this.seg('b', SYN | ACK, { options: opts })],
      [t + rtt * 1.5, this.seg('a', ACK)],
    ];
  }
  close(t, rtt = 0.01) {
    return [
      [t, this.seg('a', FIN | ACK)],
      [t + rtt, this.seg('b', FIN | ACK)],
      [t + rtt * 1.5, this.seg('a', ACK)],
    ];
  }
}

// ---- the fixtures --------------------------------------------------------------

// Ethernet + 802.1Q: ARP, then a complete TCP conversation (handshake, data both ways, FIN both ways).
{
  const vlan = (dst, src, type, payload) => ethernet({ dst, src, tags: [{ tpid: ETHERTYPE.VLAN, vid: 100, pcp: 3 }], type, payload });
  const c = new TcpConn('192.0.2.10', '192.0.2.20', 40000, 80);
  const tcpPk = [
    ...c.handshake(0.01),
    [0.03, c.seg('a', PSH | ACK, { len: 120 })],
    [0.04, c.seg('b', ACK)],
    [0.041, c.seg('b', PSH | ACK, { len: 1200 })],
    [0.042, c.seg('b', PSH | ACK, { len: 800 })],
    [0.052, c.seg('a', ACK)],
    ...c.close(0.1),
  ];
  const fromA = (ip) => sentBy(ip, '192.0.2.10');
  writePcap('link-vlan.pcap', LINKTYPE.EN10MB, [
    [0.0, vlan(BCAST, MAC_A, ETHERTYPE.ARP, arp({ op: 1, senderMac: MAC_A, senderIp: '192.0.2.10', targetIp: '192.0.2.20' }))],
    [0.001, vlan(MAC_A, MAC_B, ETHERTYPE.ARP, arp({ op: 2, senderMac: MAC_B, senderIp: '192.0.2.20', targetMac: MAC_A, targetIp: '192.0.2.10' }))],
    ...tcpPk.map(([t, ip]) => [t, fromA(ip) ? vlan(MAC_B, MAC_A, 0x0800, ip) : vlan(MAC_A, MAC_B, 0x0800, ip)]),
  ]);
}

// Ethernet + 802.1ad outer tag + 802.1Q inner tag (QinQ): ICMP echo and a DNS exchange.
{
  const qinq = (src, dst, payload) => ethernet({ dst, src, tags: [{ tpid: ETHERTYPE.QINQ, vid: 10 }, { tpid: ETHERTYPE.VLAN, vid: 20 }], payload });
  const A = '198.51.100.1', B = '198.51.100.53';
  writePcap('link-qinq.pcap', LINKTYPE.EN10MB, [
    [0.0, qinq(MAC_A, MAC_B, ip4(A, B, IPPROTO.ICMP, icmpEcho({ type: 8, id: 0x77, seq: 1, data: payload(32) })))],
    [0.002, qinq(MAC_B, MAC_A, ip4(B, A, IPPROTO.ICMP, icmpEcho({ type: 0, id: 0x77, seq: 1, data: payload(32) })))],
    [0.01, qinq(MAC_A, MAC_B, ip4(A, B, IPPROTO.UDP, udp({ src: A, dst: B, sport: 53000, dport: 53, payload: dnsQuery })))],
    [0.015, qinq(MAC_B, MAC_A, ip4(B, A, IPPROTO.UDP, udp({ src: B, dst: A, sport: 53, dport: 53000, payload: dnsAnswer })))],
  ]);
}

// Linux cooked capture v1 (any interface): ICMP echo, DNS, and a TCP handshake with one data segment.
{
  const A = '10.9.0.2', B = '10.9.0.1';
  const c = new TcpConn(A, B, 51000, 22);
  const cooked = (packetType, address, payload) => sll({ packetType, address, payload });
  const pk = [
    [0.0, cooked(4, MAC_A, ip4(A, B, IPPROTO.ICMP, icmpEcho({ type: 8, id: 0x42, seq: 7, data: payload(56) })))],
    [0.0005, cooked(0, MAC_B, ip4(B, A, IPPROTO.ICMP, icmpEcho({ type: 0, id: 0x42, seq: 7, data: payload(56) })))],
    [0.01, cooked(4, MAC_A, ip4(A, B, IPPROTO.UDP, udp({ src: A, dst: B, sport: 41000, dport: 53, payload: dnsQuery })))],
    [0.02, cooked(0, MAC_B, ip4(B, A, IPPROTO.UDP, udp({ src: B, dst: A, sport: 53, dport: 41000, payload: dnsAnswer })))],
  ];
  const tcpPk = [...c.handshake(0.1, 0.002), [0.11, c.seg('b', PSH | ACK, { len: 40 })], [0.112, c.seg('a', ACK)]];
  // Direction by address: packets from A are outgoing (4), the rest incoming (0).
  for (const [t, ip] of tcpPk) pk.push([t, cooked(sentBy(ip, A) ? 4 : 0, MAC_A, ip)]);
  writePcap('link-sll.pcap', LINKTYPE.LINUX_SLL, pk);
}

// Linux cooked capture v2: a connection refused (SYN, SYN again after 1 s, RST) and an IPv6 ping.
{
  const A = '10.8.0.2', B = '10.8.0.9';
  const c = new TcpConn(A, B, 52000, 8443);
  const syn1 = c.seg('a', SYN, { advance: false });
  const syn2 = c.seg('a', SYN);
  const rst = c.seg('b', RST | ACK, { seq: 0 });
  const A6 = '2001:db8::2', B6 = '2001:db8::9';
  const cooked = (packetType, address, payload) => sll2({ packetType, ifindex: 3, address, payload });
  writePcap('link-sll2.pcap', LINKTYPE.LINUX_SLL2, [
    [0.0, cooked(4, MAC_A, syn1)],
    [1.0, cooked(4, MAC_A, syn2)],
    [1.0003, cooked(0, MAC_B, rst)],
    [2.0, cooked(4, MAC_A, ip6(A6, B6, IPPROTO.ICMPV6, icmp6({ src: A6, dst: B6, type: 128, body: echo6(9, 1, payload(16)) })))],
    [2.0004, cooked(0, MAC_B, ip6(B6, A6, IPPROTO.ICMPV6, icmp6({ src: B6, dst: A6, type: 129, body: echo6(9, 1, payload(16)) })))],
  ]);
}

// Raw IP (no link header): IPv4 ping, IPv6 ping, and an IPv4 handshake with data.
{
  const A = '203.0.113.5', B = '203.0.113.80', A6 = '2001:db8:1::5', B6 = '2001:db8:1::80';
  const c = new TcpConn(A, B, 33000, 443);
  writePcap('link-raw.pcap', LINKTYPE.RAW, [
    [0.0, ip4(A, B, IPPROTO.ICMP, icmpEcho({ type: 8, id: 1, seq: 1, data: payload(24) }))],
    [0.02, ip4(B, A, IPPROTO.ICMP, icmpEcho({ type: 0, id: 1, seq: 1, data: payload(24) }))],
    [0.05, ip6(A6, B6, IPPROTO.ICMPV6, icmp6({ src: A6, dst: B6, type: 128, body: echo6(2, 1, payload(24)) }))],
    [0.07, ip6(B6, A6, IPPROTO.ICMPV6, icmp6({ src: B6, dst: A6, type: 129, body: echo6(2, 1, payload(24)) }))],
    ...c.handshake(0.1, 0.02),
    [0.14, c.seg('a', PSH | ACK, { len: 300 })],
    [0.16, c.seg('b', ACK)],
  ]);
}

// BSD NULL loopback (family in host order): IPv4 TCP with one retransmission, IPv6 (AF_INET6 = 30, macOS) UDP.
{
  const c = new TcpConn('127.0.0.1', '127.0.0.1', 50500, 6379);
  const hs = c.handshake(0.0, 0.0001);
  const seq = c.a.seq;
  const data1 = c.seg('a', PSH | ACK, { len: 64 });
  const again = c.seg('a', PSH | ACK, { len: 64, seq });
  const pk = [...hs, [0.001, data1], [0.201, again], [0.2012, c.seg('b', ACK)], ...c.close(0.3, 0.0001)];
  const six = ip6('::1', '::1', IPPROTO.UDP, udp({ src: '::1', dst: '::1', sport: 60000, dport: 9999, payload: payload(20) }));
  writePcap('link-null.pcap', LINKTYPE.NULL, [...pk.map(([t, ip]) => [t, nullLink(2, ip)]), [0.5, nullLink(30, six)]]);
}

// OpenBSD LOOP (family in network order): IPv6 TCP handshake and data (AF_INET6 = 24), IPv4 UDP.
{
  const c = new TcpConn('::1', '::1', 41000, 8080);
  const pk = [...c.handshake(0.0, 0.0002), [0.001, c.seg('a', PSH | ACK, { len: 77 })], [0.0012, c.seg('b', PSH | ACK, { len: 512 })], [0.0014, c.seg('a', ACK)]];
  writePcap('link-loop.pcap', LINKTYPE.LOOP, [
    ...pk.map(([t, ip]) => [t, loopLink(24, ip)]),
    [0.01, loopLink(2, ip4('127.0.0.1', '127.0.0.1', IPPROTO.UDP, udp({ src: '127.0.0.1', dst: '127.0.0.1', sport: 45000, dport: 9999, payload: payload(40) })))],
  ]);
}

// IPv6 extension headers over Ethernet: hop-by-hop + destination options before TCP, a routing header,
// a fragmented UDP datagram (first and later fragment), neighbour discovery, and echo.
{
  const A = 'fe80::a', B = 'fe80::b', G = '2001:db8:2::1', H = '2001:db8:2::2';
  const pad = (n) => (n === 1 ? [0] : concat([1, n - 2], new Uint8Array(n - 2)));
  const hbh = { type: IPPROTO.HOPOPTS, bytes: concat([0, 5, 2], be16(0), pad(2)) }; // router alert, PadN
  const dst = { type: IPPROTO.DSTOPTS, bytes: concat([0], pad(6)) };
  const rh = { type: IPPROTO.ROUTING, bytes: concat([2, 0, 0], new Uint8Array(4), ipAddress(H)) }; // type 0, segments left 0
  const e = (src, _dst, ip) => ethernet({ dst: src === G || src === A ? MAC_B : MAC_A, src: src === G || src === A ? MAC_A : MAC_B, payload: ip });
  const c = new TcpConn(G, H, 34000, 80);
  const synOpts = concat([2, 4], be16(1440));
  const syn = tcp({ src: G, dst: H, sport: 34000, dport: 80, seq: 1000, flags: SYN, options: synOpts });
  const synAck = tcp({ src: H, dst: G, sport: 80, dport: 34000, seq: 5000, ack: 1001, flags: SYN | ACK, options: synOpts });
  const ackSeg = tcp({ src: G, dst: H, sport: 34000, dport: 80, seq: 1001, ack: 5001, flags: ACK });
  c.a.seq = 1001; c.b.seq = 5001;
  // A 1600-byte UDP datagram in two fragments: offset 0 (UDP header inside) and offset 1232.
  const bigData = payload(1592);
  const whole = udp({ src: G, dst: H, sport: 5000, dport: 5001, payload: bigData });
  const first = whole.subarray(0, 1232), rest = whole.subarray(1232);
  const frag = (off, more, body) => ({ type: IPPROTO.FRAGMENT, bytes: concat([0], be16((off / 8) << 3 | (more ? 1 : 0)), be32(0xabcd)), body });
  const f1 = frag(0, true, first), f2 = frag(1232, false, rest);
  const SN = 'ff02::1:ff00:b';
  const ns = icmp6({ src: A, dst: SN, type: 135, body: concat(be32(0), ipAddress(B), [1, 1], macAddress(MAC_A)) });
  const na = icmp6({ src: B, dst: A, type: 136, body: concat(be32(0x60000000), ipAddress(B), [2, 1], macAddress(MAC_B)) });
  writePcap('ipv6-ext-headers.pcap', LINKTYPE.EN10MB, [
    [0.0, e(A, SN, ip6(A, SN, IPPROTO.ICMPV6, ns))],
    [0.001, e(B, A, ip6(B, A, IPPROTO.ICMPV6, na))],
    [0.01, e(G, H, ip6(G, H, IPPROTO.TCP, syn, [hbh, dst]))],
    [0.02, e(H, G, ip6(H, G, IPPROTO.TCP, synAck, [dst]))],
    [0.025, e(G, H, ip6(G, H, IPPROTO.TCP, ackSeg, [rh]))],
    [0.03, e(G, H, ip6(G, H, IPPROTO.TCP, c.seg('a', PSH | ACK, { len: 200 }).subarray(40), [hbh, rh, dst]))],
    [0.04, e(H, G, ip6(H, G, IPPROTO.TCP, c.seg('b', ACK).subarray(40)))],
    [0.05, e(G, H, ip6(G, H, IPPROTO.UDP, f1.body, [f1]))],
    [0.0501, e(G, H, ip6(G, H, IPPROTO.UDP, f2.body, [f2]))],
    [0.06, e(G, H, ip6(G, H, IPPROTO.ICMPV6, icmp6({ src: G, dst: H, type: 128, body: echo6(5, 1, payload(8)) }), [dst]))],
    [0.061, e(H, G, ip6(H, G, IPPROTO.ICMPV6, icmp6({ src: H, dst: G, type: 129, body: echo6(5, 1, payload(8)) })))],
  ]);
}

// TCP flags the lab captures lack: zero-window probe and its ACK, ACKed unseen segment, reused ports.
{
  const eth = (ip) => ethernet({ dst: MAC_B, src: MAC_A, payload: ip });
  const A = '172.16.0.1', B = '172.16.0.2';
  const pk = [];
  // Stream 0: the receiver's window fills and closes; the sender probes it; the window opens again.
  const c = new TcpConn(A, B, 45000, 9000);
  pk.push(...c.handshake(0.0));
  pk.push([0.02, c.seg('a', PSH | ACK, { len: 1000 })]);
  pk.push([0.021, c.seg('a', PSH | ACK, { len: 1000 })]);
  pk.push([0.03, c.seg('b', ACK, { win: 0 })]);
  pk.push([0.25, c.seg('a', ACK, { len: 1 })]);
  const probeAck = c.b.peer.seq - 1;
  pk.push([0.26, c.seg('b', ACK, { win: 0, ack: probeAck })]);
  pk.push([0.66, c.seg('a', ACK, { len: 1, seq: probeAck })]);
  pk.push([0.67, c.seg('b', ACK, { win: 0, ack: probeAck })]);
  pk.push([0.9, c.seg('b', ACK, { win: 8192, ack: probeAck })]);
  pk.push([0.91, c.seg('a', PSH | ACK, { len: 500, seq: probeAck })]);
  pk.push([0.92, c.seg('b', ACK)]);
  pk.push(...c.close(1.0));
  // Stream 1: a segment the capture missed is ACKed (ACKed unseen segment).
  const d = new TcpConn(A, B, 45001, 9000, 20000, 70000);
  pk.push(...d.handshake(2.0));
  pk.push([2.02, d.seg('a', PSH | ACK, { len: 400 })]);
  d.a.seq += 400; // sent but not captured
  pk.push([2.03, d.seg('b', ACK)]);
  pk.push(...d.close(2.1));
  // Stream 2: the same ports again with a new ISN after the first connection on them closed.
  const r1 = new TcpConn(A, B, 45002, 9000, 30000, 90000);
  pk.push(...r1.handshake(3.0), [3.02, r1.seg('a', PSH | ACK, { len: 10 })], [3.03, r1.seg('b', ACK)], ...r1.close(3.04));
  const r2 = new TcpConn(A, B, 45002, 9000, 800000, 900000);
  pk.push(...r2.handshake(3.5), ...r2.close(3.6));
  writePcap('tcp-window-probes.pcap', LINKTYPE.EN10MB, pk.map(([t, ip]) => [t, eth(ip)]));
}
