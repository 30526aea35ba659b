#!/usr/bin/env node
// Frame-by-frame comparison of zsniff's TCP expert flags with tshark's, over
// any folders or files of captures: `npm run oracle -- DIR [DIR...]`.
//
// Prints, per flag, how many frames each tool flagged, how many agree, and
// precision and recall (tshark is the reference), then every capture that
// disagrees with the frames concerned, so a difference can be opened in
// Wireshark at once. Needs tshark (Wireshark 4.0 is what the rules follow).
//
//   --jobs N        captures compared at once (default: the number of cores)
//   --sample N      every Nth capture only (sorted by path), for a quick look
//   --json FILE     also write the totals and per-capture differences as JSON
//   --quiet         the table only
//
// Exit code: 0 when every flag tshark reports has precision and recall of at
// least --min (default 0.995), 1 otherwise, 2 on a usage error.
import { readdirSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { availableParallelism } from 'node:os';
import { accumulate, FLAGS, haveTshark, precisionRecall, table, tsharkFlagsAsync, zsniffFlags } from '../test/helpers/tcp-oracle.js';

const CAPTURE = /\.(pcap|pcapng|cap|pcap\.gz|pcapng\.gz)$/i;

function usage(msg) {
  process.stderr.write(`oracle: ${msg}\nusage: npm run oracle -- [--jobs N] [--sample N] [--min R] [--json FILE] [--quiet] DIR|FILE...\n`);
  process.exit(2);
}

const args = process.argv.slice(2);
const paths = [];
let jobs = availableParallelism(), sample = 1, min = 0.995, jsonOut = null, quiet = false;
for (let i = 0; i < args.length; i++) {
  const a = args[i];
  const num = () => { const v = Number(args[++i]); if (!(v > 0)) usage(`${a} needs a positive number`); return v; };
  if (a === '--jobs') jobs = num();
  else if (a === '--sample') sample = num();
  else if (a === '--min') min = num();
  else if (a === '--json') jsonOut = args[++i] ?? usage('--json needs a file');
  else if (a === '--quiet') quiet = true;
  else if (a === '--help' || a === '-h') usage('compare TCP expert flags with tshark, frame by frame');
  else if (a.startsWith('-')) usage(`unknown option ${a}`);
  else paths.push(a);
}
if (paths.length === 0) usage('name at least one folder or capture');
if (!haveTshark()) usage('tshark is not installed (apt-get install -y tshark): it is the oracle');

/** Capture files under the given paths, sorted, so runs are repeatable. */
function listCaptures(roots) {
  const out = [];
  const walk = (p) => {
    let st;
    try { st = statSync(p); } catch { usage(`${p}: no such file or folder`); }
    if (st.isDirectory()) for (const name of readdirSync(p)) walk(join(p, name));
    else if (CAPTURE.test(p) || roots.includes(p)) out.push(p);
  };
  for (const r of roots) walk(r);
  return out.sort();
}

const files = listCaptures(paths).filter((_, i) => i % sample === 0);
const totals = {};
const differing = [];
let next = 0, done = 0, unreadable = 0;

async function compareOne(file) {
  const [zs, ts] = await Promise.all([zsniffFlags(file, { partial: true }).catch(() => null), tsharkFlagsAsync(file)]);
  if (zs === null) { unreadable++; return; }
  const diff = {};
  for (const f of FLAGS) {
    const a = zs.flags.get(f), b = ts.flags.get(f);
    const only = { zsniff: [...a].filter((x) => !b.has(x)), tshark: [...b].filter((x) => !a.has(x)) };
    if (only.zsniff.length || only.tshark.length) diff[f] = only;
  }
  accumulate(totals, relative(process.cwd(), file), zs, ts);
  if (Object.keys(diff).length) differing.push({ file: relative(process.cwd(), file), diff });
}

async function worker() {
  while (next < files.length) {
    const file = files[next++];
    await compareOne(file);
    done++;
    if (!quiet && process.stderr.isTTY) process.stderr.write(`\r${done}/${files.length}`);
  }
}
await Promise.all(Array.from({ length: Math.min(jobs, files.length) }, worker));
if (!quiet && process.stderr.isTTY) process.stderr.write('\n');

for (const f of FLAGS) totals[f] ??= { tp: 0, zs: 0, ts: 0, fp: [], fn: [] };
console.log(`${files.length} captures${unreadable ? ` (${unreadable} zsniff could not open)` : ''}, tshark as the reference`);
console.log(table(totals));
console.log(`stream number mismatches on flagged frames: ${totals.streamMismatches ?? 0}`);
console.log(`captures that disagree somewhere: ${differing.length}`);
if (!quiet) {
  differing.sort((x, y) => (x.file < y.file ? -1 : 1));
  for (const { file, diff } of differing) {
    const parts = Object.entries(diff).map(([f, o]) =>
      `${f}${o.zsniff.length ? ` zsniff-only ${o.zsniff.slice(0, 8).join(',')}${o.zsniff.length > 8 ? '...' : ''}` : ''}` +
      `${o.tshark.length ? ` tshark-only ${o.tshark.slice(0, 8).join(',')}${o.tshark.length > 8 ? '...' : ''}` : ''}`);
    console.log(`  ${file}: ${parts.join('; ')}`);
  }
}
if (jsonOut) {
  const summary = Object.fromEntries(FLAGS.map((f) => [f, { zsniff: totals[f].zs, tshark: totals[f].ts, agree: totals[f].tp, ...precisionRecall(totals[f]) }]));
  writeFileSync(jsonOut, JSON.stringify({ captures: files.length, unreadable, flags: summary, differing }, null, 1));
}
const failing = FLAGS.filter((f) => totals[f].ts > 0 || totals[f].zs > 0)
  .filter((f) => { const { precision, recall } = precisionRecall(totals[f]); return precision < min || recall < min; });
if (failing.length) console.log(`below ${min}: ${failing.join(', ')}`);
process.exitCode = failing.length ? 1 : 0;
