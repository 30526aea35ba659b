/**
 * Property-based robustness (fast-check): structured inputs whose every
 * length and offset field is arbitrary, so a failure shrinks to the one
 * field that matters. Complements the mutation fuzzer (test/fuzz), which
 * starts from real captures instead.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { decodePacket, DecodedPacket, PacketLinePrinter, PacketJsonFormatter, CaptureFormatError } from '../dist/index.js';
import { PcapReader } from '../dist/source/pcap-reader.js';
import { BpfProgram } from '../dist/source/bpf-program.js';
import { AnalysisSession } from '../dist/analyze/index.js';
import { renderSummary } from '../dist/sink/report/summary.js';
import { EspDecryptor, parseEspSecret } from '../dist/analyze/esp/index.js';
import { assertTerminalSafe } from './fuzz/check.js';
import { LINK_TYPES, wrapIp } from './fuzz/seeds.js';
import { concat } from './fuzz/mutate.js';

const RUNS = Number(process.env.ZSNIFF_PROPERTY_RUNS ?? 4000);
const rec = (bytes, linkType, origLen = bytes.length) => ({ frame: 1, tsSec: 1_700_000_000, tsNsec: 0, caplen: bytes.length, origLen, linkType, interfaceId: 0, bytes, offset: 0, fileOffset: 0 });

/** An IPv4 or IPv6 datagram with TCP, UDP, ESP or AH whose header fields are all arbitrary. */
const datagram = fc.record({
  v6: fc.boolean(),
  ihl: fc.integer({ min: 0, max: 15 }),
  total: fc.oneof(fc.constant(-1), fc.integer({ min: 0, max: 0xffff })),
  proto: fc.constantFrom(6, 17, 50, 51, 1, 58, 0, 43, 44, 60),
  dataOffset: fc.integer({ min: 0, max: 15 }),
  transport: fc.uint8Array({ maxLength: 80 }),
  payload: fc.uint8Array({ maxLength: 200 }),
  cut: fc.nat(400),
}).map((o) => {
  const t = concat(o.transport, new Uint8Array(Math.max(0, 20 - o.transport.length)));
  if (o.proto === 6) t[12] = (o.dataOffset << 4) | (t[12] & 15);
  const body = concat(t, o.payload);
  let ip;
  if (o.v6) {
    ip = concat(Uint8Array.of(0x60, 0, 0, 0, 0, 0, o.proto, 64), new Uint8Array(32), body);
    const len = o.total < 0 ? body.length : o.total;
    ip[4] = len >> 8; ip[5] = len & 255;
  } else {
    const hl = o.ihl * 4;
    const head = new Uint8Array(Math.max(20, hl)); head[0] = 0x40 | o.ihl; head[9] = o.proto;
    ip = concat(head, body);
    const len = o.total < 0 ? ip.length : o.total;
    ip[2] = len >> 8; ip[3] = len & 255;
  }
  return o.cut < ip.length ? ip.slice(0, Math.max(1, o.cut)) : ip;
});

const printers = [new PacketLinePrinter({ verbose: 3, hexAscii: 2, link: true }), new PacketLinePrinter({ ascii: 1, verbose: 1 }), new PacketLinePrinter({ quiet: true })];
const json = new PacketJsonFormatter();
const d = new DecodedPacket();

test('decoders, line printers and JSON: any header field values, every link type', () => {
  fc.assert(fc.property(datagram, fc.constantFrom(...LINK_TYPES), fc.nat(3000), (ip, lt, extra) => {
    const bytes = wrapIp(ip, lt) ?? ip;
    const r = rec(bytes, wrapIp(ip, lt) ? lt : 101, bytes.length + (extra % 7 === 0 ? extra : 0));
    decodePacket(r, d);
    for (const p of printers) assertTerminalSafe(p.format(r), 'line');
    JSON.parse(json.format(decodePacket(r, d)));
  }), { numRuns: RUNS });
});

test('pcap reader: arbitrary record headers never escape as anything but CaptureFormatError', () => {
  const record = fc.record({ caplen: fc.oneof(fc.nat(100), fc.constantFrom(262144, 262145, 0xffffffff)), len: fc.nat(), data: fc.uint8Array({ maxLength: 100 }) });
  fc.assert(fc.property(fc.array(record, { maxLength: 6 }), fc.constantFrom(0xa1b2c3d4, 0xa1b23c4d, 0xa1b2cd34), fc.integer({ min: 0, max: 5 }), (records, magic, minor) => {
    const parts = [];
    const h = new DataView(new ArrayBuffer(24)); h.setUint32(0, magic, true); h.setUint16(4, 2, true); h.setUint16(6, minor, true); h.setUint32(16, 65535, true); h.setUint32(20, 1, true);
    parts.push(new Uint8Array(h.buffer));
    for (const r of records) {
      const rh = new DataView(new ArrayBuffer(magic === 0xa1b2cd34 ? 24 : 16)); rh.setUint32(8, r.caplen >>> 0, true); rh.setUint32(12, r.len >>> 0, true);
      parts.push(new Uint8Array(rh.buffer), r.data);
    }
    const bytes = concat(...parts);
    const view = new DataView(bytes.buffer);
    const info = { name: 'p', format: 'pcap', compressed: false, interfaces: [], statistics: [], packets: 0, bytesRead: 0 };
    const reader = new PcapReader(info);
    try {
      let pos = reader.parse(bytes, view, 0, bytes.length, 0, null);
      pos = reader.parse(bytes, view, pos, bytes.length, 0, (p) => { assert.ok(p.offset + p.caplen <= bytes.length); });
      reader.finish(view, pos, bytes.length, 0);
    } catch (e) {
      if (!(e instanceof CaptureFormatError)) throw e;
    }
  }), { numRuns: RUNS });
});

