/**
 * One tcpdump-identical line (plus -v continuation lines and -x/-X dumps) per
 * packet. The printers re-walk the packet bytes with tcpdump's own bounds
 * rules, because its output depends on exactly where a short capture ends
 * (text printed before a "[|tcp]" marker, "truncated-ip" from wire lengths,
 * snapend narrowed to the IP length...), which is finer than what the
 * decoders record. They allocate only the text of the line.
 */
import type { PacketRecord } from '../../source/packet-record.js';
import { MAX_PCAP_CAPLEN } from '../../source/record-parser.js';
import { asciiText, hexAsciiLines, hexLines } from './hexdump.js';
import { printEthernet, printNull, printRaw, printSll } from './link.js';
import type { LinePalette } from './palette.js';
import { printPppLink } from './ppp.js';
import { printArcnetLinux } from './arcnet.js';
import { printFrameRelayLink } from './frame-relay.js';
import { printIpnet } from './ipnet.js';
import { printIpoib } from './ipoib.js';
import { printNflog } from './nflog.js';
import { printAvs, printIeee80211Link, printPrism } from './ieee80211.js';
import { printRadiotap } from './radiotap.js';
import { printPpi } from './ppi.js';
import { printBrcmPrepended, printSwitchTagged } from './switch-tag.js';
import { printChdlc } from './chdlc.js';
import { PrintContext, TRUNCATED, type EspPlaintextPrinter, type LineFormatOptions } from './print-context.js';
import { RelativeSequenceTable } from './tcp-sequence-table.js';
import { TimestampFormatter } from './timestamp.js';

export interface LinePrinterOptions {
  /** -t count: 0 time of day, 1 none, 2 Unix seconds, 3 delta to previous, 4 date and time, 5 delta to first. */
  timestampMode?: number;
  /** Print nanoseconds (tcpdump --time-stamp-precision=nano). */
  nanoPrecision?: boolean;
  /** -e */
  link?: boolean;
  /** -q */
  quiet?: boolean;
  /** -v count */
  verbose?: number;
  /** -S */
  absoluteSequence?: boolean;
  /** -x count: 1 from the network layer, 2 with the link header. */
  hex?: number;
  /** -X count: hex and ASCII, as -x. Wins over -x. */
  hexAscii?: number;
  /** -A count: payload as ASCII, as -x. */
  ascii?: number;
  /** Colours, or null/undefined for plain text. */
  palette?: LinePalette | null;
  /** Bound of the relative-sequence table (conversations). */
  maxTcpConversations?: number;
  /** Prints decrypted ESP payloads (tcpdump -E); see DecryptedEspPrinter. */
  espPlaintext?: EspPlaintextPrinter | null;
}


/** Link types printed here; others get a one-line note. */
export const PRINTED_LINK_TYPES: ReadonlySet<number> = new Set([0, 1, 9, 12, 14, 101, 104, 105, 108, 113, 119, 127, 163, 192, 228, 229, 276]);

export class PacketLinePrinter {
  private readonly ctx: PrintContext;
  private readonly time: TimestampFormatter;
  private readonly hex: number;
  private readonly hexAscii: number;
  private readonly ascii: number;
  private readonly palette: LinePalette | null;

  constructor(options: LinePrinterOptions = {}) {
    const formatOptions: LineFormatOptions = {
      link: options.link ?? false,
      quiet: options.quiet ?? false,
      verbose: options.verbose ?? 0,
      absoluteSequence: options.absoluteSequence ?? false,
      suppressDefaultPrint: Boolean(options.quiet || options.hex || options.hexAscii),
    };
    this.palette = options.palette ?? null;
    this.ctx = new PrintContext(formatOptions, new RelativeSequenceTable(options.maxTcpConversations), this.palette);
    this.ctx.esp = options.espPlaintext ?? null;
    this.time = new TimestampFormatter(options.timestampMode ?? 0, options.nanoPrecision ?? false);
    this.hex = options.hex ?? 0;
    this.hexAscii = options.hexAscii ?? 0;
    this.ascii = options.ascii ?? 0;
  }

