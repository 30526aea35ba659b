/**
 * libpcap filter expressions (`tcp and port 443`) for files and live capture.
 * libpcap compiles the expression (so the language is exactly tcpdump's);
 * the resulting classic BPF runs in JavaScript over each packet's bytes, so
 * filtering a file costs no native call per packet.
 */
import { UsageError } from '../cli/errors.js';
import { BpfProgram } from './bpf-program.js';
import { linkTypeToDlt } from './live/dlt.js';
import { loadNativeAddon } from './native-addon.js';
import type { PacketRecord } from './packet-record.js';

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
  readonly program: BpfProgram;
  /** Whether tcpdump with this expression would keep the packet (wire length = origLen). */
  matches(pkt: PacketRecord): boolean;
}

export interface FilterCompileOptions {
  /** pcap_compile's optimizer, on by default as in tcpdump (its -O turns it off). */
  optimize?: boolean;
  /** IPv4 netmask for `ip broadcast`; 0 as tcpdump -r uses. */
  netmask?: number;
}

/**
 * Compiles `expression` for packets of one link type (a LINKTYPE_* value, as
 * in files). Throws FilterError for an invalid expression, and
 * NativeAddonMissingError when the libpcap addon is not built.
 */
export function compileFilter(expression: string, linkType: number, snaplen: number,
  options: FilterCompileOptions = {}): PacketFilter {
  const addon = loadNativeAddon('packet filters');
  let instructions: Uint32Array;
  try {
    instructions = addon.compileFilter(expression, linkTypeToDlt(linkType), snaplen > 0 ? snaplen : 262144,
      options.netmask ?? 0, options.optimize ?? true);
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
    program,
    matches: (pkt) => run(pkt.bytes, pkt.offset, pkt.caplen, pkt.origLen) !== 0,
  };
}

/**
 * One expression over packets of several link types (pcapng files with
 * interfaces of different types): compiles once per link type, on the first
 * packet of that type, and dispatches on `pkt.linkType`. Call `prepare` for
 * each interface up front to report a bad expression before any packet.
 */
export class LinkTypeFilterSet {
  private readonly byLinkType = new Map<number, PacketFilter>();
  private lastLinkType = -1;
  private last: PacketFilter | undefined;

  constructor(readonly expression: string, private readonly snaplen: number = 262144,
    private readonly options: FilterCompileOptions = {}) {}

  /** Compiles for `linkType` now (throws FilterError if libpcap rejects it for that link type). */
  prepare(linkType: number, snaplen: number = this.snaplen): PacketFilter {
    let filter = this.byLinkType.get(linkType);
    if (!filter) {
      filter = compileFilter(this.expression, linkType, snaplen, this.options);
      this.byLinkType.set(linkType, filter);
    }
    return filter;
  }

  matches(pkt: PacketRecord): boolean {
    if (pkt.linkType !== this.lastLinkType || !this.last) {
      this.last = this.prepare(pkt.linkType);
      this.lastLinkType = pkt.linkType;
    }
    return this.last.matches(pkt);
  }
}
