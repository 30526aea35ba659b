// The emit side of the decoders' views, for unit tests, fixture scripts, fuzz inputs and bench
// inputs alike: one writer per protocol, header fields written byte by byte. Checksums are right
// wherever the bytes allow: a TCP, UDP or ICMPv6 checksum covers the IP addresses, so those
// writers fill it in when given `src` and `dst` and leave it 0 without them (what the fuzzers
// and most unit tests build). Builders return fresh Uint8Arrays; the emit* functions write in
// place at an offset, for loops that reuse one buffer. Nothing here needs dist/: the fixture
// scripts run before any build.
import { createCipheriv, createHash, createHmac } from 'node:crypto';

const EMPTY = new Uint8Array(0);

// ---- bytes --------------------------------------------------------------------

/** The parts (Uint8Arrays or arrays of byte values) one after the other. */
export function concat(...parts) {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) { out.set(p, o); o += p.length; }
  return out;
}

export const utf8 = (s) => new TextEncoder().encode(s);
/** One byte per UTF-16 unit (its low 8 bits): the bytes a test means when it writes '\x9b'. */
export const latin1 = (s) => Uint8Array.from({ length: s.length }, (_, i) => s.charCodeAt(i) & 0xff);

/** Big-endian writes; the value is cut to the field's width. */
export function put16(b, o, v) { b[o] = (v >>> 8) & 0xff; b[o + 1] = v & 0xff; }
export function put32(b, o, v) { b[o] = (v >>> 24) & 0xff; b[o + 1] = (v >>> 16) & 0xff; b[o + 2] = (v >>> 8) & 0xff; b[o + 3] = v & 0xff; }
export const be16 = (v) => { const b = new Uint8Array(2); put16(b, 0, v); return b; };
export const be32 = (v) => { const b = new Uint8Array(4); put32(b, 0, v); return b; };
/** Little-endian 16 bits, for headers written in the capturing host's order (NFLOG). */
export const le16 = (v) => Uint8Array.of(v & 0xff, (v >>> 8) & 0xff);

// ---- checksums ------------------------------------------------------------------

/** The ones'-complement sum (RFC 1071) of b[start, end) added to `sum`, folded to 16 bits. */
export function sum16(b, start = 0, end = b.length, sum = 0) {
  for (let i = start; i + 1 < end; i += 2) sum += (b[i] << 8) | b[i + 1];
  if ((end - start) & 1) sum += b[end - 1] << 8;
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return sum;
}

/** The internet checksum of b[start, end); `sum` brings in a pseudo-header's sum16. */
export function checksum(b, start = 0, end = b.length, sum = 0) {
  return ~sum16(b, start, end, sum) & 0xffff;
}

// ---- addresses --------------------------------------------------------------------

/** An IPv4 or IPv6 address: 'a.b.c.d', 'x:y::z', a 32-bit number (IPv4), or its bytes. */
export function ipAddress(a) {
  if (a instanceof Uint8Array) return a;
  if (Array.isArray(a)) return Uint8Array.from(a);
  if (typeof a === 'number') return be32(a);
  if (!a.includes(':')) return Uint8Array.from(a.split('.').map(Number));
  const [head, tail] = a.split('::');
  const words = (s) => (s ? s.split(':').map((w) => parseInt(w, 16)) : []);
  const h = words(head), t = words(tail);
  const out = new Uint8Array(16);
  [...h, ...new Array(8 - h.length - t.length).fill(0), ...t].forEach((w, i) => put16(out, 2 * i, w));
  return out;
}

/** A MAC address: '02:00:00:00:00:01' or its bytes. */
export function macAddress(m) {
  return typeof m === 'string' ? Uint8Array.from(m.split(':').map((x) => parseInt(x, 16))) : Uint8Array.from(m);
}

// ---- link layers --------------------------------------------------------------------

