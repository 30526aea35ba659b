/**
 * Where `zsniff capture -w` puts the ring's records: one pcap file, standard
 * output, or a series of files rotated by size (-C), by time (-G) and capped
 * in number (-W), named the way tcpdump names them.
 *
 * Spans of the ring are written to the file descriptor straight from the
 * shared memory, with no copy into a buffer of our own: the ring already
 * holds pcap records of the file's precision. Because every write starts on
 * a record boundary, a failed write (disk full, file gone bad) is cut back
 * to the last whole record and the file stays a valid pcap; what was not
 * written is counted.
 */
import * as fs from 'node:fs';
import { endianness } from 'node:os';
import { ShortWriteError, writeAllSync } from '../../sink/fd-write.js';
import { pcapFileHeader } from '../../sink/pcap-writer.js';
import { RingConsumer } from '../../source/live/ring-consumer.js';
import { PCAP_RECORD_HEADER_LEN } from '../../source/pcap-format.js';

interface CaptureOutputOptions {
  /** -w: a file name ('-' for standard output); with -G it may hold strftime conversions. */
  path: string;
  linkType: number;
  snaplen: number;
  /** The records' precision: the file's magic number must match it. */
  nanosecond: boolean;
  /** -C: start a new file once the current one is larger than this many bytes (0: never). */
  rotateBytes: number;
  /** -G: start a new file when this many seconds have passed (0: never). */
  rotateSeconds: number;
  /** -W: with -C, reuse names after this many files; with -G alone, stop after this many files. */
  maxFiles: number;
  /** Wall clock in ms (tests can pin it). */
  now?: () => number;
}

const littleEndian = endianness() === 'LE';

/** One pcap file (or standard output) written with synchronous writes. */
class SpanFile {
  /** File size: header plus every record written. */
  bytesWritten = 0;
  private readonly fd: number;

  constructor(readonly path: string, o: CaptureOutputOptions) {
    this.fd = path === '-' ? 1 : fs.openSync(path, 'w');
    const header = pcapFileHeader(o.linkType, o.snaplen, o.nanosecond);
    try {
      this.write(header, 0, header.length);
    } catch (err) {
      this.close();
      // No record was written yet: the system error itself says what went wrong.
      throw err instanceof ShortWriteError ? err.error : err;
    }
  }

  /** Writes all of bytes[offset, offset+length); throws ShortWriteError, which says how much got out. */
  write(bytes: Uint8Array, offset: number, length: number): void {
    writeAllSync(this.fd, bytes, offset, length, this.path);
    this.bytesWritten += length;
  }

  /** Drops bytes after `size` (a file, not a pipe). */
  truncate(size: number): void {
    if (this.fd === 1) return;
    try { fs.ftruncateSync(this.fd, size); } catch { /* nothing better to do */ }
    this.bytesWritten = size;
  }

  close(): void {
    if (this.fd !== 1) fs.closeSync(this.fd);
  }
}

export class CaptureOutput {
  /** Every file name opened, in order (a name appears again when -W wraps). */
  readonly filesOpened: string[] = [];
  /** Set once -G -W has produced its last file: the capture should stop. */
  fileLimitReached = false;
  /** The error that stopped writing (disk full, EPIPE...); nothing more is written after it. */
  failure: NodeJS.ErrnoException | undefined;
  /** Packets that reached the output but are not in it because writing failed. */
  packetsNotWritten = 0;
  private file: SpanFile | undefined;
  private sizeCount = 0;
  private timeCount = 0;
  private periodStart: number;
  private readonly suffixDigits: number;
  private readonly now: () => number;
  private view: DataView | undefined;

  constructor(private readonly options: CaptureOutputOptions) {
    this.now = options.now ?? Date.now;
    this.periodStart = this.now();
    this.suffixDigits = options.rotateBytes > 0 && options.maxFiles > 0 ? digitsFor(options.maxFiles - 1) : 0;
    this.file = this.open(this.fileName(0));
  }

