// zsniff check: diffs, --update, tolerances, JUnit, JSON, and its exit codes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { copyFixtures, fixtures, parseXml, scratch, zsniff } from './helpers/cli.js';

const TCP = 'tcp-reorder';

function editSnapshot(dir, name, edit) {
  const file = path.join(dir, `${name}.expect.json`);
  const snap = JSON.parse(fs.readFileSync(file, 'utf8'));
  edit(snap);
  fs.writeFileSync(file, `${JSON.stringify(snap, null, 2)}\n`);
}

test('a changed count fails with the JSON path and by how much; --update makes it pass', (t) => {
  const dir = scratch(t);
  copyFixtures(dir, [TCP, 'link-vlan']);
  let expected;
  editSnapshot(dir, TCP, (s) => { expected = s.tcp.streams[0].counts.retransmission; s.tcp.streams[0].counts.retransmission = expected + 3; });
  const r = zsniff(['check', dir]);
  assert.equal(r.code, 1, r.stdout + r.stderr);
  const at = `tcp.streams[0].counts.retransmission: ${expected + 3} -> ${expected} (-3)`;
  assert.ok(r.stdout.includes(at), `expected '${at}' in:\n${r.stdout}`);
  assert.match(r.stdout, /^FAIL .*tcp-reorder\.pcap \(1 difference from .*tcp-reorder\.expect\.json\)$/m);
  assert.match(r.stdout, /^ok {3}.*link-vlan\.pcap$/m);

  const u = zsniff(['check', '--update', dir]);
  assert.equal(u.code, 0, u.stdout + u.stderr);
  assert.match(u.stdout, /^updated +.*tcp-reorder\.expect\.json$/m);
  assert.match(u.stdout, /^unchanged .*link-vlan\.expect\.json$/m);
  assert.equal(zsniff(['check', dir]).code, 0);
});

test('frame lists, added and removed fields read as such', (t) => {
  const dir = scratch(t);
  copyFixtures(dir, [TCP]);
  editSnapshot(dir, TCP, (s) => {
    s.events.tcp.retransmission.push(999);
    s.tcp.streams[0].counts.keep_alive = 2;
    delete s.tcp.streams[0].aToB.uniqueBytes;
    s.capture.extra = 'x';
  });
  const r = zsniff(['check', dir]);
  assert.equal(r.code, 1);
  assert.match(r.stdout, /events\.tcp\.retransmission: \[[\d, ]+999\] -> \[[\d, ]+\] \(removed 999\)/);
  assert.match(r.stdout, /tcp\.streams\[0\]\.counts\.keep_alive: 2 -> 0 \(-2\)/);
  assert.match(r.stdout, /tcp\.streams\[0\]\.aToB\.uniqueBytes: added \d+/);
  assert.match(r.stdout, /capture\.extra: removed \(was "x"\)/);
});

test('a tolerance in the config lets a small RTT change pass, and only that', (t) => {
  const dir = scratch(t);
  copyFixtures(dir, [TCP]);
  editSnapshot(dir, TCP, (s) => { s.tcp.streams[0].aToB.rtt.median = Math.round(s.tcp.streams[0].aToB.rtt.median * 1.1 * 1e6) / 1e6; });
  assert.equal(zsniff(['check', dir]).code, 1, 'without tolerance the change fails');

  // Snapshots record what the analysis saw, keys included: configs here name the fixtures' keys too.
  const espSecrets = path.join(fixtures, 'esp-secrets.txt');
  const config = path.join(dir, 'zsniff.config.json');
  fs.writeFileSync(config, JSON.stringify({ check: { espSecrets, tolerances: { 'tcp.streams[*].*.rtt.*': '20%' } } }));
  const r = zsniff(['check', '.'], { cwd: dir });
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /^ok .*\(1 within tolerance\)$/m);

  fs.writeFileSync(config, JSON.stringify({ check: { espSecrets, tolerances: { 'tcp.streams[*].*.rtt.*': '5%' } } }));
  const tight = zsniff(['check', '.'], { cwd: dir });
  assert.equal(tight.code, 1);
  assert.match(tight.stdout, /rtt\.median: .*\[exceeds tcp\.streams\[\*\]\.\*\.rtt\.\*: 5%\]/);

  // The same config named with --config, from somewhere else, and as a package.json key.
  fs.writeFileSync(path.join(dir, 'other.json'), JSON.stringify({ check: { espSecrets, tolerances: { '**.median': 0.001 } } }));
  assert.equal(zsniff(['check', dir, '--config', path.join(dir, 'other.json')]).code, 0);
  fs.rmSync(config);
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'x', zsniff: { check: { espSecrets, tolerances: { 'tcp.**.rtt.median': '15%' } } } }));
  assert.equal(zsniff(['check', '.'], { cwd: dir }).code, 0);
});