export const LINKTYPE = {
  NULL: 0, EN10MB: 1, PPP: 9, PPP_HDLC: 50, RAW: 101, C_HDLC: 104, FRELAY: 107, LOOP: 108, LINUX_SLL: 113, ARCNET_LINUX: 129,
  JUNIPER_ETHER: 178, IPNET: 226, IPV4: 228, IPV6: 229, NFLOG: 239, IPOIB: 242, LINUX_SLL2: 276,
  DSA_TAG_BRCM: 281, DSA_TAG_BRCM_PREPEND: 282, DSA_TAG_DSA: 284, DSA_TAG_EDSA: 285,
};
export const ETHERTYPE = {
  IPV4: 0x0800, ARP: 0x0806, VLAN: 0x8100, IPV6: 0x86dd, MPLS: 0x8847, PPPOE_SESSION: 0x8864, QINQ: 0x88a8,
  TEB: 0x6558, ERSPAN2: 0x88be, ERSPAN3: 0x22eb,
};
/** The EtherType of an IP datagram, by its version nibble. */
export const etherTypeOf = (ip) => (ip[0] >> 4 === 6 ? ETHERTYPE.IPV6 : ETHERTYPE.IPV4);

export const MAC_SRC = '02:00:00:00:00:01';
export const MAC_DST = '02:00:00:00:00:02';

/** Writes an Ethernet II header at b[o]; returns the offset after it. */
export function emitEthernet(b, o, { dst = MAC_DST, src = MAC_SRC, type }) {
  b.set(macAddress(dst), o);
  b.set(macAddress(src), o + 6);
  put16(b, o + 12, type);
  return o + 14;
}

/**
 * An Ethernet II frame. `tags` ([{ tpid = 0x8100, vid, pcp = 0 }], outermost first) make it
 * 802.1Q or 802.1ad; `type` (of the payload, after the tags) defaults to the payload's IP version.
 */
export function ethernet({ dst = MAC_DST, src = MAC_SRC, tags = [], type, payload }) {
  const head = new Uint8Array(14 + 4 * tags.length);
  emitEthernet(head, 0, { dst, src, type: tags.length ? tags[0].tpid ?? ETHERTYPE.VLAN : type ?? etherTypeOf(payload) });
  tags.forEach(({ vid, pcp = 0 }, i) => {
    put16(head, 14 + 4 * i, (pcp << 13) | vid);
    put16(head, 16 + 4 * i, i + 1 < tags.length ? tags[i + 1].tpid ?? ETHERTYPE.VLAN : type ?? etherTypeOf(payload));
  });
  return concat(head, payload);
}

/** The 8-byte link-layer address field of the Linux cooked headers (a MAC, zero-padded). */
function cookedAddress(address) {
  const out = new Uint8Array(8);
  out.set(macAddress(address));
  return out;
}

/** Linux cooked capture v1 (LINKTYPE_LINUX_SLL): packet type, ARPHRD, address, protocol. */
export function sll({ packetType = 0, arphrd = 1, address = MAC_SRC, protocol, payload }) {
  return concat(be16(packetType), be16(arphrd), be16(macAddress(address).length), cookedAddress(address),
    be16(protocol ?? etherTypeOf(payload)), payload);
}

/** Linux cooked capture v2 (LINKTYPE_LINUX_SLL2): protocol, interface index, ARPHRD, packet type, address. */
export function sll2({ protocol, ifindex = 0, arphrd = 1, packetType = 0, address = MAC_SRC, payload }) {
  return concat(be16(protocol ?? etherTypeOf(payload)), be16(0), be32(ifindex), be16(arphrd),
    [packetType, macAddress(address).length], cookedAddress(address), payload);
}

/** BSD loopback (LINKTYPE_NULL): the address family in the writer's byte order, little-endian here. */
export const nullLink = (family, payload) => concat(be32(family).reverse(), payload);
/** OpenBSD loopback (LINKTYPE_LOOP): the address family in network byte order. */
export const loopLink = (family, payload) => concat(be32(family), payload);

