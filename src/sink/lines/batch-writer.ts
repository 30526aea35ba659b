/**
 * Output in large batches: each line is copied into one reused buffer as it
 * arrives and the buffer is written with one fs.writeSync per ~64 KiB, which
 * is what lets a Node process keep up with tcpdump (a write per line, or
 * process.stdout.write's stream machinery, costs more than formatting the
 * line). Lines are not collected into a pending string: a 64 KiB string that
 * is still growing survives every minor GC meanwhile, and such survivors make
 * V8 grow its young generation, and the process's RSS with it (PERF.md, "Less
 * garbage per printed line"). Non-blocking pipes are waited on (EAGAIN), and
 * a reader that went away (EPIPE) ends output quietly.
 */
import * as fs from 'node:fs';

const DEFAULT_BATCH = 64 * 1024;
/** A sleep without the event loop, for a full non-blocking pipe. */
const sleeper = new Int32Array(new SharedArrayBuffer(4));

export class BatchWriter {
  private used = 0;
  private closedByReader = false;
  private flushScheduled = false;
  /** Reused for every batch; grows only for a single text longer than it. */
  private out: Buffer;

  /**
   * @param fd where to write (1 = stdout)
   * @param batchBytes write out once this many bytes are buffered
   * @param flushWhenIdle also flush when the event loop turns, so slow live
   *   captures show each line promptly
   * @param asciiOnly the caller writes 7-bit text only (the line printer and
   *   the JSON formatter do, by construction), so it is copied byte for byte
   *   instead of UTF-8 encoded: a measurable share of the whole run
   */
  constructor(private readonly fd = 1, private readonly batchBytes = DEFAULT_BATCH, private readonly flushWhenIdle = true,
              private readonly asciiOnly = false) {
    this.out = Buffer.allocUnsafe(batchBytes * 2);
  }

  /** False once the reading side of the pipe has gone: callers may stop producing. */
  get open(): boolean { return !this.closedByReader; }

  write(text: string): void {
    if (this.closedByReader) return;
    // Latin-1 is one byte per character; UTF-8 at most three per UTF-16 unit.
    const most = this.asciiOnly ? text.length : text.length * 3;
    if (this.used + most > this.out.length) {
      this.flush();
      if (most > this.out.length) this.out = Buffer.allocUnsafe(most);
    }
    this.used += this.out.write(text, this.used, this.asciiOnly ? 'latin1' : 'utf8');
    if (this.used >= this.batchBytes) this.flush();
    else if (this.flushWhenIdle && !this.flushScheduled) {
      this.flushScheduled = true;
      setImmediate(this.idleFlush);
    }
  }

  private readonly idleFlush = (): void => {
    this.flushScheduled = false;
    this.flush();
  };

  flush(): void {
    const length = this.used;
    this.used = 0;
    if (length === 0 || this.closedByReader) return;
    const data = this.out;
    let off = 0;
    while (off < length) {
      try {
        off += fs.writeSync(this.fd, data, off, length - off);
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        if (code === 'EAGAIN') { Atomics.wait(sleeper, 0, 0, 1); continue; }
        if (code === 'EPIPE') { this.closedByReader = true; return; }
        throw err;
      }
    }
  }
}
