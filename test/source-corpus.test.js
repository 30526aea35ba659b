// Reads every file of the tcpdump test corpus with our reader and checks it
// against tcpdump (packet count, link-type line) and tshark (timestamps).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { cpus } from 'node:os';
import { openCapture, CaptureFormatError, linkTypeLabel } from '../dist/index.js';
import { corpusDir, missingCorpus } from './helpers/corpus.js';
import { skipOrFail } from './helpers/requirements.js';

const CORPUS = corpusDir('tcpdump-tests');
const noCorpus = missingCorpus('tcpdump-tests');

function have(binary) {
  try { execFileSync(binary, ['--version'], { stdio: 'ignore' }); return true; } catch { return false; }
}

function run(binary, args) {
  return new Promise((resolve) => {
    execFile(binary, args, { maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
      resolve({ code: err ? (err.code ?? 1) : 0, stdout, stderr });
    });
  });
}

/** Runs `fn` over items with at most `limit` at a time. */
async function pool(items, limit, fn) {
  const out = new Array(items.length);
  let next = 0;
  await Promise.all(Array.from({ length: limit }, async () => {
    while (next < items.length) { const i = next++; out[i] = await fn(items[i]); }
  }));
  return out;
}

/** Everything our reader makes of a file: packets, timestamps, and how it ended. */
async function readAll(path) {
  const times = [];
  let error = null;
  let info = null;
  try {
    const cf = openCapture(path);
    info = await cf.ready();
    await cf.run((p) => { times.push(BigInt(p.tsSec) * 1_000_000_000n + BigInt(p.tsNsec)); });
  } catch (err) { error = err; }
  return { count: times.length, times, error, info };
}

const files = noCorpus ? [] : readdirSync(CORPUS).sort();

test('every corpus file reads to the end or fails with CaptureFormatError, and counts match tcpdump', async (t) => {
  if (noCorpus) return skipOrFail(t, noCorpus);
  assert.ok(files.length > 800, 'corpus present');
  const started = Date.now();
  const ours = [];
  for (const f of files) ours.push(await readAll(join(CORPUS, f)));
  for (let i = 0; i < files.length; i++) {
    const { error } = ours[i];
    if (error) assert.ok(error instanceof CaptureFormatError, `${files[i]}: unexpected ${error?.stack ?? error}`);
  }
  if (!have('tcpdump')) return skipOrFail(t, 'tcpdump not installed: packet counts not compared (apt-get install -y tcpdump)');
  const oracle = await pool(files, Math.max(2, cpus().length * 2),
    (f) => run('tcpdump', ['-r', join(CORPUS, f), '--count']));
  let compared = 0;
  for (let i = 0; i < files.length; i++) {
    const { code, stdout, stderr } = oracle[i];
    const m = /^(\d+) packets?$/m.exec(stdout + stderr);
    const tcpdumpFailed = code !== 0 || /tcpdump: /.test(stderr) || !m;
    const mine = ours[i];
    if (tcpdumpFailed) {
      // tcpdump refuses it: we must refuse it too, with our own error (non-capture files land here).
      assert.ok(mine.error, `${files[i]}: tcpdump fails (${stderr.trim()}) but we read ${mine.count} packets`);
      continue;
    }
    assert.equal(mine.error, null, `${files[i]}: tcpdump reads it, we fail: ${mine.error?.message}`);
    assert.equal(mine.count, Number(m[1]), `${files[i]}: packet count`);
    const lt = /link-type (.*?), snapshot length (\d+)/.exec(stderr);
    if (lt && mine.info.interfaces.length > 0) {
      assert.equal(linkTypeLabel(mine.info.interfaces[0].linkType), lt[1], `${files[i]}: link-type label`);
    }
    compared++;
  }
  assert.ok(compared > 800, `compared ${compared} files`);
  t.diagnostic(`${compared} files compared with tcpdump in ${Date.now() - started} ms`);
});

test('timestamps match tshark exactly for nanosecond, big-endian, pcapng and odd files', async (t) => {
  if (noCorpus) return skipOrFail(t, noCorpus);
  if (!have('tshark')) return skipOrFail(t, 'tshark not installed: timestamps not compared (apt-get install -y tshark)');
  const magic = (f) => execFileSync('head', ['-c', '4', join(CORPUS, f)]).toString('hex');
  const chosen = files.filter((f) => /\.(pcap|pcapng)$/.test(f) && (
    ['4d3cb2a1', 'a1b23c4d', 'a1b2c3d4'].includes(magic(f)) || /^time|timestamp/.test(f)));
  // A sample of ordinary pcapng files too (all 45 would cost ~10 s of tshark start-up).
  chosen.push(...files.filter((f) => f.endsWith('.pcapng')).filter((_, i) => i % 4 === 0));
  // timestamp_invalid_*: fractions of a second beyond a second (even 2^31 µs) have no
  // agreed meaning (tshark wraps them, tcpdump prints them raw); we carry them.
  const unique = [...new Set(chosen)].filter((f) => !/invalid/.test(f));
  const results = await pool(unique, Math.max(2, cpus().length), (f) =>
    run('tshark', ['-r', join(CORPUS, f), '-T', 'fields', '-e', 'frame.time_epoch']));
  let compared = 0;
  for (let i = 0; i < unique.length; i++) {
    if (results[i].code !== 0) continue;
    const theirs = results[i].stdout.trim().split('\n').filter(Boolean).map((line) => {
      const [s, frac] = line.split('.');
      return BigInt(s) * 1_000_000_000n + BigInt(frac.padEnd(9, '0'));
    });
    const mine = await readAll(join(CORPUS, unique[i]));
    assert.equal(mine.error, null, unique[i]);
    assert.deepEqual(mine.times, theirs, `${unique[i]}: timestamps`);
    compared++;
  }
  assert.ok(compared >= 15, `compared ${compared} files`);
  t.diagnostic(`timestamps of ${compared} files equal tshark's: ${unique.join(' ')}`);
});
