/**
 * Which captures `zsniff check` looks at, and where each one's snapshot is.
 * The order is by path (code-point order of the '/'-separated relative path),
 * so results never depend on the file system's listing order.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

/** Files taken from folders; a file named explicitly is taken whatever its name. */
const CAPTURE_NAME = /\.(pcap|pcapng|cap|gz)$/i;
const CAPTURE_EXTENSION = /\.(pcap|pcapng|cap)$/i;
export const SNAPSHOT_SUFFIX = '.expect.json';

export interface CaptureEntry {
  /** Absolute path of the capture. */
  file: string;
  /** Absolute path of its snapshot. */
  snapshotFile: string;
  /** Path relative to the working directory, '/'-separated: what is printed and sorted. */
  capture: string;
  snapshot: string;
}

/** A path given to check that does not exist: a usage error. */
export class CheckInputError extends Error {
  override name = 'CheckInputError';
}

/** `NAME.pcap`, `NAME.pcapng`, `NAME.pcap.gz`, `NAME.gz`, `NAME.cap` -> `NAME.expect.json`. */
export function snapshotPathFor(capture: string): string {
  let base = capture.replace(/\.gz$/i, '');
  if (CAPTURE_EXTENSION.test(base)) base = base.replace(CAPTURE_EXTENSION, '');
  else if (base === capture) base = base.replace(/\.[^./\\]+$/, '');
  return `${base}${SNAPSHOT_SUFFIX}`;
}

function displayPath(abs: string, cwd: string): string {
  const rel = path.relative(cwd, abs);
  const shown = rel === '' || rel.startsWith('..') || path.isAbsolute(rel) ? abs : rel;
  return shown.split(path.sep).join('/');
}

function walk(dir: string, out: string[]): void {
  const entries = fs.readdirSync(dir, { withFileTypes: true });
  for (const e of entries) {
    if (e.name.startsWith('.') || e.name === 'node_modules') continue;
    const full = path.join(dir, e.name);
    if (e.isDirectory()) walk(full, out);
    else if (e.isFile() && CAPTURE_NAME.test(e.name)) out.push(full);
  }
}

/** Captures in the given files and folders (recursively), deduplicated and sorted. */
export function discoverCaptures(paths: readonly string[], cwd: string = process.cwd()): CaptureEntry[] {
  const files = new Set<string>();
  for (const p of paths) {
    const abs = path.resolve(cwd, p);
    let st: fs.Stats;
    try {
      st = fs.statSync(abs);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      throw new CheckInputError(`${p}: ${code === 'ENOENT' ? 'no such file or directory' : (err as Error).message}`);
    }
    if (st.isDirectory()) {
      const found: string[] = [];
      walk(abs, found);
      for (const f of found) files.add(f);
    } else {
      files.add(abs);
    }
  }
  const entries = [...files].map((file): CaptureEntry => {
    const snapshotFile = snapshotPathFor(file);
    return { file, snapshotFile, capture: displayPath(file, cwd), snapshot: displayPath(snapshotFile, cwd) };
  });
  return entries.sort((x, y) => (x.capture < y.capture ? -1 : x.capture > y.capture ? 1 : 0));
}
