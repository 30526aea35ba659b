// What ESP analysis costs, counted in instructions rather than timed.
//
//   node bench/esp-instructions.js        (needs valgrind: apt-get install valgrind)
//
// On a shared machine the wall clock of a 20 ns difference moves by as much
// as the difference itself. Instructions do not: this runs the analysis of
// 200,000 packets once under callgrind, with and without the ESP analyzer,
// and counts the instructions executed in optimized JavaScript (TurboFan code,
// named through --perf-basic-prof), leaving out start-up, the compilers and
// the garbage collector. Two captures: the ESP-heavy one of esp-bench (90%
// ESP over 40 SAs) and 200,000 packets of the UDP flood (no IPsec at all).
// It takes about a minute. Not part of `npm run bench`.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { OUT, writeEspHeavy, writeUdpFlood } from './inputs.js';

const PACKETS = 200_000;

if (process.argv[2] === '--child') {
  // One analysis of the file, as `analyzeCapture` runs it, with or without the ESP section.
  const [, , , mode, file] = process.argv;
  const { analyzeCapture, defaultAnalyzers } = await import('../dist/analyze/index.js');
  const { createEspSectionAnalyzer } = await import('../dist/analyze/esp/index.js');
  const { openCapture } = await import('../dist/index.js');
  const analyzers = mode === 'esp' ? defaultAnalyzers : defaultAnalyzers.filter((f) => f !== createEspSectionAnalyzer);
  await analyzeCapture(openCapture(file), { analyzers, maxEvents: 1000 });
  process.exit(0);
}

if (spawnSync('valgrind', ['--version']).status !== 0) {
  console.log(JSON.stringify({ skipped: 'valgrind is not installed (apt-get install valgrind)' }));
  process.exit(0);
}

/** Runs the child under callgrind; resolves to optimized-JavaScript instructions per packet. */
function count(mode, file) {
  // --perf-basic-prof also writes a V8 log into the working directory: the child works in a scratch one.
  const scratch = mkdtempSync(join(tmpdir(), 'zsniff-callgrind-'));
  const out = join(scratch, 'callgrind.out');
  return new Promise((resolve, reject) => {
    // One thread: V8 then compiles on the main thread, where callgrind sees it, and the run is repeatable.
    const child = spawn('valgrind', ['--tool=callgrind', `--callgrind-out-file=${out}`,
      process.execPath, '--single-threaded', '--perf-basic-prof', new URL(import.meta.url).pathname, '--child', mode, file],
    { stdio: ['ignore', 'ignore', 'pipe'], cwd: scratch });
    let stderr = '';
    child.stderr.on('data', (b) => { stderr += b; });
    child.on('exit', (code) => {
      const map = `/tmp/perf-${child.pid}.map`;
      try {
        if (code !== 0) throw new Error(`callgrind exited ${code}: ${stderr.slice(-400)}`);
        resolve(optimizedInstructions(out, map) / PACKETS);
      } catch (err) {
        reject(err);
      } finally {
        rmSync(scratch, { recursive: true, force: true });
        rmSync(map, { force: true });
      }
    });
  });
}

/** Instructions callgrind counted in code the perf map names as TurboFan output ("JS:*..."). */
function optimizedInstructions(callgrindFile, perfMap) {
  const ranges = readFileSync(perfMap, 'utf8').split('\n').filter(Boolean).map((line) => {
    const [start, size, ...name] = line.split(' ');
    return { start: parseInt(start, 16), end: parseInt(start, 16) + parseInt(size, 16), optimized: name.join(' ').startsWith('JS:*') };
  }).sort((a, b) => a.start - b.start);
  const annotate = spawnSync('callgrind_annotate', ['--threshold=100', callgrindFile], { encoding: 'utf8', maxBuffer: 1 << 28 });
  if (annotate.status !== 0) throw new Error(`callgrind_annotate failed: ${annotate.stderr}`);
  let total = 0;
  for (const line of annotate.stdout.split('\n')) {
    // "  1,234 ( 0.5%)  ???:0x000000000d085740 [???]": code callgrind has no symbol for, i.e. JIT code.
    const m = /^\s*([\d,]+) \(\s*[\d.]+%\)\s+\?\?\?:0x([0-9a-f]+)/.exec(line);
    if (!m) continue;
    const addr = parseInt(m[2], 16);
    let lo = 0;
    let hi = ranges.length - 1;
    let at = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (ranges[mid].start <= addr) { at = mid; lo = mid + 1; } else hi = mid - 1;
    }
    if (at >= 0 && addr < ranges[at].end && ranges[at].optimized) total += Number(m[1].replaceAll(',', ''));
  }
  return total;
}

mkdirSync(OUT, { recursive: true });
const espFile = join(OUT, `esp-heavy-${PACKETS}.pcap`);
const floodFile = join(OUT, `udp-flood-${PACKETS}.pcap`);
if (!existsSync(espFile)) await writeEspHeavy(espFile, PACKETS);
if (!existsSync(floodFile)) await writeUdpFlood(floodFile, { count: PACKETS });

const result = {};
for (const [name, file] of [['espHeavy', espFile], ['noIpsec', floodFile]]) {
  // The two runs of a capture go side by side: two cores.
  const [base, esp] = await Promise.all([count('base', file), count('esp', file)]);
  result[name] = {
    file, packets: PACKETS,
    instructionsPerPacketWithoutEsp: Math.round(base),
    instructionsPerPacketWithEsp: Math.round(esp),
    espAddsPerPacket: Math.round(esp - base),
    espAddsPercent: +(((esp - base) / base) * 100).toFixed(1),
  };
}
console.log(JSON.stringify(result, null, 2));
