import * as fs from 'node:fs';
import type { Readable } from 'node:stream';
import { FdChunkInput, GunzipChunkInput, StreamChunkInput, type ChunkInput } from './chunk-input.js';
import {
  CaptureFormatError, copyPacket,
  type CaptureInfo, type PacketHandler, type PacketRecord,
} from './packet-record.js';
import { isPcapMagic } from './pcap-format.js';
import { PcapReader } from './pcap-reader.js';
import { PCAPNG_BLOCK, PcapngReader } from './pcapng-reader.js';
import { MAX_PCAPNG_BLOCK, type RecordParser } from './record-parser.js';

/** Options for {@link openCapture}. */
export interface CaptureReadOptions {
  /** Bytes read at a time into the reused buffer (default 2 MiB). */
  chunkSize?: number;
  /** The stream read for the path '-' (default `process.stdin`). */
  stdin?: Readable;
}

/**
 * An open capture file (pcap, nanosecond pcap or pcapng, optionally gzipped).
 * Packets are pushed to a handler as views into a reused buffer.
 */
export interface CaptureFile {
  /**
   * What is known about the capture. Complete as far as the headers go once
   * {@link CaptureFile.ready} resolves; `packets`, `bytesRead`, further
   * pcapng interfaces and `statistics` fill in while running.
   */
  readonly info: CaptureInfo;
  /** Size of the file on disk (compressed size for gzip); undefined for pipes. */
  readonly sizeBytes: number | undefined;
  /** Bytes of the file or pipe consumed so far (compressed bytes for gzip), for progress. */
  bytesConsumed(): number;
  /**
   * Reads the file header (and pcapng interface descriptions before the first
   * packet), detecting gzip and the format by magic number. `run` calls it.
   */
  ready(): Promise<CaptureInfo>;
  /**
   * Hands every packet to `onPacket`, one reused record at a time; stops when
   * the handler returns false. Resolves with the final info, or rejects with
   * a CaptureFormatError after handing on every packet before the damage.
   * Closes the input when done.
   */
  run(onPacket: PacketHandler): Promise<CaptureInfo>;
  /**
   * Pulls the next packet, or null at the end: the record is the reader's
   * reused one, a view valid until the next call (so readers of several files
   * can each hold their next packet while a merge picks the earliest, with
   * nothing copied). Rejects with a CaptureFormatError at damage. Do not mix
   * with `run` or `packets`; call `close` when done early.
   */
  next(): Promise<PacketRecord | null>;
  /**
   * `next` without waiting: the next packet if it is already buffered, null
   * at the end, or NEED_INPUT when `readMore` must run first. Lets a merge of
   * several files pay for a promise only once per chunk, not per packet.
   */
  nextBuffered(): PacketRecord | null | typeof NEED_INPUT;
  /** Reads the headers, or the next chunk, for `nextBuffered`. */
  readMore(): Promise<void>;
  /** Convenience for library users: every packet as a private copy (allocates). */
  packets(): AsyncGenerator<PacketRecord, void, undefined>;
  /** Releases the file or stream; safe to call at any time, and twice. */
  close(): void;
}

/** What `nextBuffered` returns when it needs `readMore` first. */
export const NEED_INPUT = Symbol('need input');

const DEFAULT_CHUNK = 2 * 1024 * 1024;
/** pcapng blocks are bounded at 16 MiB; the buffer never needs to grow beyond that plus a chunk. */
const MAX_BUFFER = MAX_PCAPNG_BLOCK + DEFAULT_CHUNK;
/** Regular files are read synchronously; let timers and signals run every so many chunks. */
const CHUNKS_BETWEEN_YIELDS = 8;

/**
 * Opens a capture file by path, or standard input for '-'. Fails at once only
 * for errors opening the path (ENOENT...); everything else surfaces from
 * `ready` or `run`.
 */
export function openCapture(path: string, opts: CaptureReadOptions = {}): CaptureFile {
  return new CaptureFileReader(path, opts);
}

/** Reads a whole capture, handing each packet on: `openCapture(path).run(onPacket)`. */
export function readCapture(path: string, onPacket: PacketHandler, opts?: CaptureReadOptions): Promise<CaptureInfo> {
  return openCapture(path, opts).run(onPacket);
}

class CaptureFileReader implements CaptureFile {
  readonly info: CaptureInfo;
  readonly sizeBytes: number | undefined;

