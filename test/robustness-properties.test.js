/**
 * Property-based robustness (fast-check): structured inputs whose every
 * length and offset field is arbitrary, so a failure shrinks to the one
 * field that matters. Complements the mutation fuzzer (test/fuzz), which
 * starts from real captures instead.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { decodePacket, DecodedPacket, Layer, PacketLinePrinter, PacketJsonFormatter, CaptureFormatError } from '../dist/index.js';
import { PcapReader } from '../dist/source/pcap-reader.js';
import { BpfProgram } from '../dist/source/bpf-program.js';
import { AnalysisSession } from '../dist/analyze/index.js';
import { renderSummary } from '../dist/sink/report/summary.js';
import { EspDecryptor, DecryptStatus, PLAINTEXT_OFFSET, parseEspSecret } from '../dist/analyze/esp/index.js';
import { assertTerminalSafe } from './helpers/terminal-safe.js';
import { LINK_TYPES } from './fuzz/seeds.js';
import { IPPROTO, concat, espPacket, ipPacket, sealEsp, tcp, wrapIp } from './helpers/packets.js';

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

// Printers keep state between packets (tcpdump's relative TCP numbers, reply caches): each
// comparison below starts from fresh ones, so the second print of a packet is not its sequel.
const freshPrinters = () => [new PacketLinePrinter({ verbose: 3, hexAscii: 2, link: true }), new PacketLinePrinter({ ascii: 1, verbose: 1 }), new PacketLinePrinter({ quiet: true })];
const json = new PacketJsonFormatter();
const d = new DecodedPacket();

/** Printable ASCII, newlines and tabs: nothing else may reach a terminal from the line printer. */
const SAFE_ASCII = /^[\t\n\x20-\x7e]*$/;

/** Every view of a layer `d` says it decoded starts and ends inside the captured bytes. */
function assertWithinCapture(d, r) {
  const start = r.offset, end = r.offset + r.caplen;
  const inside = (what, o, e = o) => assert.ok(o >= start && o <= e && e <= end, `${what} [${o}, ${e}) outside the capture [${start}, ${end})`);
  if (d.ipVersion !== 0) {
    inside('network layer', d.networkOffset);
    inside('source address', d.srcAddrOffset, d.srcAddrOffset + d.addressLength);
    inside('destination address', d.dstAddrOffset, d.dstAddrOffset + d.addressLength);
  }
  if (d.has(Layer.Ipv4)) inside('ipv4', d.ipv4.o, d.ipv4.end);
  if (d.has(Layer.Ipv6)) inside('ipv6', d.ipv6.o, d.ipv6.end);
  if (d.has(Layer.Tcp)) { inside('tcp', d.tcp.o, d.tcp.end); inside('tcp header', d.tcp.o, d.tcp.o + 20); }
  if (d.has(Layer.Udp)) { inside('udp', d.udp.o, d.udp.end); inside('udp header', d.udp.o, d.udp.o + 8); }
  if (d.has(Layer.Icmp | Layer.Icmp6)) { inside('icmp', d.icmp.o, d.icmp.end); inside('icmp header', d.icmp.o, d.icmp.o + 4); }
  if (d.has(Layer.Esp)) { inside('esp', d.esp.o, d.esp.end); inside('esp header', d.esp.o, d.esp.o + 8); }
  if (d.has(Layer.Ah)) inside('ah header', d.ah.o, d.ah.o + 12);
}

/** What the decoder made of a packet, independent of where it sits in its buffer. */
function summary(d, r) {
  const rel = (o) => o - r.offset;
  return {
    layers: d.layers, stop: d.stop, ipVersion: d.ipVersion, ipProtocol: d.ipProtocol, ipPayloadLength: d.ipPayloadLength,
    network: rel(d.networkOffset), transport: d.ipProtocol >= 0 ? rel(d.transportOffset) : -1,
    tcp: d.has(Layer.Tcp) ? [rel(d.tcp.o), rel(d.tcp.end), d.tcp.payloadLength, d.tcp.capturedPayloadLength, d.tcp.optionCount] : null,
    udp: d.has(Layer.Udp) ? [rel(d.udp.o), rel(d.udp.end)] : null,
    esp: d.has(Layer.Esp) ? [rel(d.esp.o), rel(d.esp.end), d.esp.length] : null,
  };
}