test('bad configs are usage errors (exit 2) naming the problem', (t) => {
  const dir = scratch(t);
  copyFixtures(dir, [TCP]);
  const cases = [
    [{ check: { tolerance: {} } }, /unknown key 'check\.tolerance'/],
    [{ check: { tolerances: { 'tcp..x': 1 } } }, /tolerance pattern 'tcp\.\.x': empty name/],
    [{ check: { espSecrets: 'nowhere.txt' } }, /check\.espSecrets: .*nowhere\.txt: no such file/],
    [{ check: { tolerances: { 'tcp.x': '3 parsecs' } } }, /not a number, a percentage/],
    [{ failOn: ['tcp.nonsense > 1'] }, /unknown metric 'tcp\.nonsense'/],
  ];
  for (const [config, message] of cases) {
    fs.writeFileSync(path.join(dir, 'zsniff.config.json'), JSON.stringify(config));
    const r = zsniff(['check', '.'], { cwd: dir });
    assert.equal(r.code, 2, JSON.stringify(config));
    assert.match(r.stderr, message);
  }
  fs.writeFileSync(path.join(dir, 'zsniff.config.json'), '{ not json');
  assert.equal(zsniff(['check', '.'], { cwd: dir }).code, 2);
});

test('a corrupt capture is one clear line and exit 2; a bad snapshot too', (t) => {
  const dir = scratch(t);
  copyFixtures(dir, [TCP]);
  fs.writeFileSync(path.join(dir, 'broken.pcap'), Buffer.from('this is not a capture file'));
  const r = zsniff(['check', dir]);
  assert.equal(r.code, 2);
  const lines = r.stdout.split('\n').filter((l) => l.includes('broken.pcap'));
  assert.equal(lines.length, 1, r.stdout);
  assert.match(lines[0], /^ERROR .*broken\.pcap: .*not a pcap or pcapng file/);
  assert.equal(r.stderr, '');

  fs.rmSync(path.join(dir, 'broken.pcap'));
  fs.writeFileSync(path.join(dir, `${TCP}.expect.json`), '{"format": 1,');
  const bad = zsniff(['check', dir]);
  assert.equal(bad.code, 2);
  assert.match(bad.stdout, /^ERROR .*tcp-reorder\.pcap: bad snapshot .*tcp-reorder\.expect\.json/m);
});

test('a truncated capture (damage after some packets) is an error too, not a partial snapshot', (t) => {
  const dir = scratch(t);
  const bytes = fs.readFileSync(path.join(fixtures, `${TCP}.pcap`));
  fs.writeFileSync(path.join(dir, 'cut.pcap'), bytes.subarray(0, 5000));
  const r = zsniff(['check', '--update', dir]);
  assert.equal(r.code, 2, r.stdout);
  assert.match(r.stdout, /^ERROR .*cut\.pcap: packet \d+ at byte offset \d+: /m);
  assert.ok(!fs.existsSync(path.join(dir, 'cut.expect.json')), 'no snapshot for an unreadable capture');
});

