/**
 * Radiotap (print-802_11.c's ieee802_11_radio_print): the radio information
 * in front of an 802.11 frame, one field per presence bit in bit order,
 * each aligned to its own size from the header's start. A field tcpdump
 * does not know ends the walk with "[bit N]", since its size is unknown;
 * vendor namespaces are skipped by their stated length. Then the frame.
 */
import { u32le } from '../../decode/bytes.js';
import { printIeee80211 } from './ieee80211.js';
import { HT_RATE_TENTHS } from './ieee80211-tables.js';
import type { PrintContext } from './print-context.js';

const TSFT = 0, FLAGS = 1, RATE = 2, CHANNEL = 3, FHSS = 4, DBM_ANTSIGNAL = 5, DBM_ANTNOISE = 6, LOCK_QUALITY = 7;
const TX_ATTENUATION = 8, DB_TX_ATTENUATION = 9, DBM_TX_POWER = 10, ANTENNA = 11, DB_ANTSIGNAL = 12, DB_ANTNOISE = 13;
const RX_FLAGS = 14, XCHANNEL = 18, MCS = 19, AMPDU_STATUS = 20, VHT = 21;
/** Presence bits 29-31 mean the same in every word: namespace switches and "another word follows". */
const NAMESPACE = 29;
const BIT_NAMESPACE = 1 << 29, BIT_VENDOR_NAMESPACE = 1 << 30, BIT_EXT = 0x80000000;

const F_CFP = 0x01, F_SHORTPRE = 0x02, F_WEP = 0x04, F_FRAG = 0x08, F_FCS = 0x10, F_DATAPAD = 0x20, F_BADFCS = 0x40;

const CHAN_TURBO = 0x10, CHAN_CCK = 0x20, CHAN_OFDM = 0x40, CHAN_2GHZ = 0x80, CHAN_5GHZ = 0x100;
const CHAN_DYN = 0x400, CHAN_GFSK = 0x800, CHAN_HALF = 0x4000, CHAN_QUARTER = 0x8000;
const CHAN_HT20 = 0x10000, CHAN_HT40U = 0x20000, CHAN_HT40D = 0x40000;

const MAX_MCS_INDEX = 76;
const HT_BANDWIDTH = ['20 MHz', '40 MHz', '20 MHz (L)', '20 MHz (U)'];
const VHT_BANDWIDTH = [
  '20 MHz', '40 MHz', '20 MHz (L)', '20 MHz (U)', '80 MHz', '80 MHz (L)', '80 MHz (U)', '80 MHz (LL)', '80 MHz (LU)',
  '80 MHz (UL)', '80 MHz (UU)', '160 MHz', '160 MHz (L)', '160 MHz (U)', '160 MHz (LL)', '160 MHz (LU)', '160 MHz (UL)',
  '160 MHz (UU)', '160 MHz (LLL)', '160 MHz (LLU)', '160 MHz (LUL)', '160 MHz (UUU)', '160 MHz (ULL)', '160 MHz (ULU)',
  '160 MHz (UUL)', '160 MHz (UUU)', 'unknown (26)', 'unknown (27)', 'unknown (28)', 'unknown (29)', 'unknown (30)', 'unknown (31)',
];

/**
 * tcpdump's cpack reader over the radiotap header: a read aligns to its size
 * from the header's start and fails (-1) past the header's stated length.
 * One reused instance; the header is within the capture, checked before.
 */
const cursor: { b: Uint8Array; start: number; len: number; next: number } = { b: new Uint8Array(0), start: 0, len: 0, next: 0 };

/** The aligned offset of a `size`-byte read, or -1 when it would pass the header's end. */
function reserve(size: number): number {
  const k = cursor;
  const misalign = (k.next - k.start) % size;
  const at = misalign === 0 ? k.next : k.next + size - misalign;
  return at - k.start + size > k.len ? -1 : at;
}

function u8(): number {
  const k = cursor;
  if (k.next - k.start >= k.len) return -1;
  return k.b[k.next++]!;
}

function u16(): number {
  const at = reserve(2);
  if (at < 0) return -1;
  cursor.next = at + 2;
  return cursor.b[at]! | (cursor.b[at + 1]! << 8);
}