  /** The packet's text, ending in a newline. */
  format(pkt: PacketRecord): string {
    const caplen = pkt.caplen, len = pkt.origLen;
    const invalid = invalidHeader(caplen, len);
    if (invalid !== '') return invalid;

    const ts = this.time.format(pkt.tsSec, pkt.tsNsec);
    const c = this.ctx;
    const start = pkt.offset;
    c.reset(pkt.bytes, start, caplen);
    try {
      printLink(c, pkt.linkType, start, len, caplen);
    } catch (e) {
      if (e !== TRUNCATED) throw e;
      c.trunc();
      c.linkHeaderLength = 0;
    }
    let line = this.palette && ts !== '' ? this.palette.timestamp(ts.slice(0, -1)) + ' ' + c.s : ts + c.s;
    if (this.hexAscii || this.hex || this.ascii) line += this.dump(pkt.bytes, start, caplen, c.linkHeaderLength);
    return line + '\n';
  }

  private dump(b: Uint8Array, start: number, caplen: number, linkHeaderLength: number): string {
    const level = this.hexAscii || this.hex || this.ascii;
    let from = start, n = caplen;
    if (level < 2) {
      if (caplen <= linkHeaderLength) return '';
      from = start + linkHeaderLength;
      n = caplen - linkHeaderLength;
    }
    if (this.hexAscii) return hexAsciiLines(b, from, n, '\n\t');
    if (this.hex) return hexLines(b, from, n, '\n\t');
    return asciiText(b, from, n);
  }
}

function printLink(c: PrintContext, linkType: number, start: number, len: number, caplen: number): void {
  switch (linkType) {
    case 1: printEthernet(c, start, len, caplen); return;
    case 113: printSll(c, start, len, caplen, false); return;
    case 276: printSll(c, start, len, caplen, true); return;
    case 0: case 108: printNull(c, start, len, caplen); return;
    case 101: case 12: case 14: case 228: case 229: printRaw(c, start, len); return;
    case 9: printPppLink(c, start, len, caplen); return;
    case 104: printChdlc(c, start, len); return;
    case 107: printFrameRelayLink(c, start, len, caplen); return;
    case 129: printArcnetLinux(c, start, len, caplen); return;
    case 226: printIpnet(c, start, len, caplen); return;
    case 239: printNflog(c, start, len, caplen); return;
    case 242: printIpoib(c, start, len, caplen); return;
    case 281: case 284: case 285: printSwitchTagged(c, linkType, start, len, caplen); return;
    case 282: printBrcmPrepended(c, start, len, caplen); return;
    case 105: printIeee80211Link(c, start, len, caplen); return;
    case 119: printPrism(c, start, len, caplen); return;
    case 127: printRadiotap(c, start, len, caplen); return;
    case 163: printAvs(c, start, len, caplen); return;
    case 192: printPpi(c, start, len, caplen, printPpiInner); return;
    default:
      c.s += 'link-type ' + linkType + ' not printed, length ' + len;
  }
}

/** The frame behind a PPI header, by the link type it names; false when none of ours prints it. */
function printPpiInner(c: PrintContext, linkType: number, start: number, len: number, caplen: number): boolean {
  if (!PRINTED_LINK_TYPES.has(linkType)) return false;
  printLink(c, linkType, start, len, caplen);
  return true;
}

/** pretty_print_packet's sanity checks on the record header. */
function invalidHeader(caplen: number, len: number): string {
  let s = '';
  if (caplen === 0) s = '[Invalid header: caplen==0';
  if (len === 0) s += s ? ', len==0' : '[Invalid header: len==0';
  else if (len < caplen) s += (s ? ',' : '[Invalid header:') + ' len(' + len + ') < caplen(' + caplen + ')';
  if (caplen > MAX_PCAP_CAPLEN) s += (s ? ',' : '[Invalid header:') + ' caplen(' + caplen + ') > ' + MAX_PCAP_CAPLEN;
  if (len > MAX_PCAP_CAPLEN) s += (s ? ',' : '[Invalid header:') + ' len(' + len + ') > ' + MAX_PCAP_CAPLEN;
  return s ? s + ']\n' : '';
}
