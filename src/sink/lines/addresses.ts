/** Address text exactly as tcpdump -n prints it. */
import { DEC8, HEX8 } from './text-tables.js';

/**
 * Recently printed IPv4 addresses, direct-mapped by a hash of the address.
 * Building "a.b.c.d" takes seven string joins (~400 bytes of garbage for a
 * line's two addresses); traffic repeats its addresses, so a hit costs nothing.
 */
const V4_SLOTS = 1024;
const v4Keys = new Int32Array(V4_SLOTS);
const v4Text: (string | undefined)[] = new Array<string | undefined>(V4_SLOTS);

/** Dotted quad of the four bytes at `o`. */
export function ipv4Text(b: Uint8Array, o: number): string {
  const key = (b[o]! << 24) | (b[o + 1]! << 16) | (b[o + 2]! << 8) | b[o + 3]!;
  const slot = (key ^ (key >>> 10) ^ (key >>> 20)) & (V4_SLOTS - 1);
  const cached = v4Text[slot];
  if (cached !== undefined && v4Keys[slot] === key) return cached;
  const text = DEC8[b[o]!]! + '.' + DEC8[b[o + 1]!]! + '.' + DEC8[b[o + 2]!]! + '.' + DEC8[b[o + 3]!]!;
  v4Keys[slot] = key;
  v4Text[slot] = text;
  return text;
}

/**
 * IPv6 text as tcpdump's addrtostr6 builds it: the longest run (first on a
 * tie) of two or more zero groups becomes "::", and ::a.b.c.d / ::ffff:a.b.c.d
 * keep the dotted tail. This is not quite RFC 5952 (a single zero group is
 * never compressed either way, but "::" tie-breaking and the embedded IPv4
 * rule are tcpdump's), so it is written out rather than borrowed from `net`.
 */
export function ipv6Text(b: Uint8Array, o: number): string {
  let bestBase = -1, bestLen = 0, curBase = -1, curLen = 0;
  for (let i = 0; i < 8; i++) {
    if (b[o + 2 * i] === 0 && b[o + 2 * i + 1] === 0) {
      if (curBase === -1) { curBase = i; curLen = 1; } else curLen++;
    } else if (curBase !== -1) {
      if (bestBase === -1 || curLen > bestLen) { bestBase = curBase; bestLen = curLen; }
      curBase = -1;
    }
  }
  if (curBase !== -1 && (bestBase === -1 || curLen > bestLen)) { bestBase = curBase; bestLen = curLen; }
  if (bestBase !== -1 && bestLen < 2) bestBase = -1;

  let s = '';
  for (let i = 0; i < 8; i++) {
    if (bestBase !== -1 && i >= bestBase && i < bestBase + bestLen) {
      if (i === bestBase) s += ':';
      continue;
    }
    if (i !== 0) s += ':';
    if (i === 6 && bestBase === 0 && (bestLen === 6 || (bestLen === 5 && b[o + 10] === 0xff && b[o + 11] === 0xff))) {
      s += ipv4Text(b, o + 12);
      return s;
    }
    s += ((b[o + 2 * i]! << 8) | b[o + 2 * i + 1]!).toString(16);
  }
  if (bestBase !== -1 && bestBase + bestLen === 8) s += ':';
  return s;
}

/** aa:bb:cc:dd:ee:ff */
export function macText(b: Uint8Array, o: number): string {
  return HEX8[b[o]!]! + ':' + HEX8[b[o + 1]!]! + ':' + HEX8[b[o + 2]!]! + ':' +
    HEX8[b[o + 3]!]! + ':' + HEX8[b[o + 4]!]! + ':' + HEX8[b[o + 5]!]!;
}

/** tcpdump's linkaddr_string for non-Ethernet sizes: colon-separated hex bytes. */
export function linkAddrText(b: Uint8Array, o: number, len: number): string {
  if (len === 0) return '<empty>';
  if (len === 6) return macText(b, o);
  let s = HEX8[b[o]!]!;
  for (let i = 1; i < len; i++) s += ':' + HEX8[b[o + i]!]!;
  return s;
}
