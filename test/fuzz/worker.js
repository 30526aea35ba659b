/**
 * One fuzzing worker thread: runs the targets the main thread hands it, one
 * at a time, for a time or an execution budget. Before each input runs, its
 * bytes are copied into shared memory and a counter is bumped after it, so
 * that the main thread can tell a hung input and save it even though this
 * thread is stuck inside it.
 */
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as v8 from 'node:v8';
import * as vm from 'node:vm';
import { performance } from 'node:perf_hooks';
import { Rng } from './mutate.js';
import { pcapFile } from '../helpers/capture-files.js';

/** Control words at the start of the shared buffer. */
export const CTL = { RUNNING: 0, COUNTER: 1, INPUT_LEN: 2, META_LEN: 3, TARGET: 4 };
export const CTL_BYTES = 32;
export const SHARED_BYTES = 4 * 1024 * 1024;
/** An input slower than this is a failure (the brief: "well under a second"). */
export const SLOW_MS = 1000;
/** A target whose heap, after GC, grew by more than this across its run leaks. */
export const HEAP_GROWTH_LIMIT = 64 * 1024 * 1024;
const MAX_SAVED_PER_TARGET = 8;

let gc = null;
try {
  v8.setFlagsFromString('--expose-gc');
  gc = vm.runInNewContext('gc');
} catch {
  gc = null;
}

export function crashFileFor(target, bytes, meta) {
  let data = bytes, ext = '.bin';
  if (target.kind === 'packet') { data = pcapFile([{ bytes }], { linkType: meta.lt }); ext = '.pcap'; }
  else if (target.kind === 'file') {
    if (bytes[0] === 0x1f && bytes[1] === 0x8b) ext = '.pcap.gz';
    else if (bytes.length >= 4 && bytes[0] === 0x0a && bytes[1] === 0x0d && bytes[2] === 0x0d && bytes[3] === 0x0a) ext = '.pcapng';
    else if (bytes.length >= 4) ext = '.pcap';
  }
  return { data, ext };
}

/** Writes the input and a JSON note (error, how to reproduce); returns the note's path. */
export function saveCrash(dir, target, bytes, meta, error, what) {
  fs.mkdirSync(dir, { recursive: true });
  const h = createHash('sha1').update(bytes).update(JSON.stringify(meta ?? null)).digest('hex').slice(0, 12);
  const base = `${target.name}-${h}`;
  const { data, ext } = crashFileFor(target, bytes, meta);
  fs.writeFileSync(path.join(dir, base + ext), data);
  const rel = path.relative(process.cwd(), path.join(dir, base + '.json')) || base + '.json';
  const note = {
    target: target.name, kind: target.kind, what, input: base + ext, meta,
    error: error instanceof Error ? (error.stack ?? String(error)) : String(error),
    reproduce: `node test/fuzz/run.js --repro ${rel}`,
  };
  fs.writeFileSync(path.join(dir, base + '.json'), JSON.stringify(note, null, 2) + '\n');
  return path.join(dir, base + '.json');
}

function signature(e) {
  const msg = String(e?.message ?? e).split('\n')[0].replace(/\d+/g, 'N').slice(0, 120);
  const frame = String(e?.stack ?? '').split('\n').find((l) => l.includes('/dist/')) ?? '';
  return `${e?.name}:${msg}:${frame.trim()}`;
}

function heapUsed() {
  return v8.getHeapStatistics().used_heap_size;
}

