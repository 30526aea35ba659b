/**
 * A few seconds of every fuzz target (`npm run fuzz` runs them for minutes):
 * catches a regression that breaks a reader, decoder, analyzer or renderer
 * on malformed input before the long run would.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { formatSummary, runFuzz } from './fuzz/run.js';
import { missingCorpus } from './helpers/corpus.js';
import { noteOrFail } from './helpers/requirements.js';

test('fuzz smoke: every target, two seconds each, no crash, hang, slow input or leak', { timeout: 120_000 }, async (t) => {
  // Without the corpus the seeds are our fixtures only.
  const noCorpus = missingCorpus('tcpdump-tests');
  if (noCorpus) noteOrFail(t, `seeds from fixtures only: ${noCorpus}`);
  const crashDir = fs.mkdtempSync(path.join(os.tmpdir(), 'zsniff-fuzz-smoke-'));
  try {
    const r = await runFuzz({ seconds: 2, quick: true, crashDir, seed: Number(process.env.ZSNIFF_FUZZ_SEED ?? 20240601) });
    t.diagnostic(formatSummary(r).split('\n').filter((l) => l.startsWith('total')).join(''));
    for (const target of r.targets) {
      if (target.skipped) { noteOrFail(t, `${target.target} skipped: ${target.skipped}`); continue; }
      assert.ok(target.execs > 0, `${target.target} ran`);
    }
    assert.equal(r.crashes, 0, formatSummary(r));
  } finally {
    fs.rmSync(crashDir, { recursive: true, force: true });
  }
});
