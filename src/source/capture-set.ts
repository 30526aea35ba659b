/**
 * Several capture files read as one, merged by timestamp as mergecap merges
 * them: a rotated set written by `capture -G/-C/-W` (or tcpdump's), a folder
 * of captures, or files named one by one. A connection that crosses a file
 * boundary is one connection; frame numbers count in the merged order.
 *
 * Each file keeps its own reader and reused record; the merge holds every
 * file's next packet as a view into that file's buffer and hands on the
 * earliest, so nothing is copied. Files may differ in format (pcap, pcapng,
 * gzip) and link type. A damaged file stops only itself: the others are read
 * to their end and the error, naming the file, comes after the last packet.
 */
import * as fs from 'node:fs';
import { join } from 'node:path';
import { UsageError } from '../errors.js';
import { NEED_INPUT, openCapture, type CaptureFile, type CaptureReadOptions } from './capture-file.js';
import {
  CaptureFormatError, copyPacket,
  type CaptureFormat, type CaptureInfo, type InterfaceInfo, type PacketHandler, type PacketRecord,
} from './packet-record.js';
import { isPcapMagic } from './pcap-format.js';
import { PCAPNG_BLOCK } from './pcapng-reader.js';

/** Read buffers of all the files of a set together stay near this (each at least 64 KiB). */
const SET_BUFFER_BUDGET = 16 * 1024 * 1024;
/** Let timers and signals run every so many merged packets. */
const PACKETS_BETWEEN_YIELDS = 1 << 16;

/**
 * Opens the captures named by `paths`: files, folders (every capture file in
 * them, by content, not name) or '-' for standard input (alone). One file is
 * read exactly as `openCapture` reads it; several are merged by timestamp.
 * Throws at once for a path that cannot be opened or a folder with no capture.
 */
export function openCaptures(paths: readonly string[], opts: CaptureReadOptions = {}): CaptureFile {
  const files = expandCapturePaths(paths);
  if (files.length === 1) return openCapture(files[0]!, opts);
  const chunkSize = Math.max(64 * 1024, Math.floor(SET_BUFFER_BUDGET / files.length));
  const readers: CaptureFile[] = [];
  try {
    for (const f of files) readers.push(openCapture(f, { ...opts, chunkSize: Math.min(opts.chunkSize ?? chunkSize, chunkSize) }));
  } catch (err) {
    for (const r of readers) r.close();
    throw err;
  }
  return new CaptureSet(readers);
}

/** The files `openCaptures` reads for `paths`, folders expanded, in order. */
function expandCapturePaths(paths: readonly string[]): string[] {
  if (paths.length === 0) throw new UsageError('name a capture file');
  if (paths.includes('-') && paths.length > 1) {
    throw new UsageError("standard input ('-') cannot be merged with other captures; name it alone");
  }
  const files: string[] = [];
  for (const p of paths) {
    if (p !== '-' && fs.statSync(p).isDirectory()) {
      const inside = fs.readdirSync(p).filter((n) => !n.startsWith('.')).sort().map((n) => join(p, n))
        .filter((f) => fs.statSync(f).isFile() && looksLikeCapture(f));
      if (inside.length === 0) {
        throw new UsageError(`${p}: no pcap, pcapng or gzip file in this folder`);
      }
      files.push(...inside);
    } else files.push(p);
  }
  return files;
}

/** True when the file starts like a pcap, pcapng or gzip file. */
function looksLikeCapture(path: string): boolean {
  const head = Buffer.alloc(4);
  const fd = fs.openSync(path, 'r');
  try {
    if (fs.readSync(fd, head, 0, 4, 0) < 4) return false;
  } finally {
    fs.closeSync(fd);
  }
  if (head[0] === 0x1f && head[1] === 0x8b) return true;
  const le = head.readUInt32LE(0);
  return le === PCAPNG_BLOCK.SECTION_HEADER || isPcapMagic(le) || isPcapMagic(head.readUInt32BE(0));
}

