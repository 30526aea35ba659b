// Live capture against the kernel: real TCP between two network namespaces,
// shaped by a token bucket so that it loses packets and retransmits,
// captured by zsniff and by tcpdump at the same time on the same interface.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  NetnsPair, assertSamePackets, liveSkipReason, sendTcp, sleep, startTcpSink, tcpdump, tcpdumpRead, zsniff,
} from './helpers/live-netns.js';
import { skipOrFail } from './helpers/requirements.js';

const skip = liveSkipReason();
const net = new NetnsPair('c');
const dir = mkdtempSync(join(tmpdir(), 'zsniff-live-'));
const port = 5001;
const children = [];
let sink;

// One run of traffic, several captures of it: the results are checked by the tests below.
const results = {};

function statLine(stderr, what) {
  const m = new RegExp(`^([\\d,]+) packets ${what}$`, 'm').exec(stderr);
  return m ? Number(m[1].replace(/,/g, '')) : undefined;
}

before(async () => {
  if (skip) return;
  net.create({ rate: '10mbit' });
  const ns = net.b;
  const dev = net.devB;
  const caps = {
    full: zsniff(ns, ['capture', '-i', dev, '-w', join(dir, 'zsniff.pcap')]),
    nano: zsniff(ns, ['capture', '-i', dev, '--time-stamp-precision', 'nano', '-w', join(dir, 'nano.pcap')]),
    tcpdump: tcpdump(ns, ['-i', dev, '-w', join(dir, 'tcpdump.pcap'), '-s', '262144']),
    filtered: zsniff(ns, ['capture', '-i', dev, '-w', join(dir, 'filtered.pcap'), 'tcp', 'and', 'greater', '1000']),
    count: zsniff(ns, ['capture', '-i', dev, '-c', '25', '-w', join(dir, 'count.pcap'), 'tcp']),
    sizeRotation: zsniff(ns, ['capture', '-i', dev, '-w', join(dir, 'size'), '-C', '0.5']),
    wrapRotation: zsniff(ns, ['capture', '-i', dev, '-w', join(dir, 'wrap'), '-C', '200k', '-W', '3']),
    timeRotation: zsniff(ns, ['capture', '-i', dev, '-w', join(dir, 'time-%s.pcap'), '-G', '1']),
    printed: zsniff(ns, ['capture', '-i', dev, '-tt', 'tcp']),
  };
  Object.values(caps).forEach((c) => children.push(c));
  await Promise.all(Object.values(caps).map((c) => c.ready));
  sink = await startTcpSink(net.b, net.addrB, port);
  const started = Date.now();
  await sendTcp(net.a, net.addrB, port, 3_000_000);
  results.trafficMs = Date.now() - started;
  results.qdiscDrops = net.qdiscDrops();
  // tcpdump hands on packets in kernel blocks retired after up to 1 s.
  await sleep(1300);
  const stops = {};
  for (const [name, c] of Object.entries(caps)) {
    stops[name] = c.stop(name === 'sizeRotation' || name === 'tcpdump' ? 'SIGTERM' : 'SIGINT');
  }
  for (const [name, c] of Object.entries(caps)) {
    results[name] = { ...(await stops[name]), stderr: c.stderr, stdout: c.stdout.toString() };
  }
});

after(() => {
  for (const c of children) c.signal('SIGKILL');
  sink?.kill('SIGKILL');
  net.destroy();
  if (!process.env.ZSNIFF_KEEP_TEST_FILES) rmSync(dir, { recursive: true, force: true });
});

test('zsniff -w writes the same packets as tcpdump -w on the same interface', (t) => {
  if (skip) return skipOrFail(t, skip);
  assert.equal(results.full.code, 0, results.full.stderr);
  const ours = tcpdumpRead(join(dir, 'zsniff.pcap'));
  const theirs = tcpdumpRead(join(dir, 'tcpdump.pcap'));
  assert.ok(theirs.length > 1000, `expected real traffic, tcpdump saw ${theirs.length} packets`);
  assertSamePackets(assert, ours, theirs, 'zsniff -w vs tcpdump -w');
  // The token bucket really dropped, so the capture holds loss and recovery.
  assert.ok(results.qdiscDrops > 0, 'the tbf qdisc should have dropped packets');
  // Microsecond pcap by default, with tcpdump's very file header.
  const ourFile = readFileSync(join(dir, 'zsniff.pcap'));
  assert.equal(ourFile.readUInt32LE(0), 0xa1b2c3d4);
  assert.deepEqual(ourFile.subarray(0, 24), readFileSync(join(dir, 'tcpdump.pcap')).subarray(0, 24));
});

