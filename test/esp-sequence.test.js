// Sequence-number rules of the ESP/AH analyzer against RFC 4303 (3.3.3 generation, 3.4.3 the
// receiver's window, Appendix A2 extended sequence numbers): seq 0, restart or stale/replayed
// packet decided by the packets that follow, and a counter going on past 2^32 (ESN).
// Fixtures: scripts/gen-esp-fixtures.mjs (esp-sequence-zero-first, esp-stale-low,
// esp-restart-continues, esp-esn-wrap); every case runs with in-order runs, without them,
// and (where keys exist) while decrypting, which must all say the same.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeEsp, fixture, fixtureSecrets } from './helpers/esp.js';
import { IPPROTO, ah, espPacket, ethernet, ipPacket } from './helpers/packets.js';
import { EspAnalyzer } from '../dist/analyze/esp/index.js';
import { decodePacket, DecodedPacket, createPacketRecord } from '../dist/index.js';

/** The sequence findings as [kind, frame, seq, details...], in frame order. */
function findings(events) {
  return events.filter((e) => e.kind !== 'esp.one_way_sa' && e.kind !== 'ah.one_way_sa')
    .sort((a, b) => a.frame - b.frame)
    .map((e) => {
      const row = [e.kind, e.frame, e.seq];
      if ('expected' in e && e.kind.endsWith('sequence_gap')) row.push({ expected: e.expected, missing: e.missing });
      if (e.kind.endsWith('out_of_order')) row.push({ depth: e.depth });
      if (e.kind.endsWith('outside_replay_window')) row.push({ depth: e.depth });
      if (e.kind.endsWith('sequence_restart')) row.push({ previousHighest: e.previousHighest });
      return row;
    });
}

/** Runs a fixture in every mode and checks they agree; returns the runs-on result. */
async function everyMode(name, { keys = true } = {}) {
  const fast = await analyzeEsp(fixture(name));
  const general = await analyzeEsp(fixture(name), { inOrderRuns: false });
  assert.deepEqual(findings(general.events), findings(fast.events), `${name}: runs on and off`);
  assert.deepEqual(general.report.sas, fast.report.sas, `${name}: SA summaries with runs on and off`);
  if (keys) {
    const decrypting = await analyzeEsp(fixture(name), { secrets: fixtureSecrets() });
    assert.equal(decrypting.report.decryption.authFailed, 0);
    assert.deepEqual(findings(decrypting.events), findings(fast.events), `${name}: while decrypting`);
  }
  return fast;
}

const sa = (report, spi) => {
  const s = report.sas.find((x) => x.spi === spi);
  const { firstSeq, highestSeq, packets, missing, gaps, replays, outOfOrder, outsideWindow, restarts, wraps } = s;
  return { firstSeq, highestSeq, packets, missing, gaps, replays, outOfOrder, outsideWindow, restarts, wraps };
};
const clean = { missing: 0, gaps: 0, replays: 0, outOfOrder: 0, outsideWindow: 0, restarts: 0, wraps: 0 };

test('seq 0 then 1, 2, 3...: sequence_zero only; 0 is neither the first number nor the base of anything', async () => {
  const { events, report, analyzer } = await everyMode('esp-sequence-zero-first.pcap');
  assert.deepEqual(findings(events), [['esp.sequence_zero', 1, 0]]);
  assert.deepEqual(sa(report, '0x00001001'), { ...clean, firstSeq: 1, highestSeq: 70, packets: 71 });
  assert.equal(report.findings['esp.sequence_zero'], 1);
  assert.ok(analyzer.findings().some((f) => /1 SA sent sequence number 0/.test(f.text)));
});

test('a stale copy of packet 1 amid a counter that goes on: outside the replay window, not a restart', async () => {
  const { events, report } = await everyMode('esp-stale-low.pcap');
  // 1..100 (frames 1..199, odd), 1 at frame 201, then 101..110.
  assert.deepEqual(findings(events), [['esp.outside_replay_window', 201, 1, { depth: 99 }]]);
  const e = events.find((x) => x.kind === 'esp.outside_replay_window');
  assert.equal(e.window, 64);
  assert.equal(e.spi, '0x00001001');
  assert.deepEqual([e.src, e.dst], ['10.1.0.1', '10.2.0.1']);
  assert.ok(Math.abs(e.time - (1704067200 + 1.0)) < 1e-6, 'the time of the stale packet, not of the one that decided it');
  assert.deepEqual(sa(report, '0x00001001'), { ...clean, outsideWindow: 1, firstSeq: 1, highestSeq: 110, packets: 111 });
  // With a window wider than the depth it is a duplicate: a replay.
  const wide = await analyzeEsp(fixture('esp-stale-low.pcap'), { replayWindow: 128 });
  assert.deepEqual(findings(wide.events), [['esp.replay', 201, 1]]);
});

