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
 * Needs nothing built: the pcap format is written here directly.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const outDir = process.argv[2] ?? join(here, '..', 'fixtures');

// ---- bytes ----------------------------------------------------------------

const cat = (...parts) => Buffer.concat(parts.map((p) => Buffer.from(p)));
const u8 = (v) => Buffer.from([v & 0xff]);
const be16 = (v) => { const b = Buffer.alloc(2); b.writeUInt16BE(v & 0xffff); return b; };
const be32 = (v) => { const b = Buffer.alloc(4); b.writeUInt32BE(v >>> 0); return b; };
const le32 = (v) => { const b = Buffer.alloc(4); b.writeUInt32LE(v >>> 0); return b; };
const mac = (s) => Buffer.from(s.split(':').map((x) => parseInt(x, 16)));
const ip4 = (s) => Buffer.from(s.split('.').map(Number));
function ip6(s) {
  const [head, tail] = s.split('::');
  const words = (x) => (x ? x.split(':').map((w) => parseInt(w, 16)) : []);
  const h = words(head), t = tail === undefined ? [] : words(tail);
  const all = [...h, ...new Array(8 - h.length - t.length).fill(0), ...t];
  return Buffer.concat(all.map(be16));
}
const payload = (n, seed = 0) => Buffer.from(Array.from({ length: n }, (_, i) => 0x41 + ((i + seed) % 26)));

function checksum(...parts) {
  const b = Buffer.concat(parts);
  let sum = 0;
  for (let i = 0; i + 1 < b.length; i += 2) sum += b.readUInt16BE(i);
  if (b.length % 2) sum += b[b.length - 1] << 8;
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return (~sum) & 0xffff;
}

// ---- network and transport ------------------------------------------------

let ipId = 0x1000;
function ipv4(src, dst, proto, body, { ttl = 64, id = ipId++ } = {}) {
  const h = cat(u8(0x45), u8(0), be16(20 + body.length), be16(id), be16(0x4000), u8(ttl), u8(proto), be16(0), ip4(src), ip4(dst));
  h.writeUInt16BE(checksum(h), 10);
  return cat(h, body);
}

/** `ext`: [{ type, bytes }] extension headers in order; each `bytes` is without its next-header byte. */
function ipv6(src, dst, proto, body, ext = []) {
  let next = proto;
  let chain = Buffer.alloc(0);
  for (let i = ext.length - 1; i >= 0; i--) {
    chain = cat(u8(next), ext[i].bytes, chain);
    next = ext[i].type;
  }
  const len = chain.length + body.length;
  return cat(be32(0x60000000), be16(len), u8(next), u8(64), ip6(src), ip6(dst), chain, body);
}

function pseudo(src, dst, proto, len) {
  return src.includes(':')
    ? cat(ip6(src), ip6(dst), be32(len), be32(proto))
    : cat(ip4(src), ip4(dst), u8(0), u8(proto), be16(len));
}

const FIN = 0x01, SYN = 0x02, RST = 0x04, PSH = 0x08, ACK = 0x10;

function tcp(src, dst, sport, dport, seq, ack, flags, win, data = Buffer.alloc(0), options = Buffer.alloc(0)) {
  const hlen = 20 + options.length;
  const h = cat(be16(sport), be16(dport), be32(seq), be32(ack), u8((hlen / 4) << 4), u8(flags), be16(win), be16(0), be16(0), options);
  h.writeUInt16BE(checksum(pseudo(src, dst, 6, hlen + data.length), h, data), 16);
  return cat(h, data);
}

function udp(src, dst, sport, dport, data) {
  const h = cat(be16(sport), be16(dport), be16(8 + data.length), be16(0));
  h.writeUInt16BE(checksum(pseudo(src, dst, 17, 8 + data.length), h, data) || 0xffff, 6);
  return cat(h, data);
}

function icmpEcho(type, id, seq, data) {
  const m = cat(u8(type), u8(0), be16(0), be16(id), be16(seq), data);
  m.writeUInt16BE(checksum(m), 2);
  return m;
}

function icmp6(src, dst, type, code, body) {
  const m = cat(u8(type), u8(code), be16(0), body);
  m.writeUInt16BE(checksum(pseudo(src, dst, 58, m.length), m), 2);
  return m;
}

function arp(op, sha, spa, tha, tpa) {
  return cat(be16(1), be16(0x0800), u8(6), u8(4), be16(op), mac(sha), ip4(spa), mac(tha), ip4(tpa));
}

// A DNS query and answer for example.com, so that UDP carries something real.
const dnsQuery = cat(be16(0x1234), be16(0x0100), be16(1), be16(0), be16(0), be16(0),
  Buffer.from([7, ...Buffer.from('example'), 3, ...Buffer.from('com'), 0]), be16(1), be16(1));
