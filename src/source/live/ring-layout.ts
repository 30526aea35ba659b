/**
 * Layout of the shared-memory capture ring; mirrors native/ring_layout.h.
 * The addon exports the header's values (`ringLayout`) and a capture does not
 * start unless they equal these (see ringLayoutMismatch).
 *
 * [control RING_CONTROL_BYTES][data: capacity bytes, a power of two][overhang]
 *
 * Positions are free-running 32-bit byte counters (head: committed by the
 * native producer, tail: released by the JavaScript consumer). A record that
 * runs past the end of the data area continues into the overhang, and the
 * producer mirrors that part to the start of the data area: every record can
 * be read in place in one piece, and the stream modulo the capacity is a
 * plain sequence of pcap records, so files are written from it verbatim.
 * Records are pcap records in host byte order, with nanosecond or microsecond
 * fractions as the capture asked (the precision of the file written from them).
 */
export const RingSlot = {
  head: 0,
  packets: 1,
  tail: 16,
  waiting: 32,
  state: 33,
} as const;

export const RingStat = {
  received: 0,
  kernelDrops: 1,
  interfaceDrops: 2,
  ringDrops: 3,
  packets: 4,
  bytes: 5,
} as const;

export const RING_STATS_OFFSET = 192;
export const RING_STAT_COUNT = 6;
export const RING_CONTROL_BYTES = 256;
export const RECORD_HEADER_BYTES = 16;
export const RING_STATE_FINISHED = 1;

/**
 * Each constant above under its name in native/ring_layout.h.
 * test/ring-layout.test.js checks that every #define there is listed here.
 */
export const NATIVE_RING_LAYOUT: Readonly<Record<string, number>> = {
  RING_HEAD: RingSlot.head,
  RING_PACKETS: RingSlot.packets,
  RING_TAIL: RingSlot.tail,
  RING_WAITING: RingSlot.waiting,
  RING_STATE: RingSlot.state,
  RING_STATE_FINISHED,
  RING_STATS_OFFSET,
  STAT_RECV: RingStat.received,
  STAT_DROP: RingStat.kernelDrops,
  STAT_IFDROP: RingStat.interfaceDrops,
  STAT_RING_DROP: RingStat.ringDrops,
  STAT_PACKETS: RingStat.packets,
  STAT_BYTES: RingStat.bytes,
  STAT_COUNT: RING_STAT_COUNT,
  RING_CONTROL_BYTES,
  RING_RECORD_HEADER: RECORD_HEADER_BYTES,
};

/**
 * What differs between the addon's ring layout (as it was compiled) and ours,
 * or undefined when they agree. `native` is undefined for an addon built
 * before it exported its layout.
 */
export function ringLayoutMismatch(native: Readonly<Record<string, number>> | undefined): string | undefined {
  if (native === undefined) return 'the addon does not report its ring layout';
  const names = new Set([...Object.keys(NATIVE_RING_LAYOUT), ...Object.keys(native)]);
  const differences: string[] = [];
  for (const name of names) {
    const ours = NATIVE_RING_LAYOUT[name], theirs = native[name];
    if (ours !== theirs) differences.push(`${name} is ${theirs ?? 'missing'} in the addon, ${ours ?? 'missing'} here`);
  }
  return differences.length > 0 ? differences.join('; ') : undefined;
}

/** Bytes of SharedArrayBuffer needed for a ring of `capacity` bytes and records up to `snaplen`. */
export function ringBufferBytes(capacity: number, snaplen: number): number {
  return RING_CONTROL_BYTES + capacity + RECORD_HEADER_BYTES + snaplen;
}

/** The power of two nearest below `bytes`, at least 1 MiB and at most 1 GiB. */
export function ringCapacityFor(bytes: number): number {
  const clamped = Math.min(2 ** 30, Math.max(2 ** 20, Math.floor(bytes)));
  return 2 ** Math.floor(Math.log2(clamped));
}
