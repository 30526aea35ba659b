/**
 * Whether standard output or error is a terminal, and how wide, without
 * creating process.stdout or process.stderr when the descriptor cannot be
 * one. Creating them loads Node's stream modules (for a pipe, its socket
 * modules too): milliseconds of every short run, while zsniff writes its
 * output with fs.writeSync and needs the stream only to ask a terminal its
 * size. A terminal is a character device; of those, /dev/null is common and
 * known not to be one. Anything else is left to the stream to decide.
 */
import * as fs from 'node:fs';

type StdFd = 1 | 2;

let devNullRdev: number | null | undefined;

function mayBeTerminal(fd: StdFd): boolean {
  let st: fs.Stats;
  try {
    st = fs.fstatSync(fd);
  } catch {
    return true;
  }
  if (!st.isCharacterDevice()) return false;
  if (devNullRdev === undefined) {
    try {
      devNullRdev = fs.statSync('/dev/null').rdev;
    } catch {
      devNullRdev = null;
    }
  }
  return st.rdev !== devNullRdev;
}

function stream(fd: StdFd): NodeJS.WriteStream {
  return fd === 1 ? process.stdout : process.stderr;
}

/** What `process.stdout.isTTY` (fd 1) or `process.stderr.isTTY` (fd 2) says, as a boolean. */
export function isTerminal(fd: StdFd): boolean {
  return mayBeTerminal(fd) && Boolean(stream(fd).isTTY);
}

/** What the stream's `columns` says: the terminal's width, undefined when fd is not a terminal. */
export function terminalColumns(fd: StdFd): number | undefined {
  return mayBeTerminal(fd) ? stream(fd).columns : undefined;
}
