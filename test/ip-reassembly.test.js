// IP reassembly for analysis: fragmented TCP and ESP analysed as tshark does (it reassembles by
// default), damage reported as findings, a flood kept within the bounds, and `read` untouched.
// Fixtures: scripts/gen-fragment-fixtures.mjs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AnalysisSession, analyzeCapture } from '../dist/analyze/index.js';
import { decodePacket, DecodedPacket, Layer } from '../dist/decode/index.js';
import { IpReassembler, REASSEMBLY_LIMITS } from '../dist/decode/reassembly.js';
import { openCapture } from '../dist/source/capture-file.js';
import { haveTshark, tsharkFlags, zsniffFlags, FLAGS } from './helpers/tcp-oracle.js';
import { corpusFile, missingCorpus } from './helpers/corpus.js';
import { skipOrFail } from './helpers/requirements.js';
import { ETHERTYPE, ethernet, ipv4, packetRecord, pppoeSession, tcp } from './helpers/packets.js';

const fixtures = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures');

for (const name of ['frag-tcp.pcap', 'frag-tcp6.pcap']) {
  test(`${name}: TCP flags on the frames tshark gives them`, (t) => {
    if (!haveTshark()) return t.skip('tshark not installed');
    return zsniffFlags(join(fixtures, name)).then((zs) => {
      const ts = tsharkFlags(join(fixtures, name));
      for (const f of FLAGS) assert.deepEqual([...zs.flags.get(f)].sort(), [...ts.flags.get(f)].sort(), f);
      assert.equal(zs.report.tcp.packets, 20, 'every segment of the transfer analysed once');
    });
  });
}

test('frag-tcp.pcap: the retransmitted and the lost datagram', async () => {
  const { report } = await zsniffFlags(join(fixtures, 'frag-tcp.pcap'));
  assert.deepEqual(report.events.map((e) => `${e.frame}:${e.kind}`),
    ['16:ip.fragment_overlap', '28:tcp.ack_lost_segment', '33:tcp.retransmission', '33:tcp.spurious_retransmission']);
  assert.equal(report.capture.ipFragments.reassembled, 5);
  assert.equal(report.capture.ipFragments.incomplete, 1);
});

test('frag-esp.pcap: ESP and ESP in UDP sequence findings at the frames tshark reports', async () => {
  const { report } = await zsniffFlags(join(fixtures, 'frag-esp.pcap'));
  // tshark -r frag-esp.pcap: "Wrong Sequence Number ... 2 missing" at 21, "3 repeated" at 59.
  assert.deepEqual(report.events.map((e) => `${e.frame}:${e.kind}`), ['21:esp.sequence_gap', '59:esp.replay']);
  assert.equal(report.capture.ipFragments.reassembled, 23);
});

test('frag-hostile.pcap: overlaps, conflicting ends and a ping of death are findings', async () => {
  const { report } = await zsniffFlags(join(fixtures, 'frag-hostile.pcap'));
  assert.deepEqual(report.events.map((e) => `${e.frame}:${e.kind}`),
    ['3:ip.fragment_overlap_conflict', '7:ip.fragment_end_conflict', '7:ip.fragment_overlap_conflict', '10:ip.fragment_too_long']);
  assert.ok(report.findings.some((f) => f.about === 'ip_fragments'));
});

test('read prints fragments exactly as tcpdump', () => {
  for (const name of ['frag-tcp.pcap', 'frag-tcp6.pcap', 'frag-esp.pcap', 'frag-hostile.pcap']) {
    const file = join(fixtures, name);
    const ours = execFileSync(process.execPath, ['bin/zsniff.js', 'read', file], { cwd: join(fixtures, '..') }).toString();
    const theirs = execFileSync('tcpdump', ['-nn', '-r', file], { stdio: ['ignore', 'pipe', 'ignore'] }).toString();
    // The IKE printer is not exact yet (exact-scope.ts): those lines are another matter.
    const comparable = (text) => text.split('\n').filter((l) => !l.includes('isakmp'));
    assert.deepEqual(comparable(ours), comparable(theirs), name);
  }
});

