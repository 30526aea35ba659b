/**
 * TCP lines as tcpdump 4.99 prints them (print-tcp.c): "Flags [S.], seq 1:101,
 * ack 1, win 502, options [...], length 100", relative sequence numbers, the
 * option list with its "[bad opt]" and "[len N]" remarks, and -q's "tcp N".
 */
import { tcpCarriesDomain, tcpdumpTcpDissector } from './app-ports.js';
import { transportChecksum, shouldBe } from './checksum.js';
import { printDomain } from './dns.js';
import { printNfsOverTcp } from './nfs.js';
import { addressPair, endpointPair, ipHeaderProtocol, portPair } from './ip-addresses.js';
import { TRUNCATED, type PrintContext } from './print-context.js';
import { printMptcp } from './mptcp.js';
import { TCP_APP_PRINTERS } from './tcp-apps.js';
import { printTelnet } from './telnet.js';
import { dec, HEX8, hex, hexPad, visibleChar } from './text-tables.js';
import { printTextProtocol, TCP_TEXT_PROTOCOLS } from './txtproto.js';
import { IpProto } from '../../decode/layers.js';

const FIN = 0x01, SYN = 0x02, RST = 0x04, ACK = 0x10, URG = 0x20;
/** Data of a RST printed with -v, at most. */
const MAX_RST_DATA_LEN = 30;

/** Flag letters by flag byte, in tcpdump's order (F S R P . U E W); "none" for no flags. */
const FLAG_TEXT: readonly string[] = Array.from({ length: 256 }, (_, f) => {
  const letters = ['F', 'S', 'R', 'P', '.', 'U', 'E', 'W'];
  let s = '';
  for (let i = 0; i < 8; i++) if (f & (1 << i)) s += letters[i];
  return s === '' ? 'none' : s;
});

const OPTION_NAMES = new Map<number, string>([
  [0, 'eol'], [1, 'nop'], [2, 'mss'], [3, 'wscale'], [4, 'sackOK'], [5, 'sack'], [6, 'echo'],
  [7, 'echoreply'], [8, 'TS'], [11, 'cc'], [12, 'ccnew'], [13, ''], [19, 'md5'], [20, 'scps'],
  [28, 'uto'], [29, 'tcp-ao'], [30, 'mptcp'], [34, 'tfo'], [254, 'exp'],
]);

/** How an option list ended early: tcpdump's `bad` and `trunc` labels. */
const enum OptionsEnd { Ok, Bad, Truncated }

/**
 * Prints a TCP segment at `bp`; `length` is the TCP length from the IP
 * header, `ipOff`/`ipVersion` the enclosing header (for addresses).
 */
