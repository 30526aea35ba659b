import * as fs from 'node:fs';
import type { Readable } from 'node:stream';
import { createRequire } from 'node:module';
import type * as Zlib from 'node:zlib';

/**
 * A source of capture bytes the readers pull large chunks from, straight into
 * their own reused buffer. Regular files are read synchronously on a file
 * descriptor (no promise per chunk); pipes and decompressors are streams.
 */
export interface ChunkInput {
  /**
   * Reads at most `max` bytes into `buf` at `start`. Returns the count, 0 at
   * the end of input. `readSync` exists only where reading cannot block for
   * long (regular files); otherwise use `read`.
   */
  readSync?: (buf: Uint8Array, start: number, max: number) => number;
  read(buf: Uint8Array, start: number, max: number): Promise<number>;
  /** Bytes of the underlying file or pipe consumed so far (compressed bytes for gzip). */
  bytesConsumed(): number;
  /** Releases the descriptor or stream; safe to call twice. */
  close(): void;
}

/** Reads a regular file through its descriptor, from the current position on. */
export class FdChunkInput implements ChunkInput {
  private position: number;
  private closed = false;

  constructor(private readonly fd: number, startPosition = 0, private readonly ownsFd = true) {
    this.position = startPosition;
  }

  readSync = (buf: Uint8Array, start: number, max: number): number => {
    if (this.closed || max <= 0) return 0;
    const n = fs.readSync(this.fd, buf, start, max, this.position);
    this.position += n;
    return n;
  };

  read(buf: Uint8Array, start: number, max: number): Promise<number> {
    try {
      return Promise.resolve(this.readSync(buf, start, max));
    } catch (err) {
      return Promise.reject(err);
    }
  }

  bytesConsumed(): number {
    return this.position;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.ownsFd) fs.closeSync(this.fd);
  }
}

/**
 * Pulls from a Readable in paused mode, copying its chunks into the caller's
 * buffer. Returns as soon as some bytes are in hand and the stream has nothing
 * more buffered, so packets from a slow pipe (`tcpdump -w - | zsniff read -`)
 * are handed on without waiting for a full chunk.
 */
export class StreamChunkInput implements ChunkInput {
  private pending: Uint8Array | null = null;
  private pendingPos = 0;
  private ended = false;
  private error: Error | null = null;
  private wake: (() => void) | null = null;
  private closed = false;

  /**
   * @param countConsumed reports raw bytes consumed (e.g. compressed bytes
   *   fed to gunzip); defaults to the bytes this input has delivered.
   */
  constructor(
    private readonly stream: Readable,
    private readonly countConsumed?: () => number,
    private readonly onClose?: () => void,
  ) {
    stream.on('readable', this.notify);
    stream.on('end', this.onEnd);
    stream.on('error', this.onError);
    if (stream.readableEnded) this.ended = true;
  }

  private delivered = 0;

  private notify = (): void => {
    const w = this.wake;
    this.wake = null;
    if (w) w();
  };

  private onEnd = (): void => {
    this.ended = true;
    this.notify();
  };

  private onError = (err: Error): void => {
    this.error = err;
    this.notify();
  };

  private waitForData(): Promise<void> {
    return new Promise((resolve) => { this.wake = resolve; });
  }

  async read(buf: Uint8Array, start: number, max: number): Promise<number> {
    let n = 0;
    while (n < max) {
      if (this.error) throw this.error;
      if (this.pending === null) {
        if (this.closed) break;
        const chunk = this.stream.read() as Uint8Array | string | null;
        if (chunk === null) {
          if (n > 0 || this.ended) break;
          await this.waitForData();
          continue;
        }
        this.pending = typeof chunk === 'string' ? Buffer.from(chunk, 'latin1') : chunk;
        this.pendingPos = 0;
      }
      const take = Math.min(max - n, this.pending.length - this.pendingPos);
      buf.set(this.pending.subarray(this.pendingPos, this.pendingPos + take), start + n);
      n += take;
      this.pendingPos += take;
      if (this.pendingPos >= this.pending.length) this.pending = null;
    }
    this.delivered += n;
    return n;
  }

  bytesConsumed(): number {
    return this.countConsumed ? this.countConsumed() : this.delivered;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.stream.off('readable', this.notify);
    this.stream.off('end', this.onEnd);
    // Errors after close (e.g. gunzip fed a truncated tail) must not crash the process.
    this.stream.on('error', () => {});
    this.stream.off('error', this.onError);
    this.pending = null;
    this.onClose?.();
    this.notify();
  }
}

/**
 * Decompresses a gzip input with node:zlib. Raw bytes are fed from another
 * ChunkInput (so a file descriptor and a pipe work alike), starting with the
 * bytes already read while sniffing the magic number.
 */
export class GunzipChunkInput implements ChunkInput {
  private readonly gunzip: Zlib.Gunzip;
  private readonly output: StreamChunkInput;
  private closed = false;

  constructor(private readonly raw: ChunkInput, head: Uint8Array, feedChunkSize = 256 * 1024) {
    // node:zlib only when a gzip file shows up: loading it is start-up time.
    const zlib = createRequire(import.meta.url)('node:zlib') as typeof Zlib;
    this.gunzip = zlib.createGunzip({ chunkSize: 256 * 1024 });
    this.output = new StreamChunkInput(this.gunzip);
    this.feed(Buffer.from(head), feedChunkSize).catch((err: Error) => {
      if (!this.closed) this.gunzip.destroy(err);
    });
  }

  private async feed(head: Buffer, chunkSize: number): Promise<void> {
    if (head.length > 0 && !this.gunzip.write(head)) await this.drained();
    for (;;) {
      if (this.closed) return;
      // A fresh buffer per write: zlib keeps a reference until it has consumed it.
      const chunk = Buffer.allocUnsafe(chunkSize);
      const n = this.raw.readSync ? this.raw.readSync(chunk, 0, chunkSize) : await this.raw.read(chunk, 0, chunkSize);
      if (this.closed) return;
      if (n === 0) { this.gunzip.end(); return; }
      if (!this.gunzip.write(chunk.subarray(0, n))) await this.drained();
    }
  }

  private drained(): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        this.gunzip.off('drain', done); this.gunzip.off('close', done); resolve();
      };
      this.gunzip.on('drain', done);
      this.gunzip.on('close', done);
    });
  }

  read(buf: Uint8Array, start: number, max: number): Promise<number> {
    return this.output.read(buf, start, max);
  }

  bytesConsumed(): number {
    return this.raw.bytesConsumed();
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.output.close();
    this.gunzip.destroy();
    this.raw.close();
  }
}
