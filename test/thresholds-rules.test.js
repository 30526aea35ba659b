// --fail-on: the rule language, the metrics, and what `zsniff analyze` does with them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  analyze, evaluateThresholds, parseThresholdRule, parseThresholdRules, ThresholdRuleError, METRICS, EVENT_KIND_METRICS,
} from '../dist/index.js';
import { fixtures, scratch, zsniff } from './helpers/cli.js';

const fx = (name) => path.join(fixtures, name);

test('rules parse with units into base units', () => {
  const cases = [
    ['tcp.retransmission > 0', 'tcp.retransmission', '>', 0],
    ['tcp.rtt.max>200ms', 'tcp.rtt.max', '>', 0.2],
    ['tcp.rtt.median >= 1.5 s', 'tcp.rtt.median', '>=', 1.5],
    ['tcp.rtt.min < 250us', 'tcp.rtt.min', '<', 0.00025],
    ['tcp.retransmission_rate <= 2.5%', 'tcp.retransmission_rate', '<=', 0.025],
    ['tcp.retransmission_rate != 0.1', 'tcp.retransmission_rate', '!=', 0.1],
    ['tcp.bytes == 10KB', 'tcp.bytes', '==', 10_000],
    ['tcp.bytes > 1MiB', 'tcp.bytes', '>', 1024 * 1024],
    ['packets = 3', 'packets', '==', 3],
    ['esp.sas > 2', 'esp.sas', '>', 2],
    ['ah.replay >= 1', 'ah.replay', '>=', 1],
  ];
  for (const [text, metric, op, value] of cases) {
    const r = parseThresholdRule(text);
    assert.equal(r.metric.name, metric, text);
    assert.equal(r.operator, op, text);
    assert.ok(Math.abs(r.threshold - value) < 1e-12, `${text}: ${r.threshold}`);
  }
});

test('bad rules say what is wrong', () => {
  const cases = [
    ['tcp.retransmision > 0', /unknown metric 'tcp\.retransmision'.*did you mean tcp\.retransmission/],
    ['tcp.retransmission 0', /write <metric> <op> <value>/],
    ['> 3', /write <metric> <op> <value>/],
    ['tcp.rtt.max > 200', /a time needs a unit/],
    ['tcp.retransmission > 5ms', /a count .*'ms' is a unit of a time/],
    ['tcp.rtt.max > 5 parsecs', /not a number with an optional unit|unknown unit/],
    ['tcp.rtt.max > 5furlongs', /unknown unit 'furlongs'/],
    ['tcp.bytes > 5%', /a size in bytes/],
  ];
  for (const [text, message] of cases) {
    assert.throws(() => parseThresholdRule(text), (err) => err instanceof ThresholdRuleError && message.test(err.message), text);
  }
});

test('every event kind a fixture shows is a metric', () => {
  const known = new Set(EVENT_KIND_METRICS);
  for (const f of fs.readdirSync(fixtures).filter((x) => x.endsWith('.expect.json'))) {
    const snap = JSON.parse(fs.readFileSync(fx(f), 'utf8'));
    for (const [section, kinds] of Object.entries(snap.events)) {
      for (const kind of Object.keys(kinds)) assert.ok(known.has(`${section}.${kind}`), `${section}.${kind} (${f}) has no metric`);
    }
  }
  assert.ok(METRICS.size > EVENT_KIND_METRICS.length);
});