function u32(): number {
  const at = reserve(4);
  if (at < 0) return -1;
  cursor.next = at + 4;
  return u32le(cursor.b, at);
}

function skip(n: number): boolean {
  const k = cursor;
  if (k.next - k.start + n > k.len) return false;
  k.next += n;
  return true;
}

const signed8 = (v: number): number => (v << 24) >> 24;

/** print_chaninfo: frequency and what the channel flags (or an MCS field) say of the PHY. */
function printChannel(c: PrintContext, freq: number, flags: number, present: number): void {
  c.s += freq + ' MHz';
  if (present & (1 << MCS)) {
    c.s += ' 11n';
  } else {
    if ((flags & (CHAN_2GHZ | CHAN_GFSK)) === (CHAN_2GHZ | CHAN_GFSK)) c.s += ' FHSS';
    if ((flags & (CHAN_5GHZ | CHAN_OFDM)) === (CHAN_5GHZ | CHAN_OFDM)) {
      c.s += flags & CHAN_HALF ? ' 11a/10Mhz' : flags & CHAN_QUARTER ? ' 11a/5Mhz' : ' 11a';
    }
    if ((flags & (CHAN_2GHZ | CHAN_OFDM)) === (CHAN_2GHZ | CHAN_OFDM) || (flags & (CHAN_2GHZ | CHAN_DYN)) === (CHAN_2GHZ | CHAN_DYN)) {
      c.s += flags & CHAN_HALF ? ' 11g/10Mhz' : flags & CHAN_QUARTER ? ' 11g/5Mhz' : ' 11g';
    } else if ((flags & (CHAN_2GHZ | CHAN_CCK)) === (CHAN_2GHZ | CHAN_CCK)) {
      c.s += ' 11b';
    }
    if (flags & CHAN_TURBO) c.s += ' Turbo';
  }
  if (flags & CHAN_HT20) c.s += ' ht/20';
  else if (flags & CHAN_HT40D) c.s += ' ht/40-';
  else if (flags & CHAN_HT40U) c.s += ' ht/40+';
  c.s += ' ';
}

/** The radiotap flags byte seen last (FCS present, Atheros padding), for the frame that follows. */
let radioFlags = 0;