test('decoders, line printers and JSON: any header field values, every link type', () => {
  const junk = fc.uint8Array({ minLength: 0, maxLength: 64 });
  fc.assert(fc.property(datagram, fc.constantFrom(...LINK_TYPES), fc.nat(3000), junk, junk, (ip, lt, extra, before, after) => {
    const bytes = wrapIp(ip, lt) ?? ip;
    const r = rec(bytes, wrapIp(ip, lt) ? lt : 101, bytes.length + (extra % 7 === 0 ? extra : 0));
    decodePacket(r, d);
    assertWithinCapture(d, r);
    const decoded = summary(d, r);
    const lines = freshPrinters().map((p) => p.format(r));
    for (const line of lines) {
      assertTerminalSafe(line, 'line');
      assert.match(line, SAFE_ASCII, 'the line printer writes printable ASCII only');
      assert.ok(line.endsWith('\n'), 'one line (or block) per packet, newline-terminated');
    }
    const text = json.format(decodePacket(r, d));
    const obj = JSON.parse(text);
    assert.equal(obj.caplen, r.caplen);
    assert.equal(obj.len, r.origLen);

    // The same packet inside a larger buffer, arbitrary bytes before and after it: decoding and
    // printing may not read outside the captured bytes, so nothing may change.
    const padded = concat(before, bytes, after);
    const r2 = { ...r, bytes: padded, offset: before.length };
    decodePacket(r2, d);
    assertWithinCapture(d, r2);
    assert.deepEqual(summary(d, r2), decoded, 'decoding depends on bytes outside the capture');
    assert.deepEqual(freshPrinters().map((p) => p.format(r2)), lines, 'a line depends on bytes outside the capture');
    assert.equal(json.format(decodePacket(r2, d)), text, 'JSON depends on bytes outside the capture');
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
    const hdr = magic === 0xa1b2cd34 ? 24 : 16;
    // The reader walks the records one after the other: each packet is the data after the header at
    // `next`, its caplen the header's (the two lengths swapped when caplen > len in files up to 2.3),
    // cut to the snaplen of 65535; never anything past the file or above the caplen bound.
    let next = 24;
    let n = 0;
    try {
      let pos = reader.parse(bytes, view, 0, bytes.length, 0, null);
      pos = reader.parse(bytes, view, pos, bytes.length, 0, (p) => {
        assert.equal(p.offset, next + hdr, `packet ${n}: where its record's data starts`);
        let caplen = view.getUint32(next + 8, true), len = view.getUint32(next + 12, true);
        if (minor <= 3 && caplen > len) [caplen, len] = [len, caplen];
        assert.ok(caplen <= 262144, `record ${n}: caplen ${caplen} accepted`);
        assert.ok(p.offset + caplen <= bytes.length, `packet ${n} [${p.offset}, +${caplen}) runs past the file`);
        assert.equal(p.caplen, Math.min(caplen, 65535), `packet ${n}: caplen`);
        assert.equal(p.origLen, len, `packet ${n}: original length`);
        next = p.offset + caplen;
        n++;
      });
      reader.finish(view, pos, bytes.length, 0);
    } catch (e) {
      if (!(e instanceof CaptureFormatError)) throw e;
    }
  }), { numRuns: RUNS });
});

