// zsniff top's cost, on 1,000 TCP connections open at once (top-streams.js:
// each sends a segment every 200 ms, or every 2 s, and is ACKed; one in ten
// loses and resends now and then). (0) The refresh alone, in this process: the
// report so far, the view's rows and the frame. (1) Redraw: the capture
// replayed at its own pace (and fast) in a 160x48 tmux window for SECONDS; top
// reports the CPU its refreshes took (the refresh builds the report so far,
// sorts the table and draws the diff). (2) Flood, as root: the UDP flood of
// capture-bench through `capture -q > /dev/null` and through `top -i` (in
// tmux), one after the other: packets, drops, CPU.
//
// node bench/top-bench.js [SECONDS] [--no-flood | --in-process]; part of `npm run bench`.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeManyStreams } from './top-streams.js';
import { NetnsPair, liveSkipReason, sleep, spawnIn, zsniff, zsniffBin } from '../test/helpers/live-netns.js';
import { TmuxTerminal } from '../test/helpers/tmux.js';

const here = dirname(fileURLToPath(import.meta.url));
const out = join(here, 'out');
const args = process.argv.slice(2);
const seconds = Number(args.find((a) => !a.startsWith('--')) ?? 10);
const flood = !args.includes('--no-flood');
mkdirSync(out, { recursive: true });

if (spawnSync('sh', ['-c', 'command -v tmux']).status !== 0) {
  console.log('top-bench: skipped (needs tmux)');
  process.exit(0);
}

function costLine(file) {
  const text = existsSync(file) ? readFileSync(file, 'utf8') : '';
  return /zsniff top: .*/.exec(text)?.[0] ?? `(no cost line: ${text.slice(-300)})`;
}

async function redraw() {
  const runs = [
    ['every stream moves each refresh', 0.2, []],
    ['a tenth of them move each refresh', 2, []],
    ['every stream moves each refresh', 0.2, ['--fast']],
  ];
  for (const [what, interval, extra] of runs) {
    const file = join(out, `top-1000-streams-${interval}.pcap`);
    const n = writeManyStreams(file, 1000, seconds + 2, interval);
    const term = new TmuxTerminal(`bench${extra.length}`, 160, 48);
    const err = join(out, `top-bench-${extra.length}.txt`);
    try {
      term.start(`${process.execPath} ${zsniffBin} top ${extra.join(' ')} ${file} 2> ${err}; echo EXIT=$?; sleep 60`);
      await sleep(seconds * 1000);
      term.keys('q');
      await term.waitFor(/EXIT=\d/, 30000, 'exit', () => term.all());
    } finally {
      term.kill();
    }
    console.log(`1,000 streams (${n} packets), ${what}, ${extra.length ? '--fast' : 'own pace'}, ${seconds} s: ${costLine(err)}`);
  }
}

/**
 * The refresh alone, in this process, on the same captures: the analysis is fed the packets and every
 * 200 ms of capture time top's refresh runs (the report so far, the view's rows, the frame). Quieter than
 * the terminal runs on a shared machine: the median of about 50 refreshes after the first second.
 */
async function refreshInProcess() {
  const dist = join(here, '..', 'dist');
  const { AnalysisSession } = await import(join(dist, 'analyze', 'index.js'));
  const { TopView } = await import(join(dist, 'sink', 'top', 'top-view.js'));
  const { StreamWatch } = await import(join(dist, 'sink', 'top', 'stream-watch.js'));
  const { openCaptures } = await import(join(dist, 'source', 'capture-set.js'));
  const { NEED_INPUT } = await import(join(dist, 'source', 'capture-file.js'));
  for (const [what, interval] of [['every stream moves each refresh', 0.2], ['a tenth of them move each refresh', 2]]) {
    const file = join(out, `top-1000-streams-${interval}.pcap`);
    writeManyStreams(file, 1000, 12, interval);
    const watch = new StreamWatch();
    const session = new AnalysisSession({ maxEvents: 5000, options: { tcp: { observer: watch } } });
    const view = new TopView(true, watch, () => undefined);
    const capture = openCaptures([file]);
    await capture.ready();
    const costs = [];
    let next = NaN;
    for (;;) {
      const p = capture.nextBuffered();
      if (p === NEED_INPUT) { await capture.readMore(); continue; }
      if (p === null) break;
      const t = p.tsSec + p.tsNsec / 1e9;
      if (Number.isNaN(next)) next = t + 1;
      if (t >= next) {
        next += 0.2;
        const cpu0 = process.cpuUsage();
        view.update(session.reportSoFar(capture.info), session.latestTime);
        view.frame(160, 48);
        const cpu = process.cpuUsage(cpu0);
        costs.push((cpu.user + cpu.system) / 1000);
      }
      session.onPacket(p);
    }
    capture.close();
    costs.sort((a, b) => a - b);
    console.log(`1,000 streams, ${what}, in-process: ${costs.length} refreshes, median ${costs[costs.length >> 1].toFixed(1)} ms, ` +
      `fastest ${costs[0].toFixed(1)} ms, slowest ${costs[costs.length - 1].toFixed(1)} ms of CPU`);
  }
}