export function printTcp(c: PrintContext, bp: number, length: number, ipOff: number, ipVersion: number, fragmented: boolean): void {
  c.proto = 'tcp';
  if (!c.has(bp + 2, 2)) {
    c.s += addressPair(c, ipOff, ipVersion, ':');
    c.trunc();
    return;
  }
  const sport = c.u16(bp), dport = c.u16(bp + 2);
  c.s += ipHeaderProtocol(c, ipOff, ipVersion) === IpProto.Tcp
    ? endpointPair(c, ipOff, ipVersion, dec(sport), dec(dport))
    : portPair(c, dec(sport), dec(dport));

  if (!c.has(bp, 20)) { c.trunc(); return; }
  const b = c.b;
  let hlen = (b[bp + 12]! >> 4) * 4;
  if (hlen < 20) {
    c.s += ' tcp ' + ((length - hlen) >>> 0) + ' [bad hdr length ' + hlen + ' - too short, < 20]';
    return;
  }
  let seq = c.u32(bp + 4);
  let ack = c.u32(bp + 8);
  const win = c.u16(bp + 14);
  const urp = c.u16(bp + 18);

  if (c.opts.quiet) {
    c.s += 'tcp ' + dec((length - hlen) >>> 0);
    if (hlen > length) c.s += ' [bad hdr length ' + hlen + ' - too long, > ' + length + ']';
    return;
  }

  const flags = b[bp + 13]!;
  const p = c.paint;
  c.s += p ? 'Flags [' + p.tcpFlags(FLAG_TEXT[flags]!, flags) + ']' : 'Flags [' + FLAG_TEXT[flags]! + ']';

  let rev = false, thseq = 0, thack = 0;
  if (!c.opts.absoluteSequence && (flags & ACK) !== 0) {
    const t = c.sequences;
    const addrLen = ipVersion === 4 ? 4 : 16;
    const src = ipOff + (ipVersion === 4 ? 12 : 8);
    rev = t.relate(b, src, src + addrLen, addrLen, sport, dport, seq, ack, (flags & SYN) !== 0);
    thseq = t.baseSeq;
    thack = t.baseAck;
    if (t.found) {
      if (rev) { seq = (seq - thack) >>> 0; ack = (ack - thseq) >>> 0; }
      else { seq = (seq - thseq) >>> 0; ack = (ack - thack) >>> 0; }
    }
  }
  if (hlen > length) {
    c.s += ' [bad hdr length ' + hlen + ' - too long, > ' + length + ']';
    return;
  }

  if (c.opts.verbose > 0 && !fragmented && c.has(bp, length)) {
    const sum = transportChecksum(b, ipOff, ipVersion, IpProto.Tcp, bp, length, c.snapend);
    const field = c.u16(bp + 16);
    c.s += ', cksum 0x' + hexPad(field, 4);
    c.s += sum !== 0 ? ' (incorrect -> 0x' + hexPad(shouldBe(field, sum), 4) + ')' : ' (correct)';
  }

  length -= hlen;
  if (c.opts.verbose > 1 || length > 0 || (flags & (SYN | FIN | RST)) !== 0) {
    c.s += ', seq ' + dec(seq);
    if (length > 0) c.s += ':' + dec((seq + length) >>> 0);
  }
  if (flags & ACK) c.s += ', ack ' + dec(ack);
  c.s += ', win ' + dec(win);
  if (flags & URG) c.s += ', urg ' + dec(urp);

  if (hlen > 20) {
    const end = printOptions(c, bp, hlen - 20, rev, thseq, thack, length);
    if (end !== OptionsEnd.Ok) return;
  }

  c.s += ', length ' + dec(length);
  if (length === 0) return;

  const headerLen = (b[bp + 12]! >> 4) * 4;
  if (!c.has(bp, headerLen)) {
    c.s += ' [remaining caplen(' + Math.max(0, c.snapend - bp) + ') < header length(' + headerLen + ')]';
    throw TRUNCATED;
  }
  if ((flags & RST) !== 0 && c.opts.verbose > 0) { printRstData(c, bp + headerLen, length); return; }
  const app = tcpdumpTcpDissector(sport, dport);
  if (app === 'telnet') { printTelnet(c, bp + headerLen, length); return; }
  const printer = TCP_APP_PRINTERS.get(app ?? '');
  if (printer !== undefined) { printer.print(c, bp + headerLen, length); return; }
  const text = TCP_TEXT_PROTOCOLS.get(app ?? '');
  if (text !== undefined) {
    c.s += ': ';
    printTextProtocol(c, bp + headerLen, length, text);
  } else if (tcpCarriesDomain(sport, dport)) {
    printDomain(c, bp + headerLen, length, true, false);
  } else if (app === 'nfs') {
    printNfsOverTcp(c, bp + headerLen, length, sport, dport, ipOff, ipVersion);
  }
}

