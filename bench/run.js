// `npm run bench`: every benchmark, side by side with tcpdump / tshark, with
// ratios. Benchmarks report; they never fail the build (machines are noisy).
import { readdirSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const only = process.argv.slice(2);
const benches = readdirSync(here).filter((f) => f.endsWith('-bench.js'))
  .filter((f) => only.length === 0 || only.some((o) => f.includes(o))).sort();
for (const b of benches) {
  console.log(`\n##### ${b}`);
  const r = spawnSync('node', [join(here, b)], { stdio: 'inherit' });
  if (r.status !== 0) console.log(`(${b} exited ${r.status})`);
}