test('--time-stamp-precision nano: a nanosecond pcap of the same packets', (t) => {
  if (skip) return skipOrFail(t, skip);
  assert.equal(results.nano.code, 0, results.nano.stderr);
  assert.equal(readFileSync(join(dir, 'nano.pcap')).readUInt32LE(0), 0xa1b23c4d);
  assertSamePackets(assert, tcpdumpRead(join(dir, 'nano.pcap')), tcpdumpRead(join(dir, 'tcpdump.pcap')), 'nano');
});

test('statistics lines at the end, and nothing dropped', (t) => {
  if (skip) return skipOrFail(t, skip);
  const err = results.full.stderr;
  const captured = statLine(err, 'captured');
  assert.equal(captured, tcpdumpRead(join(dir, 'zsniff.pcap')).length);
  assert.ok(statLine(err, 'received by filter') >= captured);
  assert.equal(statLine(err, 'dropped by kernel'), 0);
  assert.equal(statLine(err, 'dropped by interface'), 0);
  assert.equal(statLine(err, 'dropped by ring'), 0);
});

test('a live filter selects what tcpdump -r selects with the same expression', (t) => {
  if (skip) return skipOrFail(t, skip);
  assert.equal(results.filtered.code, 0, results.filtered.stderr);
  const ours = tcpdumpRead(join(dir, 'filtered.pcap'));
  const theirs = tcpdumpRead(join(dir, 'tcpdump.pcap'), 'tcp and greater 1000');
  assert.ok(theirs.length > 100);
  assertSamePackets(assert, ours, theirs, 'filtered');
});

test('-c N stops by itself after exactly N packets, with a valid file', (t) => {
  if (skip) return skipOrFail(t, skip);
  assert.equal(results.count.code, 0, results.count.stderr);
  const ours = tcpdumpRead(join(dir, 'count.pcap'));
  assert.equal(ours.length, 25);
  assertSamePackets(assert, ours, tcpdumpRead(join(dir, 'tcpdump.pcap'), 'tcp').slice(0, 25), '-c 25');
  assert.equal(statLine(results.count.stderr, 'captured'), 25);
});

test('-C rotates by size into FILE, FILE1, FILE2... that together hold every packet (SIGTERM)', (t) => {
  if (skip) return skipOrFail(t, skip);
  assert.equal(results.sizeRotation.code, 0, results.sizeRotation.stderr);
  const names = readdirSync(dir).filter((f) => /^size\d*$/.test(f))
    .sort((x, y) => Number(x.slice(4) || 0) - Number(y.slice(4) || 0));
  assert.ok(names.length >= 3, `expected several files, got ${names}`);
  assert.equal(names[0], 'size');
  assert.equal(names[1], 'size1');
  const all = names.flatMap((n) => tcpdumpRead(join(dir, n)));
  assertSamePackets(assert, all, tcpdumpRead(join(dir, 'tcpdump.pcap')), '-C files');
  for (const n of names.slice(0, -1)) {
    // Closed once past the limit, by less than one packet (tcpdump's rule).
    const size = statSync(join(dir, n)).size;
    assert.ok(size > 500_000 && size < 500_000 + 70_000, `${n}: ${size} bytes`);
  }
});

test('-C 200k with -W reuses names: wrap0..wrap2 only, each closed past 204,800 bytes (KiB, as tcpdump)', (t) => {
  if (skip) return skipOrFail(t, skip);
  assert.equal(results.wrapRotation.code, 0, results.wrapRotation.stderr);
  const names = readdirSync(dir).filter((f) => f.startsWith('wrap')).sort();
  assert.deepEqual(names, ['wrap0', 'wrap1', 'wrap2']);
  for (const n of names) assert.ok(tcpdumpRead(join(dir, n)).length > 0);
  const sizes = names.map((n) => statSync(join(dir, n)).size).sort((x, y) => y - x);
  assert.ok(sizes[0] > 204_800 && sizes[0] < 204_800 + 70_000, `sizes ${sizes}`);
});

test('-G rotates by time into strftime-named files that together hold every packet', (t) => {
  if (skip) return skipOrFail(t, skip);
  assert.equal(results.timeRotation.code, 0, results.timeRotation.stderr);
  const names = readdirSync(dir).filter((f) => /^time-\d+\.pcap$/.test(f)).sort();
  assert.ok(names.length >= 2, `expected at least two files in ${results.trafficMs} ms, got ${names}`);
  const all = names.flatMap((n) => tcpdumpRead(join(dir, n)));
  assertSamePackets(assert, all, tcpdumpRead(join(dir, 'tcpdump.pcap')), '-G files');
});

test('without -w, packets are printed on stdout, one line each', (t) => {
  if (skip) return skipOrFail(t, skip);
  assert.equal(results.printed.code, 0, results.printed.stderr);
  const lines = results.printed.stdout.split('\n').filter((l) => l.length > 0);
  assert.equal(lines.length, tcpdumpRead(join(dir, 'tcpdump.pcap'), 'tcp').length);
  assert.equal(statLine(results.printed.stderr, 'captured'), lines.length);
});
