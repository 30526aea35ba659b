#!/usr/bin/env node
/**
 * `npm run fuzz`: every target for a time (or execution) budget, spread over
 * worker threads (one per core, two by default), with a watchdog for hung
 * inputs and the process's peak RSS sampled throughout.
 *
 *   node test/fuzz/run.js [--seconds N] [--execs N] [--targets a,b] [--workers N]
 *                         [--seed N] [--quick] [--json FILE] [--crash-dir DIR]
 *   node test/fuzz/run.js --repro test/fuzz/crashes/<name>.json
 *
 * An input that takes over 1 s (timed twice when slow: the faster run counts, since other work on the
 * machine can stall a thread) fails, as does one still running after 10 s (a hang, the thread is
 * killed), a heap that grows over 64 MB after GC, or any exception a target does not document.
 * Exit status 1 when any target crashed, hung, was slow or leaked.
 */
import { Worker } from 'node:worker_threads';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CTL, CTL_BYTES, SHARED_BYTES, saveCrash } from './worker.js';

const here = path.dirname(fileURLToPath(import.meta.url));
export const DEFAULT_CRASH_DIR = path.join(here, 'crashes');
/** An input that has not finished after this long is a hang; the worker is killed and the input saved. */
const HANG_MS = 10_000;

/**
 * Runs the fuzzers. Resolves with `{ targets: stats[], totalExecs, crashes,
 * seconds, maxRssBytes, slowest, failures }`.
 */