/** print_radiotap_field: 0 when printed, -1 when the walk must stop (unknown field, or cut short). */
function printField(c: PrintContext, bit: number, present: number): number {
  switch (bit) {
    case TSFT: {
      const at = reserve(8);
      if (at < 0) return truncated(c);
      cursor.next = at + 8;
      const lo = u32le(cursor.b, at), hi = u32le(cursor.b, at + 4);
      c.s += (hi === 0 ? String(lo) : ((BigInt(hi) << 32n) | BigInt(lo)).toString()) + 'us tsft ';
      return 0;
    }
    case FLAGS: {
      const f = u8();
      if (f < 0) return truncated(c);
      radioFlags = f;
      if (f & F_CFP) c.s += 'cfp ';
      if (f & F_SHORTPRE) c.s += 'short preamble ';
      if (f & F_WEP) c.s += 'wep ';
      if (f & F_FRAG) c.s += 'fragmented ';
      if (f & F_BADFCS) c.s += 'bad-fcs ';
      return 0;
    }
    case RATE: {
      const r = u8();
      if (r < 0) return truncated(c);
      // 0x80 with a small index is an MCS index on some systems, not a rate.
      c.s += r >= 0x80 && r <= 0x8f ? 'MCS ' + (r & 0x7f) + ' ' : (r / 2).toFixed(1) + ' Mb/s ';
      return 0;
    }
    case CHANNEL: {
      const freq = u16();
      if (freq < 0) return truncated(c);
      const flags = u16();
      if (flags < 0) return truncated(c);
      if (!(present & (1 << XCHANNEL))) printChannel(c, freq, flags, present);
      return 0;
    }
    case FHSS: {
      const set = u8();
      if (set < 0) return truncated(c);
      const pattern = u8();
      if (pattern < 0) return truncated(c);
      c.s += 'fhset ' + set + ' fhpat ' + pattern + ' ';
      return 0;
    }
    case DBM_ANTSIGNAL: case DBM_ANTNOISE: case DB_TX_ATTENUATION: case DBM_TX_POWER: {
      const v = u8();
      if (v < 0) return truncated(c);
      const s = signed8(v);
      c.s += bit === DBM_ANTSIGNAL ? s + 'dBm signal ' : bit === DBM_ANTNOISE ? s + 'dBm noise '
        : bit === DBM_TX_POWER ? s + 'dBm tx power ' : -s + 'dB tx attenuation ';
      return 0;
    }
    case LOCK_QUALITY: {
      const q = u16();
      if (q < 0) return truncated(c);
      c.s += q + ' sq ';
      return 0;
    }
    case TX_ATTENUATION: {
      const v = u16();
      if (v < 0) return truncated(c);
      c.s += -((v << 16) >> 16) + ' tx power ';
      return 0;
    }
    case ANTENNA: case DB_ANTSIGNAL: case DB_ANTNOISE: {
      const v = u8();
      if (v < 0) return truncated(c);
      c.s += bit === ANTENNA ? 'antenna ' + v + ' ' : bit === DB_ANTSIGNAL ? v + 'dB signal ' : v + 'dB noise ';
      return 0;
    }
    case RX_FLAGS:
      return u16() < 0 ? truncated(c) : 0;
    case XCHANNEL: {
      const flags = u32();
      if (flags < 0) return truncated(c);
      const freq = u16();
      if (freq < 0) return truncated(c);
      if (u8() < 0 || u8() < 0) return truncated(c);
      printChannel(c, freq, flags, present);
      return 0;
    }
    case MCS:
      return printMcs(c);
    case AMPDU_STATUS:
      return u32() < 0 || u16() < 0 || u8() < 0 || u8() < 0 ? truncated(c) : 0;
    case VHT:
      return printVht(c);
    default:
      c.s += '[bit ' + bit + '] ';
      return -1;
  }
}

function truncated(c: PrintContext): number {
  c.trunc();
  return -1;
}

/** The MCS field: known bits, flags and index; the HT rate when bandwidth or guard interval is known. */
function printMcs(c: PrintContext): number {
  const known = u8();
  if (known < 0) return truncated(c);
  const flags = u8();
  if (flags < 0) return truncated(c);
  const index = u8();
  if (index < 0) return truncated(c);
  if (known & 0x02) {
    let tenths = 0;
    if (index <= MAX_MCS_INDEX && (known & 0x05)) {
      tenths = HT_RATE_TENTHS[index * 4 + ((flags & 3) === 1 ? 2 : 0) + (flags & 0x04 ? 1 : 0)]!;
    }
    c.s += tenths !== 0 ? Math.floor(tenths / 10) + '.' + (tenths % 10) + ' Mb/s MCS ' + index + ' ' : 'MCS ' + index + ' ';
  }
  if (known & 0x01) c.s += HT_BANDWIDTH[flags & 3] + ' ';
  if (known & 0x04) c.s += (flags & 0x04 ? 'short' : 'long') + ' GI ';
  if (known & 0x08) c.s += (flags & 0x08 ? 'greenfield' : 'mixed') + ' ';
  if (known & 0x10) c.s += (flags & 0x10 ? 'LDPC' : 'BCC') + ' FEC ';
  if (known & 0x20) c.s += 'RX-STBC' + ((flags & 0x60) >> 5) + ' ';
  return 0;
}

/** The VHT field: per-user MCS and coding, bandwidth, guard interval. */
function printVht(c: PrintContext): number {
  const known = u16();
  if (known < 0) return truncated(c);
  const flags = u8();
  if (flags < 0) return truncated(c);
  const bandwidth = u8();
  if (bandwidth < 0) return truncated(c);
  const users = cursor.next;
  for (let i = 0; i < 4; i++) if (u8() < 0) return truncated(c);
  const coding = u8();
  if (coding < 0) return truncated(c);
  if (u8() < 0 || u16() < 0) return truncated(c);
  for (let i = 0; i < 4; i++) {
    const mcsNss = cursor.b[users + i]!;
    if ((mcsNss & 0x0f) === 0) continue;
    c.s += 'User ' + i + ' MCS ' + (mcsNss >> 4) + ' ' + (coding & (1 << i) ? 'LDPC' : 'BCC') + ' FEC ';
  }
  if (known & 0x40) c.s += VHT_BANDWIDTH[bandwidth & 0x1f] + ' ';
  if (known & 0x04) c.s += (flags & 0x04 ? 'short' : 'long') + ' GI ';
  return 0;
}

