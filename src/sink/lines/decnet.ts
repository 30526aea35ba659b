/** DECnet Phase IV routing and NSP messages, ethertype 0x6003 (print-decnet.c). */
import type { PrintContext } from './print-context.js';
import { hexAsciiLines } from './hexdump.js';

const SHORT_HEADER = 6, LONG_HEADER = 21;
const RMF_PAD = 0x80, RMF_FVER = 0x40, RMF_CTLMSG = 0x01;
const SGQ_ACK = 0x8000, SGQ_NAK = 0x9000, SGQ_OACK = 0xa000, SGQ_ONAK = 0xb000, SGQ_MASK = 0x0fff;

const REASONS = new Map([
  [0, 'object rejected connect'], [1, 'insufficient resources'], [2, 'unrecognized node name'],
  [3, 'node is shutting down'], [4, 'unrecognized object'], [5, 'invalid object name format'],
  [6, 'object too busy'], [7, 'protocol error discovered'], [8, 'third party abort'], [9, 'user abort'],
  [10, 'invalid node name format'], [11, 'local node shutting down'], [32, 'insufficient local resources'],
  [33, 'insufficient remote user resources'], [34, 'invalid access control information'],
  [36, 'bad ACCOUNT information'], [38, 'no response from object'], [39, 'node unreachable'],
  [41, 'no link terminate'], [42, 'disconnect complete'], [43, 'bad image data in connect'],
  [54, 'cryptographic service mismatch'],
]);
const NODE_TYPES = ['reserved-ntype? ', 'l2rout ', 'l1rout ', 'endnode '];
const VERSIONS = ['ver 3.2 ', 'ver 3.1 ', 'ver 4.0 ', 'ver 4.1 '];

function le16(c: PrintContext, o: number): number {
  return c.u8(o) | (c.u8(o + 1) << 8);
}

/** "area.node". */
function node(a: number): string {
  return (a >> 10) + '.' + (a & 0x3ff);
}

function defaultPrint(c: PrintContext, o: number, n: number): void {
  if (!c.opts.suppressDefaultPrint) c.s += hexAsciiLines(c.b, o, Math.max(0, Math.min(n, c.snapend - o)), '\n\t');
}

export function printDecnet(c: PrintContext, ap: number, length: number, caplen: number): void {
  c.proto = 'decnet';
  if (length < SHORT_HEADER) { c.s += ' (length ' + length + ' < 6) (invalid)'; return; }
  const pktlen = le16(c, ap);
  if (pktlen < SHORT_HEADER) { c.s += ' (pktlen ' + pktlen + ' < 6) (invalid)'; return; }
  if (pktlen > length) { c.s += ' (pktlen ' + pktlen + ' > ' + length + ') (invalid)'; return; }
  length = pktlen;
  let flags = c.u8(ap + 2);
  if (flags & RMF_PAD) {
    const pad = flags & 0x7f;
    if (c.opts.verbose) c.s += '[pad:' + pad + '] ';
    if (length < pad + 2) { c.s += ' (length ' + length + ' < ' + (pad + 2) + ') (invalid)'; return; }
    c.need(ap + 2, pad);
    ap += pad; length -= pad; caplen -= pad;
    flags = c.u8(ap + 2);
  }
  const rh = ap + 2;
  if (flags & RMF_FVER) {
    c.s += 'future-version-decnet';
    defaultPrint(c, ap, Math.min(length, caplen));
    return;
  }
  if (flags & RMF_CTLMSG) {
    if (!printControl(c, rh, flags, length, caplen)) c.s += ' (invalid)';
    return;
  }
  let dst: number, src: number, hops: number, nsp: number, nspLength: number;
  switch (flags & 7) {
    case 6:
      if (length < LONG_HEADER) { c.s += ' (length ' + length + ' < 21) (invalid)'; return; }
      c.need(rh, LONG_HEADER);
      dst = le16(c, rh + 7); src = le16(c, rh + 15); hops = c.u8(rh + 18);
      nsp = rh + LONG_HEADER; nspLength = length - LONG_HEADER;
      break;
    case 2:
      dst = le16(c, rh + 1); src = le16(c, rh + 3); hops = (c.u8(rh + 5) & 0x3f) + 1;
      nsp = rh + SHORT_HEADER; nspLength = length - SHORT_HEADER;
      break;
    default:
      c.s += 'unknown message flags under mask';
      defaultPrint(c, ap, Math.min(length, caplen));
      return;
  }
  c.s += node(src) + ' > ' + node(dst) + ' ' + pktlen + ' ';
  if (c.opts.verbose) {
    if (flags & 0x08) c.s += 'RQR ';
    if (flags & 0x10) c.s += 'RTS ';
    if (flags & 0x20) c.s += 'IE ';
    c.s += hops + ' hops ';
  }
  if (!printNsp(c, nsp, nspLength)) c.s += ' (invalid)';
}

