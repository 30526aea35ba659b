/**
 * Output in large batches: lines are appended to a string and written with
 * one fs.writeSync per ~64 KiB, which is what lets a Node process keep up
 * with tcpdump (a write per line, or process.stdout.write's stream machinery,
 * costs more than formatting the line). Non-blocking pipes are waited on
 * (EAGAIN), and a reader that went away (EPIPE) ends output quietly.
 */
import * as fs from 'node:fs';

const DEFAULT_BATCH = 64 * 1024;
/** A sleep without the event loop, for a full non-blocking pipe. */
const sleeper = new Int32Array(new SharedArrayBuffer(4));

export class BatchWriter {
  private pending = '';
  private closedByReader = false;
  private flushScheduled = false;
  /** Reused for every flush: a fresh Buffer per batch is memory V8 only frees at its own pace. */
  private out: Buffer = Buffer.allocUnsafe(DEFAULT_BATCH * 2);

  /**
   * @param fd where to write (1 = stdout)
   * @param batchBytes flush when this many characters are pending
   * @param flushWhenIdle also flush when the event loop turns, so slow live
   *   captures show each line promptly
   * @param asciiOnly the caller writes 7-bit text only (the line printer and
   *   the JSON formatter do, by construction), so it is copied byte for byte
   *   instead of UTF-8 encoded: a measurable share of the whole run
   */
  constructor(private readonly fd = 1, private readonly batchBytes = DEFAULT_BATCH, private readonly flushWhenIdle = true,
              private readonly asciiOnly = false) {}

  /** False once the reading side of the pipe has gone: callers may stop producing. */
  get open(): boolean { return !this.closedByReader; }

  write(text: string): void {
    if (this.closedByReader) return;
    this.pending += text;
    if (this.pending.length >= this.batchBytes) this.flush();
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
    if (this.pending.length === 0 || this.closedByReader) { this.pending = ''; return; }
    const encoding = this.asciiOnly ? 'latin1' : 'utf8';
    const needed = this.asciiOnly ? this.pending.length : Buffer.byteLength(this.pending, 'utf8');
    if (needed > this.out.length) this.out = Buffer.allocUnsafe(Math.max(needed, this.out.length * 2));
    const data = this.out;
    const length = data.write(this.pending, 0, encoding);
    this.pending = '';
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
