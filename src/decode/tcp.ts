import { u16, u32 } from './bytes.js';

/** Byte ranges of a TCP header (RFC 9293). */
const field = { SRC_PORT: 0, DST_PORT: 2, SEQ: 4, ACK: 8, DATA_OFF: 12, FLAGS: 13, WINDOW: 14, CHECKSUM: 16, URGENT: 18 } as const;
export const TCP_MIN_HEADER_LEN = 20;

export const TcpFlag = { FIN: 0x01, SYN: 0x02, RST: 0x04, PSH: 0x08, ACK: 0x10, URG: 0x20, ECE: 0x40, CWR: 0x80, AE: 0x100 } as const;

export const TcpOptionKind = {
  End: 0, Nop: 1, Mss: 2, WindowScale: 3, SackPermitted: 4, Sack: 5, Timestamps: 8,
} as const;

/** Options beyond this many are not recorded (a 40-byte option area holds at most 40). */
export const MAX_TCP_OPTIONS = 40;
export const MAX_SACK_BLOCKS = 4;

/**
 * A view over a TCP header. Options are walked once at decode time into the
 * fixed fields below, so analyzers read them without parsing again.
 */
export class TcpView {
  b: Uint8Array = new Uint8Array(0);
  o = 0;
  /** One past the last segment byte: the IP payload end, clipped to the capture. */
  end = 0;
  /** Bytes of TCP payload the IP length says the segment carries (may exceed what was captured). */
  payloadLength = 0;

  // Options, as found by walkOptions().
  optionCount = 0;
  readonly optionKind = new Uint8Array(MAX_TCP_OPTIONS);
  readonly optionOffset = new Int32Array(MAX_TCP_OPTIONS);
  readonly optionLength = new Uint8Array(MAX_TCP_OPTIONS);
  /** The option area ran past the header or an option had an impossible length. */
  optionsMalformed = false;
  /** The option area was not fully captured. */
  optionsTruncated = false;
  mss = -1;
  windowScale = -1;
  sackPermitted = false;
  tsVal = -1;
  tsEcr = -1;
  sackCount = 0;
  readonly sackLeft = new Float64Array(MAX_SACK_BLOCKS);
  readonly sackRight = new Float64Array(MAX_SACK_BLOCKS);

  get srcPort(): number { return u16(this.b, this.o + field.SRC_PORT); }
  get dstPort(): number { return u16(this.b, this.o + field.DST_PORT); }
  get seq(): number { return u32(this.b, this.o + field.SEQ); }
  get ack(): number { return u32(this.b, this.o + field.ACK); }
  get headerLength(): number { return (this.b[this.o + field.DATA_OFF]! >> 4) * 4; }
  /** The nine flag bits, including AE (formerly NS). */
  get flags(): number { return this.b[this.o + field.FLAGS]! | ((this.b[this.o + field.DATA_OFF]! & 1) << 8); }
  get window(): number { return u16(this.b, this.o + field.WINDOW); }
  get checksum(): number { return u16(this.b, this.o + field.CHECKSUM); }
  get urgentPointer(): number { return u16(this.b, this.o + field.URGENT); }
  get payloadOffset(): number { return this.o + this.headerLength; }
  /** Payload bytes actually present in the capture. */
  get capturedPayloadLength(): number { return Math.max(0, Math.min(this.payloadLength, this.end - this.payloadOffset)); }
  has(flag: number): boolean { return (this.flags & flag) !== 0; }

  /** Walks the option area; called by the decoder once the header is known to be whole. */
  walkOptions(captureEnd: number): void {
    this.optionCount = 0;
    this.optionsMalformed = false;
    this.optionsTruncated = false;
    this.mss = -1;
    this.windowScale = -1;
    this.sackPermitted = false;
    this.tsVal = -1;
    this.tsEcr = -1;
    this.sackCount = 0;
    const b = this.b;
    const headerEnd = this.o + this.headerLength;
    const end = Math.min(headerEnd, captureEnd);
    if (end < headerEnd) this.optionsTruncated = true;
    let p = this.o + TCP_MIN_HEADER_LEN;
    while (p < end) {
      const kind = b[p]!;
      let len = 1;
      if (kind !== TcpOptionKind.End && kind !== TcpOptionKind.Nop) {
        if (p + 1 >= end) { this.markTruncatedOrMalformed(p + 1, headerEnd); break; }
        len = b[p + 1]!;
        if (len < 2) { this.optionsMalformed = true; this.record(kind, p, len); break; }
        if (p + len > end) { this.markTruncatedOrMalformed(p + len, headerEnd); this.record(kind, p, len); break; }
        this.readOption(kind, p, len);
      }
      this.record(kind, p, len);
      if (kind === TcpOptionKind.End) break;
      p += len;
    }
  }

  private markTruncatedOrMalformed(needed: number, headerEnd: number): void {
    if (needed > headerEnd) this.optionsMalformed = true;
    else this.optionsTruncated = true;
  }

  private record(kind: number, offset: number, len: number): void {
    if (this.optionCount >= MAX_TCP_OPTIONS) return;
    this.optionKind[this.optionCount] = kind;
    this.optionOffset[this.optionCount] = offset;
    this.optionLength[this.optionCount] = len;
    this.optionCount++;
  }

  private readOption(kind: number, p: number, len: number): void {
    const b = this.b;
    switch (kind) {
      case TcpOptionKind.Mss:
        if (len === 4) this.mss = u16(b, p + 2);
        break;
      case TcpOptionKind.WindowScale:
        if (len === 3) this.windowScale = b[p + 2]!;
        break;
      case TcpOptionKind.SackPermitted:
        if (len === 2) this.sackPermitted = true;
        break;
      case TcpOptionKind.Timestamps:
        if (len === 10) { this.tsVal = u32(b, p + 2); this.tsEcr = u32(b, p + 6); }
        break;
      case TcpOptionKind.Sack:
        for (let q = p + 2; q + 8 <= p + len && this.sackCount < MAX_SACK_BLOCKS; q += 8) {
          this.sackLeft[this.sackCount] = u32(b, q);
          this.sackRight[this.sackCount] = u32(b, q + 4);
          this.sackCount++;
        }
        break;
    }
  }
}