/** IP datagram `ip` as a packet of link type `lt`, or null when that link type cannot carry it. */
export function wrapIp(ip, lt) {
  const type = etherTypeOf(ip);
  const v6 = type === ETHERTYPE.IPV6;
  switch (lt) {
    case LINKTYPE.EN10MB: return ethernet({ dst: '00:01:02:03:04:05', src: '06:07:08:09:0a:0b', type, payload: ip });
    case LINKTYPE.NULL: return nullLink(v6 ? 30 : 2, ip);
    case LINKTYPE.LOOP: return loopLink(v6 ? 24 : 2, ip);
    case 12: case 14: case LINKTYPE.RAW: return ip;
    case LINKTYPE.IPV4: return v6 ? null : ip;
    case LINKTYPE.IPV6: return v6 ? ip : null;
    case LINKTYPE.LINUX_SLL: return sll({ address: '02:03:04:05:06:07', protocol: type, payload: ip });
    case LINKTYPE.LINUX_SLL2: return sll2({ protocol: type, ifindex: 3, address: '02:03:04:05:06:07', payload: ip });
    case LINKTYPE.PPP: case LINKTYPE.PPP_HDLC: return concat([0xff, 0x03], be16(v6 ? 0x0057 : 0x0021), ip);
    case LINKTYPE.C_HDLC: return concat([0x0f, 0x00], be16(type), ip);
    // DLCI 100, UI, NLPID.
    case LINKTYPE.FRELAY: return concat([0x18, 0x41, 0x03, v6 ? 0x8e : 0xcc], ip);
    case LINKTYPE.ARCNET_LINUX: return concat([0x01, 0x02, 0, 0, v6 ? 0xc4 : 0xd4, 0, 0, 0], ip);
    case LINKTYPE.JUNIPER_ETHER: return concat([0x4d, 0x47, 0x43, 0x80, 0, 3, 3, 1, 1], ethernet({ type, payload: ip }));
    case LINKTYPE.IPNET: return concat([2, v6 ? 26 : 2], new Uint8Array(22), ip);
    case LINKTYPE.NFLOG: {
      const tlv = (t, value) => concat(le16(4 + value.length), le16(t), value, new Uint8Array((4 - (value.length % 4)) % 4));
      return concat([v6 ? 10 : 2, 0, 0, 0], tlv(1, [0x08, 0x00, 3, 0]), tlv(9, ip));
    }
    case LINKTYPE.IPOIB: return concat(new Uint8Array(40).fill(0x11), be16(type), [0, 0], ip);
    case LINKTYPE.DSA_TAG_BRCM: case LINKTYPE.DSA_TAG_DSA: case LINKTYPE.DSA_TAG_EDSA: {
      const frame = ethernet({ dst: '00:01:02:03:04:05', src: '06:07:08:09:0a:0b', type, payload: ip });
      const tag = lt === LINKTYPE.DSA_TAG_EDSA ? [0xda, 0xda, 0, 0, 0xc0, 0x08, 0x00, 0x01] : [0x40, 0x08, 0x00, 0x01];
      return concat(frame.subarray(0, 12), tag, frame.subarray(12));
    }
    case LINKTYPE.DSA_TAG_BRCM_PREPEND: return concat([0x20, 0x00, 0x00, 0x01], ethernet({ type, payload: ip }));
    default: return null;
  }
}

/** An ARP packet for IPv4 over Ethernet (RFC 826). */
export function arp({ op, senderMac, senderIp, targetMac = '00:00:00:00:00:00', targetIp }) {
  return concat(be16(1), be16(ETHERTYPE.IPV4), [6, 4], be16(op), macAddress(senderMac), ipAddress(senderIp),
    macAddress(targetMac), ipAddress(targetIp));
}

// ---- IP ---------------------------------------------------------------------------

export const IPPROTO = {
  HOPOPTS: 0, ICMP: 1, IPIP: 4, TCP: 6, UDP: 17, IPV6: 41, ROUTING: 43, FRAGMENT: 44, GRE: 47, ESP: 50, AH: 51,
  ICMPV6: 58, NONE: 59, DSTOPTS: 60,
};

