/** Internet checksums for `-v` "(correct)" / "bad cksum" remarks. Only computed when -v asks. */
import { finish, sum16 } from '../../decode/checksum.js';

export { finish, sum16 };

/** The value the checksum field should have held (tcpdump's in_cksum_shouldbe). */
export function shouldBe(field: number, computed: number): number {
  let s = field + computed;
  s = (s & 0xffff) + (s >>> 16);
  s = (s & 0xffff) + (s >>> 16);
  return s;
}

/**
 * Checksum over an IPv4 or IPv6 pseudo-header plus `len` bytes at `o`. The
 * pseudo-header's destination is the final one when a source route names it
 * (IPv4 LSRR/SSRR, IPv6 routing header), as the sender computed it. `covered`
 * bytes are summed (DCCP may cover less than the length the pseudo-header names).
 */
export function transportChecksum(b: Uint8Array, ipOff: number, version: number, proto: number, o: number, len: number, snapend = b.length,
                                  covered = len): number {
  let sum: number;
  if (version === 4) {
    sum = sum16(b, ipOff + 12, 4) + sum16(b, ipv4FinalDestination(b, ipOff), 4) + proto + len;
  } else {
    sum = sum16(b, ipOff + 8, 16) + sum16(b, ipv6FinalDestination(b, ipOff, snapend), 16) +
      Math.floor(len / 0x10000) + (len & 0xffff) + proto;
  }
  return finish(sum16(b, o, covered, sum));
}

/** ip_finddst: the last address of a loose or strict source route option, else the header's destination. */
function ipv4FinalDestination(b: Uint8Array, ipOff: number): number {
  let length = (b[ipOff]! & 0x0f) * 4 - 20;
  let cp = ipOff + 20;
  let len = 0;
  for (; length > 0; cp += len, length -= len) {
    const tt = b[cp]!;
    if (tt === 0) break;
    if (tt === 1) len = 1;
    else {
      len = b[cp + 1]!;
      if (len < 2) break;
    }
    if (length < len) break;
    if ((tt === 137 || tt === 131) && len >= 7) return cp + len - 4;
  }
  return ipOff + 16;
}

/** ip6_finddst: the final destination named by a routing header, else the header's destination. */
function ipv6FinalDestination(b: Uint8Array, ipOff: number, snapend: number): number {
  let cp = ipOff;
  let advance = 40;
  let nh = b[ipOff + 6]!;
  let dst = ipOff + 24;
  while (cp < snapend) {
    cp += advance;
    if (cp + 2 > snapend) return dst;
    switch (nh) {
      case 0: case 60: case 62: case 135:
        advance = (b[cp + 1]! + 1) << 3;
        nh = b[cp]!;
        break;
      case 44:
        advance = 8;
        nh = b[cp]!;
        break;
      case 43: {
        if (cp + 8 > snapend) return dst;
        let len = b[cp + 1]!;
        const type = b[cp + 2]!;
        if (len % 2 === 1) return dst;
        if (type === 0 || type === 2) {
          len >>= 1;
          let p = cp + 8;
          for (let i = 0; i < len && p + 16 <= snapend; i++, p += 16) dst = p;
        } else if (type === 4 && cp + 24 <= snapend) {
          dst = cp + 8;
        }
        return dst;
      }
      default:
        return dst;
    }
  }
  return dst;
}
