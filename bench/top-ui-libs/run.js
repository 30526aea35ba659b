// zsniff top's screen against terminal UI libraries, like for like: every
// contender draws the same frames (zsniff top's own view of 1,000 TCP
// streams in 160x48: a header, the table with the visible rows, the findings
// line and keys; a tenth of the streams change rate each update) at 5
// updates a second in a real terminal (a tmux pane). Per update it measures
// the CPU from the draw call until 100 ms later (work a library defers is
// counted too) and the bytes the process wrote (/proc/self/io); per run the
// whole process's CPU (start-up included). Rounds alternate the contenders'
// order; per contender it reports the best run (lowest median per update).
// The libraries are installed on demand, each into its own folder under
// bench/out/top-ui-libs (versions in package.json beside this file); they
// are not dependencies of zsniff.
//
// npm run build && node bench/top-ui-libs/run.js [SECONDS=20] [ROUNDS=3]
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { manyStreamPackets } from '../top-streams.js';
import { pcapFile } from '../../test/helpers/capture-files.js';
import { TmuxTerminal } from '../../test/helpers/tmux.js';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const out = join(root, 'bench', 'out', 'top-ui-libs');
const seconds = Number(process.argv[2] ?? 20);
const rounds = Number(process.argv[3] ?? 3);
const COLUMNS = 160, ROWS = 48, STREAMS = 1000, UPDATES_PER_SECOND = 5;
const { contenders: packages } = JSON.parse(readFileSync(join(here, 'package.json'), 'utf8'));
/** Contender name -> folder its packages are installed in (ours needs none). */
const CONTENDERS = { ours: null, ink: 'ink', 'ink-incremental': 'ink', blessed: 'blessed', 'neo-blessed': 'neo-blessed', 'terminal-kit': 'terminal-kit' };

mkdirSync(out, { recursive: true });
if (spawnSync('sh', ['-c', 'command -v tmux']).status !== 0) {
  console.log('top-ui-libs: skipped (needs tmux)');
  process.exit(0);
}

function install(folder) {
  const prefix = join(out, folder);
  const wanted = packages[folder];
  const stamp = join(prefix, 'installed.txt');
  if (existsSync(stamp) && readFileSync(stamp, 'utf8') === wanted.join(' ')) return prefix;
  rmSync(prefix, { recursive: true, force: true });
  mkdirSync(prefix, { recursive: true });
  const r = spawnSync('npm', ['install', '--prefix', prefix, '--no-audit', '--no-fund', '--loglevel=error', ...wanted], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`npm install ${wanted.join(' ')}: ${r.stderr}`);
  writeFileSync(stamp, wanted.join(' '));
  return prefix;
}

/** Packages and bytes under a node_modules folder. */
function footprint(prefix) {
  const modules = join(prefix, 'node_modules');
  let count = 0;
  for (const name of readdirSync(modules)) {
    if (name.startsWith('.')) continue;
    count += name.startsWith('@') ? readdirSync(join(modules, name)).length : 1;
  }
  const du = spawnSync('du', ['-sk', modules], { encoding: 'utf8' }).stdout;
  return { packages: count, kib: Number(du.split('\t')[0]) };
}

/** What the registry says: the pinned version's engines and dependencies, and the latest version's. */
function registryFacts(spec) {
  const name = spec.slice(0, spec.lastIndexOf('@'));
  const view = (what) => {
    const r = spawnSync('npm', ['view', what, 'version', 'engines', 'dependencies', '--json'], { encoding: 'utf8' });
    try {
      const v = JSON.parse(r.stdout);
      return `${v.version} (node ${v.engines?.node ?? '-'}, ${Object.keys(v.dependencies ?? {}).length} dependencies)`;
    } catch {
      return '?';
    }
  };
  return { name, pinned: view(spec), latest: view(name) };
}

/**
 * The frames: zsniff top's view (src/sink/top, colour on) of 1,000 open streams from a real analysis, then
 * per update a tenth of the streams (a different tenth each time) take a new steady rate.
 */
async function makeFrames(count) {
  const dist = join(root, 'dist');
  const { AnalysisSession } = await import(join(dist, 'analyze', 'index.js'));
  const { TopView } = await import(join(dist, 'sink', 'top', 'top-view.js'));
  const { StreamWatch } = await import(join(dist, 'sink', 'top', 'stream-watch.js'));
  const { openCaptures } = await import(join(dist, 'source', 'capture-set.js'));
  const { NEED_INPUT } = await import(join(dist, 'source', 'capture-file.js'));
  const file = join(out, 'streams.pcap');
  writeFileSync(file, pcapFile(manyStreamPackets(STREAMS, 2)));
  const session = new AnalysisSession({ options: { tcp: { observer: new StreamWatch() } } });
  const capture = openCaptures([file]);
  await capture.ready();
  for (;;) {
    const p = capture.nextBuffered();
    if (p === NEED_INPUT) { await capture.readMore(); continue; }
    if (p === null) break;
    session.onPacket(p);
  }
  capture.close();
  const report = session.reportSoFar(capture.info);
  const t0 = session.latestTime;
  const streams = report.tcp.streams.map((s) => ({ ...s, aToB: { ...s.aToB }, bToA: { ...s.bToA } }));
  const perUpdate = streams.map((s) => s.stream % 7 * 50);
  // The retransmitted share stays as it is, so that only the rates of the streams picked move.
  const share = streams.map((s) => s.aToB.retransmittedBytes / (s.aToB.bytes + s.bToA.bytes || 1));
  let seed = 1;
  const random = () => { seed = (seed * 1103515245 + 12345) % 2 ** 31; return seed / 2 ** 31; };
  const view = new TopView(true, new StreamWatch(), () => undefined);
  const frames = [];
  for (let u = 0; u <= count; u++) {
    if (u > 0) {
      for (let i = 0; i < STREAMS / 10; i++) perUpdate[(u * STREAMS / 10 + i) % STREAMS] = Math.round(random() * 4000);
    }
    for (let k = 0; k < streams.length; k++) {
      const x = streams[k];
      x.aToB.bytes += perUpdate[k];
      x.bToA.bytes += perUpdate[k] >> 2;
      x.aToB.retransmittedBytes = Math.round((x.aToB.bytes + x.bToA.bytes) * share[k]);
    }
    const t = t0 + u / UPDATES_PER_SECOND;
    view.update({ ...report, tcp: { ...report.tcp, streams: streams.map((s) => ({ ...s })) } }, t);
    view.updateStatus({ name: 'eth0', live: true, ended: false, packets: 100_000 + u * 5000, bytes: 1e7 + u * 4e5,
      drops: { kernel: 0, interface: 0, ring: 0 }, elapsedSeconds: 2 + u / UPDATES_PER_SECOND }, u / UPDATES_PER_SECOND);
    frames.push(view.frame(COLUMNS, ROWS));
  }
  return frames;
}

