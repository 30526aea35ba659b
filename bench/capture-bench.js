// Live capture under a flood: 64-byte UDP frames over a veth pair between two
// network namespaces, captured by tcpdump -w, by zsniff capture -w, by zsniff
// decoding every packet (no printing), by zsniff capture --analyze and by
// zsniff capture -q, one after the other under the same load. Reports packets,
// drops and CPU time per packet of each capture process (all its threads, from
// /proc/PID/stat), measured from when it listens to just before it is stopped,
// so start-up is not charged to packets. Each frame carries a per-sender
// sequence number: for the -w files the bench also counts the gaps in it.
//
// The senders (ring-flood.c) queue prebuilt frames to the veth through an
// AF_PACKET TX ring that bypasses the qdisc, with a destination MAC that is not
// the receiver's, so the receiving kernel drops each frame right after the
// capture taps. Note what that means for CPU: on a veth the receive side (the
// taps' copy into each capture's kernel ring included) runs in the sender's
// softirq, so the capture processes' CPU is their own user-space work and
// syscalls. `--senders N` (default 2) floods from N processes; `--udp` uses the
// older sendmmsg sender (capture-flood.c), through the sender's whole stack.
// `--pin` keeps the senders on CPU 0 and the capture (all its threads) on CPU
// 1: the senders' softirqs then run on CPU 0, so a capture's CPU time is only
// its own work (unpinned, a softirq that runs while the capture is on a CPU is
// charged to it), at the rate one core of senders reaches.
//
// Needs root (namespaces, raw sockets) and cc. Run on its own
// (node bench/capture-bench.js [SECONDS] [--senders N] [--udp]) or from `npm run bench`.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { NetnsPair, liveSkipReason, sleep, spawnIn, tcpdump, zsniff, CaptureProcess } from '../test/helpers/live-netns.js';
import { readCapture } from '../dist/source/capture-file.js';

const here = dirname(fileURLToPath(import.meta.url));
const out = join(here, 'out');
const args = process.argv.slice(2);
const option = (name, dflt) => { const i = args.indexOf(name); return i >= 0 ? Number(args.splice(i, 2)[1]) : dflt; };
const senders = option('--senders', 2);
const udpSender = args.includes('--udp');
const pin = args.includes('--pin');
const rounds = option('--rounds', 1);
/** `--only REGEX`: the runs whose label matches (e.g. '-w' for the two writers). */
const onlyAt = args.indexOf('--only');
const only = onlyAt >= 0 ? new RegExp(args.splice(onlyAt, 2)[1]) : /./;
const seconds = Number(args.filter((a) => !a.startsWith('--'))[0] ?? process.env.CAPTURE_BENCH_SECONDS ?? 8);
const PAYLOAD = 22; // 14 Ethernet + 20 IPv4 + 8 UDP + 22 = 64-byte frames
const CLK_TCK = 100;
const FIRST_SOURCE_PORT = 49152;
/** Where ring-flood.c puts its tag and the 64-bit sequence number (host order) in each frame. */
const TAG_AT = 42, SEQ_AT = 46, TAG = 0x7a736e66;

const skip = liveSkipReason();
if (skip) {
  console.log(`capture-bench: skipped (${skip})`);
  process.exit(0);
}
mkdirSync(out, { recursive: true });
const senderSource = udpSender ? 'capture-flood.c' : 'ring-flood.c';
const sender = join(out, senderSource.replace(/\.c$/, ''));
const cc = spawnSync('cc', ['-O2', '-o', sender, join(here, senderSource)], { encoding: 'utf8' });
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

/** Packets in a -w file, and the gaps in each sender's sequence numbers (ring-flood frames only). */
async function countPackets(file) {
  if (!existsSync(file)) return { packets: NaN, gaps: NaN };
  const next = new Map();
  let gaps = 0;
  const info = await readCapture(file, (pkt) => {
    if (udpSender || pkt.caplen < SEQ_AT + 8) return;
    const view = new DataView(pkt.bytes.buffer, pkt.bytes.byteOffset + pkt.offset, pkt.caplen);
    if (view.getUint32(TAG_AT) !== TAG) return;
    const port = view.getUint16(34);
    const seq = Number(view.getBigUint64(SEQ_AT, true));
    if (seq !== (next.get(port) ?? 0)) gaps++;
    next.set(port, seq + 1);
  });
  return { packets: info.packets, gaps: udpSender ? NaN : gaps };
}

