/**
 * Sequence-number comparisons modulo 2^32 (RFC 1982 style), with the same
 * edge behaviour as Wireshark's LT_SEQ / GT_SEQ / LE_SEQ: the difference is
 * read as a signed 32-bit number.
 */

/** a < b in sequence space. */
export function seqLt(a: number, b: number): boolean { return ((a - b) | 0) < 0; }
/** a > b in sequence space. */
export function seqGt(a: number, b: number): boolean { return ((b - a) | 0) < 0; }
/** a <= b in sequence space. */
export function seqLe(a: number, b: number): boolean { return ((a - b) | 0) <= 0; }
/** a >= b in sequence space. */
export function seqGe(a: number, b: number): boolean { return ((b - a) | 0) <= 0; }
/** (a + b) mod 2^32 as an unsigned number. */
export function seqAdd(a: number, b: number): number { return (a + b) >>> 0; }
/** (a - b) mod 2^32 as an unsigned number: the distance from b forward to a. */
export function seqSub(a: number, b: number): number { return (a - b) >>> 0; }