const dnsAnswer = cat(be16(0x1234), be16(0x8180), be16(1), be16(1), be16(0), be16(0),
  Buffer.from([7, ...Buffer.from('example'), 3, ...Buffer.from('com'), 0]), be16(1), be16(1),
  be16(0xc00c), be16(1), be16(1), be32(300), be16(4), ip4('93.184.216.34'));

// ---- links ------------------------------------------------------------------

const MAC_A = '02:00:00:00:00:0a', MAC_B = '02:00:00:00:00:0b', BCAST = 'ff:ff:ff:ff:ff:ff';
const etherType = (ip) => (ip[0] >> 4 === 6 ? 0x86dd : 0x0800);
const ether = (dst, src, type, body) => cat(mac(dst), mac(src), be16(type), body);
/** 802.1Q tags (or 802.1ad then 802.1Q), outermost first. */
function tagged(dst, src, tags, type, body) {
  // Each tag is TPID + TCI; the EtherType of the payload follows the last one.
  const t = tags.map(({ tpid, vid, pcp = 0 }) => cat(be16(tpid), be16((pcp << 13) | vid)));
  return cat(mac(dst), mac(src), ...t, be16(type), body);
}
/** Linux cooked v1: packet type, ARPHRD, address length, address (8), protocol. */
const sll = (pktType, srcMac, proto, body) => cat(be16(pktType), be16(1), be16(6), mac(srcMac), Buffer.alloc(2), be16(proto), body);
/** Linux cooked v2: protocol, reserved, interface index, ARPHRD, packet type, address length, address (8). */
const sll2 = (pktType, ifindex, srcMac, proto, body) => cat(be16(proto), be16(0), be32(ifindex), be16(1), u8(pktType), u8(6), mac(srcMac), Buffer.alloc(2), body);
/** BSD loopback: address family in the writer's byte order (NULL, little-endian here) or network order (LOOP). */
const nullLink = (family, body) => cat(le32(family), body);
const loopLink = (family, body) => cat(be32(family), body);

// ---- pcap -------------------------------------------------------------------

const LINKTYPE = { NULL: 0, EN10MB: 1, RAW: 101, LOOP: 108, LINUX_SLL: 113, LINUX_SLL2: 276 };
const BASE = 1700000000;

