// `zsniff analyze` on real lossy TCP, not generated packets: a capture of the
// kernel's own TCP between two network namespaces through a token bucket that
// drops (real retransmissions, dup ACKs, SACK, RTO), about 60 MB, and the same
// capture three times over, each copy shifted after the one before (about
// 190 MB), beside `tcpdump -nn -r` (target: zsniff no slower) and
// `tshark -q -z expert` (target: zsniff at least 5x faster), single-threaded
// and with --threads 2. The captures are made once into bench/out/ (needs root
// for the namespaces; without it, pass your own: node bench/real-tcp-bench.js FILE...).
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { bestOf, fmt, have, row } from './lib.js';
import { OUT } from './inputs.js';
import { NetnsPair, liveSkipReason, sendTcp, sleep, startTcpSink, tcpdump } from '../test/helpers/live-netns.js';

const zsniff = join(import.meta.dirname, '..', 'bin', 'zsniff.js');
const runs = Number(process.env.BENCH_RUNS ?? 3);
const SEND_BYTES = 60_000_000;
const PCAP_HEADER = 24, RECORD_HEADER = 16;

/** Real TCP through a lossy token bucket, captured by tcpdump on the receiver's veth. */
async function captureRealTcp(file) {
  const net = new NetnsPair('rt');
  try {
    // 1 Gbit/s with a 15 kB queue: the sender's bursts overflow it, as on a congested uplink.
    net.create({ rate: '1gbit' });
    const cap = tcpdump(net.b, ['-i', net.devB, '-w', file, '-B', '65536', 'tcp']);
    await cap.ready;
    const sink = await startTcpSink(net.b, net.addrB, 5001);
    await sendTcp(net.a, net.addrB, 5001, SEND_BYTES);
    await sleep(1200); // tcpdump's kernel blocks retire after 1 s
    sink.kill();
    await cap.stop('SIGINT', 20000);
    return net.qdiscDrops();
  } finally {
    net.destroy();
  }
}

/** `copies` of a little-endian microsecond pcap back to back, each shifted to start 1 s after the one before ends. */
function writeShiftedCopies(from, to, copies) {
  const b = readFileSync(from);
  if (b.readUInt32LE(0) !== 0xa1b2c3d4) throw new Error(`${from}: not a little-endian microsecond pcap`);
  const first = b.readUInt32LE(PCAP_HEADER);
  let last = first;
  for (let at = PCAP_HEADER; at + RECORD_HEADER <= b.length; at += RECORD_HEADER + b.readUInt32LE(at + 8)) last = b.readUInt32LE(at);
  const shift = last - first + 1;
  const fd = openSync(to, 'w');
  try {
    writeSync(fd, b, 0, PCAP_HEADER);
    for (let k = 0; k < copies; k++) {
      const copy = Buffer.from(b.subarray(PCAP_HEADER));
      for (let at = 0; at + RECORD_HEADER <= copy.length; at += RECORD_HEADER + copy.readUInt32LE(at + 8)) {
        copy.writeUInt32LE(copy.readUInt32LE(at) + k * shift, at);
      }
      writeSync(fd, copy);
    }
  } finally {
    closeSync(fd);
  }
}

let files = process.argv.slice(2);
if (files.length === 0) {
  const small = join(OUT, 'real-lossy-tcp.pcap');
  const big = join(OUT, 'real-lossy-tcp-x3.pcap');
  if (!existsSync(small)) {
    const skip = liveSkipReason();
    if (skip) {
      console.log(`real-tcp-bench: skipped (${skip}; or pass capture files)`);
      process.exit(0);
    }
    mkdirSync(OUT, { recursive: true });
    process.stderr.write('bench: capturing real lossy TCP...\n');
    const drops = await captureRealTcp(`${small}.tmp`);
    process.stderr.write(`bench: the token bucket dropped ${drops} packets\n`);
    renameSync(`${small}.tmp`, small);
    rmSync(big, { force: true });
  }
  if (!existsSync(big)) {
    writeShiftedCopies(small, `${big}.tmp`, 3);
    renameSync(`${big}.tmp`, big);
  }
  files = [small, big];
}

const tshark = have('tshark');
const widths = [36, 8, 8, 8, 14];
for (const file of files) {
  console.log(`\n${file}: ${(statSync(file).size / 1e6).toFixed(0)} MB (best of ${runs})`);
  console.log(row(['command', 'wall s', 'cpu s', 'RSS MB', 'zsniff faster'], widths));
  const zs = bestOf(runs, [process.execPath, zsniff, 'analyze', file, '--color', 'never']);
  const zs2 = bestOf(runs, [process.execPath, zsniff, 'analyze', file, '--color', 'never', '--threads', '2']);
  const others = [['tcpdump -nn -r F', bestOf(runs, ['tcpdump', '-nn', '-r', file])]];
  if (tshark) others.push(['tshark -q -z expert -r F', bestOf(runs, ['tshark', '-q', '-z', 'expert', '-r', file])]);
  console.log(row(['zsniff analyze', fmt(zs.wall), fmt(zs.cpu), fmt(zs.maxRssMB, 0), ''], widths));
  console.log(row(['zsniff analyze --threads 2', fmt(zs2.wall), fmt(zs2.cpu), fmt(zs2.maxRssMB, 0), `${fmt(zs.wall / zs2.wall)}x threads 1`], widths));
  for (const [name, m] of others) console.log(row([name, fmt(m.wall), fmt(m.cpu), fmt(m.maxRssMB, 0), `${fmt(m.wall / zs.wall)}x`], widths));
  const td = others[0][1];
  console.log(`  analyze ${fmt(zs.wall / td.wall)}x tcpdump's time (target <= 1.0: ${zs.wall <= td.wall ? 'met' : 'MISSED'})` +
    (tshark ? `; ${fmt(others[1][1].wall / zs.wall)}x faster than tshark (target >= 5: ${others[1][1].wall / zs.wall >= 5 ? 'met' : 'MISSED'})` : ''));
}
