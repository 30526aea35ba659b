/**
 * Where `zsniff capture -w` puts the ring's records: one pcap file, standard
 * output, or a series of files rotated by size (-C), by time (-G) and capped
 * in number (-W), named the way tcpdump names them.
 */
import { endianness } from 'node:os';
import { PcapWriter } from '../../sink/pcap-writer.js';

export interface CaptureOutputOptions {
  /** -w: a file name ('-' for standard output); with -G it may hold strftime conversions. */
  path: string;
  linkType: number;
  snaplen: number;
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

export class CaptureOutput {
  /** Every file name opened, in order (a name appears again when -W wraps). */
  readonly filesOpened: string[] = [];
  /** Set once -G -W has produced its last file: the capture should stop. */
  fileLimitReached = false;
  private writer: PcapWriter;
  private readonly closing: Promise<void>[] = [];
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
    this.writer = this.open(this.fileName(0));
  }

  /** The file being written. */
  get currentFile(): string {
    return this.filesOpened[this.filesOpened.length - 1]!;
  }

  /** Appends whole pcap records (nanosecond, host byte order), rotating files where due. */
  writeSpan(bytes: Uint8Array, offset: number, length: number): void {
    if (this.fileLimitReached) return;
    const o = this.options;
    if (o.rotateSeconds > 0 && this.now() - this.periodStart >= o.rotateSeconds * 1000) {
      this.periodStart = this.now();
      this.timeCount++;
      if (o.rotateBytes === 0 && o.maxFiles > 0 && this.timeCount >= o.maxFiles) {
        this.fileLimitReached = true;
        return;
      }
      this.sizeCount = 0;
      this.replace(this.fileName(0));
    }
    if (o.rotateBytes <= 0) {
      this.writer.writeRecords(bytes, offset, length);
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
      if (this.writer.bytesWritten > o.rotateBytes) {
        this.sizeCount++;
        if (o.maxFiles > 0 && this.sizeCount >= o.maxFiles) this.sizeCount = 0;
        this.replace(this.fileName(this.sizeCount));
      }
      let size = this.writer.bytesWritten;
      let at = start;
      while (at < end && size <= o.rotateBytes) {
        const record = 16 + view.getUint32(at + 8, littleEndian);
        at += record;
        size += record;
      }
      this.writer.writeRecords(bytes, start, at - start);
      start = at;
    }
  }

  /** Writes out what is buffered (called after each batch, so that readers of a live file see it). */
  async flush(): Promise<void> {
    await this.writer.flush();
  }

  /** Flushes and closes every file. */
  async close(): Promise<void> {
    this.closing.push(this.writer.close());
    await Promise.all(this.closing);
  }

  private open(name: string): PcapWriter {
    const w = new PcapWriter(name, { linkType: this.options.linkType, snaplen: this.options.snaplen, nanosecond: true });
    this.filesOpened.push(name);
    return w;
  }

  private replace(name: string): void {
    const old = this.writer;
    // Files are written synchronously, so this settles at once; errors surface in close().
    this.closing.push(old.close());
    this.writer = this.open(name);
  }

  private fileName(count: number): string {
    const o = this.options;
    const base = o.rotateSeconds > 0 ? strftime(o.path, new Date(this.periodStart)) : o.path;
    if (count === 0 && this.suffixDigits === 0) return base;
    return base + String(count).padStart(this.suffixDigits, '0');
  }
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
export function strftime(format: string, d: Date): string {
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
