/**
 * ISAKMP / IKE lines (print-isakmp.c) at default verbosity: the exchange's
 * phase, who sent it and its type ("isakmp: phase 1 I ident",
 * "isakmp: child_sa  ikev2_auth[I]"). Payloads are listed only under -v,
 * which this printer does not reproduce.
 */
import type { PrintContext } from './print-context.js';
import { dec } from './text-tables.js';

/** ISAKMP header: two cookies, next payload, version, exchange type, flags, message id, length. */
const field = {
  INITIATOR_COOKIE: 0,
  RESPONDER_COOKIE: 8,
  VERSION: 17,
  EXCHANGE_TYPE: 18,
  FLAGS: 19,
  MESSAGE_ID: 20,
  HEADER_LENGTH: 28,
} as const;

const COOKIE_LENGTH = 8;

const FLAG_E = 0x01, FLAG_C = 0x02, FLAG_I = 0x08, FLAG_V = 0x10, FLAG_R = 0x20;

/** etypestr: IKEv1 exchanges, then IKEv2's from 34. */
const EXCHANGE_NAMES: ReadonlyMap<number, string> = new Map([
  [0, 'none'], [1, 'base'], [2, 'ident'], [3, 'auth'], [4, 'agg'], [5, 'inf'],
  [32, 'oakley-quick'], [33, 'oakley-newgroup'],
  [34, 'ikev2_init'], [35, 'ikev2_auth'], [36, 'child_sa'], [37, 'inf2'],
]);

/** tcpdump remembers this many IKEv1 initiators (MAXINITIATORS), overwriting round-robin. */
const INITIATOR_SLOTS = 20;

/**
 * tcpdump's cookie cache: which address started each IKEv1 exchange, so a
 * later packet is marked I (from the initiator) or R (from its peer). Its
 * slots start zeroed, so an all-zero cookie matches slot 0 until that slot is
 * reused, and then is neither side: "?". State of one run, like tcpdump's.
 */
export class IkeInitiatorCache {
  private readonly cookies = new Uint8Array(INITIATOR_SLOTS * COOKIE_LENGTH);
  private readonly versions = new Uint8Array(INITIATOR_SLOTS);
  /** Initiator then responder address per slot, 16 bytes each (IPv4 in the first four). */
  private readonly addrs = new Uint8Array(INITIATOR_SLOTS * 32);
  private next = 0;

  find(b: Uint8Array, o: number): number {
    for (let i = 0; i < INITIATOR_SLOTS; i++) {
      let same = true;
      for (let k = 0; k < COOKIE_LENGTH && same; k++) same = this.cookies[i * COOKIE_LENGTH + k] === b[o + k];
      if (same) return i;
    }
    return -1;
  }

  record(c: PrintContext, cookie: number, ipOff: number, ipVersion: number): void {
    const b = c.b;
    const i = this.find(b, cookie);
    if (i >= 0) { this.next = (i + 1) % INITIATOR_SLOTS; return; }
    const n = ipVersion === 4 ? 4 : ipVersion === 6 ? 16 : 0;
    if (n === 0) return;
    const src = ipVersion === 4 ? ipOff + 12 : ipOff + 8;
    c.need(src, 2 * n);
    const slot = this.next;
    this.versions[slot] = ipVersion;
    this.addrs.fill(0, slot * 32, slot * 32 + 32);
    this.addrs.set(b.subarray(src, src + n), slot * 32);
    this.addrs.set(b.subarray(src + n, src + 2 * n), slot * 32 + 16);
    this.cookies.set(b.subarray(cookie, cookie + COOKIE_LENGTH), slot * COOKIE_LENGTH);
    this.next = (slot + 1) % INITIATOR_SLOTS;
  }

  /** Whether the packet's source is the slot's initiator (or, with `initiator` false, its responder). */
  sentBy(c: PrintContext, slot: number, ipOff: number, ipVersion: number, initiator: boolean): boolean {
    if (this.versions[slot] !== ipVersion) return false;
    const n = ipVersion === 4 ? 4 : ipVersion === 6 ? 16 : 0;
    if (n === 0) return false;
    const src = ipVersion === 4 ? ipOff + 12 : ipOff + 8;
    c.need(src, n);
    const at = slot * 32 + (initiator ? 0 : 16);
    for (let k = 0; k < n; k++) if (this.addrs[at + k] !== c.b[src + k]) return false;
    return true;
  }
}

/** isakmp_print. `ipOff`/`ipVersion` name the enclosing IP header (tcpdump's bp2). */
export function printIsakmp(c: PrintContext, bp: number, _length: number, ipOff: number, ipVersion: number): void {
  c.proto = 'isakmp';
  if (c.snapend < bp + field.HEADER_LENGTH) { c.trunc(); return; }
  c.s += 'isakmp';
  const major = c.u8(bp + field.VERSION) >> 4;
  c.s += ':';
  if (major === 1) printIkev1(c, bp, ipOff, ipVersion);
  else if (major === 2) printIkev2(c, bp);
}

function exchangeName(etype: number): string {
  return EXCHANGE_NAMES.get(etype) ?? '#' + dec(etype);
}

function printIkev1(c: PrintContext, bp: number, ipOff: number, ipVersion: number): void {
  c.s += c.u32(bp + field.MESSAGE_ID) === 0 ? ' phase 1' : ' phase 2/others';
  const cache = c.ikeInitiators ??= new IkeInitiatorCache();
  const slot = cache.find(c.b, bp + field.INITIATOR_COOKIE);
  if (slot < 0) {
    let zero = true;
    for (let k = 0; k < COOKIE_LENGTH; k++) if (c.b[bp + field.RESPONDER_COOKIE + k] !== 0) zero = false;
    if (zero) {
      c.s += ' I';
      if (ipOff >= 0) cache.record(c, bp + field.INITIATOR_COOKIE, ipOff, ipVersion);
    } else {
      c.s += ' ?';
    }
  } else if (ipOff >= 0 && cache.sentBy(c, slot, ipOff, ipVersion, true)) {
    c.s += ' I';
  } else if (ipOff >= 0 && cache.sentBy(c, slot, ipOff, ipVersion, false)) {
    c.s += ' R';
  } else {
    c.s += ' ?';
  }
  c.s += ' ' + exchangeName(c.b[bp + field.EXCHANGE_TYPE]!);
  const flags = c.b[bp + field.FLAGS]!;
  if (flags) c.s += '[' + (flags & FLAG_E ? 'E' : '') + (flags & FLAG_C ? 'C' : '') + ']';
}

function printIkev2(c: PrintContext, bp: number): void {
  c.s += c.u32(bp + field.MESSAGE_ID) === 0 ? ' parent_sa' : ' child_sa ';
  c.s += ' ' + exchangeName(c.b[bp + field.EXCHANGE_TYPE]!);
  const flags = c.b[bp + field.FLAGS]!;
  if (flags) c.s += '[' + (flags & FLAG_I ? 'I' : '') + (flags & FLAG_V ? 'V' : '') + (flags & FLAG_R ? 'R' : '') + ']';
}
