// The small TCP fixtures: flags agree with tshark frame by frame (when it is
// installed), the findings zsniff adds beyond Wireshark are there, and the
// analyze command keeps its output and exit-code contract.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { accumulate, FLAGS, haveTshark, precisionRecall, table, tsharkFlags, zsniffFlags } from './helpers/tcp-oracle.js';
import { skipOrFail } from './helpers/requirements.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const fx = (name) => join(root, 'fixtures', name);
const zsniff = (...args) => spawnSync(process.execPath, [join(root, 'bin', 'zsniff.js'), ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
// Every committed capture with TCP in it: the TCP scenarios, the link-type (IPoIB and ARCNET too) and IPv6 fixtures,
// TCP inside a decrypted ESP tunnel's outer capture. Together they hold every flag tshark reports.
const FIXTURES = readdirSync(join(root, 'fixtures'))
  .filter((n) => /^(tcp-|lo-tcp|link-|ipv6-|tunnel-|tcpdump-tcp|tcpdump-ipoib|tcpdump-arcnet)/.test(n) && /\.pcap(ng)?$/.test(n)).sort();
const dir = mkdtempSync(join(tmpdir(), 'zsniff-tcp-fx-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('fixtures: every flag agrees with tshark', async (t) => {
  if (!haveTshark()) return skipOrFail(t, 'tshark is not installed: it is the oracle');
  const totals = {};
  for (const f of FIXTURES) accumulate(totals, f, await zsniffFlags(fx(f)), tsharkFlags(fx(f)));
  console.log(table(totals));
  for (const [flag, tot] of Object.entries(totals)) {
    if (flag === 'streamMismatches') continue;
    const { precision, recall } = precisionRecall(tot);
    assert.equal(precision, 1, `${flag}: zsniff only ${tot.fp.join(' ')}`);
    assert.equal(recall, 1, `${flag}: tshark only ${tot.fn.join(' ')}`);
  }
  assert.equal(totals.streamMismatches, 0);
  // The committed captures hold every flag tshark can report, so no flag's comparison passes vacuously.
  assert.ok(FIXTURES.includes('tcp-window-probes.pcap') && FIXTURES.length >= 10, `fixtures compared: ${FIXTURES}`);
  for (const f of FLAGS) assert.ok(totals[f] && totals[f].ts > 0, `no fixture has a ${f} for tshark: add a capture that has one`);
});

test('fixtures: RTO backoff chain, zero window, reordering', async () => {
  const rto = (await zsniffFlags(fx('tcp-rto-backoff.pcap'))).report;
  const chains = rto.events.filter((e) => e.kind === 'tcp.rto_backoff');
  assert.equal(chains.length, 1);
  assert.ok(chains[0].retransmissions >= 3);
  assert.ok(chains[0].intervals.every((v) => v >= 0));
  assert.match(rto.findings[0].text, /RTO backoff/, 'the backoff is the first headline');
  const st = rto.tcp.streams[0];
  assert.equal(st.rtoBackoff.length, 1);
  // The capture ends while the sender is still backing off: that data was never acknowledged.
  assert.equal(st.aToB.allDataAcked, false);
  assert.ok(st.aToB.unackedBytes > 0);
  const zw = (await zsniffFlags(fx('tcp-zero-window.pcap'))).report;
  assert.ok(zw.tcp.counts['tcp.zero_window'] > 0);
  const ro = (await zsniffFlags(fx('tcp-reorder.pcap'))).report;
  assert.ok(ro.tcp.counts['tcp.out_of_order'] > 0);
  assert.ok(ro.tcp.streams[0].aToB.rtt.samples > 0);
  assert.ok(ro.tcp.streams[0].aToB.rtt.min <= ro.tcp.streams[0].aToB.rtt.median);
});

test('analyze: summary, --json shape, --events lines', () => {
  const s = zsniff('analyze', fx('tcp-rto-backoff.pcap'));
  assert.equal(s.status, 0, s.stderr);
  const lines = s.stdout.split('\n');
  assert.match(lines[1], /^Findings:/);
  assert.match(lines[2], /RTO backoff/);
  assert.doesNotMatch(s.stdout, /\x1b\[/, 'NO_COLOR honoured');
  const j = zsniff('analyze', fx('tcp-reorder.pcap'), '--json');
  assert.equal(j.status, 0, j.stderr);
  const r = JSON.parse(j.stdout);
  assert.equal(typeof r.zsniff, 'string');
  for (const k of ['file', 'packets', 'firstTime', 'lastTime', 'linkTypes', 'duration']) assert.ok(k in r.capture, k);
  assert.ok(Array.isArray(r.tcp.streams) && r.tcp.counts['tcp.retransmission'] >= 1);
  for (const e of r.events) assert.ok(Number.isInteger(e.frame) && e.frame >= 1 && typeof e.kind === 'string');
  const dup = r.events.find((e) => e.kind === 'tcp.duplicate_ack');
  assert.ok(dup && dup.dup_ack_num >= 1 && dup.dup_ack_frame >= 1);
  const ev = zsniff('analyze', fx('tcp-reorder.pcap'), '--events');
  assert.equal(ev.status, 0);
  const evLines = ev.stdout.trim().split('\n').map((l) => JSON.parse(l));
  assert.equal(evLines.length, r.events.length);
  assert.match(ev.stderr, /Findings/);
  const colored = zsniff('analyze', fx('tcp-rto-backoff.pcap'), '--color', 'always');
  assert.match(colored.stdout, /\x1b\[/);
});

test('analyze: bad input is one line and exit 2; a damaged file is analysed up to the damage', () => {
  const missing = zsniff('analyze', join(dir, 'nope.pcap'));
  assert.equal(missing.status, 2);
  assert.equal(missing.stderr.trim().split('\n').length, 1);
  writeFileSync(join(dir, 'junk.pcap'), 'this is not a capture file at all');
  const junk = zsniff('analyze', join(dir, 'junk.pcap'));
  assert.equal(junk.status, 2);
  assert.doesNotMatch(junk.stderr, /at .*\.js:\d+/, 'no stack trace');
  const cut = join(dir, 'cut.pcap');
  copyFileSync(fx('tcp-reorder.pcap'), cut);
  truncateSync(cut, statSync(cut).size - 50);
  const damaged = zsniff('analyze', cut, '--json');
  assert.equal(damaged.status, 2);
  const r = JSON.parse(damaged.stdout);
  assert.ok(r.capture.packets > 100 && r.capture.error);
  assert.match(damaged.stderr, /truncated/);
  const usage = zsniff('analyze', fx('tcp-reorder.pcap'), '--max-flows', '0');
  assert.equal(usage.status, 2);
});

test('analyze: a million short connections stay in bounded memory (flow table cap, evictions reported)', async () => {
  // Many tiny connections (SYN, SYN/ACK, ACK, FIN both ways) through a small table.
  const { writeShortConnections } = await import('./helpers/tcp-synthetic.js');
  const file = join(dir, 'short.pcap');
  await writeShortConnections(file, 20_000);
  const { report } = await zsniffFlags(file, { options: { tcp: { maxFlows: 500, maxStreams: 100 } } });
  assert.equal(report.tcp.streamsTotal, 20_000);
  assert.ok(report.tcp.flowTable.peak <= 500);
  assert.equal(report.tcp.streams.length, 100);
  assert.equal(report.tcp.ended.fin, 20_000);
});