  private input: ChunkInput;
  private parser: RecordParser | null = null;
  private buf: Uint8Array;
  private view: DataView;
  /** Unconsumed bytes are buf[start, end); buf[0] is at input offset `base`. */
  private start = 0;
  private end = 0;
  private base = 0;
  private eof = false;
  private opening: Promise<void> | null = null;
  private running = false;
  private closed = false;
  private readonly chunkSize: number;

  constructor(path: string, opts: CaptureReadOptions) {
    this.info = {
      name: path, format: 'pcap', compressed: false, interfaces: [], statistics: [], packets: 0, bytesRead: 0,
    };
    this.chunkSize = Math.max(64 * 1024, Math.min(opts.chunkSize ?? DEFAULT_CHUNK, MAX_BUFFER));
    this.buf = new Uint8Array(this.chunkSize);
    this.view = new DataView(this.buf.buffer);
    if (path === '-') {
      this.input = new StreamChunkInput(opts.stdin ?? process.stdin);
      this.sizeBytes = undefined;
    } else {
      const fd = fs.openSync(path, 'r');
      try {
        const st = fs.fstatSync(fd);
        if (st.isDirectory()) {
          throw Object.assign(new Error(`EISDIR: illegal operation on a directory, read '${path}'`),
            { code: 'EISDIR', path, syscall: 'read' });
        }
        if (st.isFile()) {
          this.input = new FdChunkInput(fd);
          this.sizeBytes = st.size;
        } else {
          // FIFOs, /dev/stdin, process substitution: reads may block, so stream them.
          const stream = fs.createReadStream('', { fd, highWaterMark: 1024 * 1024 });
          this.input = new StreamChunkInput(stream, undefined, () => stream.destroy());
          this.sizeBytes = undefined;
        }
      } catch (err) {
        fs.closeSync(fd);
        throw err;
      }
    }
  }

  bytesConsumed(): number {
    return this.input.bytesConsumed();
  }

  ready(): Promise<CaptureInfo> {
    if (this.opening === null) {
      this.opening = this.open().catch((err: unknown) => { this.close(); throw err; });
    }
    return this.opening.then(() => this.info);
  }

  private async open(): Promise<void> {
    // Enough bytes to tell gzip and the capture format apart.
    while (this.end < 4 && !this.eof) await this.fill(4);
    if (this.end >= 2 && this.buf[0] === 0x1f && this.buf[1] === 0x8b) {
      this.input = new GunzipChunkInput(this.input, this.buf.slice(0, this.end));
      this.info.compressed = true;
      this.end = 0;
      this.eof = false;
      while (this.end < 4 && !this.eof) await this.fill(4);
    }
    this.parser = this.parserForMagic();
    // Consume the headers so `info` describes the capture before any packet.
    for (;;) {
      this.start = this.parser.parse(this.buf, this.view, this.start, this.end, this.base, null);
      if (this.parser.needed === 0 && this.end - this.start > 0) return;
      if (this.eof) { this.parser.finish(this.view, this.start, this.end, this.base); return; }
      await this.fill(this.parser.needed);
    }
  }

  private parserForMagic(): RecordParser {
    const what = this.info.compressed ? 'decompressed data' : 'file';
    if (this.end === 0) {
      throw new CaptureFormatError(this.info.name, 1, 0, `empty ${what}: not a pcap or pcapng file`);
    }
    if (this.end < 4) {
      throw new CaptureFormatError(this.info.name, 1, 0, `${what} too short (${this.end} bytes) to be a pcap or pcapng file`);
    }
    const le = this.view.getUint32(0, true);
    const be = this.view.getUint32(0, false);
    if (le === PCAPNG_BLOCK.SECTION_HEADER) return new PcapngReader(this.info);
    if (isPcapMagic(le) || isPcapMagic(be)) return new PcapReader(this.info);
    throw new CaptureFormatError(this.info.name, 1, 0,
      `not a pcap or pcapng file (magic 0x${be.toString(16).padStart(8, '0')})`);
  }

