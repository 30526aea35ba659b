/**
 * Precomputed text for numbers the printers emit on every packet, so the hot
 * path concatenates cached strings instead of formatting numbers.
 */

/** "0".."255". */
export const DEC8: readonly string[] = Array.from({ length: 256 }, (_, i) => String(i));

/** "00".."ff" (lower case, as tcpdump prints hex). */
export const HEX8: readonly string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/**
 * "0".."65535", filled on first use: ports, lengths and windows repeat, so
 * each is converted once, and a short `zsniff read` does not pay start-up heap
 * for all 65,536 (PERF.md, "Less garbage per printed line"). In pages of 256,
 * made when first needed: one array of 65,536 slots cost every start a few
 * milliseconds (a large young-generation object, written through at once).
 */
const DEC16: ((string | undefined)[] | undefined)[] = new Array<(string | undefined)[] | undefined>(256);

/** "0000".."9999", filled on first use: the low digits of larger numbers and fractions. */
const PAD4: (string | undefined)[] = new Array<string | undefined>(10000);

export function pad4(n: number): string {
  return PAD4[n] ?? (PAD4[n] = String(n).padStart(4, '0'));
}

/**
 * A non-negative integer as decimal text; small values come from the table.
 * Larger ones (sequence numbers, TCP timestamps, microseconds) are joined
 * from table pieces rather than converted with String(n): V8 remembers every
 * String(n) result in its number-to-string cache, which lives in the old
 * generation, so each of millions of distinct numbers would be kept past
 * minor GCs and promoted, and the old generation would fill with dead text.
 */
export function dec(n: number): string {
  // Whole numbers 0..65535 only (n & 0xffff is n for nothing else).
  if ((n & 0xffff) === n) {
    const page = DEC16[n >>> 8] ?? (DEC16[n >>> 8] = new Array<string | undefined>(256));
    return page[n & 0xff] ?? (page[n & 0xff] = String(n));
  }
  if (n > 0xffffffff || n < 0 || !Number.isInteger(n)) return String(n);
  const low = n % 10000;
  return dec((n - low) / 10000) + pad4(low);
}

/** `%0Nx`: zero-padded lower-case hex. */
export function hexPad(n: number, width: number): string {
  const s = n.toString(16);
  return s.length >= width ? s : '0'.repeat(width - s.length) + s;
}

/** `%x` of an unsigned 32-bit value. */
export function hex(n: number): string {
  return (n >>> 0).toString(16);
}

/**
 * tcpdump's fn_print_char: M- for the high bit, ^ for control characters, so
 * text from a packet never reaches the terminal raw.
 */
export function visibleChar(ch: number): string {
  let s = '';
  if (ch > 0x7f) { ch &= 0x7f; s = 'M-'; }
  if (ch < 0x20 || ch === 0x7f) { ch ^= 0x40; s += '^'; }
  return s + String.fromCharCode(ch);
}

/** tcpdump's ethertype_values (print-ether.c), the names `-e` shows. */
export const ETHERTYPE_NAMES: ReadonlyMap<number, string> = new Map([
  [0x0800, 'IPv4'], [0x8847, 'MPLS unicast'], [0x8848, 'MPLS multicast'], [0x86dd, 'IPv6'],
  [0x8100, '802.1Q'], [0x9100, '802.1Q-9100'], [0x88a8, '802.1Q-QinQ'], [0x9200, '802.1Q-9200'],
  [0x88e5, '802.1AE MACsec'], [0x0200, 'PUP'], [0x0806, 'ARP'], [0x8035, 'Reverse ARP'],
  [0x0600, 'NS'], [0x0500, 'Sprite'], [0x1000, 'Trail'], [0x6001, 'MOP DL'], [0x6002, 'MOP RC'],
  [0x6003, 'DN'], [0x6004, 'LAT'], [0x6007, 'SCA'], [0x6558, 'TEB'], [0x8038, 'Lanbridge'],
  [0x803c, 'DEC DNS'], [0x803e, 'DEC DTS'], [0x805b, 'VEXP'], [0x805c, 'VPROD'],
  [0x809b, 'Appletalk'], [0x80f3, 'Appletalk ARP'], [0x8137, 'IPX'], [0x880b, 'PPP'],
  [0x8808, 'MPCP'], [0x8809, 'Slow Protocols'], [0x8863, 'PPPoE D'], [0x8864, 'PPPoE S'],
  [0x888e, 'EAPOL'], [0x8899, 'Realtek protocols'], [0x886f, 'MS NLB heartbeat'], [0x8870, 'Jumbo'],
  [0x894f, 'NSH'], [0x9000, 'Loopback'], [0xfefe, 'OSI'], [0x00fe, 'GRE-OSI'], [0xabcd, 'CFM (old)'],
  [0x8902, 'CFM'], [0x893a, 'IEEE1905.1'], [0x88cc, 'LLDP'], [0x88ca, 'TIPC'], [0x0707, 'GeoNet (old)'],
  [0x8947, 'GeoNet'], [0x1111, 'CALM FAST'], [0x88a2, 'AoE'], [0x88f7, 'PTP'],
  [0xd28b, 'Arista Vendor Specific Protocol'],
]);

/**
 * Ethertypes tcpdump 4.99 dissects itself (ethertype_print). Any other type
 * gets its "unknown ethertype" line and a hex dump, which we reproduce.
 */
export const ETHERTYPES_TCPDUMP_DISSECTS: ReadonlySet<number> = new Set([
  0x0800, 0x86dd, 0x0806, 0x8035, 0x6003, 0x809b, 0x80f3, 0x8137, 0xfefe, 0x8863, 0x8864,
  0x3c12, 0x3c13, 0x888e, 0x8899, 0x880b, 0x8808, 0x8809, 0x8902, 0xabcd, 0x88cc, 0x894f,
  0x9000, 0x8847, 0x8848, 0x88ca, 0x886f, 0x0707, 0x8947, 0x1111, 0x88a2, 0x88f7,
  // Handled by the Ethernet printer itself before the ethertype switch.
  0x88e5, 0xd28b, 0x8870,
]);

/** tcpdump's ipproto_values (ipproto.c), for `-v` "proto TCP (6)". */
const IPPROTO_NAMES: ReadonlyMap<number, string> = new Map([
  [0, 'Options'], [1, 'ICMP'], [2, 'IGMP'], [4, 'IPIP'], [6, 'TCP'], [8, 'EGP'], [9, 'IGRP'],
  [17, 'UDP'], [33, 'DCCP'], [41, 'IPv6'], [43, 'Routing'], [44, 'Fragment'], [46, 'RSVP'],
  [47, 'GRE'], [50, 'ESP'], [51, 'AH'], [55, 'Mobile IP'], [58, 'ICMPv6'], [62, 'Mobile IP (old)'],
  [88, 'EIGRP'], [89, 'OSPF'], [103, 'PIM'], [108, 'Compressed IP'], [112, 'VRRP'], [113, 'PGM'],
  [132, 'SCTP'], [135, 'Mobility'], [143, 'Ethernet'],
]);

export function ipProtoName(p: number): string {
  return IPPROTO_NAMES.get(p) ?? 'unknown';
}
