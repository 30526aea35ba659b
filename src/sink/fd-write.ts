/**
 * Blocking writes to a file descriptor, shared by the pcap writers and by
 * `capture -w`'s span files: a record is never half handed over without the
 * caller learning how much got out.
 */
import * as fs from 'node:fs';

/** A sleep without the event loop, for a full non-blocking pipe. */
const SLEEP_CELL = new Int32Array(new SharedArrayBuffer(4));

/** A write that failed after `written` of its bytes reached the descriptor. */
export class ShortWriteError extends Error {
  constructor(readonly error: NodeJS.ErrnoException, readonly written: number) {
    super(error.message);
  }
}

/** Names `path` in a system error that does not name a file yet ('-' is standard output: left unnamed). */
export function withPath(err: unknown, path: string): unknown {
  const e = err as NodeJS.ErrnoException;
  if (e && typeof e === 'object' && e.path === undefined && path !== '-') e.path = path;
  return err;
}

/**
 * Writes all of bytes[offset, offset+length) to `fd`. Throws ShortWriteError
 * (the system error, with `path` in it, and the bytes written before it).
 * A full non-blocking descriptor is waited for, at most `patienceMs` in all
 * (a terminal that stopped reading must not hang a full-screen view); past
 * that the EAGAIN is thrown like any other error.
 */
export function writeAllSync(fd: number, bytes: Uint8Array, offset: number, length: number, path: string,
  patienceMs = Infinity): void {
  let done = 0;
  let giveUpAt = NaN;
  while (done < length) {
    try {
      done += fs.writeSync(fd, bytes, offset + done, length - done);
    } catch (err) {
      // A non-blocking pipe (stdout shared with Node's own stream) that is full:
      // wait for the reader instead of buffering without bound.
      if ((err as NodeJS.ErrnoException).code === 'EAGAIN') {
        if (Number.isNaN(giveUpAt)) giveUpAt = Date.now() + patienceMs;
        if (Date.now() < giveUpAt) { Atomics.wait(SLEEP_CELL, 0, 0, 1); continue; }
      }
      throw new ShortWriteError(withPath(err, path) as NodeJS.ErrnoException, done);
    }
  }
}
