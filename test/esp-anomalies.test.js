// ESP/AH SA tracking and findings, one generated fixture per anomaly (scripts/gen-esp-fixtures.mjs).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeEsp, fixture, ofKind } from './helpers/esp.js';

const only = (events, kind) => {
  const found = ofKind(events, kind);
  assert.equal(found.length, 1, `one ${kind} in ${JSON.stringify(events.map((e) => e.kind))}`);
  return found[0];
};

test('sequence gap: two numbers skipped', async () => {
  const { events, report } = await analyzeEsp(fixture('esp-sequence-gap.pcap'));
  const e = only(events, 'esp.sequence_gap');
  assert.deepEqual([e.frame, e.spi, e.seq, e.expected, e.missing], [7, '0x00001001', 6, 4, 2]);
  const sa = report.sas.find((s) => s.spi === '0x00001001');
  assert.equal(sa.missing, 2);
  assert.equal(report.saCount, 2);
});

test('replay: a sequence number seen twice', async () => {
  const { events } = await analyzeEsp(fixture('esp-replay.pcap'));
  const e = only(events, 'esp.replay');
  assert.deepEqual([e.frame, e.seq], [11, 3]);
  assert.equal(ofKind(events, 'esp.sequence_gap').length, 0);
});

test('out of order: a late packet fills the gap, with its depth', async () => {
  const { events, report } = await analyzeEsp(fixture('esp-out-of-order.pcap'));
  const e = only(events, 'esp.out_of_order');
  assert.deepEqual([e.frame, e.seq, e.depth], [7, 3, 1]);
  assert.equal(report.sas.find((s) => s.spi === '0x00001001').missing, 0, 'the gap was filled');
});

test('outside the replay window, and --replay-window moves the edge', async () => {
  const { events } = await analyzeEsp(fixture('esp-outside-window.pcap'));
  const e = only(events, 'esp.outside_replay_window');
  assert.deepEqual([e.frame, e.seq, e.depth, e.window], [100, 10, 90, 64]);
  const wide = await analyzeEsp(fixture('esp-outside-window.pcap'), { replayWindow: 128 });
  assert.equal(ofKind(wide.events, 'esp.outside_replay_window').length, 0);
  assert.equal(only(wide.events, 'esp.out_of_order').depth, 90);
});

test('sequence restart without a new SPI', async () => {
  const { events } = await analyzeEsp(fixture('esp-sequence-restart.pcap'));
  const e = only(events, 'esp.sequence_restart');
  assert.deepEqual([e.frame, e.seq, e.previousHighest], [17, 1, 8]);
  assert.equal(ofKind(events, 'esp.replay').length, 0, 'the numbers after a restart are not replays');
});

test('sequence number zero', async () => {
  const { events, report } = await analyzeEsp(fixture('esp-sequence-zero.pcap'));
  assert.equal(only(events, 'esp.sequence_zero').frame, 1);
  assert.equal(events.length, 1);
  assert.equal(report.sas.find((s) => s.spi === '0x00001001').firstSeq, 1, '0 is not the first sequence number');
});

test('reserved SPIs (1-255 and 0)', async () => {
  const { events } = await analyzeEsp(fixture('esp-reserved-spi.pcap'));
  assert.deepEqual(ofKind(events, 'esp.reserved_spi').map((e) => e.spi), ['0x00000005', '0x00000000']);
});

test('ESN needed: counter near 2^32; past it the counter goes on (ESN), here without the packet whose low bits are 0', async () => {
  const { events, report } = await analyzeEsp(fixture('esp-esn.pcap'));
  const esn = only(events, 'esp.esn_needed');
  assert.deepEqual([esn.frame, esn.seq, esn.remaining], [1, 0xfffffffd, 2]);
  // 0xffffffff then 1: the 64-bit counter's 2^32 (sent as 0) is missing, nothing restarted.
  const gap = only(events, 'esp.sequence_gap');
  assert.deepEqual([gap.frame, gap.seq, gap.expected, gap.missing], [7, 1, 0, 1]);
  assert.deepEqual(events.map((e) => e.kind), ['esp.esn_needed', 'esp.sequence_gap']);
  const sa = report.sas.find((s) => s.spi === '0x00001001');
  assert.deepEqual([sa.wraps, sa.restarts, sa.highestSeq], [1, 0, 2]);
});

