// Small hand-built packets for unit tests: Ethernet + IPv4/IPv6 + TCP/UDP, as PacketRecords.
import { createPacketRecord } from '../../dist/index.js';

export function record(bytes, { linkType = 1, tsSec = 1700000000, tsNsec = 123456789, origLen } = {}) {
  const p = createPacketRecord();
  p.bytes = Uint8Array.from(bytes);
  p.offset = 0;
  p.caplen = p.bytes.length;
  p.origLen = origLen ?? p.bytes.length;
  p.linkType = linkType;
  p.tsSec = tsSec;
  p.tsNsec = tsNsec;
  p.frame = 1;
  return p;
}

const ETH = [0x02, 0, 0, 0, 0, 0x02, 0x02, 0, 0, 0, 0, 0x01];

function checksum(bytes) {
  let s = 0;
  for (let i = 0; i < bytes.length; i += 2) s += (bytes[i] << 8) | (bytes[i + 1] ?? 0);
  while (s > 0xffff) s = (s & 0xffff) + (s >>> 16);
  return ~s & 0xffff;
}

export function ipv4(proto, payload, { src = [10, 0, 0, 1], dst = [10, 0, 0, 2], id = 1, flags = 0x40 } = {}) {
  const total = 20 + payload.length;
  const h = [0x45, 0, total >> 8, total & 0xff, id >> 8, id & 0xff, flags, 0, 64, proto, 0, 0, ...src, ...dst];
  const c = checksum(h);
  h[10] = c >> 8; h[11] = c & 0xff;
  return [...h, ...payload];
}

export function tcp(sport, dport, { seq = 1000, ack = 0, flags = 0x02, win = 65535, options = [], payload = [] } = {}) {
  const hl = 20 + options.length;
  return [sport >> 8, sport & 0xff, dport >> 8, dport & 0xff,
    (seq >>> 24) & 0xff, (seq >>> 16) & 0xff, (seq >>> 8) & 0xff, seq & 0xff,
    (ack >>> 24) & 0xff, (ack >>> 16) & 0xff, (ack >>> 8) & 0xff, ack & 0xff,
    (hl / 4) << 4, flags, win >> 8, win & 0xff, 0, 0, 0, 0, ...options, ...payload];
}

export function udp(sport, dport, payload) {
  const len = 8 + payload.length;
  return [sport >> 8, sport & 0xff, dport >> 8, dport & 0xff, len >> 8, len & 0xff, 0, 0, ...payload];
}

export function ether(type, payload) {
  return [...ETH, type >> 8, type & 0xff, ...payload];
}

export const bytesOf = (s) => [...Buffer.from(s, 'latin1')];
