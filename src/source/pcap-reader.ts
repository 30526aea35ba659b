import {
  CaptureFormatError, createPacketRecord,
  type CaptureInfo, type InterfaceInfo, type PacketHandler, type PacketRecord,
} from './packet-record.js';
import {
  isPcapMagic, PCAP_FILE_HEADER_LEN, PCAP_MAGIC_MODIFIED, PCAP_MAGIC_NANOS, PCAP_MODIFIED_RECORD_HEADER_LEN,
  PCAP_RECORD_HEADER_LEN, PCAP_VERSION_MAJOR,
} from './pcap-format.js';
import { MAX_PCAP_CAPLEN, type RecordParser } from './record-parser.js';

/** What the upper bits of the pcap header's link-type field say about the FCS. */
export interface PcapLinkTypeField {
  linkType: number;
  /** FCS bytes at the end of every packet, when the file says; undefined when unknown. */
  fcsBytes: number | undefined;
}

/**
 * Splits the pcap header's "LinkType and additional information" word. The
 * IETF pcap draft puts an 'f' flag in bit 28 and the FCS length (in 16-bit
 * words) in bits 29-31; libpcap's LT_FCS_DATALINK_EXT instead sets bit 26 and
 * a 4-bit length in bits 28-31. Files of both kinds exist, so both are read.
 */
export function splitPcapLinkTypeField(field: number): PcapLinkTypeField {
  const linkType = field & 0xffff;
  if (field & 0x10000000) return { linkType, fcsBytes: ((field >>> 29) & 0x7) * 2 };
  if (field & 0x04000000) return { linkType, fcsBytes: ((field >>> 28) & 0xf) * 2 };
  return { linkType, fcsBytes: undefined };
}

/**
 * Parses classic pcap: a 24-byte file header, then records of a 16-byte
 * header (24 for the "modified" format) and the captured bytes.
 */
export class PcapReader implements RecordParser {
  needed = PCAP_FILE_HEADER_LEN;
  stopped = false;

  resume(): void { this.stopped = false; }
  frames = 0;

  private headerDone = false;
  private littleEndian = true;
  private nanosPerUnit = 1000;
  private unitsPerSecond = 1e6;
  private recordHeaderLen = PCAP_RECORD_HEADER_LEN;
  /** Pre-2.3 files had caplen and len swapped in the record header. */
  private swappedLengths = false;
  private linkType = 1;
  private snaplen = MAX_PCAP_CAPLEN;
  private readonly record: PacketRecord = createPacketRecord();

  constructor(private readonly info: CaptureInfo) {}

  private fail(fileOffset: number, reason: string): never {
    throw new CaptureFormatError(this.info.name, this.frames + 1, fileOffset, reason);
  }

  private readFileHeader(view: DataView, pos: number, base: number): void {
    const le = view.getUint32(pos, true);
    let magic: number;
    if (isPcapMagic(le)) {
      this.littleEndian = true; magic = le;
    } else {
      magic = view.getUint32(pos, false);
      this.littleEndian = false;
      if (!isPcapMagic(magic)) {
        this.fail(base + pos, `not a pcap file (magic 0x${le.toString(16).padStart(8, '0')})`);
      }
    }
    const lei = this.littleEndian;
    this.info.byteOrder = lei ? 'little' : 'big';
    const major = view.getUint16(pos + 4, lei);
    const minor = view.getUint16(pos + 6, lei);
    if (major !== PCAP_VERSION_MAJOR) this.fail(base + pos, `unsupported pcap version ${major}.${minor} (only 2.x is defined)`);
    this.swappedLengths = minor <= 3;
    const snaplen = view.getUint32(pos + 16, lei);
    const { linkType, fcsBytes } = splitPcapLinkTypeField(view.getUint32(pos + 20, lei));
    this.linkType = linkType;
    // As libpcap: a zero or oversized snaplen in the header means the maximum.
    this.snaplen = snaplen > 0 && snaplen <= MAX_PCAP_CAPLEN ? snaplen : MAX_PCAP_CAPLEN;
    if (magic === PCAP_MAGIC_NANOS) {
      this.nanosPerUnit = 1; this.unitsPerSecond = 1e9;
      this.info.format = 'pcap-ns';
    } else {
      this.info.format = 'pcap';
    }
    if (magic === PCAP_MAGIC_MODIFIED) this.recordHeaderLen = PCAP_MODIFIED_RECORD_HEADER_LEN;
    const iface: InterfaceInfo = { id: 0, linkType, snaplen, tsUnitsPerSecond: this.unitsPerSecond };
    if (fcsBytes !== undefined) iface.fcsBytes = fcsBytes;
    this.info.interfaces.push(iface);
  }