/** (Re)computes the header checksum of the IPv4 header at b[o], after its fields changed. */
export function ipv4Checksum(b, o) {
  put16(b, o + 10, 0);
  put16(b, o + 10, checksum(b, o, o + (b[o] & 0x0f) * 4));
}

/**
 * Writes an IPv4 header without options at b[o], checksum included; returns the offset after it.
 * `fragmentOffset` (bytes, a multiple of 8) and `more` make it a fragment.
 */
export function emitIpv4(b, o, { src = '10.0.0.1', dst = '10.0.0.2', proto, totalLength, id = 0, ttl = 64, df = true, tos = 0, more = false, fragmentOffset = 0 }) {
  b[o] = 0x45; b[o + 1] = tos;
  put16(b, o + 2, totalLength); put16(b, o + 4, id);
  put16(b, o + 6, (df ? 0x4000 : 0) | (more ? 0x2000 : 0) | (fragmentOffset >>> 3));
  b[o + 8] = ttl; b[o + 9] = proto;
  b.set(ipAddress(src), o + 12); b.set(ipAddress(dst), o + 16);
  ipv4Checksum(b, o);
  return o + 20;
}

/** An IPv4 datagram around `payload`; `totalLength` overrides the length field (a header for a cut or made-up payload). */
export function ipv4({ payload = EMPTY, totalLength = 20 + payload.length, ...header }) {
  const b = new Uint8Array(20 + payload.length);
  emitIpv4(b, 0, { ...header, totalLength });
  b.set(payload, 20);
  return b;
}

/**
 * An IPv6 packet around `payload`. `ext` are extension headers in order ([{ type, bytes }], each
 * `bytes` without its next-header byte, which is filled in from the chain).
 */
export function ipv6({ src = 'fd00::1', dst = 'fd00::2', proto, payload = EMPTY, hopLimit = 64, ext = [] }) {
  let next = proto;
  let chain = EMPTY;
  for (let i = ext.length - 1; i >= 0; i--) {
    chain = concat([next], ext[i].bytes, chain);
    next = ext[i].type;
  }
  const h = new Uint8Array(40);
  h[0] = 0x60; put16(h, 4, chain.length + payload.length); h[6] = next; h[7] = hopLimit;
  h.set(ipAddress(src), 8); h.set(ipAddress(dst), 24);
  return concat(h, chain, payload);
}

/** An IPv6 Fragment header (RFC 8200 4.5) for `ipv6({ ext })`: `offset` in bytes, a multiple of 8. */
export function ipv6Fragment({ offset = 0, more = false, id = 0 }) {
  const bytes = new Uint8Array(7);
  put16(bytes, 1, offset | (more ? 1 : 0)); put32(bytes, 3, id);
  return { type: IPPROTO.FRAGMENT, bytes };
}

/** IPv4 or IPv6 by the family of `src` (default IPv4); `ttl` is the hop limit for IPv6. */
export function ipPacket(o) {
  return o.src !== undefined && ipAddress(o.src).length === 16 ? ipv6({ ...o, hopLimit: o.ttl }) : ipv4(o);
}

/** The sum16 of the pseudo-header that a TCP, UDP or ICMPv6 checksum covers (RFC 9293 3.1, RFC 8200 8.1). */
export function pseudoHeaderSum(src, dst, proto, length) {
  const s = ipAddress(src), d = ipAddress(dst);
  const p = new Uint8Array(s.length === 4 ? 12 : 40);
  if (s.length === 4) { p.set(s, 0); p.set(d, 4); p[9] = proto; put16(p, 10, length); }
  else { p.set(s, 0); p.set(d, 16); put32(p, 32, length); p[39] = proto; }
  return sum16(p);
}

/** Puts the checksum of a transport message b (TCP, UDP, ICMPv6) at b[at] when its addresses are known. */
function transportChecksum(b, at, src, dst, proto, zeroAs = 0) {
  if (src === undefined || dst === undefined) return;
  put16(b, at, checksum(b, 0, b.length, pseudoHeaderSum(src, dst, proto, b.length)) || zeroAs);
}

