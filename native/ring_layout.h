/*
 * Layout of the shared-memory ring, mirrored by src/source/live/ring-layout.ts.
 * The addon exports every #define below (ringLayout, built in zsniff_pcap.c);
 * a capture refuses to start when they differ from the TypeScript side, and
 * test/ring-layout.test.js checks that each one here is exported and compared.
 *
 * The SharedArrayBuffer holds: a control area, the data area (a power of two
 * bytes, addressed by free-running 32-bit byte counters), and an overhang of
 * one maximal record after it. A record that would run past the end of the
 * data area is written whole into the overhang and its tail is mirrored to
 * the start of the data area, so every record is contiguous for in-place
 * decoding and the byte stream modulo the capacity is exactly a sequence of
 * pcap records (no wrap markers, no padding) for verbatim file writes.
 */
#ifndef ZSNIFF_RING_LAYOUT_H
#define ZSNIFF_RING_LAYOUT_H

/* Int32 slots. Producer and consumer fields sit on separate cache lines. */
#define RING_HEAD 0          /* producer: bytes committed (mod 2^32) */
#define RING_PACKETS 1       /* producer: records committed (mod 2^32) */
#define RING_TAIL 16         /* consumer: bytes released (mod 2^32) */
#define RING_WAITING 32      /* consumer sets 1 before sleeping; producer swaps to 0 and wakes */
#define RING_STATE 33        /* producer: 0 running, RING_STATE_FINISHED (no more records will come) */
#define RING_STATE_FINISHED 1

/* Float64 slots (byte offset RING_STATS_OFFSET); written by the producer only. */
#define RING_STATS_OFFSET 192
#define STAT_RECV 0          /* pcap_stats ps_recv */
#define STAT_DROP 1          /* pcap_stats ps_drop */
#define STAT_IFDROP 2        /* pcap_stats ps_ifdrop */
#define STAT_RING_DROP 3     /* packets the producer discarded because the ring was full */
#define STAT_PACKETS 4       /* records committed (64-bit safe) */
#define STAT_BYTES 5         /* record bytes committed, headers included */
#define STAT_COUNT 6

#define RING_CONTROL_BYTES 256
#define RING_RECORD_HEADER 16

#endif
