import * as fs from 'node:fs';
import * as os from 'node:os';
import type { Writable } from 'node:stream';
import type { PacketRecord } from '../source/packet-record.js';
import {
  PCAP_FILE_HEADER_LEN, PCAP_MAGIC_MICROS, PCAP_MAGIC_NANOS, PCAP_RECORD_HEADER_LEN, PCAP_VERSION_MAJOR,
  PCAP_VERSION_MINOR,
} from '../source/pcap-format.js';
import { MAX_PCAP_CAPLEN } from '../source/record-parser.js';
import { ShortWriteError, withPath, writeAllSync } from './fd-write.js';
import { PCAPNG_BLOCK, PCAPNG_BYTE_ORDER_MAGIC } from '../source/pcapng-reader.js';

/** Options shared by {@link PcapWriter} and {@link PcapngWriter}. */
export interface CaptureWriterOptions {
  /** Longest packet the file may hold; longer packets are cut to it (default 262144). */
  snaplen?: number;
  /** Bytes gathered before each write (default 1 MiB). */
  bufferSize?: number;
}

/** Options for {@link PcapWriter}. */
export interface PcapWriterOptions extends CaptureWriterOptions {
  /** LINKTYPE_* of every packet in the file. */
  linkType: number;
  /** Write a nanosecond-resolution pcap (PCAP_MAGIC_NANOS) instead of microseconds. */
  nanosecond?: boolean;
}

/** Options for {@link PcapngWriter}. */
export interface PcapngWriterOptions extends CaptureWriterOptions {
  /** Link types to describe before any packet; others get an interface when first seen. */
  linkTypes?: number[];
}

/**
 * Where finished bytes go. Synchronous to a file descriptor (a full disk
 * throws at the write that failed); a stream accepts asynchronously and is
 * waited on by `drain`.
 */
interface WriteTarget {
  /** Takes ownership of `bytes` when `transfers` is true. */
  write(bytes: Uint8Array): void;
  readonly transfers: boolean;
  drain(): Promise<void>;
  end(): Promise<void>;
  /** Best effort: drop bytes after `size` (used to cut off a half-written buffer). */
  truncate(size: number): void;
}

class FdTarget implements WriteTarget {
  readonly transfers = false;
  private closed = false;

  constructor(private readonly fd: number, private readonly ownsFd: boolean, private readonly path: string) {}

  write(bytes: Uint8Array): void {
    try {
      writeAllSync(this.fd, bytes, 0, bytes.length, this.path);
    } catch (err) {
      // Whole buffers only: the writer cuts a short one back itself (truncate).
      throw err instanceof ShortWriteError ? err.error : err;
    }
  }

  drain(): Promise<void> {
    return Promise.resolve();
  }

  end(): Promise<void> {
    if (!this.closed) {
      this.closed = true;
      if (this.ownsFd) {
        try { fs.closeSync(this.fd); } catch (err) { return Promise.reject(withPath(err, this.path)); }
      }
    }
    return Promise.resolve();
  }

  truncate(size: number): void {
    try { fs.ftruncateSync(this.fd, size); } catch { /* pipes cannot be truncated */ }
  }
}

class StreamTarget implements WriteTarget {
  readonly transfers = true;
  private error: Error | null = null;
  private waiting = false;

  constructor(private readonly stream: Writable) {
    stream.on('error', (err: Error) => { this.error = err; });
  }

  write(bytes: Uint8Array): void {
    if (this.error) throw this.error;
    if (!this.stream.write(bytes)) this.waiting = true;
  }