function printControl(c: PrintContext, m: number, flags: number, length: number, caplen: number): boolean {
  switch (flags & 0x0f) {
    case 0x01: {
      c.s += 'init ';
      if (length < 12) return false;
      c.need(m, 12);
      const info = c.u8(m + 3);
      c.s += NODE_TYPES[info & 3]! + (info & 4 ? 'verif ' : '') + (info & 8 ? 'blo ' : '');
      c.s += 'src ' + node(le16(c, m + 1)) + 'blksize ' + le16(c, m + 4) + ' vers ' + c.u8(m + 6) + ' eco ' + c.u8(m + 7) +
        ' ueco ' + c.u8(m + 8) + ' hello ' + le16(c, m + 9);
      return true;
    }
    case 0x03:
      c.s += 'verification ';
      if (length < 4) return false;
      c.s += 'src ' + node(le16(c, m + 1)) + ' fcnval ' + c.u8(m + 3).toString(8);
      return true;
    case 0x05:
      c.s += 'test ';
      if (length < 4) return false;
      c.s += 'src ' + node(le16(c, m + 1)) + ' data ' + c.u8(m + 3).toString(8);
      return true;
    case 0x07: case 0x09: {
      const level1 = (flags & 0x0f) === 0x07;
      c.s += level1 ? 'lev-1-routing ' : 'lev-2-routing ';
      if (length < 4) return false;
      c.need(m, 4);
      c.s += 'src ' + node(le16(c, m + 1)) + ' ';
      // Each entry is 6 bytes of a 16-bit length: bounded by the packet.
      for (let o = m + 4, len = length - 4; len > 6; o += 6, len -= 6) {
        c.need(o, 6);
        const count = le16(c, o);
        if (count > 1024) break;
        const id = le16(c, o + 2), info = le16(c, o + 4);
        c.s += (level1 ? '{ids ' : '{areas ') + id + '-' + (id + count) + ' cost ' + (info & 0x1ff) + ' hops ' + ((info >> 10) & 0x1f) + '} ';
      }
      return true;
    }
    case 0x0b: {
      c.s += 'router-hello ';
      if (length < 18) return false;
      c.need(m, 18);
      c.s += helloInfo(c.u8(m + 10)) + 'vers ' + c.u8(m + 1) + ' eco ' + c.u8(m + 2) + ' ueco ' + c.u8(m + 3) +
        ' src ' + node(le16(c, m + 8)) + ' blksize ' + le16(c, m + 11) + ' pri ' + c.u8(m + 13) + ' hello ' + le16(c, m + 15);
      return true;
    }
    case 0x0d: {
      c.s += 'endnode-hello ';
      if (length < 32) return false;
      const vers = c.u8(m + 1), eco = c.u8(m + 2), ueco = c.u8(m + 3), src = le16(c, m + 8), info = c.u8(m + 10);
      const blksize = le16(c, m + 11), router = le16(c, m + 26), hello = le16(c, m + 28), data = c.u8(m + 31);
      c.s += helloInfo(info) + 'vers ' + vers + ' eco ' + eco + ' ueco ' + ueco + ' src ' + node(src) + ' blksize ' + blksize +
        ' rtr ' + node(router) + ' hello ' + hello + ' data ' + data.toString(8);
      return true;
    }
    default:
      c.s += 'unknown control message';
      defaultPrint(c, m, Math.min(length, caplen));
      return true;
  }
}

function helloInfo(info: number): string {
  return NODE_TYPES[info & 3]! + (info & 0x04 ? 'verif ' : '') + (info & 0x20 ? 'nomcast ' : '') + (info & 0x40 ? 'blo ' : '');
}

/** "ack N " / "nak N ", then the other channel's with the given words; the number read last. */
function acks(c: PrintContext, o: number, other: string, otherNak: string, lengthFor: (n: number) => boolean): number {
  let ack = le16(c, o);
  if (!(ack & SGQ_ACK)) return ack;
  c.s += ((ack & SGQ_NAK) === SGQ_NAK ? 'nak ' : 'ack ') + (ack & SGQ_MASK) + ' ';
  if (!lengthFor(9)) return -1;
  ack = le16(c, o + 2);
  if (!(ack & SGQ_OACK)) return ack;
  c.s += ((ack & SGQ_ONAK) === SGQ_ONAK ? otherNak : other) + ' ' + (ack & SGQ_MASK) + ' ';
  if (!lengthFor(11)) return -1;
  return le16(c, o + 4);
}

