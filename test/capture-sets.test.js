// Several capture files read as one (src/source/capture-set.ts): `read`,
// `analyze` and `graph` merge them by timestamp as mergecap does. A capture
// split into a rotated set, or into one file per direction (two taps), must
// read and analyse exactly as the whole; mixed formats and link types merge as
// mergecap merges them; a damaged member names itself and the rest is read.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';
import { fixtures, scratch, zsniff } from './helpers/cli.js';
import { pcapFile } from './helpers/capture-files.js';
import { haveCommand, skipOrFail } from './helpers/requirements.js';
import { openCapture } from '../dist/index.js';

/** Every packet of a capture file, copied, with its link type. */
async function packetsOf(file) {
  const out = [];
  for await (const p of openCapture(file).packets()) {
    out.push({ bytes: p.bytes.slice(p.offset, p.offset + p.caplen), origLen: p.origLen, tsSec: p.tsSec, tsNsec: p.tsNsec, linkType: p.linkType });
  }
  return out;
}

/** Writes `parts` (arrays of packets) as pcap files dir/name0, name1... and returns their paths. */
function writeParts(dir, name, parts, opts = {}) {
  return parts.map((pkts, i) => {
    const file = path.join(dir, `${name}${i}`);
    fs.writeFileSync(file, pcapFile(pkts, { nano: true, ...opts }));
    return file;
  });
}

/** The analysis report without the file names, which differ by construction. */
function analysis(args) {
  const r = zsniff(['analyze', ...args, '--json']);
  assert.equal(r.code, 0, r.stderr);
  const report = JSON.parse(r.stdout);
  delete report.capture.file;
  return report;
}

const LOSSY = path.join(fixtures, 'tcp-reorder.pcap');

test('a capture cut into a rotated set of 10 files reads and analyses as the whole', async (t) => {
  const dir = scratch(t, 'zsniff-set-');
  const all = await packetsOf(LOSSY);
  const size = Math.ceil(all.length / 10);
  const parts = Array.from({ length: 10 }, (_, i) => all.slice(i * size, (i + 1) * size));
  // Named so that sorting by name would put them out of time order: the merge goes by time.
  const files = writeParts(dir, 'ring', parts.reverse());
  const whole = path.join(dir, 'whole.pcap');
  fs.writeFileSync(whole, pcapFile(all, { nano: true }));

  const lines = zsniff(['read', '-nn', whole]);
  assert.equal(zsniff(['read', '-nn', ...files]).stdout, lines.stdout);
  const expected = analysis([whole]);
  assert.deepEqual(analysis(files), expected);
  assert.ok(expected.tcp.counts['tcp.retransmission'] > 0, 'the fixture has findings to compare');
  // A folder is the same set; the report names every file.
  const byFolder = zsniff(['analyze', dir, '--json']);
  assert.equal(byFolder.code, 0, byFolder.stderr);
  const named = JSON.parse(byFolder.stdout).capture.file;
  for (const f of [...files, whole]) assert.ok(named.includes(path.basename(f)), `${f} named in ${named}`);
  // graph follows the stream across the files.
  const g1 = zsniff(['graph', whole, '--svg', path.join(dir, 'a.svg')]);
  const g2 = zsniff(['graph', ...files, '--svg', path.join(dir, 'b.svg')]);
  assert.equal(g1.code, 0, g1.stderr);
  assert.equal(g2.code, 0, g2.stderr);
  assert.equal(fs.readFileSync(path.join(dir, 'b.svg'), 'utf8'), fs.readFileSync(path.join(dir, 'a.svg'), 'utf8'));
});

test('one file per direction (two taps) interleaves packet by packet into the whole', async (t) => {
  const dir = scratch(t, 'zsniff-set-');
  const all = await packetsOf(LOSSY);
  // Direction by the third octet of the IPv4 source address (10.77.1.1 and 10.77.2.1).
  const key = (p) => p.bytes[14 + 14];
  const a = all.filter((p) => key(p) === key(all[0]));
  const b = all.filter((p) => key(p) !== key(all[0]));
  assert.ok(a.length > 0 && b.length > 0);
  const files = writeParts(dir, 'tap', [b, a]);
  const whole = path.join(dir, 'whole.pcap');
  fs.writeFileSync(whole, pcapFile(all, { nano: true }));
  assert.equal(zsniff(['read', '-nn', ...files]).stdout, zsniff(['read', '-nn', whole]).stdout);
  const merged = analysis(files);
  assert.deepEqual(merged, analysis([whole]));
  // Frame numbers count in the merged order (as in the whole file).
  assert.ok(merged.events.every((e, i, es) => i === 0 || es[i - 1].frame <= e.frame));
});