// ---- transport ------------------------------------------------------------------------

export const TCP_FLAGS = { FIN: 0x01, SYN: 0x02, RST: 0x04, PSH: 0x08, ACK: 0x10, URG: 0x20, ECE: 0x40, CWR: 0x80 };
const FLAG_LETTERS = { F: 0x01, S: 0x02, R: 0x04, P: 0x08, A: 0x10, U: 0x20, E: 0x40, W: 0x80 };

/** TCP flags as a number, or as letters ('S', 'SA', 'PA', 'FA', 'R': F S R P A U E W). */
const tcpFlags = (f) => (typeof f === 'number' ? f : [...f].reduce((v, c) => v | FLAG_LETTERS[c], 0));

/** Writes a TCP header (checksum 0) at b[o]; `headerLength` counts the options that follow. Returns where they start. */
export function emitTcp(b, o, { sport = 40000, dport = 80, seq = 0, ack = 0, flags = TCP_FLAGS.ACK, win = 65535, urgent = 0, headerLength = 20 }) {
  put16(b, o, sport); put16(b, o + 2, dport); put32(b, o + 4, seq); put32(b, o + 8, ack);
  b[o + 12] = (headerLength / 4) << 4; b[o + 13] = tcpFlags(flags);
  put16(b, o + 14, win); put16(b, o + 16, 0); put16(b, o + 18, urgent);
  return o + 20;
}

/** A TCP segment; `options` are raw option bytes, padded with zeros to a multiple of 4. */
export function tcp({ src, dst, options = EMPTY, payload = EMPTY, ...header }) {
  const headerLength = 20 + ((options.length + 3) & ~3);
  const b = new Uint8Array(headerLength + payload.length);
  emitTcp(b, 0, { ...header, headerLength });
  b.set(options, 20);
  b.set(payload, headerLength);
  transportChecksum(b, 16, src, dst, IPPROTO.TCP);
  return b;
}

/** Writes a UDP header (checksum 0) at b[o]; returns the offset after it. */
export function emitUdp(b, o, { sport = 5353, dport = 53, length }) {
  put16(b, o, sport); put16(b, o + 2, dport); put16(b, o + 4, length); put16(b, o + 6, 0);
  return o + 8;
}

/**
 * A UDP datagram; the checksum (0 sent as 0xffff) is left 0 without addresses or with
 * `checksum: false`. `length` overrides the length field.
 */
export function udp({ src, dst, sport, dport, payload = EMPTY, length = 8 + payload.length, checksum: withChecksum = true }) {
  const b = new Uint8Array(8 + payload.length);
  emitUdp(b, 0, { sport, dport, length });
  b.set(payload, 8);
  if (withChecksum) transportChecksum(b, 6, src, dst, IPPROTO.UDP, 0xffff);
  return b;
}

/** An ICMP message: type, code, checksum, then `body` (the rest of the header and the data). */
export function icmp({ type, code = 0, body = EMPTY }) {
  const m = concat([type, code, 0, 0], body);
  put16(m, 2, checksum(m));
  return m;
}

/** An ICMP echo request (type 8) or reply (type 0). */
export function icmpEcho({ type = 8, id = 0, seq = 0, data = EMPTY }) {
  return icmp({ type, body: concat(be16(id), be16(seq), data) });
}

/** An ICMPv6 message; its checksum covers the pseudo-header (RFC 4443 2.3). */
export function icmp6({ src, dst, type, code = 0, body = EMPTY }) {
  const m = concat([type, code, 0, 0], body);
  transportChecksum(m, 2, src, dst, IPPROTO.ICMPV6);
  return m;
}

// ---- tunnels ------------------------------------------------------------------------------