test('the counter starts again at 1 and goes on: a restart at the first low packet, nothing else', async () => {
  const { events, report } = await everyMode('esp-restart-continues.pcap');
  assert.deepEqual(findings(events), [['esp.sequence_restart', 201, 1, { previousHighest: 100 }]]);
  assert.deepEqual(sa(report, '0x00001001'), { ...clean, restarts: 1, firstSeq: 1, highestSeq: 20, packets: 120 });
});

test('ESN: 0xfffffffc..0xffffffff, 0, 1, ... is one counter going on past 2^32', async () => {
  // Its SAs have no key (their ICVs cover the high 32 bits, which the decryptor does not add).
  const { events, report } = await everyMode('esp-esn-wrap.pcap', { keys: false });
  // Only the early warning at the first number near 2^32; no seq 0, restart, replay or gap.
  assert.deepEqual(findings(events), [['esp.esn_needed', 1, 0xfffffffc]]);
  assert.deepEqual(sa(report, '0x00001e5a'), { ...clean, wraps: 1, firstSeq: 0xfffffffc, highestSeq: 5, packets: 10 });
  assert.deepEqual(sa(report, '0x00002e5a'), { ...clean, firstSeq: 1, highestSeq: 10, packets: 10 });
});

// ---- the rules one by one, on sequences of one SA ---------------------------------------------

/** An Ethernet frame from `src` to 10.0.0.2 carrying an ESP or AH packet. */
const espFrame = (src, proto, payload) => ethernet({ payload: ipPacket({ src, dst: '10.0.0.2', proto, payload }) });

/** ESP (or AH) packets of one SA with the given sequence numbers, 1 ms apart. */
function run(seqs, options = {}, { proto = 'esp' } = {}) {
  const events = [];
  const analyzer = new EspAnalyzer(options, (e) => events.push(e));
  const d = new DecodedPacket();
  const rec = createPacketRecord();
  seqs.forEach((seq, i) => {
    let bytes;
    if (proto === 'ah') {
      bytes = espFrame('10.0.0.1', IPPROTO.AH, ah({ spi: 0xab01, seq, nextHeader: IPPROTO.NONE }));
    } else {
      bytes = espFrame('10.0.0.1', IPPROTO.ESP, espPacket({ spi: 0x1001, seq, payload: new Uint8Array(32) }));
    }
    rec.bytes = bytes; rec.offset = 0; rec.caplen = bytes.length; rec.origLen = bytes.length; rec.linkType = 1;
    rec.frame = i + 1; rec.tsSec = 1_700_000_000; rec.tsNsec = (i + 1) * 1_000_000;
    analyzer.onPacket(decodePacket(rec, d));
  });
  analyzer.finish();
  const report = analyzer.report();
  return { events: findings(events), sa: report.sas[0] };
}

/** `run` with and without in-order runs; they must agree. */
function both(seqs, options = {}, how = {}) {
  const fast = run(seqs, options, how);
  const general = run(seqs, { ...options, inOrderRuns: false }, how);
  assert.deepEqual(general, fast, `runs on and off differ for ${seqs.length} packets`);
  return fast;
}

const upTo = (a, b) => Array.from({ length: b - a + 1 }, (_, i) => a + i);

test('seq 0 in the middle is reported once and ignored: it holds no number and resets nothing', () => {
  const r = both([1, 2, 3, 0, 4, 0, 5]);
  assert.deepEqual(r.events, [['esp.sequence_zero', 4, 0]]);
  assert.deepEqual([r.sa.highestSeq, r.sa.restarts, r.sa.replays, r.sa.gaps], [5, 0, 0, 0]);
});

test('a sender that starts again with 0 then 1, 2: seq 0, then the restart at 1 (not at 0)', () => {
  const r = both([...upTo(1, 100), 0, 1, 2, 3]);
  assert.deepEqual(r.events, [['esp.sequence_zero', 101, 0], ['esp.sequence_restart', 102, 1, { previousHighest: 100 }]]);
  assert.equal(r.sa.highestSeq, 3);
});

test('0, 1, 1, 2: the second 1 is a replay, nothing restarted', () => {
  const r = both([0, 1, 1, 2, 3]);
  assert.deepEqual(r.events, [['esp.sequence_zero', 1, 0], ['esp.replay', 3, 1]]);
  assert.equal(r.sa.restarts, 0);
});

test('a restart inside the window (1..8 then 1..4) is still a restart: the duplicates go on from 1', () => {
  const r = both([...upTo(1, 8), ...upTo(1, 4)]);
  assert.deepEqual(r.events, [['esp.sequence_restart', 9, 1, { previousHighest: 8 }]]);
  assert.deepEqual([r.sa.replays, r.sa.highestSeq], [0, 4]);
});