test('metrics read the report', async () => {
  const r = await analyze(fx('esp-field-report.pcap'));
  const v = (rule) => evaluateThresholds([parseThresholdRule(rule)], r)[0];
  assert.equal(v('tcp.retransmission > 0').value, 4);
  assert.equal(v('tcp.retransmission > 0').fired, true);
  assert.equal(v('tcp.retransmission > 4').fired, false);
  assert.equal(v('tcp.retransmission >= 4').fired, true);
  assert.equal(v('esp.cleartext > 0').value, 1);
  assert.equal(v('esp.sas == 2').fired, true);
  assert.equal(v('packets != 10').fired, false);
  assert.equal(v('tcp.retransmission_rate > 50%').value, 0.8);
  assert.equal(v('tcp.stall.max > 7s').fired, true);
  // No RTT samples: the rule has nothing to measure and does not fire.
  const rtt = v('tcp.rtt.max > 0ms');
  assert.equal(rtt.value, null);
  assert.equal(rtt.fired, false);
  assert.match(rtt.message, /no data/);

  const t = await analyze(fx('tcp-reorder.pcap'));
  const max = t.tcp.streams[0].aToB.rtt.max;
  assert.equal(evaluateThresholds(parseThresholdRules([`tcp.rtt.max > ${max * 1000 - 0.001}ms`]), t)[0].fired, true);
  assert.equal(evaluateThresholds(parseThresholdRules([`tcp.rtt.max > ${max * 1000}ms`]), t)[0].fired, false);
  assert.match(evaluateThresholds(parseThresholdRules(['tcp.rtt.max > 1ms']), t)[0].message, /^tcp\.rtt\.max > 1ms: [\d.]+ (ms|µs)$/);
});

test('analyze --fail-on: exit 1 naming each rule that fired and its value', () => {
  const r = zsniff(['analyze', fx('esp-field-report.pcap'), '--json',
    '--fail-on', 'tcp.retransmission > 0', '--fail-on', 'esp.cleartext > 0', '--fail-on', 'esp.sas > 5', '--fail-on', 'tcp.rtt.max > 200ms']);
  assert.equal(r.code, 1, r.stderr);
  assert.match(r.stderr, /^zsniff: --fail-on fired: tcp\.retransmission > 0: 4$/m);
  assert.match(r.stderr, /^zsniff: --fail-on fired: esp\.cleartext > 0: 1$/m);
  assert.doesNotMatch(r.stderr, /esp\.sas|rtt/);
  assert.equal(JSON.parse(r.stdout).capture.packets, 10, 'the report is still printed');

  const quiet = zsniff(['analyze', fx('esp-field-report.pcap'), '--fail-on', 'tcp.retransmission > 10']);
  assert.equal(quiet.code, 0, quiet.stderr);
});

test('analyze --fail-on with a bad rule is a usage error before reading', () => {
  const r = zsniff(['analyze', fx('esp-field-report.pcap'), '--fail-on', 'tcp.bogus > 1']);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /^zsniff: unknown metric 'tcp\.bogus'/m);
  assert.equal(r.stdout, '');
  const s = zsniff(['analyze', fx('esp-field-report.pcap'), '--fail-on', 'tcp.retransmission']);
  assert.equal(s.code, 2);
  assert.match(s.stderr, /write <metric> <op> <value>/);
});

test("the config's failOn applies to analyze, and --fail-on adds to it", (t) => {
  const dir = scratch(t);
  fs.writeFileSync(path.join(dir, 'zsniff.config.json'), JSON.stringify({ failOn: ['tcp.retransmission > 2'] }));
  const r = zsniff(['analyze', fx('esp-field-report.pcap')], { cwd: dir });
  assert.equal(r.code, 1);
  assert.match(r.stderr, /fired: tcp\.retransmission > 2: 4/);
  const both = zsniff(['analyze', fx('esp-field-report.pcap'), '--fail-on', 'esp.silence >= 1'], { cwd: dir });
  assert.equal(both.code, 1);
  assert.equal(both.stderr.match(/fired/g).length, 2);
  fs.writeFileSync(path.join(dir, 'zsniff.config.json'), JSON.stringify({ failOn: ['tcp.rtt.max > 9'] }));
  const bad = zsniff(['analyze', fx('esp-field-report.pcap')], { cwd: dir });
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /zsniff\.config\.json: failOn: .*a time needs a unit/);
});

test('analyze --help lists the metrics and a --fail-on example', () => {
  const r = zsniff(['analyze', '--help']);
  assert.equal(r.code, 0);
  assert.match(r.stdout, /--fail-on/);
  for (const m of ['tcp.rtt.max', 'tcp.retransmission_rate', 'esp.sas', 'packets']) assert.ok(r.stdout.replace(/\s+/g, ' ').includes(m), m);
  assert.match(r.stdout, /--fail-on 'tcp\.retransmission > 0'/);
});
