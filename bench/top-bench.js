// zsniff top's cost. (1) Redraw: a capture of 1,000 TCP connections active at
// once (each sends a segment every 200 ms and is ACKed; one in ten loses and
// resends now and then) replayed at its own pace in a 160x48 tmux window for
// SECONDS; top reports the main-thread time its refreshes took (the refresh
// builds the report so far, sorts the table and draws the diff). (2) Flood, as
// root: the UDP flood of capture-bench through `capture -q > /dev/null` and
// through `top -i` (in tmux), one after the other: packets, drops, CPU.
//
// node bench/top-bench.js [SECONDS]; part of `npm run bench`.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pcapFile } from '../test/helpers/capture-files.js';
import { ethernet, ipv4, tcp, TCP_FLAGS } from '../test/helpers/packets.js';
import { NetnsPair, liveSkipReason, sleep, spawnIn, zsniff, zsniffBin } from '../test/helpers/live-netns.js';
import { TmuxTerminal } from '../test/helpers/tmux.js';

const here = dirname(fileURLToPath(import.meta.url));
const out = join(here, 'out');
const seconds = Number(process.argv[2] ?? 10);
mkdirSync(out, { recursive: true });

if (spawnSync('sh', ['-c', 'command -v tmux']).status !== 0) {
  console.log('top-bench: skipped (needs tmux)');
  process.exit(0);
}

function manyStreams(path, streams, duration) {
  const packets = [];
  const t0 = 1_700_000_000;
  const at = (t) => ({ tsSec: t0 + Math.floor(t), tsNsec: Math.round((t % 1) * 1e9) });
  const frame = (src, dst, header, payload) => ethernet({ type: 0x0800, payload: ipv4({ src, dst, proto: 6, payload: tcp({ src, dst, payload, ...header }) }) });
  const data = new Uint8Array(100);
  for (let tick = 0; tick * 0.2 < duration; tick++) {
    for (let s = 0; s < streams; s++) {
      const t = tick * 0.2 + (s / streams) * 0.2;
      const client = `10.${1 + (s >> 8)}.${s & 255}.1`, server = '10.200.0.1';
      const sport = 20000 + s;
      const seq = 1000 + tick * 100;
      const lossy = s % 10 === 3 && tick % 7 === 6;
      packets.push({ ...at(t), bytes: frame(client, server, { sport, dport: 443, seq, ack: 1, flags: TCP_FLAGS.ACK | TCP_FLAGS.PSH }, data) });
      // A lossy stream's segment is not ACKed at once: resent 50 ms later.
      if (lossy) packets.push({ ...at(t + 0.05), bytes: frame(client, server, { sport, dport: 443, seq, ack: 1, flags: TCP_FLAGS.ACK | TCP_FLAGS.PSH }, data) });
      packets.push({ ...at(t + (lossy ? 0.051 : 0.001)), bytes: frame(server, client, { sport: 443, dport: sport, seq: 1, ack: seq + 100, flags: TCP_FLAGS.ACK }, new Uint8Array(0)) });
    }
  }
  packets.sort((a, b) => a.tsSec - b.tsSec || a.tsNsec - b.tsNsec);
  writeFileSync(path, pcapFile(packets));
  return packets.length;
}

function costLine(file) {
  const text = existsSync(file) ? readFileSync(file, 'utf8') : '';
  return /zsniff top: .*/.exec(text)?.[0] ?? `(no cost line: ${text.slice(-300)})`;
}

async function redraw() {
  const file = join(out, 'top-1000-streams.pcap');
  const n = manyStreams(file, 1000, seconds + 2);
  for (const [label, extra] of [['own pace', []], ['--fast', ['--fast']]]) {
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
    console.log(`1,000 streams (${n} packets), ${label}, ${seconds} s: ${costLine(err)}`);
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

await redraw();
await floodRuns();