async function runTarget(msg, ctl, shared, seeds, targets) {
  const target = targets.find((t) => t.name === msg.target);
  const stats = {
    target: msg.target, execs: 0, crashes: 0, saved: [], ms: 0, slowestMs: 0, slowestSize: 0,
    heapStart: 0, heapWarm: 0, heapEnd: 0, heapMax: 0, skipped: null, retimed: 0,
  };
  if (target.init) {
    const why = await target.init();
    if (why) { stats.skipped = why; return stats; }
  }
  const rng = new Rng(msg.seed);
  const signatures = new Set();
  if (gc) gc();
  stats.heapStart = heapUsed();
  const start = performance.now();
  const deadline = start + msg.seconds * 1000;
  let nextSample = start + 500;
  let nextReport = start + 2000;
  // The growth baseline is taken a quarter into the run: the harness's own caches (fields per seed,
  // compiled filters) fill up early and then stay, while a leak in the code under test keeps growing.
  const warmAt = start + msg.seconds * 250;
  const warmExecs = Number.isFinite(msg.execs) ? Math.floor(msg.execs / 4) : Infinity;
  let warmed = false;
  let lastMeta = undefined;
  const metaEncoder = new TextEncoder();
  const cap = shared.length;
  for (;;) {
    const input = target.gen(rng, seeds);
    const bytes = input.bytes;
    // Shared copy for the hang watchdog (the meta only when it changed).
    let metaLen = ctl[CTL.META_LEN];
    if (input.meta !== lastMeta) {
      lastMeta = input.meta;
      const enc = metaEncoder.encode(JSON.stringify(input.meta ?? null));
      metaLen = enc.length <= 65536 ? enc.length : 0;
      if (metaLen) shared.set(enc, cap - 65536);
      ctl[CTL.META_LEN] = metaLen;
    }
    const fits = bytes.length <= cap - 65536;
    if (fits) shared.set(bytes, 0);
    ctl[CTL.INPUT_LEN] = fits ? bytes.length : -1;
    Atomics.store(ctl, CTL.RUNNING, 1);
    const t0 = performance.now();
    let failure = null;
    try {
      const r = target.run(input);
      if (r && typeof r.then === 'function') await r;
    } catch (e) {
      failure = e;
    }
    const t1 = performance.now();
    Atomics.store(ctl, CTL.RUNNING, 0);
    Atomics.add(ctl, CTL.COUNTER, 1);
    let dt = t1 - t0;
    stats.execs++;
    if (!failure && dt > SLOW_MS / 4) {
      // Other work on the machine can stall this thread for seconds: time a slow input again and
      // keep the faster of the two, so only an input that is slow by itself counts.
      const r0 = performance.now();
      try { const r = target.run(input); if (r && typeof r.then === 'function') await r; } catch { /* judged by the first run */ }
      const again = performance.now() - r0;
      if (again < dt) { dt = again; stats.retimed++; }
    }
    if (dt > stats.slowestMs) { stats.slowestMs = dt; stats.slowestSize = bytes.length; }
    if (!failure && dt > SLOW_MS) {
      failure = new Error(`slow input: ${dt.toFixed(0)} ms twice (limit ${SLOW_MS} ms)`);
      failure.name = 'SlowInputError';
    }
    if (failure) {
      stats.crashes++;
      const sig = signature(failure);
      if (!signatures.has(sig) && signatures.size < MAX_SAVED_PER_TARGET) {
        signatures.add(sig);
        const file = saveCrash(msg.crashDir, target, bytes, input.meta, failure, failure.name === 'SlowInputError' ? 'slow' : 'exception');
        stats.saved.push({ file, error: String(failure.stack ?? failure).split('\n').slice(0, 4).join('\n') });
      }
    }
    if ((stats.execs & 63) === 0 || dt > 5) {
      const now = performance.now();
      if (now >= nextSample) { nextSample = now + 500; stats.heapMax = Math.max(stats.heapMax, heapUsed()); }
      if (!warmed && (now >= warmAt || stats.execs >= warmExecs)) {
        warmed = true;
        if (gc) gc();
        stats.heapWarm = heapUsed();
      }
      if (now >= nextReport) { nextReport = now + 2000; parentPort.postMessage({ type: 'progress', target: msg.target, execs: stats.execs }); }
      if (now >= deadline || stats.execs >= msg.execs) break;
    }
  }
  stats.ms = performance.now() - start;
  if (gc) gc();
  stats.heapEnd = heapUsed();
  stats.heapMax = Math.max(stats.heapMax, stats.heapEnd);
  const base = stats.heapWarm || stats.heapStart;
  if (stats.heapEnd - base > HEAP_GROWTH_LIMIT) {
    stats.crashes++;
    stats.saved.push({ file: null, error: `heap grew by ${((stats.heapEnd - base) / 1048576).toFixed(1)} MB over the last three quarters of the run (after GC): state kept across inputs` });
  }
  return stats;
}

async function main() {
  const { sab, quick } = workerData;
  const ctl = new Int32Array(sab, 0, CTL_BYTES / 4);
  const shared = new Uint8Array(sab, CTL_BYTES);
  const { TARGETS, loadSeeds } = await import('./targets.js');
  const seeds = loadSeeds({ quick });
  parentPort.on('message', (msg) => {
    if (msg.type !== 'run') return;
    ctl[CTL.TARGET] = TARGETS.findIndex((t) => t.name === msg.target);
    runTarget(msg, ctl, shared, seeds, TARGETS).then(
      (stats) => parentPort.postMessage({ type: 'done', stats }),
      (err) => parentPort.postMessage({ type: 'error', target: msg.target, error: String(err?.stack ?? err) }),
    );
  });
  parentPort.postMessage({ type: 'ready' });
}

if (!isMainThread && workerData?.zsniffFuzz) main();
