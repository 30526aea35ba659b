// `zsniff analyze` against `tshark -q -z expert` (target: at least 5x faster)
// and `tcpdump -nn -r` (target: no slower), on a deterministic lossy bulk
// transfer (~170k packets: loss, fast retransmissions, RTO backoff, dup ACKs
// with SACK), with peak RSS (target: under 150 MB) and, while tshark is at
// hand, how well the flags agree.
import { existsSync, mkdirSync, renameSync, statSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { OUT, writeBulkTransfer } from './inputs.js';
import { bestOf, fmt, have } from './lib.js';

const here = dirname(fileURLToPath(import.meta.url));
const zsniff = join(here, '..', 'bin', 'zsniff.js');
mkdirSync(OUT, { recursive: true });
const file = join(OUT, 'bulk-lossy.pcap');
if (!existsSync(file)) {
  process.stderr.write('bench: generating bulk-lossy.pcap...\n');
  await writeBulkTransfer(`${file}.tmp`, { segments: 115_000 });
  renameSync(`${file}.tmp`, file);
}
console.log(`input: ${file} (${(statSync(file).size / 1e6).toFixed(1)} MB)`);

const runs = Number(process.env.BENCH_RUNS ?? 3);
const zs = bestOf(runs, [process.execPath, zsniff, 'analyze', file, '--color', 'never']);
const zsJson = bestOf(runs, [process.execPath, zsniff, 'analyze', file, '--json']);
console.log(`zsniff analyze (summary)   wall ${fmt(zs.wall)} s  cpu ${fmt(zs.cpu)} s  peak RSS ${fmt(zs.maxRssMB, 0)} MB`);
console.log(`zsniff analyze --json      wall ${fmt(zsJson.wall)} s  cpu ${fmt(zsJson.cpu)} s  peak RSS ${fmt(zsJson.maxRssMB, 0)} MB`);
const rssOk = Math.max(zs.maxRssMB, zsJson.maxRssMB) < 150;
console.log(`  peak RSS target < 150 MB: ${rssOk ? 'met' : 'MISSED'}`);
if (have('tshark')) {
  const ts = bestOf(Math.min(runs, 2), ['tshark', '-r', file, '-q', '-z', 'expert']);
  const ratio = ts.wall / zs.wall;
  console.log(`tshark -q -z expert        wall ${fmt(ts.wall)} s  cpu ${fmt(ts.cpu)} s  peak RSS ${fmt(ts.maxRssMB, 0)} MB`);
  console.log(`  zsniff is ${fmt(ratio, 1)}x faster than tshark (target >= 5x: ${ratio >= 5 ? 'met' : 'MISSED'})`);
} else console.log('tshark not installed: skipping that comparison');
if (have('tcpdump')) {
  const td = bestOf(runs, ['tcpdump', '-nn', '-r', file]);
  const ratio = td.wall / zs.wall;
  console.log(`tcpdump -nn -r > /dev/null wall ${fmt(td.wall)} s  cpu ${fmt(td.cpu)} s  peak RSS ${fmt(td.maxRssMB, 0)} MB`);
  console.log(`  zsniff takes ${fmt(zs.wall / td.wall, 2)}x tcpdump's time (target <= 1: ${ratio >= 1 ? 'met' : 'MISSED'})`);
} else console.log('tcpdump not installed: skipping that comparison');

if (have('tshark') && !process.env.BENCH_NO_ORACLE) {
  const { accumulate, table, tsharkFlags, zsniffFlags } = await import('../test/helpers/tcp-oracle.js');
  const totals = accumulate({}, 'bulk-lossy', await zsniffFlags(file), tsharkFlags(file));
  console.log(`agreement with tshark on this input:\n${table(totals)}`);
}