/**
 * Damage in one or more files of a set. The message has one line per damaged
 * file, each naming the file, packet and byte offset; `file`, `frame` and
 * `fileOffset` are those of the first.
 */
export class CaptureSetError extends CaptureFormatError {
  constructor(readonly errors: readonly CaptureFormatError[]) {
    const first = errors[0]!;
    super(first.file, first.frame, first.fileOffset, first.reason);
    this.message = errors.map((e) => e.message).join('\n');
    this.name = 'CaptureSetError';
  }
}

class CaptureSet implements CaptureFile {
  readonly info: CaptureInfo;
  readonly sizeBytes: number | undefined;
  /** Each file's next packet (a view into its buffer), null once it has ended. */
  private readonly heads: (PacketRecord | null)[];
  /** Per file: its interface ids (pcapng) -> ids in the set's `info.interfaces`. */
  private readonly interfaceIds: number[][];
  private readonly errors: CaptureFormatError[] = [];
  private opening: Promise<void> | null = null;
  private opened = false;
  private running = false;
  private closed = false;

  constructor(private readonly files: CaptureFile[]) {
    this.info = {
      name: files.map((f) => f.info.name).join(', '),
      format: 'pcap', compressed: false, interfaces: [], statistics: [], packets: 0, bytesRead: 0,
    };
    let size = 0;
    for (const f of files) size = f.sizeBytes === undefined || Number.isNaN(size) ? Number.NaN : size + f.sizeBytes;
    this.sizeBytes = Number.isNaN(size) ? undefined : size;
    this.heads = files.map(() => null);
    this.interfaceIds = files.map(() => []);
  }

  bytesConsumed(): number {
    let n = 0;
    for (const f of this.files) n += f.bytesConsumed();
    return n;
  }

  ready(): Promise<CaptureInfo> {
    this.opening ??= this.open();
    return this.opening.then(() => this.info);
  }

  /**
   * Reads every file's headers and first packet. A file that is not a capture
   * at all is damage like any other; only when no file is readable does the
   * set fail here.
   */
  private async open(): Promise<void> {
    for (let i = 0; i < this.files.length; i++) await this.advance(i);
    const formats = new Set<CaptureFormat>(this.files.map((f) => f.info.format));
    this.info.format = formats.size === 1 ? [...formats][0]! : 'pcapng';
    this.info.compressed = this.files.some((f) => f.info.compressed);
    const order = this.files.find((f) => f.info.byteOrder !== undefined)?.info.byteOrder;
    if (order) this.info.byteOrder = order;
    for (let i = 0; i < this.files.length; i++) {
      for (let id = 0; id < this.files[i]!.info.interfaces.length; id++) this.interfaceId(i, id);
    }
    if (this.heads.every((h) => h === null) && this.errors.length === this.files.length) {
      this.close();
      throw new CaptureSetError(this.errors);
    }
    this.opened = true;
  }

  /** The set's id for interface `id` of file `i`, adding it to `info.interfaces` when first seen. */
  private interfaceId(i: number, id: number): number {
    const ids = this.interfaceIds[i]!;
    let mapped = ids[id];
    if (mapped === undefined) {
      const own = this.files[i]!.info.interfaces[id];
      const iface: InterfaceInfo = own ? { ...own } : { id, linkType: this.heads[i]?.linkType ?? 1, snaplen: 0, tsUnitsPerSecond: 1e9 };
      mapped = iface.id = this.info.interfaces.length;
      this.info.interfaces.push(iface);
      ids[id] = mapped;
    }
    return mapped;
  }

  /** Moves file `i` to its next packet, waiting for input if need be; damage ends that file only. */
  private async advance(i: number): Promise<void> {
    const file = this.files[i]!;
    try {
      for (;;) {
        const p = file.nextBuffered();
        if (p !== NEED_INPUT) { this.heads[i] = p; return; }
        await file.readMore();
      }
    } catch (err) {
      this.heads[i] = null;
      if (!(err instanceof CaptureFormatError)) throw err;
      this.errors.push(err);
    }
  }

