// zsniff as a library: the package entry gives what the CLI prints, and its types compile for a consumer.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyze, check, decodeCapture, readCapture, CaptureFormatError, Layer } from '../dist/index.js';
import { fixtures, root, scratch, zsniff } from './helpers/cli.js';

const fx = (name) => path.join(fixtures, name);

test('analyze() returns the report zsniff analyze --json prints', async () => {
  for (const name of ['tcp-reorder.pcap', 'esp-field-report.pcap', 'link-vlan.pcap']) {
    const report = await analyze(fx(name));
    const cli = zsniff(['analyze', fx(name), '--json']);
    assert.equal(cli.code, 0, cli.stderr);
    assert.deepEqual(JSON.parse(JSON.stringify(report)), JSON.parse(cli.stdout), name);
  }
});

test('check() returns the object zsniff check --json prints', async () => {
  const paths = [fx('tcp-reorder.pcap'), fx('link-sll2.pcap')];
  const result = await check(paths, { config: true, cwd: root });
  const cli = zsniff(['check', '--json', ...paths, '--config', path.join(root, 'zsniff.config.json')]);
  assert.deepEqual(result, JSON.parse(cli.stdout));
  assert.equal(result.exitCode, 0);
  assert.deepEqual(result.captures.map((c) => c.capture), ['fixtures/link-sll2.pcap', 'fixtures/tcp-reorder.pcap']);
  // Without the config's keys the analysis differs (no decryption section), and check says where.
  const bare = await check([fx('link-sll2.pcap')], { cwd: root, workers: 0 });
  assert.equal(bare.exitCode, 1);
  assert.deepEqual(bare.captures[0].differences.map((d) => d.path), ['esp.decryption']);
});

test('readCapture: decoded packets in a for-await loop, or raw records through a callback', async () => {
  let n = 0, vlan = 0, arp = 0;
  for await (const d of readCapture(fx('link-vlan.pcap'))) {
    n++;
    if (d.layers & Layer.Vlan) vlan++;
    if (d.layers & Layer.Arp) arp++;
    assert.equal(d.pkt.frame, n);
  }
  assert.deepEqual([n, vlan, arp], [13, 13, 2]);

  let caplen = 0;
  const info = await readCapture(fx('link-vlan.pcap'), (p) => { caplen += p.caplen; });
  assert.equal(info.packets, 13);
  assert.ok(caplen > 13 * 40);
});

test('decodeCapture decodes in place, from a path or any packet source', async () => {
  let tcp = 0;
  const info = await decodeCapture(fx('link-sll2.pcap'), (d) => { if (d.layers & Layer.Tcp) tcp++; });
  assert.equal(info.packets, 5);
  assert.equal(tcp, 3);
  let stopped = 0;
  await decodeCapture(fx('link-vlan.pcap'), () => ++stopped < 4);
  assert.equal(stopped, 4, 'returning false stops reading');
});

test('analyze() throws on a damaged capture unless partial results are asked for', async (t) => {
  const dir = scratch(t);
  const cut = path.join(dir, 'cut.pcap');
  fs.writeFileSync(cut, fs.readFileSync(fx('tcp-reorder.pcap')).subarray(0, 5000));
  await assert.rejects(analyze(cut), CaptureFormatError);
  const partial = await analyze(cut, { partial: true });
  assert.ok(partial.capture.packets > 0);
  assert.match(partial.capture.error, /packet \d+ at byte offset/);
});

test('npm pack ships the compiled API with its type declarations', () => {
  const r = spawnSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: root, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const files = new Set(JSON.parse(r.stdout)[0].files.map((f) => f.path));
  for (const f of ['dist/index.js', 'dist/index.d.ts', 'dist/api.d.ts', 'dist/check/check.d.ts', 'dist/check/snapshot-worker.js',
    'dist/analyze/thresholds.d.ts', 'dist/check/snapshot.d.ts', 'dist/sink/check-report/junit.d.ts', 'bin/zsniff.js', 'package.json']) {
    assert.ok(files.has(f), `${f} missing from the package`);
  }
  assert.ok(![...files].some((f) => f.startsWith('test/') || f.startsWith('src/')), 'tests and sources stay out');
});

test('a TypeScript consumer type-checks against the built declarations (tsc --noEmit)', () => {
  const tsc = path.join(root, 'node_modules', 'typescript', 'bin', 'tsc');
  const r = spawnSync(process.execPath, [tsc, '-p', path.join(root, 'test', 'api-consumer', 'tsconfig.json')], { cwd: root, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stdout + r.stderr);
});