  drain(): Promise<void> {
    if (this.error) return Promise.reject(this.error);
    if (!this.waiting) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const done = (): void => {
        this.stream.off('drain', done); this.stream.off('error', done); this.stream.off('close', done);
        this.waiting = false;
        if (this.error) reject(this.error); else resolve();
      };
      this.stream.on('drain', done);
      this.stream.on('error', done);
      this.stream.on('close', done);
    });
  }

  end(): Promise<void> {
    if (this.error) return Promise.reject(this.error);
    return new Promise((resolve, reject) => {
      this.stream.end((err?: Error | null) => {
        const e = err ?? this.error;
        if (e) reject(e); else resolve();
      });
    });
  }

  truncate(): void { /* a stream cannot take bytes back */ }
}

/** '-' is standard output, written with blocking writes so a slow reader holds us back. */
function targetFor(dest: string | Writable | number): WriteTarget {
  if (typeof dest === 'number') return new FdTarget(dest, false, `fd ${dest}`);
  if (typeof dest !== 'string') return new StreamTarget(dest);
  if (dest === '-') return new FdTarget(1, false, '-');
  return new FdTarget(fs.openSync(dest, 'w'), true, dest);
}

const DEFAULT_BUFFER = 1024 * 1024;
export const DEFAULT_SNAPLEN = MAX_PCAP_CAPLEN;
const LITTLE_ENDIAN_HOST = os.endianness() === 'LE';
const copyBytes = Buffer.prototype.copy as (this: Uint8Array, target: Uint8Array,
  targetStart: number, sourceStart: number, sourceEnd: number) => number;

/**
 * Gathers whole records in a large buffer and hands the buffer to the target
 * when the next record would not fit, so a record is never split across writes.
 */
abstract class BufferedCaptureWriter {
  protected buf: Buffer;
  protected view: DataView;
  protected used = 0;
  /** Bytes the target has accepted, i.e. the file size after the last good flush. */
  private flushed = 0;
  private failure: unknown = null;
  private closing: Promise<void> | null = null;
  private readonly target: WriteTarget;
  private readonly bufferSize: number;
  protected readonly snaplen: number;
  /** Packets written with `writePacket`. */
  packetsWritten = 0;

  protected constructor(dest: string | Writable | number, opts: CaptureWriterOptions) {
    this.target = targetFor(dest);
    this.bufferSize = Math.max(64 * 1024, opts.bufferSize ?? DEFAULT_BUFFER);
    this.snaplen = opts.snaplen ?? DEFAULT_SNAPLEN;
    this.buf = Buffer.allocUnsafe(this.bufferSize);
    this.view = new DataView(this.buf.buffer, this.buf.byteOffset, this.buf.length);
  }

  /** Bytes written to the output so far, including what is still buffered. */
  get bytesWritten(): number {
    return this.flushed + this.used;
  }

  /** Makes room for `n` more bytes in the buffer, flushing or growing it. */
  protected reserve(n: number): void {
    if (this.failure !== null) throw this.failure;
    if (this.closing !== null) throw new Error('capture writer is closed');
    if (this.used + n <= this.buf.length) return;
    this.flushBuffer();
    if (n > this.buf.length) this.replaceBuffer(n);
  }

  protected copyIn(src: Uint8Array, start: number, length: number, at: number): void {
    copyBytes.call(src, this.buf, at, start, start + length);
  }

  private replaceBuffer(size: number): void {
    this.buf = Buffer.allocUnsafe(size);
    this.view = new DataView(this.buf.buffer, this.buf.byteOffset, this.buf.length);
  }

  /** Writes out everything buffered. Throws (and stays failed) if the target refuses. */
  protected flushBuffer(): void {
    if (this.used === 0) return;
    const chunk = this.buf.subarray(0, this.used);
    try {
      this.target.write(chunk);
    } catch (err) {
      this.failure = err;
      // Cut back to the last whole buffer so the file never ends in half a record.
      this.target.truncate(this.flushed);
      throw err;
    }
    this.flushed += this.used;
    this.used = 0;
    if (this.target.transfers) this.replaceBuffer(this.bufferSize);
  }

