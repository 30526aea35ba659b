// The project's own regression suite: every fixture matches its snapshot, and snapshots never flap.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fixtures, root, scratch, zsniff } from './helpers/cli.js';

const captures = fs.readdirSync(fixtures).filter((f) => /\.(pcap|pcapng|cap|gz)$/.test(f));

test('zsniff check fixtures/ passes', () => {
  const r = zsniff(['check', 'fixtures/']);
  assert.equal(r.code, 0, `${r.stdout}\n${r.stderr}`);
  const ok = r.stdout.split('\n').filter((l) => l.startsWith('ok '));
  assert.equal(ok.length, captures.length, r.stdout);
  assert.match(r.stdout, new RegExp(`^${captures.length} captures: ${captures.length} ok$`, 'm'));
});

test('every fixture has a snapshot', () => {
  for (const c of captures) {
    const snap = c.replace(/(\.(pcap|pcapng|cap))?(\.gz)?$/, '.expect.json');
    assert.ok(fs.existsSync(path.join(fixtures, snap)), `${c} has no ${snap}: run zsniff check --update fixtures/`);
  }
});

test('two runs print the same thing, in path order', () => {
  const a = zsniff(['check', 'fixtures/', '--json']);
  const b = zsniff(['check', 'fixtures/', '--json', '--workers', '0']);
  assert.equal(a.code, 0);
  assert.equal(a.stdout, b.stdout, 'worker threads or completion order leak into the result');
  const paths = JSON.parse(a.stdout).captures.map((c) => c.capture);
  assert.deepEqual(paths, [...paths].sort());
});

test('snapshots do not depend on file times, time zone or working directory', (t) => {
  const dir = scratch(t);
  fs.cpSync(fixtures, path.join(dir, 'fixtures'), { recursive: true });
  fs.copyFileSync(path.join(root, 'zsniff.config.json'), path.join(dir, 'zsniff.config.json'));
  const old = new Date('2001-02-03T04:05:06Z');
  for (const f of fs.readdirSync(path.join(dir, 'fixtures'))) fs.utimesSync(path.join(dir, 'fixtures', f), old, old);
  for (const tz of ['Pacific/Kiritimati', 'America/St_Johns']) {
    const r = zsniff(['check', '--update', 'fixtures'], { cwd: dir, env: { TZ: tz, LANG: 'de_DE.UTF-8' } });
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, new RegExp(`^${captures.length} captures: ${captures.length} unchanged$`, 'm'), r.stdout);
  }
  for (const f of fs.readdirSync(fixtures).filter((x) => x.endsWith('.expect.json'))) {
    assert.equal(fs.readFileSync(path.join(dir, 'fixtures', f), 'utf8'), fs.readFileSync(path.join(fixtures, f), 'utf8'), f);
  }
});

test('snapshots hold no absolute paths, wall-clock times or versions', () => {
  for (const f of fs.readdirSync(fixtures).filter((x) => x.endsWith('.expect.json'))) {
    const text = fs.readFileSync(path.join(fixtures, f), 'utf8');
    assert.ok(!text.includes(root), `${f} holds a path`);
    assert.ok(!/"(zsniff|version|firstTime|lastTime|start|end|time)"\s*:/.test(text), `${f} holds a time or version`);
    // Epoch seconds of any capture in this century would be a 10-digit number.
    assert.ok(!/\b1\d{9}(\.\d+)?\b/.test(text), `${f} holds an epoch timestamp`);
  }
});

test('the fixtures cover every link type, every TCP flag and every ESP finding', async () => {
  const { EVENT_KIND_METRICS } = await import('../dist/index.js');
  const kinds = new Set();
  const linkTypes = new Set();
  for (const f of fs.readdirSync(fixtures).filter((x) => x.endsWith('.expect.json'))) {
    const snap = JSON.parse(fs.readFileSync(path.join(fixtures, f), 'utf8'));
    for (const lt of snap.capture.linkTypes) linkTypes.add(lt);
    for (const [section, byKind] of Object.entries(snap.events)) for (const k of Object.keys(byKind)) kinds.add(`${section}.${k}`);
  }
  for (const lt of ['EN10MB', 'LINUX_SLL', 'LINUX_SLL2', 'RAW', 'NULL', 'LOOP', 'IPV4', 'IPV6']) assert.ok(linkTypes.has(lt), `no fixture with link type ${lt}`);
  const wanted = EVENT_KIND_METRICS.filter((k) => k.startsWith('tcp.') || k.startsWith('esp.'));
  const missing = wanted.filter((k) => !kinds.has(k));
  assert.deepEqual(missing, [], `no fixture shows ${missing.join(', ')}`);
});