function cpuSeconds(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(f[11]) + Number(f[12])) / 100;
}

function statNumber(text, what) {
  const m = new RegExp(`^([\\d,]+) packets ${what}`, 'm').exec(text);
  return m ? Number(m[1].replace(/,/g, '')) : NaN;
}

async function floodRuns() {
  const skip = liveSkipReason();
  if (skip) { console.log(`flood: skipped (${skip})`); return; }
  const sender = join(out, 'capture-flood');
  const cc = spawnSync('cc', ['-O2', '-o', sender, join(here, 'capture-flood.c')], { encoding: 'utf8' });
  if (cc.status !== 0) { console.log('flood: skipped (cannot build the sender)'); return; }
  const net = new NetnsPair('topb');
  try {
    net.create();
    const flood = async () => {
      const r = spawnIn(net.a, sender, [net.addrB, '9', '22', String(seconds)]);
      let text = '';
      r.stdout.on('data', (d) => { text += d; });
      await new Promise((resolve) => r.on('exit', resolve));
      return Number(text.trim().split(' ')[0]);
    };
    // capture -q, printing to /dev/null
    const cap = zsniff(net.b, ['capture', '-i', net.devB, '-q', 'udp'], { stdio: ['ignore', 'ignore', 'pipe'], collectStdout: false });
    await cap.ready;
    await sleep(300);
    let cpu0 = cpuSeconds(cap.child.pid);
    let sent = await flood();
    await sleep(1300);
    let cpu = cpuSeconds(cap.child.pid) - cpu0;
    await cap.stop('SIGINT', 20000);
    console.log(`flood ${seconds} s, capture -q > /dev/null: sent ${sent}, captured ${statNumber(cap.stderr, 'captured')}, ` +
      `drops kernel ${statNumber(cap.stderr, 'dropped by kernel')} ring ${statNumber(cap.stderr, 'dropped by ring')}, CPU ${cpu.toFixed(2)} s`);
    // top -i, in a terminal
    const term = new TmuxTerminal('flood', 160, 48);
    const err = join(out, 'top-bench-flood.txt');
    try {
      term.start(`ip netns exec ${net.b} ${process.execPath} ${zsniffBin} top -i ${net.devB} udp 2> ${err}; echo EXIT=$?; sleep 60`);
      await term.waitFor(/\(live\)/, 15000, 'the view');
      await sleep(300);
      const shell = term.panePid();
      const pid = Number(spawnSync('sh', ['-c', `pgrep -f '^${process.execPath} ${zsniffBin} top -i ${net.devB}' | head -1`], { encoding: 'utf8' }).stdout.trim());
      cpu0 = cpuSeconds(pid);
      sent = await flood();
      await sleep(1300);
      cpu = cpuSeconds(pid) - cpu0;
      term.keys('q');
      await term.waitFor(/EXIT=\d/, 30000, 'exit', () => term.all());
      void shell;
    } finally {
      term.kill();
    }
    const text = readFileSync(err, 'utf8');
    console.log(`flood ${seconds} s, top -i: sent ${sent}, captured ${statNumber(text, 'captured')}, ` +
      `drops kernel ${statNumber(text, 'dropped by kernel')} ring ${statNumber(text, 'dropped by ring')}, CPU ${cpu.toFixed(2)} s; ${costLine(err)}`);
  } finally {
    net.destroy();
  }
}

await refreshInProcess();
if (!args.includes('--in-process')) await redraw();
if (flood && !args.includes('--in-process')) await floodRuns();
