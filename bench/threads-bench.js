// `analyze --threads N` for N = 1 .. cores + 2 on many-pairs.pcap (32 bulk transfers between
// different hosts, about 250 MB), beside `tcpdump -nn -r` and `tshark -q -z expert`. Wall time
// is what threads buy; CPU time (all threads) is what they cost. Usage:
//   node bench/threads-bench.js [--runs N] [--max-threads N] [--no-tshark] [FILE]
import { existsSync, mkdirSync, renameSync, statSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { join } from 'node:path';
import { bestOf, fmt, have, row } from './lib.js';
import { OUT, writeManyTransfers } from './inputs.js';

const args = process.argv.slice(2);
const option = (name, dflt) => { const i = args.indexOf(name); return i >= 0 ? Number(args.splice(i, 2)[1]) : dflt; };
const runs = option('--runs', 1);
const maxThreads = option('--max-threads', availableParallelism() + 2);
const tshark = !args.includes('--no-tshark') && have('tshark');
const given = args.filter((a) => !a.startsWith('--'))[0];

let file = given;
if (!file) {
  file = join(OUT, 'many-pairs.pcap');
  if (!existsSync(file)) {
    mkdirSync(OUT, { recursive: true });
    process.stderr.write('bench: generating many-pairs.pcap...\n');
    await writeManyTransfers(`${file}.tmp`, { pairs: 32, segments: 5_000 });
    renameSync(`${file}.tmp`, file);
  }
}
const zsniff = join(import.meta.dirname, '..', 'bin', 'zsniff.js');
console.log(`${file}: ${(statSync(file).size / 1e6).toFixed(0)} MB; ${availableParallelism()} cores; load average ${loadavg().map((x) => x.toFixed(1)).join(' ')}`);
const widths = [34, 9, 9, 9, 10];
console.log(row(['command', 'wall s', 'cpu s', 'RSS MB', 'vs 1 thread'], widths));
let one = NaN;
for (let n = 1; n <= maxThreads; n++) {
  const m = bestOf(runs, [process.execPath, zsniff, 'analyze', file, '--color', 'never', '--threads', String(n)]);
  if (n === 1) one = m.wall;
  console.log(row([`zsniff analyze --threads ${n}`, fmt(m.wall), fmt(m.cpu), fmt(m.maxRssMB, 0), `${fmt(one / m.wall)}x`], widths));
}
const others = [['tcpdump -nn -r F', ['tcpdump', '-nn', '-r', file]]];
if (tshark) others.push(['tshark -q -z expert -r F', ['tshark', '-q', '-z', 'expert', '-r', file]]);
for (const [name, argv] of others) {
  const m = bestOf(runs, argv);
  console.log(row([name, fmt(m.wall), fmt(m.cpu), fmt(m.maxRssMB, 0), `${fmt(one / m.wall)}x`], widths));
}
console.log(`load average after: ${loadavg().map((x) => x.toFixed(1)).join(' ')}`);
