// capture --analyze, --fail-on and --graph against real TCP between two
// network namespaces, shaped by a token bucket so that it loses packets and
// retransmits. Several captures watch the same traffic; the analysis made
// live must equal `zsniff analyze` of the file written at the same time.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  NetnsPair, liveSkipReason, runZsniff, sendTcp, sleep, startTcpSink, tcpdumpRead, zsniff,
} from './helpers/live-netns.js';
import { skipOrFail } from './helpers/requirements.js';

const skip = liveSkipReason();
const net = new NetnsPair('z');
const dir = mkdtempSync(join(tmpdir(), 'zsniff-live-analyze-'));
const port = 5002;
const children = [];
let sink;
const results = {};

before(async () => {
  if (skip) return;
  net.create({ rate: '10mbit' });
  const dev = net.devB;
  const config = join(dir, 'rules.json');
  writeFileSync(config, JSON.stringify({ failOn: ['tcp.retransmission > 0'] }));
  const caps = {
    json: zsniff(net.b, ['capture', '-i', dev, '--analyze', '--json', '-w', join(dir, 'live.pcap'), 'tcp']),
    summary: zsniff(net.b, ['capture', '-i', dev, '--analyze', '--color', 'never', 'tcp']),
    failOn: zsniff(net.b, ['capture', '-i', dev, '--fail-on', 'tcp.retransmission > 0', '--fail-on', 'tcp.duplicate_ack > 1000000', 'tcp']),
    config: zsniff(net.b, ['capture', '-i', dev, '--analyze', '--json', '--config', config, 'tcp']),
    passes: zsniff(net.b, ['capture', '-i', dev, '--analyze', '--json', '--fail-on', 'tcp.retransmission > 1000000', 'tcp']),
    intervals: zsniff(net.b, ['capture', '-i', dev, '--analyze', '--json', '-G', '1', '--fail-on', 'tcp.retransmission > 0', 'tcp']),
    events: zsniff(net.b, ['capture', '-i', dev, '--events', 'tcp']),
    graph: zsniff(net.b, ['capture', '-i', dev, '--graph', '--color', 'never', 'tcp']),
  };
  Object.values(caps).forEach((c) => children.push(c));
  await Promise.all(Object.values(caps).map((c) => c.ready));
  sink = await startTcpSink(net.b, net.addrB, port);
  await sendTcp(net.a, net.addrB, port, 1_500_000);
  results.qdiscDrops = net.qdiscDrops();
  await sleep(400);
  const stops = Object.fromEntries(Object.entries(caps).map(([k, c]) => [k, c.stop(k === 'summary' ? 'SIGTERM' : 'SIGINT')]));
  for (const [k, c] of Object.entries(caps)) results[k] = { ...(await stops[k]), stderr: c.stderr, stdout: c.stdout.toString() };
});

after(() => {
  for (const c of children) c.signal('SIGKILL');
  sink?.kill('SIGKILL');
  net.destroy();
  rmSync(dir, { recursive: true, force: true });
});

test('--analyze --json -w: the live report equals zsniff analyze of the file written at the same time', (t) => {
  if (skip) return skipOrFail(t, skip);
  const r = results.json;
  assert.equal(r.code, 0, r.stderr);
  assert.ok(results.qdiscDrops > 0, 'the tbf qdisc should have dropped packets');
  const live = JSON.parse(r.stdout);
  const offline = runZsniff(undefined, ['analyze', '--json', join(dir, 'live.pcap')]);
  assert.equal(offline.status, 0, offline.stderr);
  const file = JSON.parse(offline.stdout);
  assert.equal(live.capture.packets, tcpdumpRead(join(dir, 'live.pcap')).length);
  assert.equal(live.capture.packets, file.capture.packets);
  assert.ok(live.tcp.counts['tcp.retransmission'] > 0, 'the lossy link should cause retransmissions');
  assert.deepEqual(live.tcp.counts, file.tcp.counts);
  assert.deepEqual(live.findings.map((f) => f.text), file.findings.map((f) => f.text));
  assert.equal(live.capture.file, net.devB);
  assert.equal(live.capture.format, 'live');
});

