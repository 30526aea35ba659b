// Capture files for tests, fixture scripts and fuzz inputs: classic pcap and pcapng written field
// by field, every field in reach (byte order, resolution, options, lengths), so a test can write
// what no capture tool would. Returns Uint8Arrays; nothing here needs dist/.
import { readFileSync } from 'node:fs';
import { concat } from './packets.js';

/** `v` as 2, 4 or 8 bytes in either byte order (u64 takes a number or a bigint; negative values wrap). */
export function u16(v, le) { const b = new Uint8Array(2); new DataView(b.buffer).setUint16(0, v, le); return b; }
export function u32(v, le) { const b = new Uint8Array(4); new DataView(b.buffer).setUint32(0, v >>> 0, le); return b; }
export function u64(v, le) { const b = new Uint8Array(8); new DataView(b.buffer).setBigUint64(0, BigInt.asUintN(64, BigInt(v)), le); return b; }

/** A time in float seconds as a record's timestamp, rounded to the microsecond (as fixtures are written). */
export function stamp(seconds) {
  const us = Math.round(seconds * 1e6);
  return { tsSec: Math.floor(us / 1e6), tsNsec: (us % 1e6) * 1000 };
}

// ---- pcap ---------------------------------------------------------------------------------

function writePcapHeader(v, { linkType = 1, snaplen = 262144, le = true, nano = false }) {
  v.setUint32(0, nano ? 0xa1b23c4d : 0xa1b2c3d4, le);
  v.setUint16(4, 2, le); v.setUint16(6, 4, le);
  v.setUint32(16, snaplen >>> 0, le); v.setUint32(20, linkType >>> 0, le);
}

function writePcapRecord(v, o, sec, frac, caplen, origLen, le) {
  v.setUint32(o, sec >>> 0, le); v.setUint32(o + 4, frac >>> 0, le);
  v.setUint32(o + 8, caplen, le); v.setUint32(o + 12, origLen >>> 0, le);
}

/** A pcap file header; `linkType` is the whole 32-bit field (FCS bits included). */
export function pcapHeader(opts = {}) {
  const b = new Uint8Array(24);
  writePcapHeader(new DataView(b.buffer), opts);
  return b;
}

/** One pcap record: header and data; `frac` is microseconds, or nanoseconds in a nanosecond file. */
export function pcapRecord(sec, frac, data, { le = true, origLen = data.length } = {}) {
  const b = new Uint8Array(16 + data.length);
  writePcapRecord(new DataView(b.buffer), 0, sec, frac, data.length, origLen, le);
  b.set(data, 16);
  return b;
}

/**
 * A whole pcap file of `packets` ({ bytes, tsSec, tsNsec, origLen }: time 0 and the captured
 * length when missing), in one allocation: the fuzzers build one per input.
 */
export function pcapFile(packets, { linkType = 1, snaplen = 262144, le = true, nano = false } = {}) {
  let n = 24;
  for (const p of packets) n += 16 + p.bytes.length;
  const out = new Uint8Array(n);
  const v = new DataView(out.buffer);
  writePcapHeader(v, { linkType, snaplen, le, nano });
  let o = 24;
  for (const p of packets) {
    const ns = p.tsNsec ?? 0;
    writePcapRecord(v, o, p.tsSec ?? 0, nano ? ns : Math.floor(ns / 1000), p.bytes.length, p.origLen ?? p.bytes.length, le);
    out.set(p.bytes, o + 16);
    o += 16 + p.bytes.length;
  }
  return out;
}

// ---- pcapng -----------------------------------------------------------------------------------

const pad4 = (b) => concat(b, new Uint8Array((4 - (b.length % 4)) % 4));
const tsHigh = (ticks) => Number(BigInt(ticks) >> 32n);
const tsLow = (ticks) => Number(BigInt(ticks) & 0xffffffffn);

/** A block: type, total length, body (padded to 4 bytes), total length again. */
export function pcapngBlock(type, body, le) {
  const b = pad4(body);
  return concat(u32(type, le), u32(12 + b.length, le), b, u32(12 + b.length, le));
}

/** Options ([[code, value bytes]]) ended by opt_endofopt; nothing at all for none. */
export function pcapngOptions(list, le) {
  if (list.length === 0) return new Uint8Array(0);
  return concat(...list.map(([code, value]) => concat(u16(code, le), u16(value.length, le), pad4(value))), u32(0, le));
}

/** Section Header Block, version 1.0, section length unknown. */
export const shb = (le, options = []) =>
  pcapngBlock(0x0a0d0d0a, concat(u32(0x1a2b3c4d, le), u16(1, le), u16(0, le), u64(-1, le), pcapngOptions(options, le)), le);
/** Interface Description Block. */
export const idb = (le, linkType, snaplen, options = []) =>
  pcapngBlock(1, concat(u16(linkType, le), u16(0, le), u32(snaplen, le), pcapngOptions(options, le)), le);
/** Enhanced Packet Block; `ticks` (number or bigint) in the interface's time units. */
export const epb = (le, ifId, ticks, data, origLen = data.length, options = []) => pcapngBlock(6, concat(
  u32(ifId, le), u32(tsHigh(ticks), le), u32(tsLow(ticks), le), u32(data.length, le), u32(origLen, le), pad4(data),
  pcapngOptions(options, le)), le);
/** Simple Packet Block. */
export const spb = (le, data, origLen = data.length) => pcapngBlock(3, concat(u32(origLen, le), pad4(data)), le);
/** Packet Block (obsolete, still read). */
export const pb = (le, ifId, ticks, data) => pcapngBlock(2, concat(
  u16(ifId, le), u16(0, le), u32(tsHigh(ticks), le), u32(tsLow(ticks), le), u32(data.length, le), u32(data.length, le), pad4(data)), le);
/** Interface Statistics Block. */
export const isb = (le, ifId, ticks, options) => pcapngBlock(5, concat(
  u32(ifId, le), u32(tsHigh(ticks), le), u32(tsLow(ticks), le), pcapngOptions(options, le)), le);

/** The records of a little-endian microsecond pcap file: [{ tsSec, tsNsec, origLen, bytes }] (fixture scripts). */
export function readPcapRecords(file) {
  const b = readFileSync(file);
  if (b.readUInt32LE(0) !== 0xa1b2c3d4) throw new Error(`${file}: expected a little-endian microsecond pcap`);
  const out = [];
  for (let o = 24; o + 16 <= b.length;) {
    const caplen = b.readUInt32LE(o + 8);
    out.push({ tsSec: b.readUInt32LE(o), tsNsec: b.readUInt32LE(o + 4) * 1000, origLen: b.readUInt32LE(o + 12), bytes: Uint8Array.from(b.subarray(o + 16, o + 16 + caplen)) });
    o += 16 + caplen;
  }
  return out;
}
