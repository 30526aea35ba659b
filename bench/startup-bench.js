// Start-up: `zsniff analyze` and `zsniff read -nn` of a small fixture (11
// packets) against `node -e 0`, the floor any Node CLI pays (target: at most
// 1.3x its wall time), and against the unbundled CLI (dist/cli/main.js, what
// the launcher ran before scripts/bundle-cli.mjs) to show what the bundle buys.
// Runs alternate between the commands so that a burst of load on the shared
// machine hits all of them; each figure is the best of BENCH_STARTUP_RUNS.
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { measure, fmt } from './lib.js';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const fixture = join(root, 'fixtures', 'tcp-rto-backoff.pcap');
const node = process.execPath;
const unbundled = `import(${JSON.stringify(join(root, 'dist', 'cli', 'main.js'))}).then(async (m) => { process.exitCode = await m.main(process.argv.slice(1)); })`;
const commands = {
  'node -e 0': [node, '-e', '0'],
  'zsniff analyze': [node, join(root, 'bin', 'zsniff.js'), 'analyze', fixture, '--color', 'never'],
  'zsniff read -nn': [node, join(root, 'bin', 'zsniff.js'), 'read', '-nn', fixture],
  'unbundled analyze': [node, '--input-type=module', '-e', unbundled, 'analyze', fixture, '--color', 'never'],
};
const runs = Number(process.env.BENCH_STARTUP_RUNS ?? 20);
const best = {};
for (let i = 0; i < runs; i++) {
  for (const [name, argv] of Object.entries(commands)) {
    const m = measure(argv);
    if (m.status !== 0) throw new Error(`${name} exited ${m.status}: ${m.stderr}`);
    if (!best[name] || m.wall < best[name].wall) best[name] = m;
  }
}
const floor = best['node -e 0'].wall;
console.log(`input: ${fixture} (best of ${runs}, alternating)`);
for (const [name, m] of Object.entries(best)) {
  console.log(`${name.padEnd(18)} wall ${fmt(m.wall * 1000, 0).padStart(4)} ms  cpu ${fmt(m.cpu * 1000, 0).padStart(4)} ms  ${fmt(m.wall / floor)}x node -e 0`);
}
const ratio = best['zsniff analyze'].wall / floor;
console.log(`  zsniff analyze takes ${fmt(ratio)}x the time of node -e 0 (target <= 1.3: ${ratio <= 1.3 ? 'met' : 'MISSED'})`);