test('pcap reader: well-formed files of any records read back exactly as written', () => {
  const record = fc.record({ sec: fc.nat(), frac: fc.nat(999_999_999), extra: fc.nat(70000), data: fc.uint8Array({ maxLength: 300 }) });
  fc.assert(fc.property(fc.array(record, { maxLength: 8 }), fc.constantFrom(0xa1b2c3d4, 0xa1b23c4d, 0xa1b2cd34), fc.boolean(), (records, magic, le) => {
    const nano = magic === 0xa1b23c4d;
    const hdr = magic === 0xa1b2cd34 ? 24 : 16;
    const parts = [];
    const h = new DataView(new ArrayBuffer(24)); h.setUint32(0, magic, le); h.setUint16(4, 2, le); h.setUint16(6, 4, le); h.setUint32(16, 262144, le); h.setUint32(20, 1, le);
    parts.push(new Uint8Array(h.buffer));
    for (const r of records) {
      const rh = new DataView(new ArrayBuffer(hdr));
      rh.setUint32(0, r.sec, le); rh.setUint32(4, nano ? r.frac : Math.floor(r.frac / 1000), le);
      rh.setUint32(8, r.data.length, le); rh.setUint32(12, r.data.length + r.extra, le);
      parts.push(new Uint8Array(rh.buffer), r.data);
    }
    const bytes = concat(...parts);
    const info = { name: 'p', format: 'pcap', compressed: false, interfaces: [], statistics: [], packets: 0, bytesRead: 0 };
    const reader = new PcapReader(info);
    const view = new DataView(bytes.buffer);
    const got = [];
    let pos = reader.parse(bytes, view, 0, bytes.length, 0, null);
    pos = reader.parse(bytes, view, pos, bytes.length, 0, (p) => {
      got.push({ sec: p.tsSec, nsec: p.tsNsec, caplen: p.caplen, len: p.origLen, data: Buffer.from(p.bytes.subarray(p.offset, p.offset + p.caplen)).toString('hex') });
    });
    reader.finish(view, pos, bytes.length, 0);
    assert.deepEqual(got, records.map((r) => ({
      sec: r.sec, nsec: nano ? r.frac : Math.floor(r.frac / 1000) * 1000, caplen: r.data.length, len: r.data.length + r.extra,
      data: Buffer.from(r.data).toString('hex'),
    })));
  }), { numRuns: Math.ceil(RUNS / 4) });
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
    let frame = 0;
    for (const s of segs) {
      us = Math.max(0, us + s.dtUs);
      const options = s.wscale === null ? new Uint8Array(0) : Uint8Array.of(3, 3, s.wscale, 1);
      const [a, b] = s.fromB ? ['10.0.0.2', '10.0.0.1'] : ['10.0.0.1', '10.0.0.2'];
      const segment = tcp({ sport: s.fromB ? 80 : 40000, dport: s.fromB ? 40000 : 80, seq: s.seq, ack: s.ack, flags: s.flags, win: s.win, options, payload: new Uint8Array(s.len) });
      const ip = ipPacket({ src: a, dst: b, proto: IPPROTO.TCP, payload: segment });
      session.onPacket({ ...rec(ip, 101), frame: ++frame, tsSec: 1_700_000_000 + Math.floor(us / 1e6), tsNsec: (us % 1e6) * 1000 });
    }
    const report = session.finish({ name: 'p', format: 'pcap', compressed: false });
    assertTerminalSafe(renderSummary(report, { color }), 'summary', { sgr: color });
    assert.deepEqual(JSON.parse(JSON.stringify(report)).tcp.counts, report.tcp.counts, 'the report is plain JSON');
    // Every packet is counted once, in exactly one stream, and each stream's two directions add up.
    const n = segs.length;
    assert.equal(report.capture.packets, n);
    assert.equal(report.tcp.packets, n);
    assert.equal(report.tcp.streams.length, report.tcp.streamsTotal, 'no summaries dropped at this size');
    assert.equal(report.tcp.streams.reduce((sum, st) => sum + st.packets, 0), n);
    for (const st of report.tcp.streams) {
      assert.equal(st.aToB.packets + st.bToA.packets, st.packets, `stream ${st.stream}`);
      assert.ok(st.firstFrame >= 1 && st.firstFrame <= st.lastFrame && st.lastFrame <= n, `stream ${st.stream} frames ${st.firstFrame}..${st.lastFrame}`);
      for (const dir of [st.aToB, st.bToA]) {
        assert.ok(dir.bytes >= 0 && dir.uniqueBytes >= 0 && dir.retransmittedBytes >= 0 && dir.bytes <= 1500 * dir.packets, JSON.stringify(dir));
        assert.ok(dir.retransmissionRate >= 0 && dir.retransmissionRate <= 1, `retransmission rate ${dir.retransmissionRate}`);
      }
    }
    assert.ok(report.tcp.flowTable.peak <= 2, 'the flow table holds at most --max-flows');
    // Events name real frames, in capture order, and the counts are the events (none omitted at this size).
    assert.equal(report.eventsOmitted, 0);
    let last = 0;
    const byKind = {};
    for (const e of report.events) {
      assert.ok(Number.isInteger(e.frame) && e.frame >= last && e.frame <= n, `event frame ${e.frame} after ${last} of ${n}`);
      last = e.frame;
      byKind[e.kind] = (byKind[e.kind] ?? 0) + 1;
    }
    for (const [kind, count] of Object.entries(report.tcp.counts)) {
      if (kind !== 'tcp.rto_backoff') assert.equal(byKind[kind] ?? 0, count, `${kind}: counted ${count}, events ${byKind[kind] ?? 0}`);
    }
  }), { numRuns: Math.ceil(RUNS / 3) });
});

const ESP_ALGS = [['null', 0, ''], ['3des-cbc', 24, ''], ['aes128-cbc', 16, ' hmac-sha1-96:0x' + '11'.repeat(20)], ['aes256-cbc', 32, ' hmac-sha512-256:0x' + '22'.repeat(64)],
  ['aes192-cbc', 24, ''], ['aes128-gcm16', 20, ''], ['aes256-gcm12', 36, ''], ['aes192-gcm8', 28, ''], ['aes128-cbc-hmac96', 16, ''],
  ['null', 0, ' hmac-sha256-128:0x' + '33'.repeat(32)]];
const STATUSES = new Set(Object.values(DecryptStatus));

function espSecret([name, keyLen, auth], key, v6) {
  return parseEspSecret(`0x1001@${v6 ? 'fd00::2' : '10.0.0.2'} ${name}:0x${Buffer.from(key.subarray(0, keyLen)).toString('hex')}${auth}`, 'p');
}