test('--analyze prints the summary of zsniff analyze at the end (SIGTERM), statistics on stderr', (t) => {
  if (skip) return skipOrFail(t, skip);
  const r = results.summary;
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, new RegExp(`^${net.devB}: \\d+ packets over`));
  assert.match(r.stdout, /^Findings:/m);
  assert.match(r.stdout, /TCP expert flags \(as tshark names them\):\n\s+retransmission\s+\d+/);
  assert.match(r.stderr, /packets captured/);
});

test('--fail-on (implies --analyze): exit 1 naming the rule that fired and its value, not the one that held', (t) => {
  if (skip) return skipOrFail(t, skip);
  const r = results.failOn;
  assert.equal(r.code, 1, r.stderr);
  const fired = r.stderr.split('\n').filter((l) => l.includes('--fail-on fired'));
  assert.equal(fired.length, 1, r.stderr);
  const live = JSON.parse(results.json.stdout);
  assert.equal(fired[0], `zsniff: --fail-on fired: tcp.retransmission > 0: ${live.tcp.counts['tcp.retransmission']}`);
  assert.match(r.stdout, /^Findings:/m);
  assert.equal(results.passes.code, 0, results.passes.stderr);
  assert.doesNotMatch(results.passes.stderr, /fired/);
});

test("the config's failOn applies to capture --analyze too", (t) => {
  if (skip) return skipOrFail(t, skip);
  assert.equal(results.config.code, 1, results.config.stderr);
  assert.match(results.config.stderr, /--fail-on fired: tcp\.retransmission > 0: \d+/);
});

test('-G with --analyze --json: a report per interval, then the whole capture; rules checked at each', (t) => {
  if (skip) return skipOrFail(t, skip);
  const r = results.intervals;
  assert.equal(r.code, 1, r.stderr);
  const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
  const intervals = lines.filter((l) => l.interval);
  const whole = lines[lines.length - 1];
  assert.equal(whole.interval, undefined);
  assert.ok(intervals.length >= 2, `expected several intervals, got ${intervals.length}`);
  intervals.forEach((l, i) => assert.equal(l.interval.index, i + 1));
  assert.equal(intervals.reduce((n, l) => n + l.capture.packets, 0), whole.capture.packets);
  const firedIntervals = r.stderr.split('\n').filter((l) => /^zsniff: interval \d+ \(.*\): --fail-on fired: tcp\.retransmission > 0: \d+$/.test(l));
  assert.ok(firedIntervals.length >= 1, r.stderr);
  assert.match(r.stderr, /^zsniff: --fail-on fired: tcp\.retransmission > 0: \d+$/m);
});

test('--events: JSON lines of events on stdout while capturing, the summary on stderr', (t) => {
  if (skip) return skipOrFail(t, skip);
  const r = results.events;
  assert.equal(r.code, 0, r.stderr);
  const events = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
  const live = JSON.parse(results.json.stdout);
  assert.equal(events.filter((e) => e.kind === 'tcp.retransmission').length, live.tcp.counts['tcp.retransmission']);
  assert.match(r.stderr, /^Findings:/m);
});

test('--graph on a pipe: the busiest stream\'s time-sequence graph, once, at the end', (t) => {
  if (skip) return skipOrFail(t, skip);
  const r = results.graph;
  assert.equal(r.code, 0, r.stderr);
  assert.equal((r.stdout.match(/time-sequence/g) ?? []).length, 1, r.stdout);
  assert.match(r.stdout, new RegExp(`^stream 0 ${net.addrA.replace(/\./g, '\\.')}:\\d+ -> ${net.addrB.replace(/\./g, '\\.')}:${port}: time-sequence`));
  assert.match(r.stdout, /data segments/);
  assert.doesNotMatch(r.stdout, /\x1b\[2J/);
});

test('--analyze usage errors before the interface is opened: exit 2', () => {
  const bad = runZsniff(undefined, ['capture', '-i', 'lo', '--fail-on', 'tcp.nosuch > 1']);
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /tcp\.nosuch/);
  const mixed = runZsniff(undefined, ['capture', '-i', 'lo', '--graph', '--analyze', '--json']);
  assert.equal(mixed.status, 2);
  assert.match(mixed.stderr, /--graph/);
  const noW = runZsniff(undefined, ['capture', '-i', 'lo', '-C', '10']);
  assert.equal(noW.status, 2);
});