/** A GRE header (RFC 2784; key and sequence number as RFC 2890 when given) in front of `payload`. */
export function gre({ protocol, key, sequence, payload = EMPTY }) {
  const flags = (key !== undefined ? 0x20 : 0) | (sequence !== undefined ? 0x10 : 0);
  return concat([flags, 0], be16(protocol), key !== undefined ? be32(key) : EMPTY,
    sequence !== undefined ? be32(sequence) : EMPTY, payload);
}

/** An ERSPAN type II header (version 1): VLAN, session ID, index. */
export function erspan2({ vlan = 0, session, index = 0, payload = EMPTY }) {
  return concat(be16(0x1000 | vlan), be16(session & 0x3ff), be32(index & 0xfffff), payload);
}

/** An ERSPAN type III header (version 2): VLAN, session ID, 32-bit timestamp, security group tag, flags. */
export function erspan3({ vlan = 0, session, timestamp = 0, sgt = 0, flags = 0, payload = EMPTY }) {
  return concat(be16(0x2000 | vlan), be16(session & 0x3ff), be32(timestamp), be16(sgt), be16(flags), payload);
}

/** A VXLAN header (RFC 7348) with network identifier `vni`. */
export function vxlan({ vni, payload = EMPTY }) {
  return concat([0x08, 0, 0, 0], be32(vni << 8), payload);
}

/** A Geneve header (RFC 8926); `options` are raw option bytes (a multiple of 4). */
export function geneve({ vni, protocol = ETHERTYPE.TEB, options = EMPTY, payload = EMPTY }) {
  return concat([options.length / 4, 0], be16(protocol), be32(vni << 8), options, payload);
}

/** An MPLS label stack (RFC 3032), outermost first; the last entry is the bottom of the stack. */
export function mpls({ labels, payload = EMPTY }) {
  const stack = labels.map(({ label, tc = 0, ttl = 64 }, i) => be32((label << 12) | (tc << 9) | (i + 1 === labels.length ? 0x100 : 0) | ttl));
  return concat(...stack, payload);
}

/** A PPPoE session header (RFC 2516) and PPP protocol; `length` (PPP protocol and payload) overrides the field. */
export function pppoeSession({ session, protocol = 0x0021, payload = EMPTY, length = 2 + payload.length }) {
  return concat([0x11, 0], be16(session), be16(length), be16(protocol), payload);
}

// ---- IPsec --------------------------------------------------------------------------------

/** An ESP packet as it travels: SPI, sequence number, then `payload` as given (IV, ciphertext and ICV, or any bytes). */
export function espPacket({ spi, seq, payload = EMPTY }) {
  return concat(be32(spi), be32(seq), payload);
}

/** IV bytes and block size (RFC 4303 2.4: the trailer aligns to at least 4) of each cipher. */
const ESP_CIPHERS = {
  'null': { ivLength: 0, block: 4 }, '3des-cbc': { ivLength: 8, block: 8 },
  'aes-cbc': { ivLength: 16, block: 16 }, 'aes-gcm': { ivLength: 8, block: 4 },
};

/**
 * An ESP packet (RFC 4303) of SA `sa` around `payload`: header, IV, the payload and its trailer
 * encrypted, ICV. `sa` is { spi, name, cipher: 'null' | '3des-cbc' | 'aes-cbc' | 'aes-gcm', key
 * (for AES-GCM the key then the 4-byte salt, RFC 4106 8.1), digest and authKey (HMAC), icvLength
 * (AES-GCM's default 16, otherwise 0) }. The ICV is AES-GCM's tag, an HMAC with an authKey, and
 * 0xa5 bytes without one (nothing can check it).
 * `iv` defaults to one derived from SPI, sequence number and SA name (AES-GCM: zeros then the
 * sequence number): reproducible files, and unique per packet as the ciphers need.
 * `length` asks for that many ESP bytes (more padding); `seqHigh` makes it a packet of an SA with
 * extended sequence numbers: only the low 32 bits are sent, the high ones enter the ICV
 * (RFC 4303 2.2.1; RFC 4106 5 for GCM). `corruptIcv` flips a bit of the ICV.
 */