/** The ", options [...]" list. Returns how it ended; on Bad/Truncated the line is complete. */
function printOptions(c: PrintContext, bp: number, remaining: number, rev: boolean, thseq: number, thack: number, payloadLength: number): OptionsEnd {
  opt.cp = bp + 20;
  opt.remaining = remaining;
  opt.ch = '';
  c.s += ', options [';
  let kind = 0, len = 0, datalen = 0;
  while (opt.remaining > 0) {
    c.s += opt.ch;
    kind = c.u8(opt.cp); opt.cp++;
    if (kind === 0 || kind === 1) len = 1;
    else {
      len = c.u8(opt.cp); opt.cp++;
      if (len < 2 || len > opt.remaining) return finishBad(c, OptionsEnd.Bad);
      opt.remaining--;
    }
    opt.remaining--;
    datalen = 0;
    const name = OPTION_NAMES.get(kind);
    c.s += name ?? 'unknown-' + kind;
    let r = OptionsEnd.Ok;
    switch (kind) {
      case 2: // mss
        datalen = 2;
        if ((r = lencheck(c, 2)) !== OptionsEnd.Ok) return finishBad(c, r);
        c.s += ' ' + dec(c.u16(opt.cp));
        break;
      case 3: // wscale
        datalen = 1;
        if ((r = lencheck(c, 1)) !== OptionsEnd.Ok) return finishBad(c, r);
        c.s += ' ' + c.u8(opt.cp);
        break;
      case 5: { // sack
        datalen = len - 2;
        if (datalen % 8 !== 0) { c.s += ' invalid sack'; break; }
        c.s += ' ' + datalen / 8 + ' ';
        for (let i = 0; i < datalen; i += 8) {
          if ((r = lencheck(c, i + 4)) !== OptionsEnd.Ok) return finishBad(c, r);
          let s = c.u32(opt.cp + i);
          if ((r = lencheck(c, i + 8)) !== OptionsEnd.Ok) return finishBad(c, r);
          let e = c.u32(opt.cp + i + 4);
          if (rev) { s = (s - thseq) >>> 0; e = (e - thseq) >>> 0; }
          else { s = (s - thack) >>> 0; e = (e - thack) >>> 0; }
          c.s += '{' + dec(s) + ':' + dec(e) + '}';
        }
        break;
      }
      case 11: case 12: case 13: case 6: case 7:
        datalen = 4;
        if ((r = lencheck(c, 4)) !== OptionsEnd.Ok) return finishBad(c, r);
        c.s += ' ' + dec(c.u32(opt.cp));
        break;
      case 8: // timestamps
        datalen = 8;
        if ((r = lencheck(c, 8)) !== OptionsEnd.Ok) return finishBad(c, r);
        c.s += ' val ' + dec(c.u32(opt.cp)) + ' ecr ' + dec(c.u32(opt.cp + 4));
        break;
      case 19: { // TCP-MD5 signature: tcpdump (with libcrypto) cannot check it without -M
        datalen = 16;
        if ((r = lencheck(c, 16)) !== OptionsEnd.Ok) return finishBad(c, r);
        c.s += ' ';
        const dataEnd = bp + ((c.b[bp + 12]! >> 4) * 4) + payloadLength;
        c.s += dataEnd > c.snapend ? 'snaplen too short, ' : 'shared secret not supplied with -M, ';
        c.s += "can't check - ";
        for (let i = 0; i < 16; i++) c.s += HEX8[c.u8(opt.cp + i)]!;
        break;
      }
      case 20: // scps
        datalen = 2;
        if ((r = lencheck(c, 2)) !== OptionsEnd.Ok) return finishBad(c, r);
        c.s += ' cap ' + HEX8[c.u8(opt.cp)]! + ' id ' + c.u8(opt.cp + 1);
        break;
      case 29: // tcp-ao
        datalen = len - 2;
        if (datalen < 2) { c.s += ' (invalid)'; break; }
        if ((r = lencheck(c, 1)) !== OptionsEnd.Ok) return finishBad(c, r);
        c.s += ' keyid ' + c.u8(opt.cp);
        if ((r = lencheck(c, 2)) !== OptionsEnd.Ok) return finishBad(c, r);
        c.s += ' rnextkeyid ' + c.u8(opt.cp + 1);
        if (datalen > 2) {
          c.s += ' mac 0x';
          for (let i = 2; i < datalen; i++) {
            if ((r = lencheck(c, i + 1)) !== OptionsEnd.Ok) return finishBad(c, r);
            c.s += HEX8[c.u8(opt.cp + i)]!;
          }
        }
        break;
      case 0: case 1: case 4:
        break;
      case 28: { // user timeout
        datalen = 2;
        if ((r = lencheck(c, 2)) !== OptionsEnd.Ok) return finishBad(c, r);
        let uto = c.u16(opt.cp);
        c.s += ' 0x' + hex(uto);
        uto = (uto & 1) ? (uto >> 1) * 60 : uto >> 1;
        c.s += ' ' + uto;
        break;
      }
      case 30: { // MPTCP, read with the capture end narrowed to the option's end (tcpdump does so)
        datalen = len - 2;
        if ((r = lencheck(c, datalen)) !== OptionsEnd.Ok) return finishBad(c, r);
        const snapend = c.snapend;
        c.snapend = Math.min(opt.cp - 2 + len, snapend);
        let ok = false;
        try { ok = printMptcp(c, opt.cp - 2, len, c.b[bp + 13]!); } finally { c.snapend = snapend; }
        if (!ok) return finishBad(c, OptionsEnd.Bad);
        break;
      }
      case 34: // fast open
        datalen = len - 2;
        if ((r = lencheck(c, datalen)) !== OptionsEnd.Ok) return finishBad(c, r);
        c.s += ' ';
        fastOpen(c, opt.cp, datalen, false);
        break;
      case 254: { // experimental (RFC 6994)
        datalen = len - 2;
        if ((r = lencheck(c, datalen)) !== OptionsEnd.Ok) return finishBad(c, r);
        if (datalen < 2) return finishBad(c, OptionsEnd.Bad);
        const magic = c.u16(opt.cp);
        c.s += '-';
        if (magic === 0xf989) fastOpen(c, opt.cp + 2, datalen - 2, true);
        else c.s += hexPad(magic, 4);
        break;
      }
      default:
        // Unknown options: the raw bytes.
        datalen = len - 2;
        if (datalen) c.s += ' 0x';
        for (let i = 0; i < datalen; i++) {
          if ((r = lencheck(c, i + 1)) !== OptionsEnd.Ok) return finishBad(c, r);
          c.s += HEX8[c.u8(opt.cp + i)]!;
        }
        break;
    }
    opt.cp += datalen;
    opt.remaining -= datalen;
    datalen++;
    if (kind !== 0 && kind !== 1) datalen++;
    if (datalen !== len) c.s += '[len ' + len + ']';
    opt.ch = ',';
    if (kind === 0) break;
  }
  c.s += ']';
  return OptionsEnd.Ok;
}