/** The fields of one presence word in the radiotap namespace, lowest bit first. */
function printNamespace(c: PrintContext, present: number, bit0: number): number {
  for (let bits = present; bits !== 0; bits &= bits - 1) {
    const bitno = 31 - Math.clz32(bits & -bits);
    if (bitno >= NAMESPACE) break;
    const rc = printField(c, bit0 + bitno, present);
    if (rc !== 0) return rc;
  }
  return 0;
}

/** DLT_IEEE802_11_RADIO: the radiotap header, then the 802.11 frame after it. */
export function printRadiotap(c: PrintContext, start: number, length: number, caplen: number): void {
  c.proto = '802.11_radio';
  const b = c.b;
  if (caplen < 8) { c.trunc(); c.linkHeaderLength = caplen; return; }
  const len = b[start + 2]! | (b[start + 3]! << 8);
  if (len < 8 || caplen < len) { c.trunc(); c.linkHeaderLength = caplen; return; }
  const end = start + len;
  // The presence words: each with bit 31 set is followed by another.
  let last = start + 4;
  while (last + 4 <= end && (u32le(b, last) & BIT_EXT)) last += 4;
  if (last + 4 > end) { c.trunc(); c.linkHeaderLength = caplen; return; }

  const k = cursor;
  k.b = b; k.start = start; k.len = len; k.next = last + 4;
  radioFlags = 0;
  let bit0 = 0, vendor = false, vendorSkip = 0;
  for (let word = start + 4; word <= last; word += 4) {
    const present = u32le(b, word);
    if (vendor) {
      if (!skip(vendorSkip)) break;
      vendorSkip = 0;
    } else if (printNamespace(c, present, bit0) !== 0) {
      break;
    }
    switch (present & (BIT_NAMESPACE | BIT_VENDOR_NAMESPACE)) {
      case 0:
        bit0 += 32;
        break;
      case BIT_NAMESPACE:
        bit0 = 0; vendor = false; vendorSkip = 0;
        break;
      case BIT_VENDOR_NAMESPACE: {
        bit0 = 0; vendor = true;
        // OUI and sub-namespace are read where the cursor stands (tcpdump checks 2-byte room but does not align).
        if (reserve(2) < 0 || u8() < 0 || u8() < 0 || u8() < 0 || u8() < 0) { c.trunc(); break; }
        const n = u16();
        if (n < 0) { c.trunc(); break; }
        vendorSkip = n;
        break;
      }
    }
  }
  const flags = radioFlags;
  c.linkHeaderLength = len + printIeee80211(c, end, length - len, caplen - len, (flags & F_DATAPAD) !== 0, flags & F_FCS ? 4 : 0);
}

/**
 * The radiotap header's length and its flags byte (-1 when absent), found
 * without printing: for exact-scope.ts. The flags field is the second of the
 * first presence word, after an 8-byte-aligned TSFT.
 */
export function radiotapLayout(b: Uint8Array, start: number, caplen: number): { length: number; flags: number } | null {
  if (caplen < 8) return null;
  const len = b[start + 2]! | (b[start + 3]! << 8);
  if (len < 8 || caplen < len) return null;
  const end = start + len;
  let last = start + 4;
  while (last + 4 <= end && (u32le(b, last) & BIT_EXT)) last += 4;
  if (last + 4 > end) return null;
  const present = u32le(b, start + 4);
  let at = last + 4 - start;
  if (present & (1 << TSFT)) at = ((at + 7) & ~7) + 8;
  const flags = present & (1 << FLAGS) && at < len ? b[start + at]! : -1;
  return { length: len, flags };
}