/** IPv4 10.0.0.1 > 10.0.0.2 or IPv6 ::1 > fd00::2 around an ESP packet. */
function espIp(esp, v6) {
  return ipPacket({ src: v6 ? '::1' : '10.0.0.1', dst: v6 ? 'fd00::2' : '10.0.0.2', proto: IPPROTO.ESP, payload: esp });
}

/** An ESP packet (RFC 4303) of SPI 0x1001 for parsed secret `secret` around `payload`. */
function sealFor(secret, payload, nextHeader, iv, seq) {
  const sa = { spi: 0x1001, cipher: secret.cipher, key: secret.salt ? concat(secret.key, secret.salt) : secret.key,
    digest: secret.integrity?.digest, authKey: secret.authKey, icvLength: secret.icvLength };
  return sealEsp({ sa, seq, payload, nextHeader, iv });
}

test('ESP decryptor: what is encrypted with any key and algorithm decrypts to the same bytes; a flipped bit fails the ICV', () => {
  const nextHeaders = fc.constantFrom(4, 41, 6, 17, 1, 58, 0, 255);
  fc.assert(fc.property(fc.constantFrom(...ESP_ALGS), fc.uint8Array({ minLength: 36, maxLength: 36 }), fc.uint8Array({ minLength: 16, maxLength: 16 }),
    fc.uint8Array({ maxLength: 300 }), nextHeaders, fc.boolean(), fc.nat(), fc.nat(), (alg, key, iv, payload, nh, v6, seq, flip) => {
      const secret = espSecret(alg, key, v6);
      const esp = sealFor(secret, payload, nh, iv, seq);
      const dec = new EspDecryptor([secret]);
      const status = dec.decrypt(decodePacket(rec(espIp(esp, v6), 101), d));
      assert.equal(status, DecryptStatus.Ok, `${alg[0]}${alg[2] ? ' with integrity' : ''}`);
      assert.equal(dec.nextHeader, nh);
      assert.equal(dec.payloadLength, payload.length);
      assert.ok(dec.paddingValid, 'RFC 4303 default padding recognised');
      assert.equal(dec.icvVerified, secret.integrity !== null || secret.cipher === 'aes-gcm');
      assert.deepEqual(dec.plaintext.subarray(PLAINTEXT_OFFSET, PLAINTEXT_OFFSET + payload.length), payload, 'plaintext round trip');
      // The inner packet ends where the payload does, inside the decryptor's buffer.
      const inner = dec.inner;
      assert.equal(inner.offset + inner.caplen, PLAINTEXT_OFFSET + payload.length);
      assert.ok(inner.offset >= 0 && inner.offset <= PLAINTEXT_OFFSET);
      decodePacket(inner, new DecodedPacket());
      // Any single flipped bit of what the ICV covers (header, IV, ciphertext, ICV) is detected.
      if (dec.icvVerified) {
        const bad = Uint8Array.from(esp);
        const bit = flip % (bad.length * 8);
        bad[bit >> 3] ^= 1 << (bit & 7);
        // The SPI is how the key is found: a flipped SPI bit finds no key rather than failing the ICV.
        const expected = (bit >> 3) < 4 ? DecryptStatus.NoKey : DecryptStatus.AuthFailed;
        assert.equal(new EspDecryptor([secret]).decrypt(decodePacket(rec(espIp(bad, v6), 101), d)), expected, `bit ${bit} flipped`);
      }
    }), { numRuns: RUNS });
});

test('ESP decryptor: arbitrary keys, algorithms and packet bytes give a documented status, and Ok only within the packet', () => {
  fc.assert(fc.property(fc.constantFrom(...ESP_ALGS), fc.uint8Array({ minLength: 36, maxLength: 36 }), fc.uint8Array({ maxLength: 300 }), fc.boolean(), (alg, key, body, v6) => {
    const secret = espSecret(alg, key, v6);
    const esp = espPacket({ spi: 0x1001, seq: 1, payload: body });
    const dec = new EspDecryptor([secret]);
    const status = dec.decrypt(decodePacket(rec(espIp(esp, v6), 101), d));
    assert.ok(STATUSES.has(status), `status ${status}`);
    // With an ICV that can be checked, random bytes never pass it.
    if (secret.integrity !== null || secret.cipher === 'aes-gcm') assert.notEqual(status, DecryptStatus.Ok, 'random bytes passed the ICV');
    if (status === DecryptStatus.Ok || status === DecryptStatus.Dummy) {
      assert.ok(dec.payloadLength >= 0 && dec.payloadLength + 2 <= body.length, `payload ${dec.payloadLength} of ${body.length} bytes`);
    }
    if (status === DecryptStatus.Ok) decodePacket(dec.inner, new DecodedPacket());
  }), { numRuns: RUNS });
});
