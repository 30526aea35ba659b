/**
 * Per-field slack for snapshot comparison, from the config's
 * `check.tolerances`: `{ "tcp.streams[*].*.rtt.*": "20%", "**.bytes": 100 }`.
 *
 * Patterns are JSON paths anchored at the snapshot root, where `*` stands for
 * any one key or index (or part of a key: `rtt.m*`), `[*]` for any index and
 * `**` for any number of levels. The first pattern that matches a path
 * decides, so list the specific ones first.
 *
 * Tolerances: a number is an absolute amount in the field's own unit
 * (seconds for times, bytes, counts); `"20%"` is relative to the expected
 * value; `"5ms"`, `"100us"`, `"1s"` are absolute times; `"ignore"` accepts
 * any change, including the field appearing or disappearing.
 */
import type { PathSegment } from './json-value.js';

export type ToleranceSpec = number | string;

export interface Tolerance {
  /** The pattern as written in the config. */
  pattern: string;
  kind: 'absolute' | 'relative' | 'ignore';
  /** Absolute amount, or the fraction for relative (0.2 for 20%). */
  amount: number;
  /** The tolerance as written: `20%`, `100`, `ignore`. */
  text: string;
}

/** A tolerance config entry that cannot be understood. */
export class ToleranceError extends Error {
  override name = 'ToleranceError';
}

type PatternToken =
  | { type: 'deep' }
  | { type: 'index'; index: number | null }
  | { type: 'key'; match: RegExp };

const TIME_UNITS: Record<string, number> = { ns: 1e-9, us: 1e-6, 'µs': 1e-6, ms: 1e-3, s: 1 };

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function parsePattern(pattern: string): PatternToken[] {
  const tokens: PatternToken[] = [];
  const re = /\[(\*|\d+|"(?:[^"\\]|\\.)*")\]|([^.[\]]+)|(\.)/gy;
  let expectKey = true;
  let m: RegExpExecArray | null;
  let pos = 0;
  while (pos < pattern.length) {
    re.lastIndex = pos;
    m = re.exec(pattern);
    if (!m) throw new ToleranceError(`tolerance pattern '${pattern}': cannot read it at '${pattern.slice(pos)}'`);
    pos = re.lastIndex;
    if (m[3]) {
      if (expectKey) throw new ToleranceError(`tolerance pattern '${pattern}': empty name before '.' (use * or ** for any)`);
      expectKey = true;
      continue;
    }
    if (m[1] !== undefined) {
      const inner = m[1];
      if (inner === '*') tokens.push({ type: 'index', index: null });
      else if (inner.startsWith('"')) tokens.push({ type: 'key', match: new RegExp(`^${escapeRegExp(JSON.parse(inner) as string)}$`) });
      else tokens.push({ type: 'index', index: Number(inner) });
      expectKey = false;
      continue;
    }
    if (!expectKey) throw new ToleranceError(`tolerance pattern '${pattern}': missing '.' before '${m[2]}'`);
    const word = m[2]!;
    if (word === '**') tokens.push({ type: 'deep' });
    else tokens.push({ type: 'key', match: new RegExp(`^${word.split('*').map(escapeRegExp).join('.*')}$`) });
    expectKey = false;
  }
  if (tokens.length === 0) throw new ToleranceError('tolerance pattern is empty');
  if (expectKey) throw new ToleranceError(`tolerance pattern '${pattern}' ends with '.'`);
  return tokens;
}

function tokenMatches(t: PatternToken, seg: PathSegment): boolean {
  if (t.type === 'index') return typeof seg === 'number' && (t.index === null || t.index === seg);
  if (t.type === 'key') return typeof seg === 'string' ? t.match.test(seg) : t.match.source === '^.*$';
  return true;
}

function matchFrom(tokens: readonly PatternToken[], ti: number, path: readonly PathSegment[], pi: number): boolean {
  if (ti === tokens.length) return pi === path.length;
  const t = tokens[ti]!;
  if (t.type === 'deep') {
    for (let skip = pi; skip <= path.length; skip++) if (matchFrom(tokens, ti + 1, path, skip)) return true;
    return false;
  }
  return pi < path.length && tokenMatches(t, path[pi]!) && matchFrom(tokens, ti + 1, path, pi + 1);
}

function parseAmount(pattern: string, spec: ToleranceSpec): Omit<Tolerance, 'pattern'> {
  if (typeof spec === 'number') {
    if (!Number.isFinite(spec) || spec < 0) throw new ToleranceError(`tolerance for '${pattern}' must be a number >= 0, not ${spec}`);
    return { kind: 'absolute', amount: spec, text: String(spec) };
  }
  if (typeof spec !== 'string') throw new ToleranceError(`tolerance for '${pattern}' must be a number or a string like "20%", "5ms", "ignore"`);
  const text = spec.trim();
  if (text === 'ignore') return { kind: 'ignore', amount: Infinity, text };
  const m = /^(\d+(?:\.\d*)?|\.\d+)\s*(%|ns|us|µs|ms|s)?$/.exec(text);
  if (!m) throw new ToleranceError(`tolerance for '${pattern}': '${spec}' is not a number, a percentage ("20%"), a time ("5ms") or "ignore"`);
  const n = Number(m[1]);
  if (m[2] === '%') return { kind: 'relative', amount: n / 100, text };
  return { kind: 'absolute', amount: m[2] ? n * TIME_UNITS[m[2]]! : n, text };
}

/** The tolerances of a config, ready to be asked about paths. */
export class ToleranceRules {
  private readonly rules: { tokens: PatternToken[]; tolerance: Tolerance }[];

  constructor(spec: Readonly<Record<string, ToleranceSpec>> = {}) {
    this.rules = Object.entries(spec).map(([pattern, amount]) => ({
      tokens: parsePattern(pattern),
      tolerance: { pattern, ...parseAmount(pattern, amount) },
    }));
  }

  get size(): number {
    return this.rules.length;
  }

  /** The first tolerance whose pattern matches the path, or null. */
  find(path: readonly PathSegment[]): Tolerance | null {
    for (const r of this.rules) if (matchFrom(r.tokens, 0, path, 0)) return r.tolerance;
    return null;
  }
}

/** Whether a numeric change stays within the tolerance. */
export function withinTolerance(t: Tolerance, expected: number, actual: number): boolean {
  if (t.kind === 'ignore') return true;
  const diff = Math.abs(actual - expected);
  // A hair of slack so that 0.1 + 0.2-style float error never fails a boundary.
  const slack = 1e-12 * Math.max(1, Math.abs(expected));
  if (t.kind === 'absolute') return diff <= t.amount + slack;
  return diff <= t.amount * Math.abs(expected) + slack;
}