  /**
   * Moves the unconsumed tail to the buffer start, grows the buffer if one
   * record needs more than it holds, then reads after the tail.
   */
  private async fill(needed: number): Promise<void> {
    if (this.start > 0) {
      this.buf.copyWithin(0, this.start, this.end);
      this.base += this.start;
      this.end -= this.start;
      this.start = 0;
    }
    if (needed > this.buf.length) {
      const bigger = new Uint8Array(Math.min(Math.max(needed, this.buf.length * 2), MAX_BUFFER));
      bigger.set(this.buf.subarray(0, this.end));
      this.buf = bigger;
      this.view = new DataView(bigger.buffer);
    }
    const room = this.buf.length - this.end;
    let n: number;
    try {
      const input = this.input;
      n = input.readSync ? input.readSync(this.buf, this.end, room) : await input.read(this.buf, this.end, room);
    } catch (err) {
      throw this.translateReadError(err);
    }
    if (n === 0) this.eof = true;
    this.end += n;
  }

  /** zlib errors mean a damaged gzip file: report them as such, not as internal errors. */
  private translateReadError(err: unknown): unknown {
    const code = (err as NodeJS.ErrnoException | null)?.code;
    if (typeof code === 'string' && code.startsWith('Z_')) {
      const frame = (this.parser?.frames ?? 0) + 1;
      const message = (err as Error).message === 'unexpected end of file'
        ? 'truncated gzip data (unexpected end of file)' : `damaged gzip data: ${(err as Error).message}`;
      return new CaptureFormatError(this.info.name, frame, this.base + this.end, message);
    }
    return err;
  }

  async run(onPacket: PacketHandler): Promise<CaptureInfo> {
    if (this.running) throw new Error('CaptureFile.run: already running');
    this.running = true;
    try {
      await this.ready();
      let chunks = 0;
      while (await this.step(onPacket)) {
        if (++chunks % CHUNKS_BETWEEN_YIELDS === 0 && this.input.readSync) {
          await new Promise<void>((resolve) => setImmediate(resolve));
        }
      }
      return this.info;
    } finally {
      this.close();
    }
  }

  /** Parses what is buffered, then reads more. Resolves false when there is nothing more to do. */
  private async step(onPacket: PacketHandler): Promise<boolean> {
    const parser = this.parser!;
    try {
      this.start = parser.parse(this.buf, this.view, this.start, this.end, this.base, onPacket);
      if (parser.stopped || this.closed) return false;
      if (this.eof) { parser.finish(this.view, this.start, this.end, this.base); return false; }
    } finally {
      this.info.packets = parser.frames;
      this.info.bytesRead = this.base + this.start;
    }
    await this.fill(parser.needed);
    return true;
  }

  private pulled: PacketRecord | null = null;
  private readonly takeOne = (p: PacketRecord): boolean => { this.pulled = p; return false; };

  async next(): Promise<PacketRecord | null> {
    for (;;) {
      const p = this.nextBuffered();
      if (p !== NEED_INPUT) return p;
      await this.readMore();
    }
  }

  nextBuffered(): PacketRecord | null | typeof NEED_INPUT {
    this.running = true;
    const parser = this.parser;
    if (this.closed) return null;
    if (parser === null) return NEED_INPUT;
    this.pulled = null;
    parser.resume();
    try {
      try {
        this.start = parser.parse(this.buf, this.view, this.start, this.end, this.base, this.takeOne);
      } finally {
        this.info.packets = parser.frames;
        this.info.bytesRead = this.base + this.start;
      }
      if (this.pulled !== null) return this.pulled;
      if (!this.eof) return NEED_INPUT;
      parser.finish(this.view, this.start, this.end, this.base);
    } catch (err) {
      this.close();
      throw err;
    }
    this.close();
    return null;
  }

  async readMore(): Promise<void> {
    try {
      if (this.parser === null) await this.ready();
      else await this.fill(this.parser.needed);
    } catch (err) {
      this.close();
      throw err;
    }
  }

  async *packets(): AsyncGenerator<PacketRecord, void, undefined> {
    if (this.running) throw new Error('CaptureFile.packets: already running');
    this.running = true;
    const batch: PacketRecord[] = [];
    const collect = (p: PacketRecord): void => { batch.push(copyPacket(p)); };
    try {
      await this.ready();
      let more = true;
      while (more) {
        let failed = false;
        let failure: unknown;
        try {
          more = await this.step(collect);
        } catch (err) {
          failed = true; failure = err; more = false;
        }
        // Packets before the damage still reach the caller, then the error.
        for (const p of batch) yield p;
        batch.length = 0;
        if (failed) throw failure;
      }
    } finally {
      this.close();
    }
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.input.close();
  }
}
