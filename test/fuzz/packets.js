/**
 * Builders for well-formed packets (raw IP, link type 101, unless wrapped):
 * the fuzzers' synthetic traffic and the robustness tests' adversarial
 * captures. Checksums are filled in where tcpdump would complain about them.
 */
import { concat } from './mutate.js';

export const IPPROTO = { TCP: 6, UDP: 17, ESP: 50, AH: 51, ICMP: 1 };

function checksum(b, start, end, initial = 0) {
  let sum = initial;
  for (let i = start; i + 1 < end; i += 2) sum += (b[i] << 8) | b[i + 1];
  if ((end - start) & 1) sum += b[end - 1] << 8;
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return ~sum & 0xffff;
}

/** 'a.b.c.d' or a 4/16-byte array. */
function addr(a) {
  if (a instanceof Uint8Array) return a;
  if (typeof a === 'number') return Uint8Array.of(a >>> 24, (a >>> 16) & 255, (a >>> 8) & 255, a & 255);
  if (a.includes(':')) {
    const out = new Uint8Array(16);
    const [head, tail = ''] = a.split('::');
    const h = head ? head.split(':') : [];
    const t = tail ? tail.split(':') : [];
    h.forEach((w, i) => { out[i * 2] = parseInt(w, 16) >> 8; out[i * 2 + 1] = parseInt(w, 16) & 255; });
    t.forEach((w, i) => { const j = 8 - t.length + i; out[j * 2] = parseInt(w, 16) >> 8; out[j * 2 + 1] = parseInt(w, 16) & 255; });
    return out;
  }
  return Uint8Array.from(a.split('.').map(Number));
}

/** An IPv4 (or, with 16-byte addresses, IPv6) datagram around `payload`. */
export function ipPacket({ src = '10.0.0.1', dst = '10.0.0.2', proto, payload, ttl = 64, id = 0 }) {
  const s = addr(src), d = addr(dst);
  if (s.length === 16) {
    const h = new Uint8Array(40);
    h[0] = 0x60; h[4] = payload.length >> 8; h[5] = payload.length & 255; h[6] = proto; h[7] = ttl;
    h.set(s, 8); h.set(d, 24);
    return concat(h, payload);
  }
  const h = new Uint8Array(20);
  const total = 20 + payload.length;
  h[0] = 0x45; h[2] = (total >> 8) & 255; h[3] = total & 255; h[4] = (id >> 8) & 255; h[5] = id & 255;
  h[6] = 0x40; h[8] = ttl; h[9] = proto; h.set(s, 12); h.set(d, 16);
  const c = checksum(h, 0, 20);
  h[10] = c >> 8; h[11] = c & 255;
  return concat(h, payload);
}

export const TCP = { FIN: 1, SYN: 2, RST: 4, PSH: 8, ACK: 16, URG: 32 };

/** A TCP segment (header + options + payload). `options` are raw option bytes (padded to 4). */
export function tcpSegment({ sport = 40000, dport = 80, seq = 0, ack = 0, flags = TCP.ACK, win = 65535, options = new Uint8Array(0), payload = new Uint8Array(0) }) {
  const optLen = (options.length + 3) & ~3;
  const hl = 20 + optLen;
  const h = new Uint8Array(hl);
  h[0] = sport >> 8; h[1] = sport & 255; h[2] = dport >> 8; h[3] = dport & 255;
  for (let i = 0; i < 4; i++) { h[4 + i] = (seq >>> (24 - 8 * i)) & 255; h[8 + i] = (ack >>> (24 - 8 * i)) & 255; }
  h[12] = (hl / 4) << 4; h[13] = flags & 255; h[14] = (win >> 8) & 255; h[15] = win & 255;
  h.set(options, 20);
  return concat(h, payload);
}

export function udpDatagram({ sport = 5353, dport = 53, payload = new Uint8Array(0) }) {
  const h = new Uint8Array(8);
  const len = 8 + payload.length;
  h[0] = sport >> 8; h[1] = sport & 255; h[2] = dport >> 8; h[3] = dport & 255; h[4] = (len >> 8) & 255; h[5] = len & 255;
  return concat(h, payload);
}

/** An ESP packet body: SPI, sequence number, then opaque bytes. */
export function espPayload({ spi, seq, body = new Uint8Array(32) }) {
  const h = new Uint8Array(8);
  for (let i = 0; i < 4; i++) { h[i] = (spi >>> (24 - 8 * i)) & 255; h[4 + i] = (seq >>> (24 - 8 * i)) & 255; }
  return concat(h, body);
}

export function tcpIp(o) {
  return ipPacket({ src: o.src, dst: o.dst, proto: IPPROTO.TCP, payload: tcpSegment(o) });
}

export function udpIp(o) {
  return ipPacket({ src: o.src, dst: o.dst, proto: IPPROTO.UDP, payload: udpDatagram(o) });
}

/** Ethernet II header (link type 1) in front of an IP datagram. */
export function ethernet(ip) {
  const v6 = ip[0] >> 4 === 6;
  return concat(Uint8Array.of(0x02, 0, 0, 0, 0, 2, 0x02, 0, 0, 0, 0, 1, v6 ? 0x86 : 0x08, v6 ? 0xdd : 0x00), ip);
}

export const text = (s) => new TextEncoder().encode(s);
