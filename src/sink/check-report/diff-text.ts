/**
 * `zsniff check` for people: one line per capture, and under a failing one
 * the differences a reviewer needs, e.g.
 *
 *   FAIL fixtures/tcp-loss.pcap (2 differences)
 *        tcp.streams[2].counts.retransmission: 3 -> 5 (+2)
 *        events.tcp.retransmission: [4, 9, 12] -> [4, 9, 12, 15, 16] (added 15, 16)
 */
import { Chalk, type ChalkInstance } from 'chalk';
import type { CaptureCheck, CheckResult } from '../../check/check-result.js';
import type { JsonValue } from '../../check/json-value.js';
import type { SnapshotDifference } from '../../check/snapshot-diff.js';

const MAX_VALUE_TEXT = 100;

function valueText(v: JsonValue | undefined): string {
  if (v === undefined) return '(absent)';
  const s = Array.isArray(v) && v.every((x) => x === null || typeof x !== 'object')
    ? `[${v.map((x) => JSON.stringify(x)).join(', ')}]` : JSON.stringify(v);
  return s.length > MAX_VALUE_TEXT ? `${s.slice(0, MAX_VALUE_TEXT - 1)}…` : s;
}

/** Enough digits to show a difference between floats, without float noise. */
function numberText(n: number): string {
  return String(Number(n.toPrecision(10)));
}

function signed(n: number): string {
  return `${n > 0 ? '+' : n < 0 ? '-' : '±'}${numberText(Math.abs(n))}`;
}

function listChange(e: JsonValue[], a: JsonValue[]): string {
  const key = (x: JsonValue): string => JSON.stringify(x);
  const before = new Map<string, number>();
  for (const x of e) before.set(key(x), (before.get(key(x)) ?? 0) + 1);
  const added: string[] = [];
  for (const x of a) {
    const k = key(x);
    const n = before.get(k) ?? 0;
    if (n > 0) before.set(k, n - 1);
    else added.push(k);
  }
  const removed: string[] = [];
  for (const [k, n] of before) for (let i = 0; i < n; i++) removed.push(k);
  const parts: string[] = [];
  if (added.length) parts.push(`added ${added.join(', ')}`);
  if (removed.length) parts.push(`removed ${removed.join(', ')}`);
  return parts.length ? parts.join('; ') : 'reordered';
}

/** One difference as plain text: `path: expected -> actual (+delta, +rel%)`. */
export function differenceText(d: SnapshotDifference): string {
  if (d.change === 'added') return `${d.path}: added ${valueText(d.actual)}`;
  if (d.change === 'removed') return `${d.path}: removed (was ${valueText(d.expected)})`;
  let how = '';
  if (typeof d.expected === 'number' && typeof d.actual === 'number') {
    const delta = d.actual - d.expected;
    const integers = Number.isInteger(d.expected) && Number.isInteger(d.actual);
    const pct = d.expected !== 0 ? (delta / Math.abs(d.expected)) * 100 : 0;
    // Small relative changes keep two significant digits rather than rounding to a misleading 0%.
    const pctShown = Math.abs(pct) >= 0.1 ? Math.round(pct * 10) / 10 : Number(pct.toPrecision(2));
    const rel = !integers && d.expected !== 0 ? `, ${signed(pctShown)}%` : '';
    how = ` (${signed(delta)}${rel})`;
  } else if (Array.isArray(d.expected) && Array.isArray(d.actual)) {
    how = ` (${listChange(d.expected, d.actual)})`;
  }
  const within = d.tolerance ? (d.tolerated ? ` [within ${d.tolerance}]` : ` [exceeds ${d.tolerance}]`) : '';
  return `${d.path}: ${valueText(d.expected)} -> ${valueText(d.actual)}${how}${within}`;
}

/** The lines for one capture (no trailing newline on the last). */
export function captureCheckText(c: CaptureCheck, chalk: ChalkInstance): string[] {
  const failures = c.differences.filter((d) => !d.tolerated);
  const tolerated = c.differences.length - failures.length;
  const withinNote = tolerated > 0 ? chalk.dim(` (${tolerated} within tolerance)`) : '';
  switch (c.status) {
    case 'ok': return [`${chalk.green('ok  ')} ${c.capture}${withinNote}`];
    case 'unchanged': return [`${chalk.dim('unchanged')} ${c.snapshot}`];
    case 'created': return [`${chalk.green('created')}   ${c.snapshot}`];
    case 'updated': return [`${chalk.yellow('updated')}   ${c.snapshot}`, ...c.differences.map((d) => `     ${chalk.dim(differenceText(d))}`)];
    case 'missing': return [`${chalk.red('FAIL')} ${c.capture}: ${c.message ?? 'no snapshot'}`];
    case 'error': return [`${chalk.red.bold('ERROR')} ${c.capture}: ${c.message ?? 'unreadable'}`];
    case 'differs': {
      const n = failures.length;
      const lines = [`${chalk.red('FAIL')} ${c.capture} (${n} difference${n === 1 ? '' : 's'} from ${c.snapshot})${withinNote}`];
      for (const d of c.differences) {
        const text = differenceText(d);
        lines.push(`     ${d.tolerated ? chalk.dim(text) : colourDifference(d, text, chalk)}`);
      }
      return lines;
    }
  }
}

function colourDifference(d: SnapshotDifference, text: string, chalk: ChalkInstance): string {
  if (d.change === 'added') return chalk.green(text);
  if (d.change === 'removed') return chalk.red(text);
  const colon = text.indexOf(': ');
  return `${chalk.bold(text.slice(0, colon))}${text.slice(colon)}`;
}

/** The closing lines: a tally, and what to do when something failed. */
export function checkTallyText(r: CheckResult, chalk: ChalkInstance): string {
  const s = r.summary;
  const counts: (readonly [string, number])[] = r.update
    ? [['created', s.created], ['updated', s.updated], ['unchanged', s.unchanged], ['unreadable', s.errors]]
    : [['ok', s.ok], ['differ', s.differs], ['without snapshot', s.missing], ['unreadable', s.errors]];
  const parts = counts.filter(([, n]) => n > 0).map(([k, n]) => `${n} ${k}`);
  const tally = `${s.captures} capture${s.captures === 1 ? '' : 's'}: ${parts.join(', ') || 'nothing to do'}`;
  const lines = [r.ok ? chalk.green(tally) : chalk.red(tally)];
  if (!r.update && s.differs + s.missing > 0) {
    lines.push(chalk.dim('If the new analysis is right: zsniff check --update, then review the snapshot diff.'));
  }
  return `${lines.join('\n')}\n`;
}

/** The whole human report: every capture, then the tally. */
export function checkResultText(r: CheckResult, color: boolean): string {
  const chalk = new Chalk({ level: color ? 1 : 0 });
  const lines: string[] = [];
  for (const c of r.captures) lines.push(...captureCheckText(c, chalk));
  return `${lines.join('\n')}\n${checkTallyText(r, chalk)}`;
}
