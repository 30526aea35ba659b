// Every capture in tcpdump's own test corpus (hundreds of them crafted to crash
// tcpdump) is read by `zsniff read` end to end: no crash, no hang, no stack
// trace; an unreadable file gets one clear line and exit code 2.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { corpusDir, missingCorpus } from './helpers/corpus.js';
import { skipOrFail } from './helpers/requirements.js';

const corpus = corpusDir('tcpdump-tests');
const bin = new URL('../bin/zsniff.js', import.meta.url).pathname;
const PER_FILE_TIMEOUT_MS = 20_000;

function run(args) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, ...args], { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
    let stderr = '';
    child.stderr.on('data', (c) => { if (stderr.length < 4000) stderr += c; });
    const timer = setTimeout(() => child.kill('SIGKILL'), PER_FILE_TIMEOUT_MS);
    child.on('close', (code, signal) => { clearTimeout(timer); resolve({ code, signal, stderr }); });
  });
}

async function pool(items, width, work) {
  const results = new Array(items.length);
  let next = 0;
  await Promise.all(Array.from({ length: width }, async () => {
    while (next < items.length) { const i = next++; results[i] = await work(items[i]); }
  }));
  return results;
}

test('zsniff read survives every file of the tcpdump corpus', async (t) => {
  if (missingCorpus('tcpdump-tests')) return skipOrFail(t, missingCorpus('tcpdump-tests'));
  const files = readdirSync(corpus).filter((f) => /\.(pcap|pcapng|cap|gz)$/i.test(f)).sort();
  assert.ok(files.length > 800, `expected the whole corpus, found ${files.length} files`);
  const problems = [];
  let rejected = 0;
  // -e -v -X exercises the link, verbose and dump paths as well as the default line.
  await pool(files, 3, async (f) => {
    const r = await run(['read', '-e', '-v', '-X', join(corpus, f)]);
    const lines = r.stderr.split('\n').filter((l) => l && !l.startsWith('reading from file'));
    if (r.signal) problems.push(`${f}: killed by ${r.signal} (hang or crash)`);
    else if (r.code !== 0 && r.code !== 2) problems.push(`${f}: exit ${r.code}: ${r.stderr.slice(0, 300)}`);
    else if (/\n\s+at |TypeError|RangeError|ReferenceError|internal error/.test(r.stderr)) problems.push(`${f}: stack trace or internal error: ${r.stderr.slice(0, 300)}`);
    else if (r.code === 2) {
      rejected++;
      if (lines.length !== 1 || !lines[0].startsWith('zsniff: ')) problems.push(`${f}: error is not one clear line: ${r.stderr.slice(0, 300)}`);
    }
  });
  console.log(`corpus: ${files.length} files, ${rejected} rejected with a clear error, ${problems.length} problems`);
  assert.deepEqual(problems, []);
});