export async function runFuzz(opts = {}) {
  const { TARGETS } = await import('./targets.js');
  const seconds = opts.seconds ?? 60;
  const execs = opts.execs ?? Infinity;
  const names = opts.targets ?? TARGETS.map((t) => t.name);
  for (const n of names) if (!TARGETS.some((t) => t.name === n)) throw new Error(`unknown target '${n}' (have: ${TARGETS.map((t) => t.name).join(', ')})`);
  const workers = Math.max(1, Math.min(opts.workers ?? Math.min(2, os.availableParallelism?.() ?? os.cpus().length), names.length));
  const crashDir = opts.crashDir ?? DEFAULT_CRASH_DIR;
  const seed = (opts.seed ?? (Date.now() & 0x7fffffff)) >>> 0;
  const log = opts.log ?? (() => {});
  const queue = names.map((name, i) => ({ name, seed: (seed + i * 7919) >>> 0 }));
  const results = [];
  const failures = [];
  let maxRss = process.memoryUsage.rss();
  const rssTimer = setInterval(() => { maxRss = Math.max(maxRss, process.memoryUsage.rss()); }, 250);
  const started = Date.now();

  const runSlot = () => new Promise((resolveSlot) => {
    const sab = new SharedArrayBuffer(CTL_BYTES + SHARED_BYTES);
    const ctl = new Int32Array(sab, 0, CTL_BYTES / 4);
    const shared = new Uint8Array(sab, CTL_BYTES);
    let worker = null;
    let current = null;
    let progress = 0;
    let lastCounter = -1, stalledMs = 0;
    let watchdog = null;

    const spawn = () => {
      worker = new Worker(new URL('./worker.js', import.meta.url), { workerData: { sab, quick: Boolean(opts.quick), zsniffFuzz: true } });
      worker.on('message', onMessage);
      worker.on('error', (err) => {
        if (current) {
          failures.push({ target: current.name, error: `worker died: ${err?.stack ?? err}` });
          results.push({ target: current.name, execs: progress, crashes: 1, saved: [], ms: 0, slowestMs: 0, slowestSize: 0, heapMax: 0, died: true });
          current = null;
        }
      });
      worker.on('exit', () => {
        clearInterval(watchdog);
        if (current) {
          results.push({ target: current.name, execs: progress, crashes: 1, saved: [], ms: 0, slowestMs: 0, slowestSize: 0, heapMax: 0, died: true });
          failures.push({ target: current.name, error: 'worker exited' });
          current = null;
        }
        if (queue.length > 0) spawn(); else resolveSlot();
      });
    };

    const next = () => {
      current = queue.shift() ?? null;
      if (!current) { worker.postMessage({ type: 'stop' }); worker.terminate(); return; }
      progress = 0; lastCounter = -1; stalledMs = 0;
      log(`  ${current.name}: running`);
      worker.postMessage({ type: 'run', target: current.name, seconds, execs, seed: current.seed, crashDir });
    };

    function onMessage(msg) {
      if (msg.type === 'ready') {
        watchdog = setInterval(checkHang, 500);
        next();
      } else if (msg.type === 'progress') {
        progress = msg.execs;
      } else if (msg.type === 'done') {
        const s = msg.stats;
        results.push(s);
        for (const c of s.saved) failures.push({ target: s.target, error: c.error, file: c.file });
        if (s.crashes > s.saved.length) failures.push({ target: s.target, error: `${s.crashes - s.saved.length} more failures like the ones saved` });
        log(`  ${s.target}: ${s.skipped ? 'skipped (' + s.skipped + ')' : `${s.execs} execs, ${s.crashes} crashes`}`);
        next();
      } else if (msg.type === 'error') {
        failures.push({ target: msg.target, error: `harness error: ${msg.error}` });
        results.push({ target: msg.target, execs: progress, crashes: 1, saved: [], ms: 0, slowestMs: 0, slowestSize: 0, heapMax: 0 });
        next();
      }
    }

    function checkHang() {
      if (!current) return;
      const counter = Atomics.load(ctl, CTL.COUNTER);
      if (counter !== lastCounter || Atomics.load(ctl, CTL.RUNNING) === 0) { lastCounter = counter; stalledMs = 0; return; }
      stalledMs += 500;
      if (stalledMs < (opts.hangMs ?? HANG_MS)) return;
      // Hung inside one input: save it from shared memory, then kill the thread.
      const target = TARGETS.find((t) => t.name === current.name);
      const len = ctl[CTL.INPUT_LEN];
      const metaLen = ctl[CTL.META_LEN];
      let meta = null;
      try { meta = JSON.parse(new TextDecoder().decode(shared.slice(shared.length - 65536, shared.length - 65536 + metaLen))); } catch { meta = null; }
      let file = null;
      if (len >= 0) file = saveCrash(crashDir, target, shared.slice(0, len), meta, new Error(`hang: no result after ${stalledMs} ms`), 'hang');
      failures.push({ target: current.name, error: `hang: input ran for more than ${stalledMs} ms`, file });
      results.push({ target: current.name, execs: progress, crashes: 1, saved: [], ms: stalledMs, slowestMs: stalledMs, slowestSize: Math.max(0, len), heapMax: 0, hung: true });
      current = null;
      clearInterval(watchdog);
      worker.terminate();
    }

    spawn();
  });

  await Promise.all(Array.from({ length: workers }, runSlot));
  clearInterval(rssTimer);
  maxRss = Math.max(maxRss, process.memoryUsage.rss(), process.resourceUsage().maxRSS * 1024);
  const order = new Map(names.map((n, i) => [n, i]));
  results.sort((a, b) => order.get(a.target) - order.get(b.target));
  let slowest = { target: null, ms: 0, size: 0 };
  for (const r of results) if (r.slowestMs > slowest.ms) slowest = { target: r.target, ms: r.slowestMs, size: r.slowestSize };
  return {
    seed,
    targets: results,
    totalExecs: results.reduce((s, r) => s + r.execs, 0),
    crashes: results.reduce((s, r) => s + r.crashes, 0),
    seconds: (Date.now() - started) / 1000,
    workers,
    maxRssBytes: maxRss,
    slowest,
    failures,
  };
}