test('a capture without a snapshot fails (exit 1) until --update creates it', (t) => {
  const dir = scratch(t);
  fs.copyFileSync(path.join(fixtures, 'link-raw.pcap'), path.join(dir, 'new.pcap'));
  fs.mkdirSync(path.join(dir, 'sub'));
  fs.copyFileSync(path.join(fixtures, 'link-sll.pcap'), path.join(dir, 'sub', 'deeper.pcap'));
  const r = zsniff(['check', dir]);
  assert.equal(r.code, 1);
  assert.match(r.stdout, /^FAIL .*new\.pcap: no snapshot .*new\.expect\.json; run zsniff check --update/m);
  assert.match(r.stdout, /^FAIL .*sub\/deeper\.pcap/m);
  const u = zsniff(['check', '-u', dir]);
  assert.equal(u.code, 0);
  assert.match(u.stdout, /^created +.*new\.expect\.json$/m);
  assert.ok(fs.existsSync(path.join(dir, 'sub', 'deeper.expect.json')));
  assert.equal(zsniff(['check', dir]).code, 0);
});

test('a path that does not exist is a usage error', () => {
  const r = zsniff(['check', 'no/such/folder']);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /no\/such\/folder: no such file or directory/);
});

test('--junit writes well-formed XML, one testcase per capture, the diff escaped in the failure', (t) => {
  const dir = scratch(t);
  copyFixtures(dir, [TCP, 'link-vlan', 'esp-replay']);
  fs.writeFileSync(path.join(dir, 'broken.pcap'), Buffer.from('<&>"\'\u0001 not a capture'));
  editSnapshot(dir, TCP, (s) => { s.tcp.streams[0].a = '<a & "b">'; s.tcp.streams[0].counts.retransmission += 1; });
  const xmlFile = path.join(dir, 'out.xml');
  const r = zsniff(['check', dir, '--junit', xmlFile]);
  assert.equal(r.code, 2);
  const xml = fs.readFileSync(xmlFile, 'utf8');
  const elements = parseXml(xml);
  const cases = elements.filter((e) => e.name === 'testcase');
  assert.equal(cases.length, 4);
  const suite = elements.find((e) => e.name === 'testsuite');
  assert.deepEqual([suite.attrs.tests, suite.attrs.failures, suite.attrs.errors], ['4', '1', '1']);
  const failure = elements.find((e) => e.name === 'failure');
  assert.match(failure.text, /tcp\.streams\[0\]\.a: "<a & \\"b\\">" -> "/);
  assert.match(failure.attrs.message, /2 differences from .*: tcp\.streams\[0\]\.a, tcp\.streams\[0\]\.counts\.retransmission/);
  assert.ok(elements.some((e) => e.name === 'error' && /not a pcap or pcapng/.test(e.attrs.message)));
  assert.deepEqual(cases.map((c) => c.attrs.name), ['broken.pcap', 'esp-replay.pcap', 'link-vlan.pcap', 'tcp-reorder.pcap']);
});

test('--json is the machine summary', (t) => {
  const dir = scratch(t);
  copyFixtures(dir, [TCP, 'link-vlan']);
  editSnapshot(dir, TCP, (s) => { s.tcp.packets += 1; });
  const r = zsniff(['check', dir, '--json']);
  assert.equal(r.code, 1);
  const out = JSON.parse(r.stdout);
  assert.equal(out.format, 1);
  assert.equal(out.exitCode, 1);
  assert.deepEqual(out.summary, { captures: 2, ok: 1, differs: 1, missing: 0, errors: 0, created: 0, updated: 0, unchanged: 0 });
  const d = out.captures.find((c) => c.status === 'differs').differences[0];
  assert.equal(d.path, 'tcp.packets');
  assert.equal(d.delta, -1);
  assert.equal(d.tolerated, false);
});

test('check --help has examples', () => {
  const r = zsniff(['check', '--help']);
  assert.equal(r.code, 0);
  assert.match(r.stdout, /Examples:/);
  assert.match(r.stdout, /--update/);
  assert.match(r.stdout, /--junit/);
});
