/**
 * The outcome of `zsniff check`, as `check()` returns it and `--json`
 * prints it. Deterministic: sorted by capture path, no timings, paths
 * relative to the working directory with '/' separators.
 */
import type { SnapshotDifference } from './snapshot-diff.js';

export const CHECK_RESULT_FORMAT = 1;

/**
 * - `ok`: matches the snapshot (perhaps within tolerances)
 * - `differs`: does not match
 * - `missing`: no snapshot yet (a failure; `--update` creates it)
 * - `error`: the capture or its snapshot cannot be read
 * - `created`, `updated`, `unchanged`: what `--update` did
 */
export type CaptureCheckStatus = 'ok' | 'differs' | 'missing' | 'error' | 'created' | 'updated' | 'unchanged';

export interface CaptureCheck {
  capture: string;
  snapshot: string;
  status: CaptureCheckStatus;
  /** Every difference found (tolerated ones too); empty when none or when not compared. */
  differences: SnapshotDifference[];
  /** Why the check could not run (status `error`), or what to do (status `missing`). */
  message?: string;
}

export interface CheckSummary {
  captures: number;
  ok: number;
  differs: number;
  missing: number;
  errors: number;
  created: number;
  updated: number;
  unchanged: number;
}

export interface CheckResult {
  format: number;
  /** True when every capture matched (or, with update, every snapshot was written). */
  ok: boolean;
  /** 0 all matched; 1 some differ or lack a snapshot; 2 some capture or snapshot is unreadable. */
  exitCode: 0 | 1 | 2;
  update: boolean;
  summary: CheckSummary;
  captures: CaptureCheck[];
}

export function summarize(captures: readonly CaptureCheck[], update: boolean): CheckResult {
  const summary: CheckSummary = { captures: captures.length, ok: 0, differs: 0, missing: 0, errors: 0, created: 0, updated: 0, unchanged: 0 };
  for (const c of captures) {
    if (c.status === 'error') summary.errors++;
    else summary[c.status]++;
  }
  const exitCode = summary.errors > 0 ? 2 : summary.differs + summary.missing > 0 ? 1 : 0;
  return { format: CHECK_RESULT_FORMAT, ok: exitCode === 0, exitCode, update, summary, captures: [...captures] };
}
