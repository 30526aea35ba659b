// Issue #2 targets, side by side with tcpdump on the same files:
//   decoding without printing >= 3 M packets/s
//   `zsniff read FILE > /dev/null` <= 1.5x `tcpdump -nn -r FILE > /dev/null`
//   peak RSS < 100 MB on a 1 GB capture
import { spawnSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { ensureInputs } from './inputs.js';
import { bestOf, fmt, have } from './lib.js';

const zsniff = ['node', new URL('../bin/zsniff.js', import.meta.url).pathname];
const inputs = await ensureInputs();
const results = [];
const line = (s) => console.log(s);

line('\n== read: decode and print (best of 3, output to /dev/null) ==');
for (const name of ['bulk-lossy', 'udp-flood']) {
  const file = inputs[name];
  const z = bestOf(3, [...zsniff, 'read', '-nn', file]);
  const t = have('tcpdump') ? bestOf(3, ['tcpdump', '-nn', '-r', file]) : undefined;
  const ratio = t ? z.wall / t.wall : NaN;
  line(`${name.padEnd(11)} ${(statSync(file).size / 1e6).toFixed(0)} MB  zsniff ${fmt(z.wall)} s  tcpdump ${t ? fmt(t.wall) : 'n/a'} s  ratio ${fmt(ratio)} (target <= 1.50)  zsniff RSS ${fmt(z.maxRssMB, 0)} MB`);
  results.push({ bench: `read ${name}`, zsniff: z.wall, tcpdump: t?.wall, ratio, pass: !(ratio > 1.5) });
}

line('\n== decode only, no printing (in process, best of 3) ==');
for (const name of ['bulk-lossy', 'udp-flood']) {
  let best;
  for (let i = 0; i < 3; i++) {
    const r = spawnSync('node', [new URL('./decode-only.js', import.meta.url).pathname, inputs[name]], { encoding: 'utf8' });
    const m = JSON.parse(r.stdout.trim());
    if (!best || m.pps > best.pps) best = m;
  }
  line(`${name.padEnd(11)} read+decode ${best.packets} packets  ${fmt(best.pps / 1e6)} M packets/s;  ` +
    `decode alone (packets in memory) ${fmt(best.decodePps / 1e6)} M packets/s (target >= 3.00)`);
  results.push({ bench: `decode ${name}`, mpps: best.decodePps / 1e6, readDecodeMpps: best.pps / 1e6, pass: best.decodePps >= 3e6 });
}

line('\n== peak RSS on a 1 GB capture ==');
{
  const file = inputs['big-1g'];
  const z = bestOf(1, [...zsniff, 'read', '-nn', file]);
  const t = have('tcpdump') ? bestOf(1, ['tcpdump', '-nn', '-r', file]) : undefined;
  line(`big-1g ${(statSync(file).size / 1e9).toFixed(2)} GB  zsniff RSS ${fmt(z.maxRssMB, 0)} MB (target < 100)  time ${fmt(z.wall)} s  tcpdump ${t ? fmt(t.wall) : 'n/a'} s  ratio ${t ? fmt(z.wall / t.wall) : 'n/a'}`);
  results.push({ bench: 'read big-1g rss', rssMB: z.maxRssMB, pass: z.maxRssMB < 100 });
}

export default results;
if (process.argv[1] && process.argv[1].endsWith('read-bench.js')) {
  const failed = results.filter((r) => !r.pass);
  line(`\nread bench: ${results.length - failed.length} of ${results.length} targets met`);
}
