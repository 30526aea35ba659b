// Live capture under a flood: 64-byte UDP frames sent with sendmmsg over a
// veth pair between two network namespaces, captured by tcpdump -w, by
// zsniff capture -w, and by zsniff decoding every packet (no printing), one
// after the other under the same load. Reports packets, drops and CPU time
// per packet of each capture process (all its threads, from /proc/PID/stat),
// measured from when it listens to just before it is stopped, so start-up is
// not charged to packets. Runs last 8 s by default so that even a loaded
// machine sends over a million packets (CPU ticks are 10 ms).
//
// Needs root (namespaces, raw sockets) and cc. Run on its own
// (node bench/capture-bench.js [SECONDS]) or from `npm run bench`.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { NetnsPair, liveSkipReason, sleep, spawnIn, tcpdump, zsniff, CaptureProcess } from '../test/helpers/live-netns.js';
import { readCapture } from '../dist/source/capture-file.js';

const here = dirname(fileURLToPath(import.meta.url));
const out = join(here, 'out');
const seconds = Number(process.argv[2] ?? process.env.CAPTURE_BENCH_SECONDS ?? 8);
const PAYLOAD = 22; // 14 Ethernet + 20 IPv4 + 8 UDP + 22 = 64-byte frames
const CLK_TCK = 100;

const skip = liveSkipReason();
if (skip) {
  console.log(`capture-bench: skipped (${skip})`);
  process.exit(0);
}
mkdirSync(out, { recursive: true });
const sender = join(out, 'capture-flood');
const cc = spawnSync('cc', ['-O2', '-o', sender, join(here, 'capture-flood.c')], { encoding: 'utf8' });
if (cc.status !== 0) {
  console.log(`capture-bench: skipped (cannot build the flood sender: ${cc.stderr || cc.error})`);
  process.exit(0);
}

function cpuSeconds(pid) {
  // Fields after the command name: state is field 3; utime 14, stime 15 (in clock ticks).
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLK_TCK;
}

function statNumber(stderr, what) {
  const m = new RegExp(`^([\\d,]+) packets ${what}`, 'm').exec(stderr);
  return m ? Number(m[1].replace(/,/g, '')) : NaN;
}

async function countPackets(file) {
  if (!existsSync(file)) return NaN;
  const info = await readCapture(file, () => {});
  return info.packets;
}

async function flood(net) {
  const r = spawnIn(net.a, sender, [net.addrB, '9', String(PAYLOAD), String(seconds)]);
  let text = '';
  r.stdout.on('data', (d) => { text += d; });
  await new Promise((resolve) => r.on('exit', resolve));
  const [sent, took] = text.trim().split(' ').map(Number);
  return { sent, took };
}

async function runOne(net, label, start, file) {
  const cap = start();
  await cap.ready;
  await sleep(300);
  const cpu0 = cpuSeconds(cap.child.pid);
  const { sent, took } = await flood(net);
  await sleep(1300); // tcpdump's kernel blocks retire after 1 s
  const cpu = cpuSeconds(cap.child.pid) - cpu0;
  const exit = await cap.stop('SIGINT', 20000);
  const written = file ? await countPackets(file) : NaN;
  const captured = statNumber(cap.stderr, 'captured');
  const kernel = statNumber(cap.stderr, 'dropped by kernel');
  const ring = statNumber(cap.stderr, 'dropped by ring');
  const pkts = Number.isNaN(written) ? captured : written;
  const result = {
    label, sent, mpps: sent / took / 1e6, captured: pkts, kernelDrops: kernel, ringDrops: Number.isNaN(ring) ? 0 : ring,
    lost: sent - pkts, cpu, usPerPacket: (cpu / pkts) * 1e6, exit: exit.code,
    fileMB: file && existsSync(file) ? statSync(file).size / 1e6 : NaN,
  };
  if (file) rmSync(file, { force: true });
  return result;
}

const load = () => loadavg().map((x) => x.toFixed(2)).join(' ');
console.log(`capture-bench: ${seconds} s per run, load average ${load()}`);
const net = new NetnsPair('bench');
const results = [];
try {
  net.create();
  // Nothing listens on port 9: the receiver drops the datagrams; its rate-limited
  // ICMP errors are kept out of the captures by the filter 'udp'.
  const dev = net.devB;
  const tdFile = join(out, 'capture-tcpdump.pcap');
  const zsFile = join(out, 'capture-zsniff.pcap');
  const runs = [
    ['tcpdump -w', () => tcpdump(net.b, ['-i', dev, '-w', tdFile, '-s', '262144', '-B', '65536', 'udp']), tdFile],
    ['zsniff capture -w', () => zsniff(net.b, ['capture', '-i', dev, '-w', zsFile, '-B', '65536', 'udp']), zsFile],
    ['zsniff decode every packet', () => new CaptureProcess(net.b, process.execPath,
      [join(here, 'capture-decode-consumer.js'), dev, 'udp']), undefined],
    ['zsniff capture -q > /dev/null', () => zsniff(net.b, ['capture', '-i', dev, '-q', '-B', '65536', 'udp'], { stdio: ['ignore', 'ignore', 'pipe'], collectStdout: false }), undefined],
  ];
  for (const [label, start, file] of runs) {
    const r = await runOne(net, label, start, file);
    results.push(r);
    console.log(`${label.padEnd(30)} sent ${(r.sent / 1e6).toFixed(2)} M (${r.mpps.toFixed(2)} Mpps)  captured ${r.captured}  ` +
      `lost ${r.lost} (kernel drops ${r.kernelDrops}, ring drops ${r.ringDrops})  CPU ${r.cpu.toFixed(2)} s = ` +
      `${r.usPerPacket.toFixed(3)} us/packet  exit ${r.exit}`);
  }
} finally {
  net.destroy();
}
console.log(`load average after: ${load()}`);
const td = results.find((r) => r.label === 'tcpdump -w');
if (td) {
  for (const r of results) {
    if (r === td) continue;
    console.log(`${r.label}: CPU per packet ${(r.usPerPacket / td.usPerPacket).toFixed(2)}x tcpdump -w; ` +
      `drops ${r.kernelDrops + r.ringDrops} vs ${td.kernelDrops}`);
  }
}
