/**
 * Addresses as the analysis reports print them: a dotted quad, or RFC 5952
 * IPv6 text. Not tcpdump's form (sink/lines/addresses.ts keeps a dotted tail
 * for mapped addresses); only called when something is printed.
 */
export function ipAddressText(b: Uint8Array, o: number, version: number): string {
  if (version === 4) return `${b[o]}.${b[o + 1]}.${b[o + 2]}.${b[o + 3]}`;
  const groups: number[] = [];
  for (let i = 0; i < 16; i += 2) groups.push((b[o + i]! << 8) | b[o + i + 1]!);
  // The longest run (the first if tied) of two or more zero groups becomes "::".
  let bestStart = -1;
  let bestLen = 1;
  for (let i = 0; i < 8;) {
    if (groups[i] !== 0) { i++; continue; }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) { bestStart = i; bestLen = j - i; }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLen).join(':')}`;
}