export function formatSummary(r) {
  const lines = [];
  const pad = (s, n) => String(s).padEnd(n);
  const lpad = (s, n) => String(s).padStart(n);
  lines.push(`${pad('target', 16)}${lpad('execs', 12)}${lpad('exec/s', 10)}${lpad('crashes', 9)}${lpad('slowest ms', 12)}${lpad('heap max MB', 13)}${lpad('growth MB', 11)}`);
  for (const t of r.targets) {
    const rate = t.ms > 0 ? Math.round(t.execs / (t.ms / 1000)) : 0;
    const note = t.skipped ? `  (skipped: ${t.skipped})` : t.hung ? '  (hung)' : t.died ? '  (worker died)' : '';
    lines.push(`${pad(t.target, 16)}${lpad(t.execs.toLocaleString('en'), 12)}${lpad(rate.toLocaleString('en'), 10)}${lpad(t.crashes, 9)}` +
      `${lpad(t.slowestMs.toFixed(1), 12)}${lpad((t.heapMax / 1048576).toFixed(1), 13)}` +
      `${lpad(t.heapEnd ? ((t.heapEnd - (t.heapWarm || t.heapStart)) / 1048576).toFixed(1) : '-', 11)}${note}`);
  }
  lines.push('');
  lines.push(`total: ${r.totalExecs.toLocaleString('en')} executions in ${r.seconds.toFixed(1)} s on ${r.workers} workers (seed ${r.seed}), ` +
    `${r.crashes} crashes, slowest input ${r.slowest.ms.toFixed(1)} ms (${r.slowest.target ?? '-'}, ${r.slowest.size} bytes), ` +
    `max RSS ${(r.maxRssBytes / 1048576).toFixed(0)} MB`);
  for (const f of r.failures) {
    lines.push(`FAIL ${f.target}: ${f.error}`);
    if (f.file) lines.push(`     saved: ${path.relative(process.cwd(), f.file)}  (reproduce: node test/fuzz/run.js --repro ${path.relative(process.cwd(), f.file)})`);
  }
  return lines.join('\n');
}

/** Runs one saved input again in this thread and reports what happens. */
export async function reproduce(notePath) {
  const { targetByName } = await import('./targets.js');
  const { parseCaptureBytes } = await import('./seeds.js');
  const note = JSON.parse(fs.readFileSync(notePath, 'utf8'));
  const target = targetByName(note.target);
  if (!target) throw new Error(`unknown target ${note.target}`);
  if (target.init) { const why = await target.init(); if (why) throw new Error(`target unavailable: ${why}`); }
  let bytes = new Uint8Array(fs.readFileSync(path.join(path.dirname(notePath), note.input)));
  if (target.kind === 'packet') bytes = parseCaptureBytes(bytes).packets[0].bytes;
  const t0 = performance.now();
  try {
    await target.run({ bytes, meta: note.meta });
  } catch (e) {
    return { failed: true, error: e, ms: performance.now() - t0 };
  }
  return { failed: false, error: null, ms: performance.now() - t0 };
}

function parseArgs(argv) {
  const o = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const val = () => { const v = argv[++i]; if (v === undefined) throw new Error(`${a} needs a value`); return v; };
    if (a === '--seconds') o.seconds = Number(val());
    else if (a === '--execs') o.execs = Number(val());
    else if (a === '--targets') o.targets = val().split(',').filter(Boolean);
    else if (a === '--workers') o.workers = Number(val());
    else if (a === '--seed') o.seed = Number(val());
    else if (a === '--quick') o.quick = true;
    else if (a === '--json') o.json = val();
    else if (a === '--crash-dir') o.crashDir = path.resolve(val());
    else if (a === '--repro') o.repro = val();
    else if (a === '--help' || a === '-h') o.help = true;
    else throw new Error(`unknown argument ${a}`);
  }
  return o;
}

async function cli() {
  let o;
  try { o = parseArgs(process.argv.slice(2)); } catch (e) { console.error(`fuzz: ${e.message}`); process.exit(2); }
  if (o.help) {
    console.log('usage: node test/fuzz/run.js [--seconds N] [--execs N] [--targets a,b] [--workers N] [--seed N] [--quick] [--json FILE]\n' +
      '       node test/fuzz/run.js --repro test/fuzz/crashes/NAME.json');
    return;
  }
  if (o.repro) {
    const r = await reproduce(o.repro);
    if (r.failed) { console.log(`reproduced in ${r.ms.toFixed(1)} ms:\n${r.error?.stack ?? r.error}`); process.exitCode = 1; }
    else console.log(`no failure (${r.ms.toFixed(1)} ms): fixed, or it depends on state from earlier inputs`);
    return;
  }
  const budget = o.execs ? `${o.execs} execs` : `${o.seconds ?? 60} s`;
  console.log(`fuzzing: ${budget} per target`);
  const r = await runFuzz({ ...o, log: (s) => console.log(s) });
  console.log('');
  console.log(formatSummary(r));
  if (o.json) fs.writeFileSync(o.json, JSON.stringify(r, null, 2) + '\n');
  process.exitCode = r.crashes > 0 ? 1 : 0;
}

// The test runner executes every .js under test/ as a test file; only run when invoked as the program.
if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url) && !process.env.NODE_TEST_CONTEXT) {
  cli().catch((e) => { console.error(e?.stack ?? e); process.exit(2); });
}
