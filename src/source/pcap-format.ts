/**
 * Classic pcap's fixed numbers, named once for the reader, the writers and the
 * filter's byte-order sniffing. A file is a 24-byte header (magic, version
 * 2.4, zone, sigfigs, snaplen, link type) then records of a 16-byte header
 * (seconds, fraction, caplen, len) and the captured bytes, all in the byte
 * order the magic shows.
 */

/** Magic numbers as read in the file's own byte order. */
export const PCAP_MAGIC_MICROS = 0xa1b2c3d4;
export const PCAP_MAGIC_NANOS = 0xa1b23c4d;
/** Alexey Kuznetsov's patched libpcap: 8 more bytes per record header. */
export const PCAP_MAGIC_MODIFIED = 0xa1b2cd34;

export const PCAP_VERSION_MAJOR = 2;
export const PCAP_VERSION_MINOR = 4;
export const PCAP_FILE_HEADER_LEN = 24;
export const PCAP_RECORD_HEADER_LEN = 16;
/** The "modified" format's record header (PCAP_MAGIC_MODIFIED). */
export const PCAP_MODIFIED_RECORD_HEADER_LEN = 24;

/** Whether `word`, the first four bytes read in one byte order, is a pcap magic in that order. */
export function isPcapMagic(word: number): boolean {
  return word === PCAP_MAGIC_MICROS || word === PCAP_MAGIC_NANOS || word === PCAP_MAGIC_MODIFIED;
}