test('BPF: any instruction array; the translation agrees with the interpreter', () => {
  const insn = fc.tuple(fc.oneof(fc.constantFrom(0x00, 0x20, 0x28, 0x30, 0x40, 0x48, 0x50, 0x61, 0x80, 0xb1, 0x02, 0x03, 0x04, 0x14, 0x24, 0x34, 0x54, 0x64, 0x74, 0x84, 0x94, 0xa4, 0x05, 0x15, 0x25, 0x35, 0x45, 0x1d, 0x06, 0x16, 0x07, 0x87), fc.integer({ min: 0, max: 0xffff })),
    fc.nat(8), fc.nat(8), fc.oneof(fc.nat(64), fc.nat(), fc.constantFrom(0xffffffff, 0x80000000, 0xfffff000)));
  fc.assert(fc.property(fc.array(insn, { minLength: 1, maxLength: 30 }), fc.uint8Array({ maxLength: 80 }), fc.nat(), (list, pkt, wirelen) => {
    const prog = new BpfProgram(Uint32Array.from(list.flat().map((v) => v >>> 0)));
    const a = prog.run(pkt, 0, pkt.length, wirelen);
    assert.equal(a, prog.interpret(pkt, 0, pkt.length, wirelen));
  }), { numRuns: RUNS });
});

test('TCP analysis: arbitrary segment sequences (sequence jumps, flags, windows, time going backwards)', () => {
  const seg = fc.record({
    fromB: fc.boolean(), seq: fc.nat(), ack: fc.nat(), flags: fc.integer({ min: 0, max: 255 }), win: fc.integer({ min: 0, max: 65535 }),
    len: fc.oneof(fc.constant(0), fc.nat(1500)), dtUs: fc.integer({ min: -2_000_000, max: 700_000_000 }), wscale: fc.option(fc.integer({ min: 0, max: 255 })),
  });
  fc.assert(fc.property(fc.array(seg, { maxLength: 40 }), fc.boolean(), (segs, color) => {
    const session = new AnalysisSession({ options: { tcp: { maxFlows: 2 } } });
    let us = 0;
    for (const s of segs) {
      us = Math.max(0, us + s.dtUs);
      const opts = s.wscale === null ? new Uint8Array(0) : Uint8Array.of(3, 3, s.wscale, 1);
      const hl = 20 + opts.length;
      const ip = new Uint8Array(20 + hl + s.len);
      const v = new DataView(ip.buffer);
      ip[0] = 0x45; v.setUint16(2, ip.length); ip[9] = 6;
      ip.set(s.fromB ? [10, 0, 0, 2, 10, 0, 0, 1] : [10, 0, 0, 1, 10, 0, 0, 2], 12);
      v.setUint16(20, s.fromB ? 80 : 40000); v.setUint16(22, s.fromB ? 40000 : 80);
      v.setUint32(24, s.seq); v.setUint32(28, s.ack); ip[32] = (hl / 4) << 4; ip[33] = s.flags; v.setUint16(34, s.win);
      ip.set(opts, 40);
      session.onPacket({ ...rec(ip, 101), tsSec: 1_700_000_000 + Math.floor(us / 1e6), tsNsec: (us % 1e6) * 1000 });
    }
    const report = session.finish({ name: 'p', format: 'pcap', compressed: false });
    assertTerminalSafe(renderSummary(report, { color }), 'summary', { sgr: color });
    JSON.stringify(report);
  }), { numRuns: Math.ceil(RUNS / 3) });
});

test('ESP decryptor: arbitrary keys, algorithms and packet bytes', () => {
  const algs = [['null', 0, ''], ['3des-cbc', 24, ''], ['aes128-cbc', 16, ' hmac-sha1-96:0x' + '11'.repeat(20)], ['aes256-cbc', 32, ' hmac-sha512-256:0x' + '22'.repeat(64)],
    ['aes192-cbc', 24, ''], ['aes128-gcm16', 20, ''], ['aes256-gcm12', 36, ''], ['aes192-gcm8', 28, ''], ['aes128-cbc-hmac96', 16, '']];
  fc.assert(fc.property(fc.constantFrom(...algs), fc.uint8Array({ minLength: 36, maxLength: 36 }), fc.uint8Array({ maxLength: 300 }), fc.boolean(), ([name, keyLen, auth], key, body, v6) => {
    const dst = v6 ? 'fd00::2' : '10.0.0.2';
    const secret = parseEspSecret(`0x1001@${dst} ${name}:0x${Buffer.from(key.subarray(0, keyLen)).toString('hex')}${auth}`, 'p');
    const esp = concat(Uint8Array.of(0, 0, 0x10, 0x01, 0, 0, 0, 1), body);
    const ip = v6
      ? concat(Uint8Array.of(0x60, 0, 0, 0, esp.length >> 8, esp.length & 255, 50, 64), new Uint8Array(15), Uint8Array.of(1), Uint8Array.of(0xfd), new Uint8Array(14), Uint8Array.of(2), esp)
      : concat(Uint8Array.of(0x45, 0, (20 + esp.length) >> 8, (20 + esp.length) & 255, 0, 0, 0, 0, 64, 50, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2), esp);
    const dec = new EspDecryptor([secret]);
    const status = dec.decrypt(decodePacket(rec(ip, 101), d));
    assert.ok(Number.isInteger(status));
    if (status === 1) decodePacket(dec.inner, new DecodedPacket());
  }), { numRuns: RUNS });
});