  /**
   * Writes out what is buffered and waits until the output can take more
   * (stream outputs only; file writes are already synchronous).
   */
  async flush(): Promise<void> {
    if (this.failure !== null) throw this.failure;
    this.flushBuffer();
    await this.target.drain();
  }

  /** Flushes everything and closes the output (not standard output or a caller's fd). */
  close(): Promise<void> {
    if (this.closing === null) {
      this.closing = (async () => {
        if (this.failure !== null) throw this.failure;
        this.flushBuffer();
        await this.target.drain();
        await this.target.end();
      })();
    }
    return this.closing;
  }
}

/**
 * A classic pcap file header in host byte order, as libpcap writes it, so
 * records from a live capture ring can follow it verbatim.
 */
export function pcapFileHeader(linkType: number, snaplen: number, nanosecond: boolean): Uint8Array {
  const header = new Uint8Array(PCAP_FILE_HEADER_LEN);
  const v = new DataView(header.buffer);
  const le = LITTLE_ENDIAN_HOST;
  v.setUint32(0, nanosecond ? PCAP_MAGIC_NANOS : PCAP_MAGIC_MICROS, le);
  v.setUint16(4, PCAP_VERSION_MAJOR, le);
  v.setUint16(6, PCAP_VERSION_MINOR, le);
  // Bytes 8-15, the time zone and accuracy, stay zero as in every libpcap file.
  v.setUint32(16, snaplen, le);
  v.setUint32(20, linkType, le);
  return header;
}

/** Writes a classic pcap file (microsecond or nanosecond), in host byte order as libpcap does. */
export class PcapWriter extends BufferedCaptureWriter {
  private readonly nanosecond: boolean;

  /** @param dest a path, '-' for standard output, an open fd, or a Writable stream */
  constructor(dest: string | Writable | number, readonly options: PcapWriterOptions) {
    super(dest, options);
    this.nanosecond = options.nanosecond === true;
    this.reserve(PCAP_FILE_HEADER_LEN);
    this.copyIn(pcapFileHeader(options.linkType, this.snaplen, this.nanosecond), 0, PCAP_FILE_HEADER_LEN, 0);
    this.used = PCAP_FILE_HEADER_LEN;
  }

  /** Appends one packet (cut to the snaplen); nanoseconds are truncated for a microsecond file. */
  writePacket(rec: PacketRecord): void {
    const caplen = rec.caplen <= this.snaplen ? rec.caplen : this.snaplen;
    this.reserve(PCAP_RECORD_HEADER_LEN + caplen);
    const at = this.used;
    const v = this.view;
    const le = LITTLE_ENDIAN_HOST;
    v.setUint32(at, rec.tsSec, le);
    v.setUint32(at + 4, this.nanosecond ? rec.tsNsec : Math.floor(rec.tsNsec / 1000), le);
    v.setUint32(at + 8, caplen, le);
    v.setUint32(at + 12, rec.origLen, le);
    this.copyIn(rec.bytes, rec.offset, caplen, at + PCAP_RECORD_HEADER_LEN);
    this.used = at + PCAP_RECORD_HEADER_LEN + caplen;
    this.packetsWritten++;
  }
}

/** Interface Description Block: 20 fixed bytes + if_tsresol option (8) + end of options (4). */
const IDB_LEN = 32;
const EPB_FIXED = 32;

/**
 * Writes a pcapng file: one section, one interface per link type (declared up
 * front or when first seen), each with if_tsresol=9 so packets keep their
 * nanoseconds, and an Enhanced Packet Block per packet.
 */
export class PcapngWriter extends BufferedCaptureWriter {
  private readonly interfaceByLinkType = new Map<number, number>();
  private lastLinkType = -1;
  private lastInterface = -1;

  /** @param dest a path, '-' for standard output, an open fd, or a Writable stream */
  constructor(dest: string | Writable | number, readonly options: PcapngWriterOptions = {}) {
    super(dest, options);
    this.writeSectionHeader();
    for (const lt of options.linkTypes ?? []) this.interfaceFor(lt);
  }

