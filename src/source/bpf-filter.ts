/**
 * libpcap filter expressions (`tcp and port 443`) for files and live capture.
 * libpcap compiles the expression (so the language is exactly tcpdump's);
 * the resulting classic BPF runs in JavaScript over each packet's bytes, so
 * filtering a file costs no native call per packet.
 *
 * To select exactly what `tcpdump -r FILE EXPR` selects, a filter also does
 * the two things libpcap's file reader does before filtering: it sees at
 * most the file's snapshot length of each packet, and for the NULL and ENC
 * link types it compares the address family in the file's byte order.
 */
import { endianness } from 'node:os';
import { UsageError } from '../errors.js';
import { BpfProgram } from './bpf-program.js';
import { linkTypeToDlt } from './live/dlt.js';
import { loadNativeAddon } from './native-addon.js';
import type { InterfaceInfo, PacketRecord } from './packet-record.js';
import { isPcapMagic } from './pcap-format.js';
import { MAX_PCAP_CAPLEN } from './record-parser.js';
import { PCAPNG_BLOCK, PCAPNG_BYTE_ORDER_MAGIC } from './pcapng-reader.js';

/** A filter expression libpcap rejected. The message is libpcap's, with the expression. */
export class FilterError extends UsageError {
  override name = 'FilterError';
  constructor(readonly expression: string, readonly reason: string) {
    super(`bad filter expression '${expression}': ${reason}`);
  }
}

export interface PacketFilter {
  readonly expression: string;
  /** LINKTYPE_* the program was compiled for. */
  readonly linkType: number;
  /** Bytes of each packet the program may look at (libpcap's snapshot for the file). */
  readonly snaplen: number;
  readonly program: BpfProgram;
  /** Whether tcpdump with this expression would keep the packet (wire length = origLen). */
  matches(pkt: PacketRecord): boolean;
}

export type ByteOrder = 'little' | 'big';

export interface FilterCompileOptions {
  /** pcap_compile's optimizer, on by default as in tcpdump (its -O turns it off). */
  optimize?: boolean;
  /** IPv4 netmask for `ip broadcast`; 0 as tcpdump -r uses. */
  netmask?: number;
  /**
   * Byte order of the file the packets come from (a pcap's magic, a pcapng
   * section's byte-order magic). Only the NULL and ENC link types depend on
   * it; default: this machine's.
   */
  byteOrder?: ByteOrder;
}

const hostByteOrder: ByteOrder = endianness() === 'LE' ? 'little' : 'big';

/** libpcap's largest snapshot per link type (max_snaplen_for_dlt); MAX_PCAP_CAPLEN for all but these. */
const largeSnaplenLinkTypes: ReadonlyMap<number, number> = new Map([
  [231, 128 * 1024 * 1024], // DBUS
  [249, 1024 * 1024], // USBPCAP
  [279, 8 * 1024 * 1024], // EBHSCR
]);

/** The snapshot length libpcap's reader uses for a file that declares `snaplen`. */
export function effectiveSnaplen(linkType: number, snaplen: number): number {
  const max = largeSnaplenLinkTypes.get(linkType) ?? MAX_PCAP_CAPLEN;
  return snaplen <= 0 || snaplen > max ? max : snaplen;
}

/**
 * Compiles `expression` for packets of one link type (a LINKTYPE_* value, as
 * in files) and snapshot length (the file's or the interface's). Throws
 * FilterError for an invalid expression, and NativeAddonMissingError when the
 * libpcap addon is not built.
 */
export function compileFilter(expression: string, linkType: number, snaplen: number,
  options: FilterCompileOptions = {}): PacketFilter {
  const addon = loadNativeAddon('packet filters');
  const snap = effectiveSnaplen(linkType, snaplen);
  const swapped = (options.byteOrder ?? hostByteOrder) !== hostByteOrder;
  let instructions: Uint32Array;
  try {
    instructions = addon.compileFilter(expression, linkTypeToDlt(linkType), linkType, snap,
      options.netmask ?? 0, options.optimize ?? true, swapped);
  } catch (err) {
    const e = err as { code?: string; message?: string };
    if (e && e.code === 'EFILTER') throw new FilterError(expression, e.message ?? 'invalid filter');
    throw err;
  }
  const program = new BpfProgram(instructions);
  const run = program.run;
  return {
    expression,
    linkType,
    snaplen: snap,
    program,
    matches: (pkt) => run(pkt.bytes, pkt.offset, pkt.caplen < snap ? pkt.caplen : snap, pkt.origLen) !== 0,
  };
}

/**
 * One expression over a whole capture file, whatever its interfaces: pcapng
 * files can mix link types and snapshot lengths, so the expression is
 * compiled per interface (programs are shared between interfaces alike).
 * Declare interfaces with `addInterface` as the reader learns them, to
 * report a bad expression before the first packet; a packet from an
 * undeclared interface compiles for its link type on first sight.
 */
export class CaptureFilter {
  private readonly byInterface: (PacketFilter | undefined)[] = [];
  private readonly byShape = new Map<string, PacketFilter>();

  constructor(readonly expression: string, private readonly options: FilterCompileOptions = {},
    private readonly defaultSnaplen = MAX_PCAP_CAPLEN) {}

  /** Compiles for one interface now (throws FilterError if libpcap rejects the expression for its link type). */
  addInterface(iface: Pick<InterfaceInfo, 'id' | 'linkType' | 'snaplen'>): PacketFilter {
    const filter = this.forShape(iface.linkType, iface.snaplen);
    this.byInterface[iface.id] = filter;
    return filter;
  }

  matches(pkt: PacketRecord): boolean {
    let filter = this.byInterface[pkt.interfaceId];
    if (filter === undefined || filter.linkType !== pkt.linkType) {
      filter = this.addInterface({ id: pkt.interfaceId, linkType: pkt.linkType, snaplen: this.defaultSnaplen });
    }
    return filter.matches(pkt);
  }

  private forShape(linkType: number, snaplen: number): PacketFilter {
    const key = `${linkType}/${effectiveSnaplen(linkType, snaplen)}`;
    let filter = this.byShape.get(key);
    if (!filter) {
      filter = compileFilter(this.expression, linkType, snaplen, this.options);
      this.byShape.set(key, filter);
    }
    return filter;
  }
}

/**
 * The byte order of a capture file from its first 12 bytes (pcap magic or
 * pcapng section header), for FilterCompileOptions.byteOrder. Undefined when
 * the bytes are neither (for example gzip: pass the decompressed bytes).
 */
export function captureByteOrder(head: Uint8Array): ByteOrder | undefined {
  if (head.length < 4) return undefined;
  const view = new DataView(head.buffer, head.byteOffset, head.byteLength);
  const be = view.getUint32(0, false);
  if (isPcapMagic(be)) return 'big';
  if (isPcapMagic(view.getUint32(0, true))) return 'little';
  // The block type reads the same in both orders; the byte-order magic tells them apart.
  if (be === PCAPNG_BLOCK.SECTION_HEADER && head.length >= 12) {
    if (view.getUint32(8, false) === PCAPNG_BYTE_ORDER_MAGIC) return 'big';
    if (view.getUint32(8, true) === PCAPNG_BYTE_ORDER_MAGIC) return 'little';
  }
  return undefined;
}