async function flood(net) {
  const dst = '02:00:00:00:00:99'; // not the receiver's MAC: its kernel drops each frame after the taps
  const src = net.mac(net.a, net.devA);
  const start = (argv) => (pin ? spawnIn(net.a, 'taskset', ['-c', '0', sender, ...argv]) : spawnIn(net.a, sender, argv));
  const procs = udpSender
    ? [start([net.addrB, '9', String(PAYLOAD), String(seconds)])]
    : Array.from({ length: senders }, (_, i) => start(
      [net.devA, src, dst, net.addrA, net.addrB, '9', String(seconds), String(FIRST_SOURCE_PORT + i)]));
  const results = await Promise.all(procs.map((r) => new Promise((resolve) => {
    let text = '';
    r.stdout.on('data', (d) => { text += d; });
    r.on('exit', () => resolve(text.trim().split(' ').map(Number)));
  })));
  return { sent: results.reduce((n, [k]) => n + k, 0), took: Math.max(...results.map(([, t]) => t)) };
}

async function runOne(net, label, start, file) {
  const cap = start();
  await cap.ready;
  if (pin) spawnSync('taskset', ['-a', '-p', '-c', '1', String(cap.child.pid)], { stdio: 'ignore' });
  await sleep(300);
  const cpu0 = cpuSeconds(cap.child.pid);
  const { sent, took } = await flood(net);
  await sleep(1300); // tcpdump's kernel blocks retire after 1 s
  const cpu = cpuSeconds(cap.child.pid) - cpu0;
  const exit = await cap.stop('SIGINT', 20000);
  const written = file ? await countPackets(file) : { packets: NaN, gaps: NaN };
  const captured = statNumber(cap.stderr, 'captured');
  const kernel = statNumber(cap.stderr, 'dropped by kernel');
  const ring = statNumber(cap.stderr, 'dropped by ring');
  const pkts = Number.isNaN(written.packets) ? captured : written.packets;
  const result = {
    label, sent, mpps: sent / took / 1e6, captured: pkts, kernelDrops: kernel, ringDrops: Number.isNaN(ring) ? 0 : ring,
    lost: sent - pkts, gaps: written.gaps, cpu, usPerPacket: (cpu / pkts) * 1e6, exit: exit.code,
    fileMB: file && existsSync(file) ? statSync(file).size / 1e6 : NaN,
  };
  if (file) rmSync(file, { force: true });
  return result;
}

const load = () => loadavg().map((x) => x.toFixed(2)).join(' ');
console.log(`capture-bench: ${seconds} s per run, ${udpSender ? 'sendmmsg UDP sender' : `${senders} AF_PACKET TX-ring sender(s)`}${pin ? ' on CPU 0, captures on CPU 1' : ''}, load average ${load()}`);
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
    ['zsniff capture --analyze', () => zsniff(net.b, ['capture', '-i', dev, '--analyze', '-B', '65536', 'udp'], { stdio: ['ignore', 'ignore', 'pipe'], collectStdout: false }), undefined],
    ['zsniff capture -q > /dev/null', () => zsniff(net.b, ['capture', '-i', dev, '-q', '-B', '65536', 'udp'], { stdio: ['ignore', 'ignore', 'pipe'], collectStdout: false }), undefined],
  ];
  for (let round = 0; round < rounds; round++) for (const [label, start, file] of runs.filter(([l]) => only.test(l))) {
    const r = await runOne(net, label, start, file);
    results.push(r);
    console.log(`${label.padEnd(30)} sent ${(r.sent / 1e6).toFixed(2)} M (${r.mpps.toFixed(2)} Mpps)  captured ${r.captured}  ` +
      `lost ${r.lost} (kernel drops ${r.kernelDrops}, ring drops ${r.ringDrops}${Number.isNaN(r.gaps) ? '' : `, sequence gaps in the file ${r.gaps}`})  CPU ${r.cpu.toFixed(2)} s = ` +
      `${r.usPerPacket.toFixed(3)} us/packet  exit ${r.exit}`);
  }
} finally {
  net.destroy();
}
console.log(`load average after: ${load()}`);
// Per command: the median CPU per packet over the rounds, and every drop and gap of every round.
const median = (xs) => { const v = [...xs].sort((a, b) => a - b); return v[(v.length - 1) >> 1]; };
const byLabel = new Map();
for (const r of results) byLabel.set(r.label, [...(byLabel.get(r.label) ?? []), r]);
const td = byLabel.get('tcpdump -w');
for (const [label, rs] of byLabel) {
  const us = median(rs.map((r) => r.usPerPacket));
  const drops = rs.reduce((n, r) => n + r.kernelDrops + r.ringDrops, 0);
  const gaps = rs.reduce((n, r) => n + (Number.isNaN(r.gaps) ? 0 : r.gaps), 0);
  const rate = median(rs.map((r) => r.mpps));
  const vs = td && label !== 'tcpdump -w' ? `, ${(us / median(td.map((r) => r.usPerPacket))).toFixed(2)}x tcpdump -w` : '';
  console.log(`${label}: median ${us.toFixed(3)} us/packet${vs} at ${rate.toFixed(2)} Mpps; drops ${drops}, gaps ${gaps} over ${rs.length} run(s)`);
}
