import {
  CaptureFormatError, createPacketRecord,
  type CaptureInfo, type InterfaceInfo, type InterfaceStatistics, type PacketHandler, type PacketRecord,
} from './packet-record.js';
import { MAX_PCAPNG_BLOCK, type RecordParser } from './record-parser.js';
import { TimestampScale, unitsPerSecondFromTsresol } from './timestamp.js';

/** pcapng block types this reader understands. */
export const PCAPNG_BLOCK = {
  SECTION_HEADER: 0x0a0d0d0a,
  INTERFACE_DESCRIPTION: 0x00000001,
  PACKET_OBSOLETE: 0x00000002,
  SIMPLE_PACKET: 0x00000003,
  NAME_RESOLUTION: 0x00000004,
  INTERFACE_STATISTICS: 0x00000005,
  ENHANCED_PACKET: 0x00000006,
  DECRYPTION_SECRETS: 0x0000000a,
} as const;

/** The Section Header Block's byte-order magic, as read in the section's own byte order. */
export const PCAPNG_BYTE_ORDER_MAGIC = 0x1a2b3c4d;
const MIN_BLOCK = 12;
const MIN_SHB = 28;
const MIN_IDB = 20;
const MIN_EPB = 32;
const MIN_PB = 32;
const MIN_SPB = 16;
const MIN_ISB = 24;

/** One interface of the current section, as packets refer to it. */
interface SectionInterface {
  globalId: number;
  linkType: number;
  snaplen: number;
  scale: TimestampScale;
}

/**
 * Parses pcapng: any number of sections, each with its own byte order and
 * interfaces. Packets carry `interfaceId` = index into `CaptureInfo.interfaces`
 * (unique across sections), so a consumer never needs the section.
 */
export class PcapngReader implements RecordParser {
  needed = MIN_BLOCK;
  stopped = false;

  resume(): void { this.stopped = false; }
  frames = 0;

  private littleEndian = true;
  private section = -1;
  private interfaces: SectionInterface[] = [];
  private readonly record: PacketRecord = createPacketRecord();

  constructor(private readonly info: CaptureInfo) {
    info.format = 'pcapng';
  }

  private fail(fileOffset: number, reason: string): never {
    throw new CaptureFormatError(this.info.name, this.frames + 1, fileOffset, reason);
  }

