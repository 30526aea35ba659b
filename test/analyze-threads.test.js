// `analyze --threads N`: the report, the summary and the event stream are those of one thread,
// byte for byte, on every fixture and on a sample of the Suricata corpus; captures the shards
// cannot analyse exactly (IP fragments, timestamps stepping back, a full flow table) fall back.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeCapture } from '../dist/analyze/index.js';
import { analyzeInParallel } from '../dist/analyze/parallel/index.js';
import { openCaptures } from '../dist/source/capture-set.js';
import { renderSummary } from '../dist/sink/report/summary.js';
import { corpusDir, missingCorpus } from './helpers/corpus.js';
import { fixtures, zsniff } from './helpers/cli.js';
import { skipOrFail } from './helpers/requirements.js';

const CAPTURE = /\.(pcap|pcapng|cap)(\.gz)?$/;

/** JSON report, summary text and streamed events of one analysis. */
async function outputs(file, threads, options) {
  const events = [];
  const opts = { ...options, onEvent: (e) => events.push(JSON.stringify(e)) };
  const capture = openCaptures([file]);
  try {
    await capture.ready();
  } catch (err) {
    return { unreadable: err.message };
  }
  const outcome = threads === 1 ? await analyzeCapture(capture, opts) : await analyzeInParallel(capture, opts, threads);
  if (outcome === null) return null;
  const { report } = outcome;
  return {
    json: JSON.stringify(report, null, 2),
    summary: renderSummary(report, { color: false, maxStreams: 15, width: 100 }),
    events: events.join('\n'),
  };
}

/**
 * Compares threads 2 and 3 with one thread. When the shards fell back (null), the capture must be
 * one they cannot analyse exactly: IP fragments, timestamps stepping back or a full flow table.
 */
async function assertSame(file, options = {}) {
  const one = await outputs(file, 1, options);
  let ran = false;
  for (const threads of [2, 3]) {
    const many = await outputs(file, threads, options);
    if (many === null) {
      const { capture, tcp } = JSON.parse(one.json);
      const why = capture.ipFragments !== undefined || capture.timestampsBackwards > 0 || tcp.flowTable.peak > tcp.flowTable.maxFlows;
      assert.ok(why, `${file} fell back to one thread without a reason`);
      continue;
    }
    ran = true;
    assert.deepEqual(many, one, `${file} with ${threads} threads`);
  }
  return ran;
}

test('every fixture: threads 2 and 3 give what one thread gives', async () => {
  const files = readdirSync(fixtures).filter((n) => CAPTURE.test(n)).sort();
  const fellBack = [];
  for (const name of files) if (!(await assertSame(join(fixtures, name)))) fellBack.push(name);
  assert.ok(fellBack.length < files.length / 8, `fell back on ${fellBack.join(', ')}`);
});

test('caps are applied after merging: few events, few streams kept', async () => {
  const options = { maxEvents: 7, options: { tcp: { maxStreams: 2 } } };
  for (const name of readdirSync(fixtures).filter((n) => /^(tcp-|lo-tcp|tunnel-|tcpdump-tcp)/.test(n) && CAPTURE.test(n))) {
    await assertSame(join(fixtures, name), options);
  }
});

test('a flow table too small for the capture falls back to one thread', async () => {
  // Three connections at once at its peak.
  const file = join(fixtures, 'tcp-window-probes.pcap');
  const capture = openCaptures([file]);
  await capture.ready();
  assert.equal(await analyzeInParallel(capture, { options: { tcp: { maxFlows: 2 } } }, 2), null);
  const a = zsniff(['analyze', file, '--json', '--max-flows', '2']);
  const b = zsniff(['analyze', file, '--json', '--max-flows', '2', '--threads', '2']);
  assert.match(a.stdout, /"evicted": [1-9]/);
  assert.equal(b.stdout, a.stdout);
});

test('the CLI: --threads 2 prints what --threads 1 prints', () => {
  const file = join(fixtures, 'tcp-reorder.pcap');
  for (const mode of [['--json'], ['--color', 'never'], ['--events', '--color', 'never']]) {
    const a = zsniff(['analyze', file, ...mode]);
    const b = zsniff(['analyze', file, ...mode, '--threads', '2']);
    assert.equal(b.code, a.code);
    assert.equal(b.stdout, a.stdout);
    assert.equal(b.stderr, a.stderr);
  }
  assert.equal(zsniff(["analyze", file, "--threads", "0"]).code, 2);
});

test('corpus sample (every 20th Suricata capture): the same with threads', async (t) => {
  const missing = missingCorpus('suricata-verify');
  if (missing) return skipOrFail(t, missing);
  const dir = corpusDir('suricata-verify');
  const files = readdirSync(dir).filter((n) => CAPTURE.test(n)).sort().filter((_, i) => i % 20 === 0);
  for (const name of files) await assertSame(join(dir, name));
});
