// tshark as the oracle: the frames it flags with each tcp.analysis.* field,
// next to the frames zsniff reports, and precision/recall per flag.
import { execFileSync, spawn } from 'node:child_process';
import { openCapture } from '../../dist/source/capture-file.js';
import { analyzeCapture } from '../../dist/analyze/index.js';

export const FLAGS = ['retransmission', 'fast_retransmission', 'spurious_retransmission', 'out_of_order', 'lost_segment',
  'ack_lost_segment', 'duplicate_ack', 'zero_window', 'zero_window_probe', 'zero_window_probe_ack', 'window_full',
  'window_update', 'keep_alive', 'keep_alive_ack', 'reused_ports'];
/** The flags the correctness target names (>= 99% precision and recall). */
export const MAIN_FLAGS = ['retransmission', 'fast_retransmission', 'spurious_retransmission', 'out_of_order', 'lost_segment', 'duplicate_ack'];

export function haveTshark() {
  try { execFileSync('tshark', ['--version'], { stdio: 'ignore' }); return true; } catch { return false; }
}

/** {flag -> Set(frame)} and {frame -> stream} as tshark sees them (default preferences). */
export function tsharkFlags(file) {
  const out = execFileSync('tshark', tsharkArgs(file), { stdio: ['ignore', 'pipe', 'ignore'], maxBuffer: 1 << 30 }).toString();
  return parseTshark(out);
}

/** One line per TCP frame: its number, its stream and one column per flag. */
function tsharkArgs(file) {
  const args = ['-r', file, '-Y', 'tcp', '-T', 'fields', '-E', 'separator=|', '-e', 'frame.number', '-e', 'tcp.stream'];
  for (const f of FLAGS) args.push('-e', `tcp.analysis.${f}`);
  return args;
}

function parseTshark(out) {
  const flags = new Map(FLAGS.map((f) => [f, new Set()]));
  const streams = new Map();
  for (const line of out.split('\n')) {
    if (!line) continue;
    const cols = line.split('|');
    const frame = Number(cols[0]);
    if (cols[1] !== '' && !cols[1].includes(',')) streams.set(frame, Number(cols[1]));
    FLAGS.forEach((f, i) => { if (cols[i + 2] !== '') flags.get(f).add(frame); });
  }
  return { flags, streams };
}

/** The same from zsniff's analysis. */
export async function zsniffFlags(file, options = {}) {
  const { report } = await analyzeCapture(openCapture(file), { maxEvents: Infinity, ...options });
  const flags = new Map(FLAGS.map((f) => [f, new Set()]));
  const streams = new Map();
  for (const e of report.events) {
    const f = e.kind.slice(4);
    if (flags.has(f)) { flags.get(f).add(e.frame); streams.set(e.frame, e.stream); }
  }
  return { flags, streams, report };
}

/** Adds one file's comparison to running totals: {flag -> {tp, zs, ts, fp:[], fn:[]}}. */
export function accumulate(totals, file, zs, ts) {
  for (const f of FLAGS) {
    const t = totals[f] ??= { tp: 0, zs: 0, ts: 0, fp: [], fn: [] };
    const a = zs.flags.get(f), b = ts.flags.get(f);
    for (const x of a) { if (b.has(x)) t.tp++; else if (t.fp.length < 10) t.fp.push(`${file}#${x}`); }
    for (const x of b) if (!a.has(x) && t.fn.length < 10) t.fn.push(`${file}#${x}`);
    t.zs += a.size; t.ts += b.size;
  }
  // Stream numbers of flagged frames must agree too (tcp.stream).
  let streamMismatches = 0;
  for (const [frame, s] of zs.streams) if (ts.streams.has(frame) && ts.streams.get(frame) !== s) streamMismatches++;
  totals.streamMismatches = (totals.streamMismatches ?? 0) + streamMismatches;
  return totals;
}

export function precisionRecall(t) {
  return { precision: t.zs === 0 ? 1 : t.tp / t.zs, recall: t.ts === 0 ? 1 : t.tp / t.ts };
}

export function table(totals) {
  const lines = ['flag                        zsniff  tshark   agree  precision  recall'];
  for (const f of FLAGS) {
    const t = totals[f];
    if (!t || (t.zs === 0 && t.ts === 0)) continue;
    const { precision, recall } = precisionRecall(t);
    lines.push(`${f.padEnd(26)} ${String(t.zs).padStart(7)} ${String(t.ts).padStart(7)} ${String(t.tp).padStart(7)}   ${(precision * 100).toFixed(2).padStart(7)}%  ${(recall * 100).toFixed(2).padStart(6)}%`);
  }
  return lines.join('\n');
}

/** tsharkFlags without blocking the event loop, so several captures can be compared at once. */
export function tsharkFlagsAsync(file) {
  return new Promise((resolve) => {
    const child = spawn('tshark', tsharkArgs(file), { stdio: ['ignore', 'pipe', 'ignore'] });
    const chunks = [];
    child.stdout.on('data', (c) => chunks.push(c));
    child.on('error', () => resolve(parseTshark('')));
    child.on('close', () => resolve(parseTshark(Buffer.concat(chunks).toString())));
  });
}