/** Where the option walk is; module state rather than closures, so a packet allocates nothing. */
const opt = { cp: 0, remaining: 0, ch: '' };

/** tcpdump's LENCHECK(l): `l` more bytes must be declared (else [bad opt]) and captured (else truncated). */
function lencheck(c: PrintContext, l: number): OptionsEnd {
  if (l > opt.remaining) return OptionsEnd.Bad;
  if (!c.has(opt.cp, l)) return OptionsEnd.Truncated;
  return OptionsEnd.Ok;
}

/** Ends the option list the way tcpdump's `bad` and `trunc` labels do. */
function finishBad(c: PrintContext, why: OptionsEnd): OptionsEnd {
  if (why === OptionsEnd.Bad) { c.s += '[bad opt]'; if (opt.ch !== '') c.s += ']'; }
  else { c.trunc(); if (opt.ch !== '') c.s += '>'; }
  return why;
}

function fastOpen(c: PrintContext, cp: number, datalen: number, experimental: boolean): void {
  if (experimental) c.s += 'tfo';
  if (datalen === 0) { c.s += ' cookiereq'; return; }
  if (datalen % 2 !== 0 || datalen < 4 || datalen > 16) { c.s += ' (invalid)'; return; }
  c.s += ' cookie ';
  for (let i = 0; i < datalen; i++) c.s += HEX8[c.u8(cp + i)]!;
}

/**
 * tcpdump -v shows the text a RST carries (RFC 1122 4.2.2.12), control and
 * high bytes made visible as ^X and M-x, so it never reaches the terminal raw.
 */
function printRstData(c: PrintContext, sp: number, length: number): void {
  c.s += c.has(sp, length) ? ' [RST' : ' [!RST';
  if (length > MAX_RST_DATA_LEN) { length = MAX_RST_DATA_LEN; c.s += '+'; }
  c.s += ' ';
  while (length > 0 && sp < c.snapend) {
    c.s += visibleChar(c.b[sp]!);
    sp++;
    length--;
  }
  c.s += ']';
}