  /** The file being written. */
  get currentFile(): string {
    return this.filesOpened[this.filesOpened.length - 1]!;
  }

  /**
   * Appends whole pcap records, rotating files where due. Never throws for
   * the output's sake: a failure is kept in `failure`, and the records of
   * this and later spans that did not get out are counted.
   */
  writeSpan(bytes: Uint8Array, offset: number, length: number): void {
    if (this.fileLimitReached) return;
    if (this.failure !== undefined || this.file === undefined) {
      this.packetsNotWritten += countRecords(bytes, offset, length);
      return;
    }
    try {
      this.writeRotating(bytes, offset, length);
    } catch (err) {
      if (!(err instanceof Failed)) throw err;
      this.failure = err.error;
      this.packetsNotWritten += err.unwritten;
    }
  }

  private writeRotating(bytes: Uint8Array, offset: number, length: number): void {
    const o = this.options;
    if (o.rotateSeconds > 0 && this.now() - this.periodStart >= o.rotateSeconds * 1000) {
      this.periodStart = this.now();
      this.timeCount++;
      if (o.rotateBytes === 0 && o.maxFiles > 0 && this.timeCount >= o.maxFiles) {
        this.fileLimitReached = true;
        return;
      }
      this.sizeCount = 0;
      this.replace(this.fileName(0), bytes, offset, length);
    }
    if (o.rotateBytes <= 0) {
      this.writeRecords(bytes, offset, length, offset + length);
      return;
    }
    // As tcpdump: before each packet, a file already past the limit is closed.
    if (this.view === undefined || this.view.buffer !== bytes.buffer) {
      this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    }
    const view = this.view;
    const end = offset + length;
    let start = offset;
    while (start < end) {
      if (this.file!.bytesWritten > o.rotateBytes) {
        this.sizeCount++;
        if (o.maxFiles > 0 && this.sizeCount >= o.maxFiles) this.sizeCount = 0;
        this.replace(this.fileName(this.sizeCount), bytes, start, end - start);
      }
      let size = this.file!.bytesWritten;
      let at = start;
      while (at < end && size <= o.rotateBytes) {
        const record = PCAP_RECORD_HEADER_LEN + view.getUint32(at + 8, littleEndian);
        at += record;
        size += record;
      }
      this.writeRecords(bytes, start, at - start, end);
      start = at;
    }
  }

  /** Writes records [start, start+length) of a span that runs to `spanEnd`; throws Failed. */
  private writeRecords(bytes: Uint8Array, start: number, length: number, spanEnd: number): void {
    const file = this.file!;
    const before = file.bytesWritten;
    try {
      file.write(bytes, start, length);
    } catch (err) {
      if (!(err instanceof ShortWriteError)) throw err;
      // Keep the whole records that got out; cut the one that was half written.
      let whole = 0;
      RingConsumer.forEachRecordIn(bytes, start, length, (at, size) => {
        if (at - start + size > err.written) return false;
        whole = at - start + size;
        return true;
      });
      if (whole < err.written) file.truncate(before + whole);
      else file.bytesWritten = before + whole;
      throw new Failed(err.error, countRecords(bytes, start + whole, spanEnd - start - whole));
    }
  }

  private open(name: string): SpanFile {
    const f = new SpanFile(name, this.options);
    this.filesOpened.push(name);
    return f;
  }

  private replace(name: string, bytes: Uint8Array, rest: number, restLength: number): void {
    const old = this.file;
    this.file = undefined;
    try {
      old?.close();
      this.file = this.open(name);
    } catch (err) {
      throw new Failed(err as NodeJS.ErrnoException, countRecords(bytes, rest, restLength));
    }
  }

  /** Nothing is buffered here: records reach the kernel as each span is written. */
  flush(): Promise<void> {
    return Promise.resolve();
  }