export function sealEsp({ sa, seq, payload, nextHeader, iv, length, seqHigh, corruptIcv = false }) {
  const gcm = sa.cipher === 'aes-gcm';
  const { ivLength, block } = ESP_CIPHERS[sa.cipher];
  const icvLength = sa.icvLength ?? (gcm ? 16 : 0);
  let plainLength = Math.ceil((payload.length + 2) / block) * block;
  if (length !== undefined) {
    const want = length - 8 - ivLength - icvLength;
    if (want < plainLength || want % block !== 0 || want - payload.length - 2 > 255) {
      throw new Error(`cannot make a ${length}-byte ESP packet around ${payload.length} bytes with ${sa.cipher}`);
    }
    plainLength = want;
  }
  const padLength = plainLength - payload.length - 2;
  const plain = new Uint8Array(plainLength);
  plain.set(payload);
  for (let i = 0; i < padLength; i++) plain[payload.length + i] = i + 1;
  plain[plainLength - 2] = padLength;
  plain[plainLength - 1] = nextHeader;
  const head = espPacket({ spi: sa.spi, seq });
  const high = seqHigh === undefined ? null : be32(seqHigh);
  let body;
  let icv;
  if (gcm) {
    const ivBytes = iv ? iv.subarray(0, ivLength) : concat(be32(0), be32(seq));
    const key = sa.key.subarray(0, sa.key.length - 4);
    const salt = sa.key.subarray(sa.key.length - 4);
    const c = createCipheriv(`aes-${key.length * 8}-gcm`, key, concat(salt, ivBytes), { authTagLength: icvLength });
    c.setAAD(high ? concat(head.subarray(0, 4), high, head.subarray(4)) : head);
    body = concat(ivBytes, c.update(plain), c.final());
    icv = c.getAuthTag();
  } else {
    const ivBytes = iv ? iv.subarray(0, ivLength) : createHash('sha256').update(`${sa.spi}:${seq}:${sa.name}`).digest().subarray(0, ivLength);
    let ct = plain;
    if (sa.cipher !== 'null') {
      const c = createCipheriv(sa.cipher === '3des-cbc' ? 'des-ede3-cbc' : `aes-${sa.key.length * 8}-cbc`, sa.key, ivBytes);
      c.setAutoPadding(false);
      ct = concat(c.update(plain), c.final());
    }
    body = concat(ivBytes, ct);
    if (icvLength === 0) icv = EMPTY;
    else if (sa.authKey) icv = createHmac(sa.digest, sa.authKey).update(concat(head, body, high ?? EMPTY)).digest().subarray(0, icvLength);
    else icv = new Uint8Array(icvLength).fill(0xa5);
  }
  icv = Uint8Array.from(icv);
  if (corruptIcv) icv[0] ^= 0x01;
  return concat(head, body, icv);
}

/**
 * An AH header (RFC 4302) with a 12-byte ICV (HMAC-SHA1-96's size) in front of `payload`: `icv`,
 * or bytes made up from SPI and sequence number (nothing reads AH ICVs).
 */
export function ah({ spi, seq, nextHeader, icv, payload = EMPTY }) {
  const v = icv ?? createHash('sha1').update(`${spi}:${seq}`).digest().subarray(0, 12);
  return concat([nextHeader, (12 + v.length) / 4 - 2, 0, 0], be32(spi), be32(seq), v, payload);
}

// ---- records --------------------------------------------------------------------------------

/** A PacketRecord (what a capture source hands on) holding a copy of `bytes`. */
export function packetRecord(bytes, { linkType = LINKTYPE.EN10MB, tsSec = 1_700_000_000, tsNsec = 123_456_789, origLen, frame = 1 } = {}) {
  const b = Uint8Array.from(bytes);
  return { frame, tsSec, tsNsec, caplen: b.length, origLen: origLen ?? b.length, linkType, interfaceId: 0, bytes: b, offset: 0, fileOffset: 0 };
}