function connectServices(c: PrintContext, services: number, info: number, segsize: number): void {
  const flow = services & 0x0c;
  if (flow === 0x04) c.s += 'seg ';
  else if (flow === 0x08) c.s += 'msg ';
  c.s += VERSIONS[info & 3]! + 'segsize ' + segsize + ' ';
}

function printNsp(c: PrintContext, p: number, len: number): boolean {
  if (len < 5) { c.s += ' (nsplen ' + len + ' < 5)'; return false; }
  const flags = c.u8(p), dst = le16(c, p + 1), src = le16(c, p + 3);
  const ends = src + '>' + dst + ' ';
  const reserved = (what: string): void => { c.s += what + flags.toString(16) + ' ' + src + ' > ' + dst; };
  const upTo = (n: number): boolean => len >= n;
  switch (flags & 0x0c) {
    case 0x00:
      switch (flags & 0x70) {
        case 0x20: case 0x00: case 0x40: case 0x60: case 0x30: {
          // Data segments and interrupt messages: the other channel's acknowledgement is named differently.
          const data = (flags & 0x70) !== 0x30;
          c.s += data ? 'data ' + ends : 'intr ';
          if (len < 7) return false;
          const seg = acks(c, p + 5, data ? 'oack' : 'ackdat', data ? 'onak' : 'nakdat', upTo);
          if (seg < 0) return false;
          c.s += 'seg ' + (seg & SGQ_MASK) + ' ';
          return true;
        }
        case 0x10: {
          c.s += 'link-service ' + ends;
          if (len < 13) return false;
          const seg = acks(c, p + 5, 'ackdat', 'nakdat', () => true);
          c.s += 'seg ' + (seg & SGQ_MASK) + ' ';
          const lsflags = c.u8(p + 11), fcval = c.u8(p + 12);
          switch (lsflags & 0x0c) {
            case 0x00:
              c.s += 'dat seg count ' + fcval + ' ';
              switch (lsflags & 3) {
                case 0: break;
                case 1: c.s += 'donotsend-data '; break;
                case 2: c.s += 'send-data '; break;
                default: c.s += 'reserved-fcmod? ' + lsflags.toString(16);
              }
              break;
            case 0x04: c.s += 'intr req count ' + fcval + ' '; break;
            default: c.s += 'reserved-fcval-int? ' + lsflags.toString(16);
          }
          return true;
        }
        default: reserved('reserved-subtype? '); return true;
      }
    case 0x04:
      switch (flags & 0x70) {
        case 0x00: case 0x10: {
          const data = (flags & 0x70) === 0;
          c.s += (data ? 'data-ack ' : 'ils-ack ') + ends;
          if (len < 9) return false;
          c.need(p, 9);
          acks(c, p + 5, data ? 'oack' : 'ackdat', data ? 'onak' : 'nakdat', (n) => n <= 9);
          return true;
        }
        case 0x20: c.s += 'conn-ack ' + dst; return true;
        default: reserved('reserved-acktype? '); return true;
      }
    case 0x08:
      switch (flags & 0x70) {
        case 0x10: case 0x60:
          c.s += ((flags & 0x70) === 0x10 ? 'conn-initiate ' : 'retrans-conn-initiate ') + ends;
          if (len < 9) return false;
          connectServices(c, c.u8(p + 5), c.u8(p + 6), le16(c, p + 7));
          return true;
        case 0x20: {
          c.s += 'conn-confirm ' + ends;
          if (len < 10) return false;
          const optlen = c.u8(p + 9);
          connectServices(c, c.u8(p + 5), c.u8(p + 6), le16(c, p + 7));
          if (optlen) c.s += 'optlen ' + optlen + ' ';
          return true;
        }
        case 0x30: {
          c.s += 'disconn-initiate ' + ends;
          if (len < 8) return false;
          const reason = le16(c, p + 5), optlen = c.u8(p + 7);
          c.s += (REASONS.get(reason) ?? 'reason-' + reason) + ' ';
          if (optlen) c.s += 'optlen ' + optlen + ' ';
          return true;
        }
        case 0x40: {
          c.s += 'disconn-confirm ' + ends;
          const reason = le16(c, p + 5);
          c.s += (REASONS.get(reason) ?? 'reason-' + reason) + ' ';
          return true;
        }
        default: reserved('reserved-ctltype? '); return true;
      }
    default: reserved('reserved-type? '); return true;
  }
}
