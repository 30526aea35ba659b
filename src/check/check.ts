/**
 * `check(paths)`: analyse every capture and compare it with its snapshot
 * (`NAME.expect.json`), or write the snapshots with `update: true`. What
 * `zsniff check` runs, and what `zsniff check --json` prints.
 */
import * as fs from 'node:fs';
import { diffSnapshots } from './snapshot-diff.js';
import { serializeSnapshot, SNAPSHOT_FORMAT, type Snapshot } from './snapshot.js';
import { ToleranceRules, type ToleranceSpec } from './tolerance.js';
import { summarize, type CaptureCheck, type CheckResult } from './check-result.js';
import { isJsonObject, type JsonValue } from './json-value.js';
import { checkAnalyzeOptions, loadConfig } from './config.js';
import { discoverCaptures, type CaptureEntry } from './discover.js';
import { defaultWorkerCount, SnapshotPool } from './snapshot-pool.js';
import type { SnapshotOutcome } from './snapshot-capture.js';

export interface CheckOptions {
  /**
   * Read tolerances and analysis options from a config as the CLI does: `true`
   * for the nearest zsniff.config.json (or package.json "zsniff") from `cwd`
   * upward, or a file name. `tolerances` and `analyzeOptions` given here win.
   */
  config?: boolean | string;
  /** Write snapshots instead of comparing (created / updated / unchanged). */
  update?: boolean;
  /** Per-field tolerances: `{ "tcp.streams[*].*.rtt.*": "20%" }` (see ToleranceRules). */
  tolerances?: Readonly<Record<string, ToleranceSpec>> | ToleranceRules;
  /** Section options for the analysis, e.g. `{ esp: { secrets } }`; sent to worker threads, so plain data. */
  analyzeOptions?: Record<string, unknown>;
  /** Worker threads (default min(2, available cores)); 0 analyses in this thread. */
  workers?: number;
  /** Base for relative paths, given and shown (default process.cwd()). */
  cwd?: string;
  /** Called for each capture as soon as it and every capture before it (in path order) are done. */
  onCapture?: (result: CaptureCheck) => void;
}

const MISSING_HINT = 'run zsniff check --update to create it';

function readSnapshotText(file: string): string | null {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}

function parseSnapshot(text: string): JsonValue {
  const value = JSON.parse(text) as JsonValue;
  if (!isJsonObject(value)) throw new SyntaxError('not a JSON object');
  return value;
}

function judge(entry: CaptureEntry, outcome: SnapshotOutcome, rules: ToleranceRules, update: boolean, shared: boolean): CaptureCheck {
  const base = { capture: entry.capture, snapshot: entry.snapshot, differences: [] };
  if (shared) return { ...base, status: 'error', message: `another capture has the same snapshot name ${entry.snapshot}; rename one` };
  if (!outcome.ok) return { ...base, status: 'error', message: outcome.message };
  const actual: Snapshot = outcome.snapshot;
  const text = serializeSnapshot(actual);
  let existing: string | null;
  try {
    existing = readSnapshotText(entry.snapshotFile);
  } catch (err) {
    return { ...base, status: 'error', message: `cannot read ${entry.snapshot}: ${(err as Error).message}` };
  }
  if (update) {
    if (existing === text) return { ...base, status: 'unchanged' };
    let differences: CaptureCheck['differences'] = [];
    if (existing !== null) {
      try { differences = diffSnapshots(parseSnapshot(existing), actual).differences; } catch { /* an unreadable old snapshot is simply replaced */ }
    }
    try {
      fs.writeFileSync(entry.snapshotFile, text);
    } catch (err) {
      return { ...base, status: 'error', message: `cannot write ${entry.snapshot}: ${(err as Error).message}` };
    }
    return { ...base, status: existing === null ? 'created' : 'updated', differences };
  }
  if (existing === null) return { ...base, status: 'missing', message: `no snapshot ${entry.snapshot}; ${MISSING_HINT}` };
  let expected: JsonValue;
  try {
    expected = parseSnapshot(existing);
  } catch (err) {
    return { ...base, status: 'error', message: `bad snapshot ${entry.snapshot}: ${(err as Error).message}` };
  }
  const format = isJsonObject(expected) ? expected.format : undefined;
  if (format !== SNAPSHOT_FORMAT) {
    // A different shape would diff as noise everywhere; one line says what to do.
    return {
      ...base, status: 'differs',
      differences: [{ path: 'format', change: 'changed', expected: format ?? null, actual: SNAPSHOT_FORMAT, tolerated: false }],
      message: `snapshot format ${String(format)} is not ${SNAPSHOT_FORMAT}; ${MISSING_HINT.replace('create', 'rewrite')}`,
    };
  }
  const diff = diffSnapshots(expected, actual, rules);
  return { ...base, status: diff.failures > 0 ? 'differs' : 'ok', differences: diff.differences };
}

/**
 * Checks the captures found in `paths` (files and folders, recursively;
 * default `fixtures`). Throws CheckInputError for a path that does not exist
 * and ConfigError for a bad config; everything about individual captures is
 * in the result.
 */
export async function check(paths: readonly string[] = ['fixtures'], options: CheckOptions = {}): Promise<CheckResult> {
  const cwd = options.cwd ?? process.cwd();
  const update = Boolean(options.update);
  const loaded = options.config === undefined || options.config === false ? null
    : loadConfig(options.config === true ? undefined : options.config, cwd).config;
  const tolerances = options.tolerances ?? loaded?.check.tolerances ?? {};
  const rules = tolerances instanceof ToleranceRules ? tolerances : new ToleranceRules(tolerances);
  const analyzeOptions = options.analyzeOptions ?? (loaded ? checkAnalyzeOptions(loaded) : {});
  const entries = discoverCaptures(paths.length > 0 ? paths : ['fixtures'], cwd);

  const bySnapshot = new Map<string, number>();
  for (const e of entries) bySnapshot.set(e.snapshotFile, (bySnapshot.get(e.snapshotFile) ?? 0) + 1);

  const workers = entries.length <= 1 ? 0 : Math.max(0, Math.min(options.workers ?? defaultWorkerCount(), entries.length));
  const pool = new SnapshotPool(workers, analyzeOptions);
  const results: (CaptureCheck | undefined)[] = new Array(entries.length);
  let reported = 0;
  // Report in path order whatever the completion order, so output is the same on every run.
  const flush = (): void => {
    while (reported < results.length && results[reported] !== undefined) {
      const done = results[reported++]!;
      if (options.onCapture) options.onCapture(done);
    }
  };
  try {
    await Promise.all(entries.map(async (entry, i) => {
      const outcome = await pool.snapshot(entry.file);
      results[i] = judge(entry, outcome, rules, update, bySnapshot.get(entry.snapshotFile)! > 1);
      flush();
    }));
  } finally {
    await pool.close();
  }
  return summarize(results as CaptureCheck[], update);
}