test('a fragment flood stays within the bounds', () => {
  const r = new IpReassembler();
  const d = new DecodedPacket();
  for (let i = 0; i < 5000; i++) {
    // More fragments at offset 0: every datagram stays open.
    const ip = ipv4({ src: '10.0.0.1', dst: '10.0.0.2', proto: 6, id: i & 0xffff, df: false, more: true, payload: new Uint8Array(1024) });
    const pkt = packetRecord(ip, { linkType: 101, frame: i + 1, tsSec: 1000 });
    decodePacket(pkt, d);
    assert.ok(d.has(Layer.IpFragment));
    assert.equal(r.add(d), null);
    const now = r.inFlight;
    assert.ok(now.datagrams <= REASSEMBLY_LIMITS.maxDatagrams && now.bytes <= REASSEMBLY_LIMITS.maxBytes, JSON.stringify(now));
  }
  assert.equal(r.stats.evicted, 5000 - REASSEMBLY_LIMITS.maxDatagrams);
  // Capture time moves past the timeout: everything open is dropped.
  const late = ipv4({ src: '10.0.0.9', dst: '10.0.0.2', proto: 6, id: 1, df: false, more: true, payload: new Uint8Array(8) });
  r.add(decodePacket(packetRecord(late, { linkType: 101, tsSec: 1000 + REASSEMBLY_LIMITS.timeoutSeconds + 1 }), d));
  assert.equal(r.inFlight.datagrams, 1);
});

test('PPPoE with a one-byte (compressed) PPP protocol field is entered', () => {
  const seg = ipv4({ src: '10.0.0.1', dst: '10.0.0.2', proto: 6, payload: tcp({ sport: 1, dport: 2 }) });
  const full = pppoeSession({ session: 1, protocol: 0x0021, payload: seg });
  // Protocol-field compression: 0x21 alone, and PPPoE's length one byte shorter.
  const short = Uint8Array.from([0x11, 0, 0, 1, 0, seg.length + 1, 0x21, ...seg]);
  for (const body of [full, short]) {
    const d = decodePacket(packetRecord(ethernet({ type: 0x8864, payload: body })), new DecodedPacket());
    assert.ok(d.has(Layer.Tcp) && d.has(Layer.Tunnel), 'TCP inside PPPoE');
    assert.equal(d.tcp.dstPort, 2);
  }
  const session = new AnalysisSession();
  session.onPacket(packetRecord(ethernet({ type: ETHERTYPE.PPPOE_SESSION ?? 0x8864, payload: short })));
  assert.equal(session.finish({ name: 'x', format: 'pcap', compressed: false }).tcp.packets, 1);
});

test('a first fragment the capture cut short is analysed as the segment it starts, as tshark does', () => {
  // 40 bytes of TCP header and data in a first fragment of 1,000; the capture kept 60 bytes of it.
  const seg = tcp({ sport: 179, dport: 40000, seq: 1000, flags: 0x18, payload: new Uint8Array(960) });
  const first = ipv4({ src: '10.0.0.1', dst: '10.0.0.2', proto: 6, id: 7, df: false, more: true, payload: seg });
  const frame = ethernet({ payload: first });
  const session = new AnalysisSession();
  session.onPacket({ ...packetRecord(frame.slice(0, 14 + 60)), origLen: frame.length });
  const report = session.finish({ name: 'x', format: 'pcap', compressed: false });
  assert.equal(report.tcp.packets, 1);
  assert.equal(report.tcp.loneFirstFragments, 1);
  assert.equal(report.capture.ipFragments.notReassembled, 1);
});

test('corpus: snaplen-cut first fragments carry TCP on the frames where tshark analyses TCP', async (t) => {
  const missing = missingCorpus('tcpdump-tests');
  if (missing !== null) return skipOrFail(t, missing);
  if (!haveTshark()) return skipOrFail(t, 'tshark not installed');
  for (const name of ['bgp-bgp_capabilities_print-oobr-1.pcap', 'bgp_pmsi_tunnel-oobr.pcap', 'rpki-rtr-oobr.pcap']) {
    const file = corpusFile('tcpdump-tests', name);
    const analysed = new Set();
    const observer = { watches: () => true, onSegment: (_f, _a, s) => { analysed.add(s.frame); }, onRttSample: () => {} };
    const { report } = await analyzeCapture(openCapture(file), { options: { tcp: { observer } } });
    const tshark = execFileSync('tshark', ['-r', file, '-Y', 'tcp.stream', '-T', 'fields', '-e', 'frame.number'], { stdio: ['ignore', 'pipe', 'ignore'] })
      .toString().split('\n').filter(Boolean).map(Number);
    assert.ok(tshark.length > 0, `${name}: tshark analyses TCP`);
    assert.deepEqual([...analysed].sort((x, y) => x - y), tshark, name);
    assert.ok(report.tcp.loneFirstFragments > 0, name);
  }
});