test('a duplicate 1 followed by the old counter is a replay (no restart, no gap)', () => {
  const r = both([...upTo(1, 10), 1, 11, 12]);
  assert.deepEqual(r.events, [['esp.replay', 11, 1]]);
});

test('a low number left of the window at the end of the capture started nothing', () => {
  const r = both([...upTo(1, 100), 2]);
  assert.deepEqual(r.events, [['esp.outside_replay_window', 101, 2, { depth: 98 }]]);
  assert.equal(r.sa.restarts, 0);
});

test('a restart whose first packets were lost (3, 4, 5 after 100) is a restart; a number above 4 is not held', () => {
  assert.deepEqual(both([...upTo(1, 100), 3, 4, 5]).events, [['esp.sequence_restart', 101, 3, { previousHighest: 100 }]]);
  // 30 is no counter starting again: outside the window at once, and 31 after it as well.
  assert.deepEqual(both([...upTo(1, 100), 30, 31, 101]).events,
    [['esp.outside_replay_window', 101, 30, { depth: 70 }], ['esp.outside_replay_window', 102, 31, { depth: 69 }]]);
});

test('a held number stays held across a 0, and the restart shows with the gap after it', () => {
  const r = both([...upTo(1, 100), 1, 0, 3, 4]);
  assert.deepEqual(r.events, [
    ['esp.sequence_restart', 101, 1, { previousHighest: 100 }],
    ['esp.sequence_zero', 102, 0],
    ['esp.sequence_gap', 103, 3, { expected: 2, missing: 1 }],
  ]);
});

test('ESN: 0 right after 0xffffffff goes on; late and duplicate packets across 2^32 are measured modulo 2^32', () => {
  const r = both([0xfffffffe, 0xffffffff, 0, 1, 2, 0xfffffffd, 3, 0, 4]);
  assert.deepEqual(r.events, [
    ['esp.esn_needed', 1, 0xfffffffe],
    ['esp.out_of_order', 6, 0xfffffffd, { depth: 5 }],
    ['esp.replay', 8, 0],
  ]);
  assert.deepEqual([r.sa.wraps, r.sa.highestSeq, r.sa.restarts], [1, 4, 0]);
});

test('ESN: a gap across 2^32 is a gap (the packet with low bits 0 missing), not a restart', () => {
  const r = both([0xfffffffd, 0xfffffffe, 0xffffffff, 1, 2]);
  assert.deepEqual(r.events, [['esp.esn_needed', 1, 0xfffffffd], ['esp.sequence_gap', 4, 1, { expected: 0, missing: 1 }]]);
  assert.equal(r.sa.wraps, 1);
});

test('a counter far from 2^32 that goes back to 1 is a restart, not a wrap', () => {
  const r = both([0xf0000000, 0xf0000001, 1, 2, 3]);
  assert.deepEqual(r.events, [['esp.esn_needed', 1, 0xf0000000], ['esp.sequence_restart', 3, 1, { previousHighest: 0xf0000001 }]]);
  assert.equal(r.sa.wraps, 0);
});

test('AH follows the same rules', () => {
  const r = both([...upTo(1, 100), 1, ...upTo(101, 103), 0], {}, { proto: 'ah' });
  assert.deepEqual(r.events, [['ah.outside_replay_window', 101, 1, { depth: 99 }], ['ah.sequence_zero', 105, 0]]);
});

test('an evicted SA holding a number: decided as stale when it goes', () => {
  // Two SAs allowed; the held SA goes quiet and a third one evicts it.
  const events = [];
  const analyzer = new EspAnalyzer({ maxSas: 2 }, (e) => events.push(e));
  const d = new DecodedPacket();
  const rec = createPacketRecord();
  let frame = 0;
  const send = (spi, seq, src = '10.0.0.1') => {
    const bytes = espFrame(src, IPPROTO.ESP, espPacket({ spi, seq, payload: new Uint8Array(32) }));
    rec.bytes = bytes; rec.offset = 0; rec.caplen = bytes.length; rec.origLen = bytes.length; rec.linkType = 1;
    rec.frame = ++frame; rec.tsSec = 1_700_000_000; rec.tsNsec = frame * 1_000_000;
    analyzer.onPacket(decodePacket(rec, d));
  };
  for (let i = 1; i <= 100; i++) send(0x1001, i);
  send(0x1001, 2);
  for (let i = 1; i <= 3; i++) send(0x2001, i, '10.0.0.3');
  send(0x3001, 1, '10.0.0.4');
  analyzer.finish();
  const stale = events.filter((e) => e.kind === 'esp.outside_replay_window');
  assert.deepEqual(stale.map((e) => [e.frame, e.spi, e.seq, e.depth, e.src]), [[101, '0x00001001', 2, 98, '10.0.0.1']]);
  assert.equal(analyzer.report().evicted.sas, 1);
});
