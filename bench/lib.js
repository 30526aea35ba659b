// Shared bench helpers: run a command with its stdout to a file or /dev/null
// and measure wall time, CPU time and peak RSS of the child (through python3's
// getrusage(RUSAGE_CHILDREN), which every machine here has).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const MEASURE = `
import resource, subprocess, sys, time, json
out = open(sys.argv[1], 'wb')
t0 = time.monotonic()
p = subprocess.run(sys.argv[2:], stdout=out, stderr=subprocess.PIPE)
wall = time.monotonic() - t0
r = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({"status": p.returncode, "wall": wall, "user": r.ru_utime, "sys": r.ru_stime,
                  "maxRssMB": r.ru_maxrss / 1024, "stderr": p.stderr.decode(errors="replace")[-400:]}))
`;

/** Runs argv[0] with argv[1..] and returns {status, wall, user, sys, cpu, maxRssMB}. */
export function measure(argv, { stdout = '/dev/null', env } = {}) {
  const r = spawnSync('python3', ['-c', MEASURE, stdout, ...argv], { encoding: 'utf8', env: env ?? process.env, maxBuffer: 1 << 20 });
  if (r.status !== 0) throw new Error(`measure failed: ${r.stderr}`);
  const m = JSON.parse(r.stdout.trim().split('\n').pop());
  m.cpu = m.user + m.sys;
  return m;
}

/** Best (lowest wall time) of `runs` measurements: the machines are shared and noisy. */
export function bestOf(runs, argv, opts) {
  let best;
  for (let i = 0; i < runs; i++) {
    const m = measure(argv, opts);
    if (m.status !== 0) throw new Error(`${argv.join(' ')} exited ${m.status}: ${m.stderr}`);
    if (!best || m.wall < best.wall) best = m;
  }
  return best;
}

export function have(cmd) {
  return spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;
}

export function fmt(n, digits = 2) {
  return Number.isFinite(n) ? n.toFixed(digits) : String(n);
}

export function row(cells, widths) {
  return cells.map((c, i) => String(c).padEnd(widths[i] ?? 12)).join(' ');
}

export { existsSync };