const plain = (s) => s.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '');

async function runOne(name, prefix, framesFile, round) {
  const result = join(out, `${name}-${round}.json`);
  rmSync(result, { force: true });
  const term = new TmuxTerminal(`ui-${name}`, COLUMNS, ROWS);
  try {
    term.start(`${process.execPath} ${join(here, 'contender.js')} ${name} ${framesFile} ${result} ${prefix ?? '-'} 2> ${result}.err; sleep 30`);
    const until = Date.now() + (seconds + 60) * 1000;
    while (!existsSync(result)) {
      if (Date.now() > until) throw new Error(`${name}: no result; ${existsSync(`${result}.err`) ? readFileSync(`${result}.err`, 'utf8') : ''}\n${term.screen()}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    // The contender holds its last frame for a while: is it what the frame says?
    const shown = term.screen().split('\n');
    const r = JSON.parse(readFileSync(result, 'utf8'));
    const last = JSON.parse(readFileSync(framesFile, 'utf8'))[r.updates.length - 1].map(plain);
    r.rightLines = last.filter((line, i) => (shown[i] ?? '').trimEnd() === line.trimEnd()).length;
    return r;
  } finally {
    term.kill();
  }
}

const median = (a) => { const s = a.slice().sort((x, y) => x - y); return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2; };

async function main() {
  const updates = seconds * UPDATES_PER_SECOND;
  const framesFile = join(out, 'frames.json');
  writeFileSync(framesFile, JSON.stringify(await makeFrames(updates)));
  const prefixes = {};
  for (const [name, folder] of Object.entries(CONTENDERS)) prefixes[name] = folder === null ? null : install(folder);
  const names = Object.keys(CONTENDERS);
  const runs = Object.fromEntries(names.map((n) => [n, []]));
  for (let round = 0; round < rounds; round++) {
    // Each round starts with another contender, so that none always runs on the same part of the machine's load.
    const order = names.map((_, i) => names[(i + round) % names.length]);
    for (const name of order) {
      const r = await runOne(name, prefixes[name], framesFile, round);
      const cpu = r.updates.map((u) => u.cpuMs);
      runs[name].push({ ...r, medianCpu: median(cpu), p90Cpu: cpu.slice().sort((x, y) => x - y)[Math.floor(cpu.length * 0.9)],
        bytes: r.updates.slice(1).reduce((a, u) => a + u.bytes, 0) / (r.updates.length - 1) });
      console.error(`round ${round + 1} ${name}: median ${median(cpu).toFixed(2)} ms/update, ${r.rightLines}/${ROWS} lines right`);
    }
  }
  const ours = runs.ours.reduce((a, b) => (b.medianCpu < a.medianCpu ? b : a));
  console.log(`\n${updates} updates at ${UPDATES_PER_SECOND}/s of a ${COLUMNS}x${ROWS} view of ${STREAMS} streams; best of ${rounds} runs (lowest median CPU per update)`);
  console.log('contender        CPU/update median  p90   vs ours  bytes/update  process CPU  start-up CPU  lines right  installed');
  for (const name of names) {
    const best = runs[name].reduce((a, b) => (b.medianCpu < a.medianCpu ? b : a));
    const fp = CONTENDERS[name] === null ? null : footprint(prefixes[name]);
    console.log(`${name.padEnd(16)} ${best.medianCpu.toFixed(2).padStart(10)} ms ${best.p90Cpu.toFixed(2).padStart(6)} ${(best.medianCpu / ours.medianCpu).toFixed(1).padStart(7)}x ` +
      `${Math.round(best.bytes).toString().padStart(12)} ${Math.round(best.processCpuMs).toString().padStart(9)} ms ${Math.round(best.setupCpuMs).toString().padStart(9)} ms ` +
      `${String(best.rightLines).padStart(7)}/${ROWS}   ${fp ? `${fp.packages} packages, ${(fp.kib / 1024).toFixed(1)} MiB` : '(zsniff)'}`);
  }
  console.log('\nregistry (npm view): the version measured, and the latest');
  for (const spec of Object.values(packages).flat()) {
    const f = registryFacts(spec);
    console.log(`  ${f.name}: ${f.pinned}; latest ${f.latest}`);
  }
  writeFileSync(join(out, 'results.json'), JSON.stringify(runs, null, 1));
}

await main();