  parse(buf: Uint8Array, view: DataView, pos: number, end: number, base: number,
    onPacket: PacketHandler | null): number {
    const rec = this.record;
    rec.bytes = buf;
    let tsSec = 0;
    let tsNsec = 0;
    for (;;) {
      if (end - pos < MIN_BLOCK) { this.needed = MIN_BLOCK; return pos; }
      let type = view.getUint32(pos, this.littleEndian);
      if (type === PCAPNG_BLOCK.SECTION_HEADER) this.readByteOrder(view, pos, base);
      else if (this.section < 0) this.fail(base + pos, 'pcapng file does not start with a Section Header Block');
      const le = this.littleEndian;
      type = view.getUint32(pos, le);
      const len = view.getUint32(pos + 4, le);
      if (len < MIN_BLOCK || len % 4 !== 0 || len > MAX_PCAPNG_BLOCK) this.badLength(base + pos, type, len);
      if (end - pos < len) { this.needed = len; return pos; }
      const trailer = view.getUint32(pos + len - 4, le);
      if (trailer !== len) {
        this.fail(base + pos, `block of type 0x${type.toString(16)} has length ${len} but trailing length ${trailer}`);
      }
      if (type === PCAPNG_BLOCK.ENHANCED_PACKET) {
        if (onPacket === null) { this.needed = 0; return pos; }
        if (len < MIN_EPB) this.tooShort(base + pos, 'Enhanced Packet Block', len, MIN_EPB);
        const iface = this.interfaceFor(view.getUint32(pos + 8, le), base + pos);
        const caplen = view.getUint32(pos + 20, le);
        if (caplen > len - MIN_EPB) {
          this.fail(base + pos, `captured length ${caplen} does not fit in an Enhanced Packet Block of ${len} bytes`);
        }
        iface.scale.convert(view.getUint32(pos + 12, le), view.getUint32(pos + 16, le));
        tsSec = iface.scale.sec; tsNsec = iface.scale.nsec;
        rec.caplen = caplen;
        rec.origLen = view.getUint32(pos + 24, le);
        rec.offset = pos + 28;
      } else if (type === PCAPNG_BLOCK.SIMPLE_PACKET) {
        if (onPacket === null) { this.needed = 0; return pos; }
        if (len < MIN_SPB) this.tooShort(base + pos, 'Simple Packet Block', len, MIN_SPB);
        const iface = this.interfaceFor(0, base + pos);
        const origLen = view.getUint32(pos + 8, le);
        // The SPB has no captured-length field: it is the original length cut to the snaplen.
        let caplen = Math.min(origLen, len - MIN_SPB);
        if (iface.snaplen !== 0 && caplen > iface.snaplen) caplen = iface.snaplen;
        rec.caplen = caplen;
        rec.origLen = origLen;
        rec.offset = pos + 12;
        // No timestamp in an SPB: zero, as libpcap reports it.
        tsSec = 0; tsNsec = 0;
      } else if (type === PCAPNG_BLOCK.PACKET_OBSOLETE) {
        if (onPacket === null) { this.needed = 0; return pos; }
        if (len < MIN_PB) this.tooShort(base + pos, 'Packet Block', len, MIN_PB);
        const iface = this.interfaceFor(view.getUint16(pos + 8, le), base + pos);
        const caplen = view.getUint32(pos + 20, le);
        if (caplen > len - MIN_PB) {
          this.fail(base + pos, `captured length ${caplen} does not fit in a Packet Block of ${len} bytes`);
        }
        iface.scale.convert(view.getUint32(pos + 12, le), view.getUint32(pos + 16, le));
        tsSec = iface.scale.sec; tsNsec = iface.scale.nsec;
        rec.caplen = caplen;
        rec.origLen = view.getUint32(pos + 24, le);
        rec.offset = pos + 28;
      } else {
        if (type === PCAPNG_BLOCK.SECTION_HEADER) this.readSectionHeader(view, pos, len, base);
        else if (type === PCAPNG_BLOCK.INTERFACE_DESCRIPTION) this.readInterface(buf, view, pos, len, base);
        else if (type === PCAPNG_BLOCK.INTERFACE_STATISTICS) this.readStatistics(view, pos, len, base);
        // Name resolution, decryption secrets, custom and unknown blocks: skipped by length.
        pos += len;
        continue;
      }
      const iface = this.currentInterface;
      rec.frame = ++this.frames;
      rec.tsSec = tsSec;
      rec.tsNsec = tsNsec;
      rec.linkType = iface.linkType;
      rec.interfaceId = iface.globalId;
      rec.fileOffset = base + pos;
      pos += len;
      if (onPacket(rec) === false) { this.stopped = true; return pos; }
    }
  }

  /** The interface the last `interfaceFor` returned; avoids a second lookup per packet. */
  private currentInterface!: SectionInterface;

  private interfaceFor(id: number, fileOffset: number): SectionInterface {
    const iface = this.interfaces[id];
    if (iface === undefined) {
      this.fail(fileOffset, `packet refers to interface ${id}, but the section has ` +
        `${this.interfaces.length} Interface Description Block${this.interfaces.length === 1 ? '' : 's'}`);
    }
    this.currentInterface = iface;
    return iface;
  }

  private badLength(fileOffset: number, type: number, len: number): never {
    const what = `block of type 0x${type.toString(16)} has length ${len}`;
    if (len < MIN_BLOCK) this.fail(fileOffset, `${what}, less than the minimum of ${MIN_BLOCK}`);
    if (len % 4 !== 0) this.fail(fileOffset, `${what}, not a multiple of 4`);
    this.fail(fileOffset, `${what}, absurdly large (more than ${MAX_PCAPNG_BLOCK} bytes)`);
  }

  private tooShort(fileOffset: number, what: string, len: number, min: number): never {
    this.fail(fileOffset, `${what} of ${len} bytes is shorter than its fixed part (${min} bytes)`);
  }

  private readByteOrder(view: DataView, pos: number, base: number): void {
    const bom = view.getUint32(pos + 8, true);
    if (bom === PCAPNG_BYTE_ORDER_MAGIC) this.littleEndian = true;
    else if (view.getUint32(pos + 8, false) === PCAPNG_BYTE_ORDER_MAGIC) this.littleEndian = false;
    else this.fail(base + pos, `Section Header Block has a bad byte-order magic 0x${bom.toString(16).padStart(8, '0')}`);
    this.info.byteOrder ??= this.littleEndian ? 'little' : 'big';
  }

  private readSectionHeader(view: DataView, pos: number, len: number, base: number): void {
    if (len < MIN_SHB) this.tooShort(base + pos, 'Section Header Block', len, MIN_SHB);
    const major = view.getUint16(pos + 12, this.littleEndian);
    const minor = view.getUint16(pos + 14, this.littleEndian);
    if (major !== 1) this.fail(base + pos, `unsupported pcapng version ${major}.${minor}`);
    this.section++;
    this.interfaces = [];
  }