  parse(buf: Uint8Array, view: DataView, pos: number, end: number, base: number,
    onPacket: PacketHandler | null): number {
    if (!this.headerDone) {
      if (end - pos < PCAP_FILE_HEADER_LEN) { this.needed = PCAP_FILE_HEADER_LEN; return pos; }
      this.readFileHeader(view, pos, base);
      this.headerDone = true;
      pos += PCAP_FILE_HEADER_LEN;
    }
    if (onPacket === null) { this.needed = 0; return pos; }
    const rec = this.record;
    rec.bytes = buf;
    rec.linkType = this.linkType;
    const le = this.littleEndian;
    const hdrLen = this.recordHeaderLen;
    const nanosPerUnit = this.nanosPerUnit;
    const unitsPerSecond = this.unitsPerSecond;
    for (;;) {
      if (end - pos < hdrLen) { this.needed = hdrLen; return pos; }
      let caplen = view.getUint32(pos + 8, le);
      let origLen = view.getUint32(pos + 12, le);
      if (this.swappedLengths && caplen > origLen) { const t = caplen; caplen = origLen; origLen = t; }
      if (caplen > MAX_PCAP_CAPLEN) {
        this.fail(base + pos, `caplen ${caplen} is absurd (more than ${MAX_PCAP_CAPLEN}); the file is damaged`);
      }
      if (end - pos - hdrLen < caplen) { this.needed = hdrLen + caplen; return pos; }
      let sec = view.getUint32(pos, le);
      let frac = view.getUint32(pos + 4, le);
      if (frac >= unitsPerSecond) {
        // Out-of-range fractions exist in the wild; carry them so tsNsec stays below 1e9.
        const carry = Math.floor(frac / unitsPerSecond);
        sec += carry; frac -= carry * unitsPerSecond;
      }
      rec.frame = ++this.frames;
      rec.tsSec = sec;
      rec.tsNsec = frac * nanosPerUnit;
      // A record longer than the file's snaplen is read whole but cut to the
      // snaplen, as libpcap does, so every tool sees the same bytes.
      rec.caplen = caplen <= this.snaplen ? caplen : this.snaplen;
      rec.origLen = origLen;
      rec.offset = pos + hdrLen;
      rec.fileOffset = base + pos;
      pos += hdrLen + caplen;
      if (onPacket(rec) === false) { this.stopped = true; return pos; }
    }
  }

  finish(view: DataView, pos: number, end: number, base: number): void {
    const left = end - pos;
    if (!this.headerDone) {
      if (left === 0) this.fail(base + pos, 'empty file: no pcap file header');
      this.fail(base + pos, `truncated pcap file header: ${left} of ${PCAP_FILE_HEADER_LEN} bytes`);
    }
    if (left === 0) return;
    if (left < this.recordHeaderLen) {
      this.fail(base + pos, `truncated dump file; tried to read ${this.recordHeaderLen} header bytes, only got ${left}`);
    }
    const caplen = view.getUint32(pos + 8, this.littleEndian);
    this.fail(base + pos,
      `truncated dump file; tried to read ${caplen} captured bytes, only got ${left - this.recordHeaderLen}`);
  }
}
