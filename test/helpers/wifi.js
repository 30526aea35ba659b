// Builders of radiotap headers and IEEE 802.11 frames for the wireless printer tests and fuzz seeds.
import { concat, macAddress } from './packets.js';

const le16 = (v) => [v & 255, (v >> 8) & 255];
const le32 = (v) => [v & 255, (v >>> 8) & 255, (v >>> 16) & 255, (v >>> 24) & 255];

/**
 * A radiotap header: `fields` are [bit, alignment, bytes] in bit order, laid
 * out aligned from the header's start; `words` are the presence words (the
 * first computed from the fields' bits when not given; bit 31 marks another).
 */
export function radiotap(fields, words = null) {
  const present = words ?? [fields.reduce((w, [bit]) => (w | (1 << bit)) >>> 0, 0)];
  const out = [0, 0, 0, 0];
  for (const w of present) out.push(...le32(w));
  for (const [, align, bytes] of fields) {
    while (out.length % align) out.push(0);
    out.push(...bytes);
  }
  out[2] = out.length & 255; out[3] = out.length >> 8;
  return Uint8Array.from(out);
}

export const field = {
  tsft: (n) => [0, 8, [...le32(Number(BigInt(n) & 0xffffffffn)), ...le32(Number(BigInt(n) >> 32n))]],
  flags: (f) => [1, 1, [f]],
  rate: (r) => [2, 1, [r]],
  channel: (mhz, flags) => [3, 2, [...le16(mhz), ...le16(flags)]],
  fhss: (set, pattern) => [4, 1, [set, pattern]],
  dbmSignal: (v) => [5, 1, [v & 255]],
  dbmNoise: (v) => [6, 1, [v & 255]],
  lockQuality: (v) => [7, 2, le16(v)],
  txAttenuation: (v) => [8, 2, le16(v & 0xffff)],
  dbTxAttenuation: (v) => [9, 1, [v & 255]],
  dbmTxPower: (v) => [10, 1, [v & 255]],
  antenna: (v) => [11, 1, [v]],
  dbSignal: (v) => [12, 1, [v]],
  dbNoise: (v) => [13, 1, [v]],
  rxFlags: (v) => [14, 2, le16(v)],
  xchannel: (flags, mhz, chan, power) => [18, 4, [...le32(flags), ...le16(mhz), chan, power]],
  mcs: (known, flags, index) => [19, 1, [known, flags, index]],
  ampdu: (ref) => [20, 4, [...le32(ref), 0, 0, 0, 0]],
  vht: (known, flags, bandwidth, mcsNss, coding) => [21, 2, [...le16(known), flags, bandwidth, ...mcsNss, coding, 0, 0, 0]],
};

const mac = (m) => [...macAddress(m)];
const A = '00:11:22:33:44:55', B = '66:77:88:99:aa:bb', C = 'cc:dd:ee:ff:00:01', D = '02:03:04:05:06:07';

/** A management frame of `subtype` with body bytes. */
export function mgmt(subtype, body = [], { protectedFrame = false } = {}) {
  const fc = (subtype << 4) | (protectedFrame ? 0x4000 : 0);
  return Uint8Array.from([...le16(fc), ...le16(314), ...mac(A), ...mac(B), ...mac(C), 0x10, 0, ...body]);
}

/** Information elements: [id, bytes] pairs. */
export function elements(...list) {
  return list.flatMap(([id, bytes]) => [id, bytes.length, ...bytes]);
}

export const text = (s) => [...Buffer.from(s, 'latin1')];

/** A control frame: subtype and the header bytes after frame control. */
export function ctrl(subtype, rest) {
  return Uint8Array.from([...le16(0x04 | (subtype << 4)), ...rest]);
}

export const addr = { A: mac(A), B: mac(B), C: mac(C), D: mac(D) };

/** A data frame: subtype, DS bits (0-3), payload; QoS subtypes get their 2 bytes. */
export function data(subtype, ds, payload = [], { protectedFrame = false } = {}) {
  const fc = 0x08 | (subtype << 4) | (ds << 8) | (protectedFrame ? 0x4000 : 0);
  const header = [...le16(fc), ...le16(44), ...mac(A), ...mac(B), ...mac(C), 0x20, 0];
  if (ds === 3) header.push(...mac(D));
  if (subtype & 8) header.push(0, 0);
  return Uint8Array.from([...header, ...payload]);
}

/** LLC/SNAP with an ethertype. */
export function snap(type, payload) {
  return concat(Uint8Array.of(0xaa, 0xaa, 0x03, 0, 0, 0, type >> 8, type & 255), payload);
}