test('rekey: overlap and traffic on the old SA after the new one started', async () => {
  const { events, report } = await analyzeEsp(fixture('esp-rekey.pcap'));
  const rekeys = ofKind(events, 'esp.rekey');
  assert.equal(rekeys.length, 2);
  const out = rekeys.find((e) => e.oldSpi === '0x00001001');
  assert.equal(out.spi, '0x00001002');
  assert.ok(Math.abs(out.overlapSeconds - 0.75) < 1e-6);
  assert.equal(out.oldPacketsAfterNew, 4);
  assert.deepEqual(rekeys.map((e) => e.frame), [...rekeys.map((e) => e.frame)].sort((a, b) => a - b), 'frame order');
  assert.equal(report.sas.find((s) => s.spi === '0x00001002').replaces, '0x00001001');
});

test('one-way SA', async () => {
  const { events } = await analyzeEsp(fixture('esp-one-way.pcap'));
  const e = only(events, 'esp.one_way_sa');
  assert.equal(e.packets, 6);
  const twoWay = await analyzeEsp(fixture('esp-sequence-gap.pcap'));
  assert.equal(ofKind(twoWay.events, 'esp.one_way_sa').length, 0);
});

test('cleartext between ESP peers; IKE, NAT keepalive and (by default) ICMP exempt', async () => {
  const { events, report } = await analyzeEsp(fixture('esp-cleartext.pcap'));
  const leaks = ofKind(events, 'esp.cleartext');
  assert.deepEqual(leaks.map((e) => [e.ipProtocol, e.srcPort, e.dstPort, e.packets]), [[6, 40000, 443, 2], [17, 53000, 53, 1]]);
  assert.equal(report.cleartextPackets, 3);
  const strict = await analyzeEsp(fixture('esp-cleartext.pcap'), { allowIcmp: false });
  assert.deepEqual(ofKind(strict.events, 'esp.cleartext').map((e) => e.ipProtocol).sort(), [1, 17, 6].sort());
});

test('cleartext before the hosts\' first ESP packet is a leak too; other hosts\' cleartext is not', async () => {
  const { events, report } = await analyzeEsp(fixture('esp-cleartext-before-sa.pcap'));
  const leaks = ofKind(events, 'esp.cleartext');
  assert.deepEqual(leaks.map((e) => [e.src, e.srcPort, e.dst, e.dstPort, e.packets, e.frame, e.lastFrame]).sort(), [
    ['10.1.0.1', 40001, '10.2.0.1', 22, 2, 1, 3],
    ['10.2.0.1', 22, '10.1.0.1', 40001, 1, 2, 2],
  ]);
  assert.deepEqual(leaks.find((e) => e.srcPort === 40001).frames, [1, 3]);
  assert.equal(report.cleartextPackets, 3);
  // With ICMP counted, the ping before the SAs is a leak as well; IKE never is.
  const strict = await analyzeEsp(fixture('esp-cleartext-before-sa.pcap'), { allowIcmp: false });
  assert.deepEqual(ofKind(strict.events, 'esp.cleartext').map((e) => e.ipProtocol).sort(), [1, 6, 6]);
});

test('silence: one SA quiet 21 s while the reverse SA keeps going', async () => {
  const { events } = await analyzeEsp(fixture('esp-silence.pcap'));
  const e = only(events, 'esp.silence');
  assert.deepEqual([e.spi, e.fromFrame, e.frame, e.seconds], ['0x00001001', 9, 31, 21]);
  assert.ok(e.otherPackets > 0);
  assert.equal(ofKind(events, 'esp.sequence_gap').length, 0);
  const lenient = await analyzeEsp(fixture('esp-silence.pcap'), { silenceSeconds: 30 });
  assert.equal(ofKind(lenient.events, 'esp.silence').length, 0);
});

test('IPv6 ESP', async () => {
  const { events, report } = await analyzeEsp(fixture('esp-ipv6.pcap'));
  const e = only(events, 'esp.sequence_gap');
  assert.deepEqual([e.src, e.dst, e.missing], ['fd00:1::1', 'fd00:2::1', 2]);
  assert.equal(report.saCount, 2);
});