  /** Like `advance`, without waiting: false when file `i` needs input first. */
  private advanceBuffered(i: number): boolean {
    let p;
    try {
      p = this.files[i]!.nextBuffered();
    } catch (err) {
      this.heads[i] = null;
      if (!(err instanceof CaptureFormatError)) throw err;
      this.errors.push(err);
      return true;
    }
    if (p === NEED_INPUT) return false;
    this.heads[i] = p;
    return true;
  }

  /** The file whose next packet is earliest (the first file on ties), or -1 at the end. */
  private earliest(): number {
    let best = -1;
    let sec = 0;
    let nsec = 0;
    const heads = this.heads;
    for (let i = 0; i < heads.length; i++) {
      const h = heads[i];
      if (h === null || h === undefined) continue;
      if (best < 0 || h.tsSec < sec || (h.tsSec === sec && h.tsNsec < nsec)) { best = i; sec = h.tsSec; nsec = h.tsNsec; }
    }
    return best;
  }

  /**
   * The file whose packet was handed on last: it moves on at the next call,
   * since its record must stay valid until then. Its own interface id is put
   * back first, as its reader does not rewrite the field for every packet.
   */
  private handedOn = -1;
  private handedOnInterface = 0;

  private takeBackHandedOn(): void {
    this.heads[this.handedOn]!.interfaceId = this.handedOnInterface;
  }

  nextBuffered(): PacketRecord | null | typeof NEED_INPUT {
    this.running = true;
    if (!this.opened) return NEED_INPUT;
    if (this.handedOn >= 0) {
      this.takeBackHandedOn();
      if (!this.advanceBuffered(this.handedOn)) return NEED_INPUT;
      this.handedOn = -1;
    }
    const i = this.closed ? -1 : this.earliest();
    if (i < 0) return this.end();
    const rec = this.heads[i]!;
    this.handedOn = i;
    this.handedOnInterface = rec.interfaceId;
    rec.frame = ++this.info.packets;
    rec.interfaceId = this.interfaceId(i, rec.interfaceId);
    return rec;
  }

  async readMore(): Promise<void> {
    if (!this.opened) { await this.ready(); return; }
    if (this.handedOn >= 0) {
      this.takeBackHandedOn();
      await this.advance(this.handedOn);
      this.handedOn = -1;
    }
  }

  /** After the last packet: the totals, then the damage of any file, once. */
  private end(): null {
    if (!this.closed) {
      let bytes = 0;
      const stats = [];
      for (let i = 0; i < this.files.length; i++) {
        const f = this.files[i]!;
        bytes += f.info.bytesRead;
        for (const st of f.info.statistics) stats.push({ ...st, interfaceId: this.interfaceId(i, st.interfaceId) });
      }
      this.info.bytesRead = bytes;
      this.info.statistics = stats;
      this.close();
    }
    const errors = this.errors.splice(0);
    if (errors.length > 0) throw new CaptureSetError(errors);
    return null;
  }

  async next(): Promise<PacketRecord | null> {
    for (;;) {
      const p = this.nextBuffered();
      if (p !== NEED_INPUT) return p;
      await this.readMore();
    }
  }

  async run(onPacket: PacketHandler): Promise<CaptureInfo> {
    if (this.running) throw new Error('CaptureFile.run: already running');
    try {
      await this.ready();
      let sinceYield = 0;
      for (;;) {
        const p = this.nextBuffered();
        if (p === NEED_INPUT) { await this.readMore(); continue; }
        if (p === null || onPacket(p) === false) break;
        if (++sinceYield === PACKETS_BETWEEN_YIELDS) {
          sinceYield = 0;
          await new Promise<void>((resolve) => setImmediate(resolve));
        }
      }
      return this.info;
    } finally {
      this.close();
    }
  }

  async *packets(): AsyncGenerator<PacketRecord, void, undefined> {
    for (;;) {
      const p = await this.next();
      if (p === null) return;
      yield copyPacket(p);
    }
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const f of this.files) f.close();
  }
}
