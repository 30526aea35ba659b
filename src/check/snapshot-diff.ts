/**
 * What changed between an expected and an actual snapshot, path by path,
 * with the tolerances of the config applied.
 *
 * Two rules make diffs read well: within an object named `counts` (or
 * `ahCounts`) an absent kind is 0, so a new finding shows as `0 -> 2 (+2)`;
 * and a list of plain values (frame numbers) is one difference, described
 * by what was added and removed, not index by index.
 */
import { formatJsonPath, isJsonObject, type JsonValue, type PathSegment } from './json-value.js';
import { ToleranceRules, withinTolerance } from './tolerance.js';

type DifferenceKind = 'changed' | 'added' | 'removed';

export interface SnapshotDifference {
  /** `tcp.streams[2].counts.retransmission` */
  path: string;
  change: DifferenceKind;
  /** Absent for `added`. */
  expected?: JsonValue;
  /** Absent for `removed`. */
  actual?: JsonValue;
  /** actual - expected, for numbers. */
  delta?: number;
  /** The tolerance pattern that matched, when one did. */
  tolerance?: string;
  /** Within the tolerance: reported, but not a failure. */
  tolerated: boolean;
}

export interface SnapshotDiff {
  /** Every difference, in snapshot order; the tolerated ones included. */
  differences: SnapshotDifference[];
  /** Differences that are not tolerated. */
  failures: number;
}

const COUNT_MAPS = new Set(['counts', 'ahCounts']);

function isPlainList(v: JsonValue[]): boolean {
  return v.every((x) => x === null || typeof x !== 'object');
}

function sameValue(a: JsonValue, b: JsonValue): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Compares snapshots; `expected` is the file, `actual` what the analysis gives now. */
export function diffSnapshots(expected: JsonValue, actual: JsonValue, tolerances: ToleranceRules = new ToleranceRules()): SnapshotDiff {
  const differences: SnapshotDifference[] = [];

  const add = (path: readonly PathSegment[], change: DifferenceKind, e: JsonValue | undefined, a: JsonValue | undefined): void => {
    const d: SnapshotDifference = { path: formatJsonPath(path), change, tolerated: false };
    if (e !== undefined) d.expected = e;
    if (a !== undefined) d.actual = a;
    const t = tolerances.find(path);
    if (typeof e === 'number' && typeof a === 'number') {
      d.delta = a - e;
      if (t) { d.tolerance = `${t.pattern}: ${t.text}`; d.tolerated = withinTolerance(t, e, a); }
    } else if (t && t.kind === 'ignore') {
      d.tolerance = `${t.pattern}: ${t.text}`;
      d.tolerated = true;
    }
    differences.push(d);
  };

  const walk = (path: PathSegment[], e: JsonValue, a: JsonValue): void => {
    if (isJsonObject(e) && isJsonObject(a)) {
      const countMap = COUNT_MAPS.has(String(path[path.length - 1]));
      const keys = [...Object.keys(e)];
      for (const k of Object.keys(a)) if (!(k in e)) keys.push(k);
      for (const k of keys) {
        const inE = Object.hasOwn(e, k), inA = Object.hasOwn(a, k);
        const sub = [...path, k];
        if (inE && inA) walk(sub, e[k]!, a[k]!);
        else if (countMap) walk(sub, inE ? e[k]! : 0, inA ? a[k]! : 0);
        else if (inE) add(sub, 'removed', e[k]!, undefined);
        else add(sub, 'added', undefined, a[k]!);
      }
      return;
    }
    if (Array.isArray(e) && Array.isArray(a)) {
      if (isPlainList(e) && isPlainList(a)) {
        if (!sameValue(e, a)) add(path, 'changed', e, a);
        return;
      }
      const n = Math.max(e.length, a.length);
      for (let i = 0; i < n; i++) {
        if (i < e.length && i < a.length) walk([...path, i], e[i]!, a[i]!);
        else if (i < e.length) add([...path, i], 'removed', e[i]!, undefined);
        else add([...path, i], 'added', undefined, a[i]!);
      }
      return;
    }
    if (!sameValue(e, a)) add(path, 'changed', e, a);
  };

  walk([], expected, actual);
  return { differences, failures: differences.filter((d) => !d.tolerated).length };
}