  private writeSectionHeader(): void {
    this.reserve(28);
    const v = this.view;
    const le = LITTLE_ENDIAN_HOST;
    v.setUint32(0, PCAPNG_BLOCK.SECTION_HEADER, le);
    v.setUint32(4, 28, le);
    v.setUint32(8, PCAPNG_BYTE_ORDER_MAGIC, le);
    v.setUint16(12, 1, le);
    v.setUint16(14, 0, le);
    // Section length unknown (-1): we stream and never seek back.
    v.setInt32(16, -1, le);
    v.setInt32(20, -1, le);
    v.setUint32(24, 28, le);
    this.used = 28;
  }

  /** The interface id for a link type, writing its description block the first time. */
  private interfaceFor(linkType: number): number {
    const known = this.interfaceByLinkType.get(linkType);
    if (known !== undefined) return known;
    const id = this.interfaceByLinkType.size;
    this.reserve(IDB_LEN);
    const at = this.used;
    const v = this.view;
    const le = LITTLE_ENDIAN_HOST;
    v.setUint32(at, PCAPNG_BLOCK.INTERFACE_DESCRIPTION, le);
    v.setUint32(at + 4, IDB_LEN, le);
    v.setUint16(at + 8, linkType, le);
    v.setUint16(at + 10, 0, le);
    v.setUint32(at + 12, this.snaplen, le);
    v.setUint16(at + 16, 9, le); // if_tsresol
    v.setUint16(at + 18, 1, le);
    v.setUint32(at + 20, 0, le);
    this.buf[at + 20] = 9; // 10^-9: nanoseconds
    v.setUint32(at + 24, 0, le); // opt_endofopt
    v.setUint32(at + 28, IDB_LEN, le);
    this.used = at + IDB_LEN;
    this.interfaceByLinkType.set(linkType, id);
    return id;
  }

  /** Appends one packet (cut to the snaplen) on the interface for its link type. */
  writePacket(rec: PacketRecord): void {
    let iface: number;
    if (rec.linkType === this.lastLinkType) iface = this.lastInterface;
    else {
      iface = this.interfaceFor(rec.linkType);
      this.lastLinkType = rec.linkType;
      this.lastInterface = iface;
    }
    const caplen = rec.caplen <= this.snaplen ? rec.caplen : this.snaplen;
    const padded = (caplen + 3) & ~3;
    const len = EPB_FIXED + padded;
    this.reserve(len);
    const at = this.used;
    const v = this.view;
    const le = LITTLE_ENDIAN_HOST;
    // tsSec * 1e9 + tsNsec exceeds 2^53; assemble the two 32-bit words from
    // exact 16-bit pieces instead of using BigInt per packet.
    const secHigh = Math.floor(rec.tsSec / 65536);
    const secLow = rec.tsSec - secHigh * 65536;
    const a = secHigh * 1e9;
    const aHigh = Math.floor(a / 65536);
    const c = (a - aHigh * 65536) * 65536 + secLow * 1e9 + rec.tsNsec;
    const cHigh = Math.floor(c / 4294967296);
    v.setUint32(at, PCAPNG_BLOCK.ENHANCED_PACKET, le);
    v.setUint32(at + 4, len, le);
    v.setUint32(at + 8, iface, le);
    v.setUint32(at + 12, aHigh + cHigh, le);
    v.setUint32(at + 16, c - cHigh * 4294967296, le);
    v.setUint32(at + 20, caplen, le);
    v.setUint32(at + 24, rec.origLen, le);
    this.copyIn(rec.bytes, rec.offset, caplen, at + 28);
    for (let i = at + 28 + caplen; i < at + 28 + padded; i++) this.buf[i] = 0;
    v.setUint32(at + 28 + padded, len, le);
    this.used = at + len;
    this.packetsWritten++;
  }
}
