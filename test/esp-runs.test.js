// In-order runs (src/analyze/esp/in-order-runs.ts) are a shortcut: with them
// and without them, the ESP analyzer must report exactly the same things.
// Random IPsec traffic with every kind of trouble (gaps, replays, reordering,
// restarts, sequence 0, counters near and past 2^32, rekeys, silences, time going
// backwards, ESP in UDP, AH, IPv6, cleartext between peers and before the
// first SA) goes through both, and reports, findings and events are compared.
import test from 'node:test';
import assert from 'node:assert/strict';
import { IPPROTO, ah, espPacket, ethernet, ipPacket, tcp, udp } from './helpers/packets.js';
import { EspAnalyzer } from '../dist/analyze/esp/index.js';
import { decodePacket, DecodedPacket, createPacketRecord } from '../dist/index.js';

function prng(seed) {
  let s = seed | 0;
  return () => {
    s = (Math.imul(s ^ (s >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) | 0;
    return ((s >>> 0) % 1e9) / 1e9;
  };
}

/** An ESP packet of `length` bytes: SPI, sequence number, zeros. */
const espHeader = (spi, seq, length) => espPacket({ spi, seq, payload: new Uint8Array(length - 8) });
/** An Ethernet frame of an IPv4 or IPv6 packet. */
const frameOf = (src, dst, proto, payload) => ethernet({ payload: ipPacket({ src, dst, proto, payload }) });

/** [time, frame] pairs of one random scenario. */
function randomTraffic(rnd) {
  const pick = (a) => a[Math.floor(rnd() * a.length)];
  const v4 = ['10.0.0.1', '10.0.0.2', '10.0.0.3', '10.0.0.4'];
  const v6 = ['fd00::1', 'fd00::2'];
  const sas = [];
  for (let i = 0, n = 1 + Math.floor(rnd() * 12); i < n; i++) {
    const hosts = rnd() < 0.15 ? v6 : v4;
    const src = pick(hosts);
    let dst = src;
    while (dst === src) dst = pick(hosts);
    const high = rnd();
    sas.push({
      src, dst,
      spi: rnd() < 0.05 ? Math.floor(rnd() * 256) : rnd() < 0.5 ? 0x1000 + i : (rnd() * 2 ** 32) >>> 0,
      // Near the ESN warning threshold, or just below 2^32 (the counter goes on past it).
      seq: high < 0.05 ? 0xefffffe0 + Math.floor(rnd() * 40) : high < 0.1 ? 0xffffff80 + Math.floor(rnd() * 120) : Math.floor(rnd() * 3),
      ah: rnd() < 0.08, udp: rnd() < 0.08, sometimesUdp: rnd() < 0.05,
    });
  }
  const frames = [];
  let t = 1_700_000_000 + rnd();
  for (let k = 0, n = 200 + Math.floor(rnd() * 2500); k < n; k++) {
    const r = rnd();
    t += r < 0.003 ? 6 + rnd() * 30 : r < 0.01 ? -rnd() * 0.5 : rnd() < 0.5 ? 0.0008 : rnd() * 0.01;
    if (rnd() < 0.12) {
      const a = pick(v4);
      let b = a;
      while (b === a) b = pick(v4);
      const x = rnd();
      const [proto, l4] = x < 0.6 ? [IPPROTO.TCP, tcp({ src: a, dst: b, sport: 1000 + Math.floor(rnd() * 3), dport: 22, seq: Math.floor(rnd() * 1e6), ack: 1, flags: 'PA', win: 100, payload: new Uint8Array(20) })]
        : x < 0.8 ? [IPPROTO.UDP, udp({ src: a, dst: b, sport: pick([500, 4500, 53]), dport: pick([500, 4500, 53]), payload: new Uint8Array(rnd() < 0.3 ? 1 : 12).fill(0xff) })]
          : [IPPROTO.ICMP, Uint8Array.of(8, 0, 0, 0, 0, 1, 0, 1)];
      frames.push([t, frameOf(a, b, proto, l4)]);
      continue;
    }
    if (rnd() < 0.01) { const s = pick(sas); sas.push({ ...s, spi: (rnd() * 2 ** 32) >>> 0, seq: 0 }); }
    const s = pick(sas);
    const y = rnd();
    let seq = y < 0.85 ? ++s.seq : y < 0.9 ? (s.seq += 1 + Math.floor(rnd() * 100)) : y < 0.95 ? s.seq - Math.floor(rnd() * 80)
      : y < 0.97 ? s.seq : y < 0.98 ? (s.seq = 1) : y < 0.99 ? 0 : (s.seq += 2 ** 31);
    seq >>>= 0;
    s.seq >>>= 0;
    const body = espHeader(s.spi, seq, 24 + Math.floor(rnd() * 60));
    let frame;
    if (s.ah) {
      const inner = tcp({ src: s.src, dst: s.dst, sport: 1, dport: 2, seq: 1, ack: 1, flags: 'A', win: 10 });
      frame = frameOf(s.src, s.dst, IPPROTO.AH, ah({ spi: s.spi, seq, nextHeader: IPPROTO.TCP, payload: inner }));
    } else if (s.udp || (s.sometimesUdp && rnd() < 0.5)) {
      frame = frameOf(s.src, s.dst, IPPROTO.UDP, udp({ src: s.src, dst: s.dst, sport: 4500, dport: 4500, payload: body }));
    } else frame = frameOf(s.src, s.dst, IPPROTO.ESP, body);
    frames.push([t, frame]);
  }
  return frames;
}

/** Everything the analyzer says about `frames`, as JSON. */
function analyse(frames, options) {
  const events = [];
  const analyzer = new EspAnalyzer(options, (e) => events.push(e));
  const d = new DecodedPacket();
  const rec = createPacketRecord();
  // One buffer for all packets, as a file chunk hands them.
  const all = Buffer.concat(frames.map((f) => f[1]));
  let offset = 0;
  frames.forEach(([t, frame], i) => {
    rec.bytes = all; rec.offset = offset; rec.caplen = frame.length; rec.origLen = frame.length;
    rec.frame = i + 1; rec.linkType = 1;
    rec.tsSec = Math.floor(t); rec.tsNsec = Math.round((t - Math.floor(t)) * 1e6) * 1000;
    offset += frame.length;
    analyzer.onPacket(decodePacket(rec, d));
  });
  analyzer.finish();
  return { json: JSON.stringify({ report: analyzer.report(), findings: analyzer.findings(), events }), report: analyzer.report() };
}

test('in-order runs change nothing the ESP analyzer reports (random traffic, 150 scenarios)', () => {
  const rnd = prng(20261122);
  let inRuns = 0;
  for (let i = 0; i < 150; i++) {
    const frames = randomTraffic(rnd);
    const options = { replayWindow: [32, 64, 100, 1024][i % 4], silenceSeconds: [5, 1, 0.001][i % 3] };
    const fast = analyse(frames, options);
    const general = analyse(frames, { ...options, inOrderRuns: false });
    assert.equal(fast.json, general.json, `scenario ${i} (${frames.length} packets, ${JSON.stringify(options)})`);
    inRuns += fast.report.packets.esp;
  }
  assert.ok(inRuns > 100_000, 'the scenarios carry enough ESP to exercise runs');
});

test('an SA in an in-order run is not evicted while idle SAs can be', () => {
  // Two SAs allowed; a busy one keeps sending while new SPIs come and go.
  const frames = [];
  let t = 1_700_000_000;
  for (let k = 1; k <= 400; k++) {
    t += 0.001;
    frames.push([t, frameOf('10.0.0.1', '10.0.0.2', IPPROTO.ESP, espHeader(0xbeef, k, 40))]);
    if (k % 10 === 0) frames.push([t, frameOf('10.0.0.3', '10.0.0.4', IPPROTO.ESP, espHeader(0x5000 + k, 1, 40))]);
  }
  const { report } = analyse(frames, { maxSas: 2 });
  const busy = report.sas.find((s) => s.spi === '0x0000beef');
  assert.ok(busy, 'the busy SA survives the churn');
  assert.equal(busy.packets, 400);
  assert.equal(busy.firstFrame, 1, 'it was never evicted and recreated');
  assert.equal(busy.gaps + busy.replays + busy.outOfOrder + busy.restarts, 0);
  assert.ok(report.evicted.sas >= 30, 'the idle SAs were evicted instead');
});