  private readInterface(buf: Uint8Array, view: DataView, pos: number, len: number, base: number): void {
    if (len < MIN_IDB) this.tooShort(base + pos, 'Interface Description Block', len, MIN_IDB);
    const le = this.littleEndian;
    const linkType = view.getUint16(pos + 8, le);
    const snaplen = view.getUint32(pos + 12, le);
    let unitsPerSecond = 1e6;
    let offsetSec = 0;
    let name: string | undefined;
    let description: string | undefined;
    let fcsBytes: number | undefined;
    const optEnd = pos + len - 4;
    for (let o = pos + 16; o + 4 <= optEnd;) {
      const code = view.getUint16(o, le);
      const olen = view.getUint16(o + 2, le);
      const v = o + 4;
      if (code === 0 || v + olen > optEnd) break; // end of options, or a damaged option: ignore the rest
      if (code === 2) name = textOf(buf, v, olen);
      else if (code === 3) description = textOf(buf, v, olen);
      else if (code === 9 && olen >= 1) {
        const units = unitsPerSecondFromTsresol(buf[v]!);
        if (units === undefined) this.fail(base + pos, `interface has an unsupported if_tsresol 0x${buf[v]!.toString(16)}`);
        unitsPerSecond = units;
      } else if (code === 13 && olen >= 1) fcsBytes = buf[v]!;
      else if (code === 14 && olen >= 8) offsetSec = Number(view.getBigInt64(v, le));
      o = v + ((olen + 3) & ~3);
    }
    const globalId = this.info.interfaces.length;
    const info: InterfaceInfo = {
      id: globalId, linkType, snaplen, tsUnitsPerSecond: unitsPerSecond,
      section: this.section, sectionInterfaceId: this.interfaces.length,
    };
    if (name !== undefined) info.name = name;
    if (description !== undefined) info.description = description;
    if (fcsBytes !== undefined) info.fcsBytes = fcsBytes;
    this.info.interfaces.push(info);
    this.interfaces.push({ globalId, linkType, snaplen, scale: new TimestampScale(unitsPerSecond, offsetSec) });
  }

  private readStatistics(view: DataView, pos: number, len: number, base: number): void {
    if (len < MIN_ISB) this.tooShort(base + pos, 'Interface Statistics Block', len, MIN_ISB);
    const le = this.littleEndian;
    const iface = this.interfaces[view.getUint32(pos + 8, le)];
    // Statistics for an undeclared interface say nothing usable; skip rather than fail.
    if (iface === undefined) return;
    iface.scale.convert(view.getUint32(pos + 12, le), view.getUint32(pos + 16, le));
    const stats: InterfaceStatistics = { interfaceId: iface.globalId, tsSec: iface.scale.sec, tsNsec: iface.scale.nsec };
    const optEnd = pos + len - 4;
    for (let o = pos + 20; o + 4 <= optEnd;) {
      const code = view.getUint16(o, le);
      const olen = view.getUint16(o + 2, le);
      const v = o + 4;
      if (code === 0 || v + olen > optEnd) break;
      if (olen === 8) {
        const value = view.getBigUint64(v, le);
        if (code === 4) stats.received = value;
        else if (code === 5) stats.dropped = value;
        else if (code === 6) stats.filterAccepted = value;
        else if (code === 7) stats.osDropped = value;
        else if (code === 8) stats.delivered = value;
      }
      o = v + ((olen + 3) & ~3);
    }
    this.info.statistics.push(stats);
  }

  finish(view: DataView, pos: number, end: number, base: number): void {
    const left = end - pos;
    if (this.section < 0 && left === 0) this.fail(base + pos, 'empty file: no pcapng Section Header Block');
    if (left === 0) return;
    if (left < 8) {
      this.fail(base + pos, `truncated pcapng file; tried to read a ${MIN_BLOCK}-byte block header, only got ${left} bytes`);
    }
    let le = this.littleEndian;
    if (left >= 12 && view.getUint32(pos, true) === PCAPNG_BLOCK.SECTION_HEADER) {
      le = view.getUint32(pos + 8, true) === PCAPNG_BYTE_ORDER_MAGIC;
    }
    const len = view.getUint32(pos + 4, le);
    this.fail(base + pos, `truncated pcapng file; tried to read a block of ${len} bytes, only got ${left}`);
  }
}

function textOf(buf: Uint8Array, start: number, len: number): string {
  let end = start + len;
  while (end > start && buf[end - 1] === 0) end--;
  return Buffer.from(buf.buffer, buf.byteOffset + start, end - start).toString('utf8');
}
