// zsniff graph: terminal graphs (asciichart) and the standalone SVG.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { escapeXml } from '../dist/sink/graph/svg.js';
import { PointSeries } from '../dist/analyze/tcp/graph-data.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const fx = (name) => join(root, 'fixtures', name);
const zsniff = (...args) => spawnSync(process.execPath, [join(root, 'bin', 'zsniff.js'), ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
const dir = mkdtempSync(join(tmpdir(), 'zsniff-graph-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('terminal time-sequence graph of the busiest stream, retransmissions marked', () => {
  const r = zsniff('graph', fx('tcp-reorder.pcap'));
  assert.equal(r.status, 0, r.stderr);
  const lines = r.stdout.split('\n');
  assert.match(lines[0], /^stream 0 .* time-sequence/);
  assert.ok(lines.length > 15 && lines.length < 40, 'sized for a default 30-row screen');
  assert.ok(lines.every((l) => l.length <= 110), 'fits the default width');
  assert.match(r.stdout, /R retransmission/);
  assert.match(r.stdout, /kB|MB/);
  assert.doesNotMatch(r.stdout, /\x1b\[/);
  for (const type of ['throughput', 'rtt', 'window']) {
    const g = zsniff('graph', fx('tcp-reorder.pcap'), '--type', type, '--stream', '0');
    assert.equal(g.status, 0, `${type}: ${g.stderr}`);
    assert.match(g.stdout.split('\n')[0], new RegExp(type === 'rtt' ? 'round-trip' : type));
  }
  const rev = zsniff('graph', fx('tcp-reorder.pcap'), '--reverse');
  assert.equal(rev.status, 0);
  assert.match(rev.stdout, /10\.77\.2\.1:5001 -> 10\.77\.1\.1/);
});

test('SVG: standalone, escaped, with data bars, ACK and window lines, SACK and marks', () => {
  const out = join(dir, 'seq.svg');
  const r = zsniff('graph', fx('tcp-reorder.pcap'), '--stream', '0', '--svg', out);
  assert.equal(r.status, 0, r.stderr);
  const svg = readFileSync(out, 'utf8');
  assert.match(svg, /^<\?xml version="1.0"/);
  assert.match(svg, /<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
  assert.match(svg, /<\/svg>\n$/);
  for (const label of ['data segments', 'ACK', 'receive window', 'SACK blocks', 'retransmission', 'out-of-order']) assert.ok(svg.includes(label), label);
  assert.equal(escapeXml(`<a & "b">'`), '&lt;a &amp; &quot;b&quot;&gt;&#39;');
  // Every text node is escaped: no raw '<' inside <text>.
  for (const m of svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)) assert.doesNotMatch(m[1], /[<>]/);
});

test('graph errors: unknown stream, bad option', () => {
  const r = zsniff('graph', fx('tcp-reorder.pcap'), '--stream', '99');
  assert.equal(r.status, 2);
  assert.match(r.stderr, /no TCP stream 99/);
  assert.equal(zsniff('graph', fx('tcp-reorder.pcap'), '--type', 'pie').status, 2);
});

test('graph data is bounded: a series thins itself evenly', () => {
  const s = new PointSeries(100);
  for (let i = 0; i < 100_000; i++) s.add(i, i);
  assert.ok(s.length < 100);
  assert.ok(s.t[s.length - 1] > 90_000, 'covers the whole range');
});
