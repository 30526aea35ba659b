import type { PacketHandler } from './packet-record.js';

/**
 * A push parser for one capture format. The driver (capture-file.ts) owns the
 * buffer and the input; the parser consumes whole records from what is
 * buffered and says how many bytes the next record needs when it stops short.
 */
export interface RecordParser {
  /**
   * Consumes complete records from `buf[pos, end)`, handing each packet on.
   * `bufFileOffset` is the input offset of `buf[0]` (for error messages).
   * With `onPacket` null, consumes only what precedes the first packet (file
   * header, interface descriptions) so the capture's description is known.
   * Returns the position of the first byte not consumed.
   * Throws CaptureFormatError on damage; packets before it were handed on.
   */
  parse(buf: Uint8Array, view: DataView, pos: number, end: number, bufFileOffset: number,
    onPacket: PacketHandler | null): number;
  /** Total bytes the record at the returned position needs (set when parse stops short). */
  readonly needed: number;
  /** Set when a handler returned false. */
  readonly stopped: boolean;
  /** Clears `stopped`, so that parsing goes on from where the handler stopped it. */
  resume(): void;
  /** Packets handed on so far. */
  readonly frames: number;
  /** Input ended with `end - pos` bytes left over: throws if that is damage. */
  finish(view: DataView, pos: number, end: number, bufFileOffset: number): void;
}

/**
 * Largest packet we trust from a pcap record header: libpcap's MAXIMUM_SNAPLEN,
 * which is also tcpdump's (and our) default snapshot length.
 */
export const MAX_PCAP_CAPLEN = 262144;
/** Largest pcapng block we accept; anything bigger is corruption, not a packet. */
export const MAX_PCAPNG_BLOCK = 16 * 1024 * 1024;
