/**
 * The Internet checksum (RFC 1071), for the code that rebuilds headers
 * (reassembly, decryption) and the printers that verify them.
 */

/** One's-complement sum of big-endian 16-bit words in b[o, o+n), added to `sum` (not folded). */
export function sum16(b: Uint8Array, o: number, n: number, sum = 0): number {
  let i = 0;
  for (; i + 1 < n; i += 2) sum += (b[o + i]! << 8) | b[o + i + 1]!;
  if (i < n) sum += b[o + i]! << 8;
  return sum;
}

/** Folds and complements: 0 means the data (checksum field included) is correct. */
export function finish(sum: number): number {
  while (sum > 0xffff) sum = (sum & 0xffff) + Math.floor(sum / 0x10000);
  return ~sum & 0xffff;
}