  /** Closes the file being written. */
  close(): Promise<void> {
    const f = this.file;
    this.file = undefined;
    try {
      f?.close();
    } catch (err) {
      return Promise.reject(err);
    }
    return Promise.resolve();
  }

  private fileName(count: number): string {
    const o = this.options;
    const base = o.rotateSeconds > 0 ? strftime(o.path, new Date(this.periodStart)) : o.path;
    if (count === 0 && this.suffixDigits === 0) return base;
    return base + String(count).padStart(this.suffixDigits, '0');
  }
}

class Failed extends Error {
  constructor(readonly error: NodeJS.ErrnoException, readonly unwritten: number) {
    super(error.message);
  }
}

function countRecords(bytes: Uint8Array, offset: number, length: number): number {
  let n = 0;
  RingConsumer.forEachRecordIn(bytes, offset, length, () => { n++; });
  return n;
}

/**
 * -C's size: millions of bytes as tcpdump, or with a suffix k, m or g
 * (either case) KiB, MiB or GiB. Returns bytes.
 */
export function parseFileSize(text: string | number): number {
  const m = /^\s*(\d+(?:\.\d+)?|\.\d+)\s*([kKmMgG]?)\s*$/.exec(String(text));
  const unit: Record<string, number> = { '': 1e6, k: 1024, m: 1024 ** 2, g: 1024 ** 3 };
  const bytes = m ? Number(m[1]) * unit[m[2]!.toLowerCase()]! : NaN;
  if (!(bytes >= 1)) {
    throw new RangeError(`-C takes a size in millions of bytes, optionally with k, m or g (KiB, MiB, GiB): not '${text}'`);
  }
  return Math.round(bytes);
}

/** Digits in `n` (0 has none), tcpdump's width for -W suffixes. */
function digitsFor(n: number): number {
  let digits = 0;
  for (let x = n; x > 0; x = Math.floor(x / 10)) digits++;
  return digits;
}

const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September',
  'October', 'November', 'December'];

/** The strftime conversions people put in -G file names, in local time. */
function strftime(format: string, d: Date): string {
  const pad = (n: number, w = 2): string => String(n).padStart(w, '0');
  const dayOfYear = (): number => {
    const start = new Date(d.getFullYear(), 0, 1);
    return Math.floor((d.getTime() - start.getTime() + (start.getTimezoneOffset() - d.getTimezoneOffset()) * 60000) / 86400000) + 1;
  };
  return format.replace(/%([a-zA-Z%])/g, (all: string, c: string) => {
    switch (c) {
      case 'Y': return String(d.getFullYear());
      case 'y': return pad(d.getFullYear() % 100);
      case 'm': return pad(d.getMonth() + 1);
      case 'd': return pad(d.getDate());
      case 'e': return String(d.getDate()).padStart(2, ' ');
      case 'H': return pad(d.getHours());
      case 'I': return pad(((d.getHours() + 11) % 12) + 1);
      case 'M': return pad(d.getMinutes());
      case 'S': return pad(d.getSeconds());
      case 'p': return d.getHours() < 12 ? 'AM' : 'PM';
      case 'j': return pad(dayOfYear(), 3);
      case 's': return String(Math.floor(d.getTime() / 1000));
      case 'a': return DAYS[d.getDay()]!.slice(0, 3);
      case 'A': return DAYS[d.getDay()]!;
      case 'b': case 'h': return MONTHS[d.getMonth()]!.slice(0, 3);
      case 'B': return MONTHS[d.getMonth()]!;
      case 'F': return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
      case 'T': return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
      case 'R': return `${pad(d.getHours())}:${pad(d.getMinutes())}`;
      case 'z': {
        const off = -d.getTimezoneOffset();
        return `${off >= 0 ? '+' : '-'}${pad(Math.floor(Math.abs(off) / 60))}${pad(Math.abs(off) % 60)}`;
      }
      case '%': return '%';
      default: return all;
    }
  });
}