/** Writes a microsecond pcap; `packets` are [secondsFromBase, bytes]. */
function writePcap(name, linkType, packets) {
  const head = Buffer.alloc(24);
  head.writeUInt32LE(0xa1b2c3d4, 0);
  head.writeUInt16LE(2, 4);
  head.writeUInt16LE(4, 6);
  head.writeUInt32LE(262144, 16);
  head.writeUInt32LE(linkType, 20);
  const recs = packets.map(([t, bytes]) => {
    const us = Math.round(t * 1e6);
    const r = Buffer.alloc(16);
    r.writeUInt32LE(BASE + Math.floor(us / 1e6), 0);
    r.writeUInt32LE(us % 1e6, 4);
    r.writeUInt32LE(bytes.length, 8);
    r.writeUInt32LE(bytes.length, 12);
    return cat(r, bytes);
  });
  mkdirSync(outDir, { recursive: true });
  const file = join(outDir, name);
  writeFileSync(file, cat(head, ...recs));
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
  ip(src, dst, body) { return src.ip.includes(':') ? ipv6(src.ip, dst.ip, 6, body) : ipv4(src.ip, dst.ip, 6, body); }
  /** A segment from `from` with `flags`, `len` payload bytes; `seq`/`ack` override the tracked numbers. */
  seg(from, flags, { len = 0, win = 65535, seq, ack, advance = true, options } = {}) {
    const s = this.side(from), d = s.peer;
    const useSeq = seq ?? s.seq;
    const useAck = ack ?? (flags & ACK ? d.seq : 0);
    const data = payload(len, useSeq);
    const body = tcp(s.ip, d.ip, s.port, d.port, useSeq, useAck, flags, win, data, options);
    if (advance) s.seq = Math.max(s.seq, useSeq + len + (flags & (SYN | FIN) ? 1 : 0));
    return this.ip(s, d, body);
  }
  /** SYN (with MSS and window scale 0), SYN-ACK, ACK. */
  handshake(t, rtt = 0.01) {
    const opts = cat(u8(2), u8(4), be16(1460), u8(1), u8(3), u8(3), u8(0));
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
  const vlan = (dst, src, type, body) => tagged(dst, src, [{ tpid: 0x8100, vid: 100, pcp: 3 }], type, body);
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
  const fromA = (ip) => ip.subarray(12, 16).equals(ip4('192.0.2.10'));
  writePcap('link-vlan.pcap', LINKTYPE.EN10MB, [
    [0.0, vlan(BCAST, MAC_A, 0x0806, arp(1, MAC_A, '192.0.2.10', '00:00:00:00:00:00', '192.0.2.20'))],
    [0.001, vlan(MAC_A, MAC_B, 0x0806, arp(2, MAC_B, '192.0.2.20', MAC_A, '192.0.2.10'))],
    ...tcpPk.map(([t, ip]) => [t, fromA(ip) ? vlan(MAC_B, MAC_A, 0x0800, ip) : vlan(MAC_A, MAC_B, 0x0800, ip)]),
  ]);
}

// Ethernet + 802.1ad outer tag + 802.1Q inner tag (QinQ): ICMP echo and a DNS exchange.
{
  const qinq = (src, dst, body) => tagged(dst, src, [{ tpid: 0x88a8, vid: 10 }, { tpid: 0x8100, vid: 20 }], 0x0800, body);
  const A = '198.51.100.1', B = '198.51.100.53';
  writePcap('link-qinq.pcap', LINKTYPE.EN10MB, [
    [0.0, qinq(MAC_A, MAC_B, ipv4(A, B, 1, icmpEcho(8, 0x77, 1, payload(32))))],
    [0.002, qinq(MAC_B, MAC_A, ipv4(B, A, 1, icmpEcho(0, 0x77, 1, payload(32))))],
    [0.01, qinq(MAC_A, MAC_B, ipv4(A, B, 17, udp(A, B, 53000, 53, dnsQuery)))],
    [0.015, qinq(MAC_B, MAC_A, ipv4(B, A, 17, udp(B, A, 53, 53000, dnsAnswer)))],
  ]);
}

// Linux cooked capture v1 (any interface): ICMP echo, DNS, and a TCP handshake with one data segment.
{
  const A = '10.9.0.2', B = '10.9.0.1';
  const c = new TcpConn(A, B, 51000, 22);
  const pk = [
    [0.0, sll(4, MAC_A, 0x0800, ipv4(A, B, 1, icmpEcho(8, 0x42, 7, payload(56))))],
    [0.0005, sll(0, MAC_B, 0x0800, ipv4(B, A, 1, icmpEcho(0, 0x42, 7, payload(56))))],
    [0.01, sll(4, MAC_A, 0x0800, ipv4(A, B, 17, udp(A, B, 41000, 53, dnsQuery)))],
    [0.02, sll(0, MAC_B, 0x0800, ipv4(B, A, 17, udp(B, A, 53, 41000, dnsAnswer)))],
  ];
  const tcpPk = [...c.handshake(0.1, 0.002), [0.11, c.seg('b', PSH | ACK, { len: 40 })], [0.112, c.seg('a', ACK)]];
  // Direction by address: packets from A are outgoing (4), the rest incoming (0).
  for (const [t, ip] of tcpPk) pk.push([t, sll(ip.subarray(12, 16).equals(ip4(A)) ? 4 : 0, MAC_A, 0x0800, ip)]);
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
  writePcap('link-sll2.pcap', LINKTYPE.LINUX_SLL2, [
    [0.0, sll2(4, 3, MAC_A, 0x0800, syn1)],
    [1.0, sll2(4, 3, MAC_A, 0x0800, syn2)],
    [1.0003, sll2(0, 3, MAC_B, 0x0800, rst)],
    [2.0, sll2(4, 3, MAC_A, 0x86dd, ipv6(A6, B6, 58, icmp6(A6, B6, 128, 0, cat(be16(9), be16(1), payload(16)))))],
    [2.0004, sll2(0, 3, MAC_B, 0x86dd, ipv6(B6, A6, 58, icmp6(B6, A6, 129, 0, cat(be16(9), be16(1), payload(16)))))],
  ]);
}

// Raw IP (no link header): IPv4 ping, IPv6 ping, and an IPv4 handshake with data.
{
  const A = '203.0.113.5', B = '203.0.113.80', A6 = '2001:db8:1::5', B6 = '2001:db8:1::80';
  const c = new TcpConn(A, B, 33000, 443);
  writePcap('link-raw.pcap', LINKTYPE.RAW, [
    [0.0, ipv4(A, B, 1, icmpEcho(8, 1, 1, payload(24)))],
    [0.02, ipv4(B, A, 1, icmpEcho(0, 1, 1, payload(24)))],
    [0.05, ipv6(A6, B6, 58, icmp6(A6, B6, 128, 0, cat(be16(2), be16(1), payload(24))))],
    [0.07, ipv6(B6, A6, 58, icmp6(B6, A6, 129, 0, cat(be16(2), be16(1), payload(24))))],
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
  const six = ipv6('::1', '::1', 17, udp('::1', '::1', 60000, 9999, payload(20)));
  writePcap('link-null.pcap', LINKTYPE.NULL, [...pk.map(([t, ip]) => [t, nullLink(2, ip)]), [0.5, nullLink(30, six)]]);
}

// OpenBSD LOOP (family in network order): IPv6 TCP handshake and data (AF_INET6 = 24), IPv4 UDP.
{
  const c = new TcpConn('::1', '::1', 41000, 8080);
  const pk = [...c.handshake(0.0, 0.0002), [0.001, c.seg('a', PSH | ACK, { len: 77 })], [0.0012, c.seg('b', PSH | ACK, { len: 512 })], [0.0014, c.seg('a', ACK)]];
  writePcap('link-loop.pcap', LINKTYPE.LOOP, [
    ...pk.map(([t, ip]) => [t, loopLink(24, ip)]),
    [0.01, loopLink(2, ipv4('127.0.0.1', '127.0.0.1', 17, udp('127.0.0.1', '127.0.0.1', 45000, 9999, payload(40))))],
  ]);
}

// IPv6 extension headers over Ethernet: hop-by-hop + destination options before TCP, a routing header,
// a fragmented UDP datagram (first and later fragment), neighbour discovery, and echo.
{
  const A = 'fe80::a', B = 'fe80::b', G = '2001:db8:2::1', H = '2001:db8:2::2';
  const pad = (n) => (n === 1 ? u8(0) : cat(u8(1), u8(n - 2), Buffer.alloc(n - 2)));
  const hbh = { type: 0, bytes: cat(u8(0), u8(5), u8(2), be16(0), pad(2)) }; // router alert, PadN
  const dst = { type: 60, bytes: cat(u8(0), pad(6)) };
  const rh = { type: 43, bytes: cat(u8(2), u8(0), u8(0), Buffer.alloc(4), ip6(H)) }; // type 0, segments left 0
  const e = (src, _dst, ip) => ether(src === G || src === A ? MAC_B : MAC_A, src === G || src === A ? MAC_A : MAC_B, 0x86dd, ip);
  const c = new TcpConn(G, H, 34000, 80);
  const synOpts = cat(u8(2), u8(4), be16(1440));
  const syn = tcp(G, H, 34000, 80, 1000, 0, SYN, 65535, Buffer.alloc(0), synOpts);
  const synAck = tcp(H, G, 80, 34000, 5000, 1001, SYN | ACK, 65535, Buffer.alloc(0), synOpts);
  const ackSeg = tcp(G, H, 34000, 80, 1001, 5001, ACK, 65535);
  c.a.seq = 1001; c.b.seq = 5001;
  // A 1600-byte UDP datagram in two fragments: offset 0 (UDP header inside) and offset 1232.
  const bigData = payload(1592);
  const whole = udp(G, H, 5000, 5001, bigData);
  const first = whole.subarray(0, 1232), rest = whole.subarray(1232);
  const frag = (off, more, body) => ({ type: 44, bytes: cat(u8(0), be16((off / 8) << 3 | (more ? 1 : 0)), be32(0xabcd)) , body });
  const f1 = frag(0, true, first), f2 = frag(1232, false, rest);
  const ns = icmp6(A, 'ff02::1:ff00:b', 135, 0, cat(be32(0), ip6(B), u8(1), u8(1), mac(MAC_A)));
  const na = icmp6(B, A, 136, 0, cat(be32(0x60000000), ip6(B), u8(2), u8(1), mac(MAC_B)));
  writePcap('ipv6-ext-headers.pcap', LINKTYPE.EN10MB, [
    [0.0, e(A, 'ff02::1:ff00:b', ipv6(A, 'ff02::1:ff00:b', 58, ns))],
    [0.001, e(B, A, ipv6(B, A, 58, na))],
    [0.01, e(G, H, ipv6(G, H, 6, syn, [hbh, dst]))],
    [0.02, e(H, G, ipv6(H, G, 6, synAck, [dst]))],
    [0.025, e(G, H, ipv6(G, H, 6, ackSeg, [rh]))],
    [0.03, e(G, H, ipv6(G, H, 6, c.seg('a', PSH | ACK, { len: 200 }).subarray(40), [hbh, rh, dst]))],
    [0.04, e(H, G, ipv6(H, G, 6, c.seg('b', ACK).subarray(40)))],
    [0.05, e(G, H, ipv6(G, H, 17, f1.body, [f1]))],
    [0.0501, e(G, H, ipv6(G, H, 17, f2.body, [f2]))],
    [0.06, e(G, H, ipv6(G, H, 58, icmp6(G, H, 128, 0, cat(be16(5), be16(1), payload(8))), [dst]))],
    [0.061, e(H, G, ipv6(H, G, 58, icmp6(H, G, 129, 0, cat(be16(5), be16(1), payload(8)))))],
  ]);
}

// TCP flags the lab captures lack: zero-window probe and its ACK, ACKed unseen segment, reused ports.
{
  const eth = (ip) => ether(MAC_B, MAC_A, etherType(ip), ip);
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
