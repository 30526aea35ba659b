/**
 * One capture to one snapshot, through the library's `analyze` (the same
 * report `zsniff analyze --json` prints). Runs in a worker thread or inline.
 */
import { analyze } from '../api.js';
import { CaptureFormatError } from '../source/packet-record.js';
import { SnapshotBuilder, type Snapshot } from './snapshot.js';

export type SnapshotOutcome =
  | { ok: true; snapshot: Snapshot }
  /** `message` does not repeat the file name: the caller prints it beside the path it shows. */
  | { ok: false; message: string };

const builder = new SnapshotBuilder();

export async function snapshotCapture(file: string, analyzeOptions: Record<string, unknown> = {}): Promise<SnapshotOutcome> {
  try {
    const report = await analyze(file, { options: analyzeOptions });
    return { ok: true, snapshot: builder.build(report) };
  } catch (err) {
    return { ok: false, message: errorText(err) };
  }
}

function errorText(err: unknown): string {
  if (err instanceof CaptureFormatError) return `packet ${err.frame} at byte offset ${err.fileOffset}: ${err.reason}`;
  const e = err as NodeJS.ErrnoException;
  if (e && typeof e.code === 'string') {
    const known: Record<string, string> = { ENOENT: 'no such file', EACCES: 'permission denied', EISDIR: 'is a directory' };
    return known[e.code] ?? e.message;
  }
  return `internal error: ${err instanceof Error ? err.message : String(err)}`;
}
