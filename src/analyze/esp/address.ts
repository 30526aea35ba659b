/**
 * Address keys and text for the ESP tables. Keys hold addresses in a fixed
 * 16-byte field (IPv4 zero-padded) so IPv4 and IPv6 share one key layout;
 * the version byte in front keeps an IPv4 address from equalling the
 * IPv6 address with the same leading bytes.
 */

export const ADDRESS_FIELD = 16;

/** Copies `len` address bytes into a 16-byte key field, zero-padding IPv4. */
export function putAddress(key: Uint8Array, at: number, b: Uint8Array, o: number, len: number): void {
  for (let i = 0; i < len; i++) key[at + i] = b[o + i]!;
  for (let i = len; i < ADDRESS_FIELD; i++) key[at + i] = 0;
}

/** -1, 0 or 1 comparing two addresses of the same length, byte by byte. */
export function compareAddresses(b: Uint8Array, x: number, y: number, len: number): number {
  for (let i = 0; i < len; i++) {
    const d = b[x + i]! - b[y + i]!;
    if (d !== 0) return d < 0 ? -1 : 1;
  }
  return 0;
}

/** Dotted quad or RFC 5952 text; only called when something is printed. */
export function formatAddress(b: Uint8Array, o: number, version: number): string {
  if (version === 4) return `${b[o]}.${b[o + 1]}.${b[o + 2]}.${b[o + 3]}`;
  const groups: number[] = [];
  for (let i = 0; i < 16; i += 2) groups.push((b[o + i]! << 8) | b[o + i + 1]!);
  // RFC 5952: the longest run (first if tied) of two or more zero groups becomes "::".
  let bestStart = -1;
  let bestLen = 0;
  for (let i = 0; i < 8;) {
    if (groups[i] !== 0) { i++; continue; }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen && j - i >= 2) { bestStart = i; bestLen = j - i; }
    i = j;
  }
  const hex = (g: number): string => g.toString(16);
  if (bestStart < 0) return groups.map(hex).join(':');
  const head = groups.slice(0, bestStart).map(hex).join(':');
  const tail = groups.slice(bestStart + bestLen).map(hex).join(':');
  return `${head}::${tail}`;
}

/** "0x027181f9", as tcpdump prints SPIs. */
export function formatSpi(spi: number): string {
  return `0x${(spi >>> 0).toString(16).padStart(8, '0')}`;
}