test('mixed formats and link types merge as mergecap merges them', async (t) => {
  for (const tool of ['mergecap', 'tshark']) if (!haveCommand(tool)) return skipOrFail(t, `${tool} is not installed`);
  const dir = scratch(t, 'zsniff-set-');
  const inputs = [
    path.join(fixtures, 'tcp-rto-backoff.pcap'),
    path.join(fixtures, 'esp-natt.pcap'),
  ];
  const pcapng = fs.readdirSync(fixtures).find((f) => f.endsWith('.pcapng'));
  if (pcapng) inputs.push(path.join(fixtures, pcapng));
  const sll = fs.readdirSync(fixtures).find((f) => /sll/i.test(f) && f.endsWith('.pcap'));
  if (sll) inputs.push(path.join(fixtures, sll));
  // One member gzipped.
  const gz = path.join(dir, 'second.pcap.gz');
  fs.writeFileSync(gz, gzipSync(fs.readFileSync(inputs[1])));
  inputs[1] = gz;

  const merged = path.join(dir, 'merged.pcapng');
  const m = spawnSync('mergecap', ['-w', merged, ...inputs], { encoding: 'utf8' });
  assert.equal(m.status, 0, m.stderr);
  const ours = zsniff(['read', '-nn', ...inputs]);
  assert.equal(ours.code, 0, ours.stderr);
  // The same packets in the same order as mergecap's file, decoded the same.
  assert.equal(ours.stdout, zsniff(['read', '-nn', merged]).stdout);
  // mergecap's order by tshark's clock (tcpdump refuses interfaces of different snaplens in one file).
  const micro = (s) => Math.round(Number(s) * 1e6);
  const theirs = spawnSync('tshark', ['-r', merged, '-T', 'fields', '-e', 'frame.time_epoch'], { encoding: 'utf8' });
  assert.equal(theirs.status, 0, theirs.stderr);
  const ourTimes = zsniff(['read', '-tt', ...inputs]).stdout.trim().split('\n').map((l) => micro(l.split(' ')[0]));
  assert.deepEqual(ourTimes, theirs.stdout.trim().split('\n').map(micro));
  assert.ok(new Set(zsniff(['analyze', ...inputs, '--json']).stdout.match(/"linkType": \d+/g)).size >= 2, 'several link types');
  // -w of a mixed set needs pcapng; with it, the written file reads as the set.
  const out = path.join(dir, 'out.pcapng');
  const w = zsniff(['read', ...inputs, '-w', out, '--pcapng']);
  assert.equal(w.code, 0, w.stderr);
  assert.equal(zsniff(['read', '-nn', out]).stdout, ours.stdout);
});

test('a damaged member names itself; the other files are still read (exit 2)', async (t) => {
  const dir = scratch(t, 'zsniff-set-');
  const all = await packetsOf(LOSSY);
  const half = Math.floor(all.length / 2);
  const [first, second] = writeParts(dir, 'part', [all.slice(0, half), all.slice(half)]);
  // Cut the first file in the middle of a record.
  const bytes = fs.readFileSync(first);
  fs.writeFileSync(first, bytes.subarray(0, bytes.length - 7));
  const junk = path.join(dir, 'junk.pcap');
  fs.writeFileSync(junk, 'this is not a capture file\n');

  const r = zsniff(['read', '-nn', first, second, junk]);
  assert.equal(r.code, 2);
  assert.equal(r.stdout.trim().split('\n').length, all.length - 1, 'every packet but the cut one is printed');
  assert.match(r.stderr, new RegExp(`${first.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: packet ${half} at byte offset \\d+: truncated`));
  assert.match(r.stderr, /junk\.pcap: packet 1 at byte offset 0: not a pcap or pcapng file/);
  assert.doesNotMatch(r.stderr, /at .*\.js:\d+/, 'no stack trace');

  const a = zsniff(['analyze', first, second, '--json']);
  assert.equal(a.code, 2);
  const report = JSON.parse(a.stdout);
  assert.equal(report.capture.packets, all.length - 1);
  assert.match(report.capture.error, /truncated/);
});

test('standard input cannot join a set; a folder without captures is refused', (t) => {
  const dir = scratch(t, 'zsniff-set-');
  fs.writeFileSync(path.join(dir, 'notes.txt'), 'nothing to see\n');
  const r1 = zsniff(['analyze', LOSSY, '-']);
  assert.equal(r1.code, 2);
  assert.match(r1.stderr, /standard input .* cannot be merged/);
  const r2 = zsniff(['analyze', dir]);
  assert.equal(r2.code, 2);
  assert.match(r2.stderr, /no pcap, pcapng or gzip file in this folder/);
});

test("'-' reads standard input for read, analyze and graph", () => {
  const bytes = fs.readFileSync(LOSSY);
  const run = (args) => spawnSync(process.execPath, [path.join(fixtures, '..', 'bin', 'zsniff.js'), ...args],
    { input: bytes, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  const read = run(['read', '-nn', '-', '-c', '3']);
  assert.equal(read.status, 0, read.stderr);
  assert.equal(read.stdout, zsniff(['read', '-nn', LOSSY, '-c', '3']).stdout);
  const analyzed = run(['analyze', '-', '--json']);
  assert.equal(analyzed.status, 0, analyzed.stderr);
  assert.equal(JSON.parse(analyzed.stdout).capture.packets, 1537);
  const graph = run(['graph', '-', '--stream', '0', '--type', 'rtt']);
  assert.equal(graph.status, 0, graph.stderr);
});