test('ESP in UDP 4500 (NAT-T): IKE and keepalives are not SAs or leaks', async () => {
  const { events, report } = await analyzeEsp(fixture('esp-natt.pcap'));
  const e = only(events, 'esp.replay');
  assert.equal(e.encapsulation, 'udp');
  assert.equal(report.saCount, 2);
  assert.ok(report.sas.every((s) => s.udpEncapsulated));
  assert.equal(ofKind(events, 'esp.cleartext').length, 0);
});

test('AH: the same sequence analysis under ah.*', async () => {
  const { events, report } = await analyzeEsp(fixture('esp-ah-sequence.pcap'));
  assert.deepEqual(events.map((e) => e.kind), ['ah.sequence_gap', 'ah.replay']);
  assert.ok(report.sas.every((s) => s.protocol === 'ah'));
  assert.equal(report.packets.ah, 14);
});

test('100,000 SPIs in a capped table: bounded, with the evictions reported', async () => {
  const { manySpis } = await import('../scripts/gen-esp-fixtures.mjs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const { mkdtempSync, rmSync } = await import('node:fs');
  const dir = mkdtempSync(join(tmpdir(), 'zsniff-esp-'));
  try {
    const path = await manySpis(100_000).write(join(dir, 'many.pcap'));
    const { report, analyzer } = await analyzeEsp(path, { maxSas: 10_000 });
    assert.equal(report.saCount, 10_000);
    assert.equal(report.evicted.sas, 90_000);
    assert.equal(report.evicted.packets, 90_000);
    assert.equal(report.sas.length, 1000, 'the report lists a bounded number of SAs');
    assert.equal(report.sasNotListed, 9000);
    assert.equal(analyzer.sas.index.capacity, 10_000);
    assert.ok(analyzer.findings().some((f) => /evicted/.test(f.text)));
    // A table large enough holds them all.
    const full = await analyzeEsp(path, { maxSas: 100_000 });
    assert.equal(full.report.saCount, 100_000);
    assert.equal(full.report.evicted.sas, 0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('SA cache: an evicted SA is never found through its old cache entry, and in-order counts match the general path', async () => {
  const { EspAnalyzer } = await import('../dist/analyze/esp/index.js');
  const { decodePacket, DecodedPacket, createPacketRecord } = await import('../dist/index.js');
  const { IPPROTO, ethernet, ipPacket, sealEsp } = await import('./helpers/packets.js');
  const sa = { name: 't', spi: 0, cipher: 'aes-gcm', key: Buffer.alloc(20, 7) };
  // Three SAs through a two-SA table, round robin: every packet evicts the SA that comes next.
  const keys = [['10.0.0.1', '10.0.0.2', 0x1001], ['10.0.0.3', '10.0.0.4', 0x1002], ['10.0.0.5', '10.0.0.6', 0x1003]];
  const run = (maxSas, rounds, order) => {
    const a = new EspAnalyzer({ maxSas });
    const d = new DecodedPacket();
    const rec = createPacketRecord();
    let frame = 0;
    for (let r = 1; r <= rounds; r++) {
      for (const i of order) {
        const [src, dst, spi] = keys[i];
        const esp = sealEsp({ sa: { ...sa, spi }, seq: r, payload: new Uint8Array(16), nextHeader: IPPROTO.NONE });
        const bytes = ethernet({ payload: ipPacket({ src, dst, proto: IPPROTO.ESP, payload: esp }) });
        rec.bytes = bytes; rec.offset = 0; rec.caplen = bytes.length; rec.origLen = bytes.length;
        rec.frame = ++frame; rec.tsSec = 1000 + frame; rec.tsNsec = 0;
        a.onPacket(decodePacket(rec, d));
      }
    }
    a.finish();
    return a.report();
  };
  const capped = run(2, 5, [0, 1, 2]);
  assert.equal(capped.evicted.sas + capped.saCount, 15, 'each packet after the first two made a new SA');
  assert.equal(capped.packets.esp, 15);
  // Uncapped, same traffic: every SA in order throughout, all packets counted on their own SA.
  const free = run(10, 50, [0, 1, 2]);
  assert.equal(free.saCount, 3);
  for (const s of free.sas) {
    assert.equal(s.packets, 50, `${s.spi} packets`);
    assert.equal(s.highestSeq, 50);
    assert.equal(s.lastSeq, 50);
  }
});
