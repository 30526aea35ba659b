/**
 * One captured packet as every source hands it on: a view into a buffer the
 * source owns and reuses. Nothing here is copied; the fields are valid only
 * until the callback that received the record returns. Keep a packet beyond
 * that with `copyPacket`.
 */
export interface PacketRecord {
  /** 1-based packet number in the capture (tshark's frame.number). */
  frame: number;
  /** Seconds since the Unix epoch. */
  tsSec: number;
  /** Nanoseconds within the second (0..999,999,999), whatever the file's resolution. */
  tsNsec: number;
  /** Bytes captured (the length of `bytes[offset, offset+caplen)`). */
  caplen: number;
  /** Length of the packet on the wire. */
  origLen: number;
  /** pcap LINKTYPE_* of the interface that saw this packet. */
  linkType: number;
  /** pcapng interface id (0 for pcap and live capture). */
  interfaceId: number;
  /** Buffer holding the packet; shared with other packets, do not keep. */
  bytes: Uint8Array;
  /** Where the packet starts in `bytes`. */
  offset: number;
  /** Byte offset of this packet's record in the input file (for error messages). */
  fileOffset: number;
}

export function createPacketRecord(): PacketRecord {
  return {
    frame: 0, tsSec: 0, tsNsec: 0, caplen: 0, origLen: 0, linkType: 1,
    interfaceId: 0, bytes: new Uint8Array(0), offset: 0, fileOffset: 0,
  };
}

/** A private copy of a packet, for the rare consumer that must keep one. */
export function copyPacket(p: PacketRecord): PacketRecord {
  return { ...p, bytes: p.bytes.slice(p.offset, p.offset + p.caplen), offset: 0 };
}

/**
 * Called once per packet. Return `false` to stop reading (for `-c N`);
 * anything else continues.
 */
export type PacketHandler = (pkt: PacketRecord) => boolean | void;

/** Statistics a pcapng Interface Statistics Block carried, kept for reporting. */
export interface InterfaceStatistics {
  interfaceId: number;
  tsSec: number;
  tsNsec: number;
  received?: bigint;
  dropped?: bigint;
  filterAccepted?: bigint;
  osDropped?: bigint;
  delivered?: bigint;
}

export interface InterfaceInfo {
  id: number;
  linkType: number;
  snaplen: number;
  /** Timestamp units per second (1e6 for microsecond pcap, 1e9 for nanosecond). */
  tsUnitsPerSecond: number;
  name?: string;
  description?: string;
  /** FCS bytes at the end of each packet when the file says (pcap link-type field, pcapng if_fcslen). */
  fcsBytes?: number;
  /** pcapng: which section (0-based) described this interface. */
  section?: number;
  /** pcapng: the interface's id within its section, as EPBs refer to it; `id` is its index in CaptureInfo.interfaces. */
  sectionInterfaceId?: number;
}

export type CaptureFormat = 'pcap' | 'pcap-ns' | 'pcapng' | 'live';

/** What a source knows about the capture as a whole, filled in while reading. */
export interface CaptureInfo {
  /** The file name as the user gave it ('-' for standard input), or the interface name. */
  name: string;
  format: CaptureFormat;
  compressed: boolean;
  /**
   * Byte order the file was written in (of its first section, for pcapng).
   * Link types such as BSD loopback carry host-order fields, so filters need it.
   */
  byteOrder?: 'little' | 'big';
  interfaces: InterfaceInfo[];
  statistics: InterfaceStatistics[];
  packets: number;
  bytesRead: number;
}

/**
 * A capture file that cannot be read further. The message names the file,
 * the packet number and the byte offset; everything before it was handed on.
 */
export class CaptureFormatError extends Error {
  constructor(
    readonly file: string,
    readonly frame: number,
    readonly fileOffset: number,
    readonly reason: string,
  ) {
    super(`${file}: packet ${frame} at byte offset ${fileOffset}: ${reason}`);
    this.name = 'CaptureFormatError';
  }
}
