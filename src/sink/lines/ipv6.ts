/** IPv6 (print-ip6.c): "IP6 ", -v's header details, extension headers, then the payload. */
import { ipv6Text } from './addresses.js';
import { printIpPayload } from './ip-demux.js';
import { printMobility } from './mobility.js';
import type { PrintContext } from './print-context.js';
import { hexPad, ipProtoName } from './text-tables.js';

/**
 * Prints the IPv6 datagram at `bp`; `length` is what the layer below says it
 * carries.
 */
export function printIpv6(c: PrintContext, bp: number, length: number): void {
  c.proto = 'ip6';
  if (!c.has(bp, 40)) { c.trunc(); return; }
  if (length < 40) { c.s += 'truncated-ip6 ' + length; return; }
  if (!c.opts.link) c.s += 'IP6 ';
  const b = c.b;
  const version = b[bp]! >> 4;
  if (version !== 6) { c.s += 'version error: ' + version + ' != 6'; return; }
  let payloadLen = (b[bp + 4]! << 8) | b[bp + 5]!;
  let len: number;
  if (payloadLen !== 0) {
    len = payloadLen + 40;
    if (length < len) c.s += 'truncated-ip6 - ' + (len - length) + ' bytes missing!';
  } else {
    len = length + 40;
  }
  let nh = b[bp + 6]!;
  if (c.opts.verbose > 0) {
    const flow = c.u32(bp);
    c.s += '(';
    if (flow & 0x0ff00000) c.s += 'class 0x' + hexPad((flow & 0x0ff00000) >>> 20, 2) + ', ';
    if (flow & 0x000fffff) c.s += 'flowlabel 0x' + hexPad(flow & 0x000fffff, 5) + ', ';
    c.s += 'hlim ' + b[bp + 7] + ', next-header ' + ipProtoName(nh) + ' (' + nh + ') payload length: ' + payloadLen + ') ';
  }

  const savedSnapend = c.snapend;
  if (bp + len < c.snapend) c.snapend = bp + len;
  let cp = bp;
  let advance = 40;
  let totalAdvance = 0;
  let foundExtension = false, foundJumbo = false, foundHbh = false, fragmented = false;
  let previous = 255;
  try {
    while (cp < c.snapend && advance > 0) {
      if (len < advance) { c.trunc(); return; }
      cp += advance;
      len -= advance;
      totalAdvance += advance;
      if (cp === bp + 40 && nh !== 6 && nh !== 17 && nh !== 33 && nh !== 132) {
        c.s += addressText(c, bp) + ': ';
      }
      switch (nh) {
        case 0: { // hop-by-hop options
          if (foundHbh) { c.s += '[The Hop-by-Hop Options header was already found] (invalid)'; return; }
          if (previous !== 255) { c.s += "[The Hop-by-Hop Options header don't follow the IPv6 header] (invalid)"; return; }
          const r = options(c, cp, true, payloadLen);
          if (r.jumbo >= 0) { foundJumbo = true; payloadLen = r.jumbo; }
          if (payloadLen === 0 && !foundJumbo) { c.s += '[No valid Jumbo Payload Hop-by-Hop option found] (invalid)'; return; }
          advance = r.advance;
          if (advance < 0) return;
          foundExtension = true;
          foundHbh = true;
          nh = c.u8(cp);
          break;
        }
        case 60: { // destination options
          const r = options(c, cp, false, payloadLen);
          advance = r.advance;
          if (advance < 0) return;
          foundExtension = true;
          nh = c.u8(cp);
          break;
        }
        case 44: // fragment
          advance = fragment(c, cp, bp);
          if (advance < 0 || c.snapend <= cp + advance) return;
          foundExtension = true;
          nh = c.u8(cp);
          fragmented = true;
          break;
        case 135: case 62:
          // tcpdump stops after a mobility header, whatever follows it.
          printMobility(c, cp);
          return;
        case 43:
          advance = routing(c, cp);
          if (advance < 0) return;
          foundExtension = true;
          nh = c.u8(cp);
          break;
        default:
          if (foundJumbo) {
            len = payloadLen + 40;
            if (len < totalAdvance) { c.trunc(); return; }
            if (length < len) c.s += 'truncated-ip6 - ' + (len - length) + ' bytes missing!';
            c.snapend = Math.min(savedSnapend, bp + len);
            len -= totalAdvance;
          } else if (payloadLen === 0) {
            if (foundExtension) { c.trunc(); return; }
            len = 40;
            c.snapend = Math.min(savedSnapend, bp + len);
            len -= totalAdvance;
          }
          printIpPayload(c, cp, len, 6, fragmented, nh, bp);
          return;
      }
      previous = nh;
      c.proto = 'ip6';
    }
  } finally {
    c.snapend = savedSnapend;
  }
}

function addressText(c: PrintContext, bp: number): string {
  const s = ipv6Text(c.b, bp + 8), d = ipv6Text(c.b, bp + 24);
  const p = c.paint;
  return p ? p.endpoint(s) + ' > ' + p.endpoint(d) : s + ' > ' + d;
}

/** Result of an options header: its length (-1 when the line ended) and any valid jumbo length. */
const optionsResult = { advance: 0, jumbo: -1 };

/** hbhopt_process / dstopt_process: "HBH " or "DSTOPT ", with -v the options. */
function options(c: PrintContext, bp: number, hopByHop: boolean, payloadLen: number): typeof optionsResult {
  const r = optionsResult;
  r.jumbo = -1;
  c.proto = hopByHop ? 'hbhopt' : 'dstopt';
  const hlen = (c.u8(bp + 1) + 1) << 3;
  if (!c.has(bp, hlen)) { c.trunc(); r.advance = -1; return r; }
  c.s += hopByHop ? 'HBH ' : 'DSTOPT ';
  if (hopByHop || c.opts.verbose > 0) {
    if (!optionList(c, bp + 2, hlen - 2, hopByHop, payloadLen, r)) { c.trunc(); r.advance = -1; return r; }
  }
  r.advance = hlen;
  return r;
}

/** ip6_opt_process; false when an option is cut short. */
function optionList(c: PrintContext, bp: number, len: number, hopByHop: boolean, payloadLen: number, r: typeof optionsResult): boolean {
  const v = c.opts.verbose > 0;
  let optlen = 0;
  let jumboSeen = false;
  for (let i = 0; i < len; i += optlen) {
    const type = c.u8(bp + i);
    if (type === 0) optlen = 1;
    else if (i + 1 < len) optlen = c.u8(bp + i + 1) + 2;
    else return false;
    if (i + optlen > len) return false;
    switch (type) {
      case 0:
        if (v) c.s += '(pad1)';
        break;
      case 1:
        if (len - i < 2) { c.s += '(padn: trunc)'; return false; }
        if (v) c.s += '(padn)';
        break;
      case 5:
        if (len - i < 4) { c.s += '(rtalert: trunc)'; return false; }
        if (c.u8(bp + i + 1) !== 2) { c.s += '(rtalert: invalid len ' + c.u8(bp + i + 1) + ')'; return false; }
        if (v) c.s += '(rtalert: 0x' + hexPad(c.u16(bp + i + 2), 4) + ') ';
        break;
      case 0xc2: {
        if (len - i < 6) { c.s += '(jumbo: trunc)'; return false; }
        if (c.u8(bp + i + 1) !== 4) { c.s += '(jumbo: invalid len ' + c.u8(bp + i + 1) + ')'; return false; }
        const jumbo = c.u32(bp + i + 2);
        if (jumboSeen) { if (v) c.s += '(jumbo: ' + jumbo + ' - already seen) '; break; }
        jumboSeen = true;
        if (!hopByHop) { if (v) c.s += '(jumbo: ' + jumbo + ' - not a hop-by-hop option) '; }
        else if (payloadLen !== 0) { if (v) c.s += '(jumbo: ' + jumbo + ' - payload len != 0) '; }
        else if (jumbo < 65536) { if (v) c.s += '(jumbo: ' + jumbo + ' - < 65536) '; }
        else { r.jumbo = jumbo; if (v) c.s += '(jumbo: ' + jumbo + ') '; }
        break;
      }
      case 0xc9:
        if (len - i < 18) { c.s += '(homeaddr: trunc)'; return false; }
        if (c.u8(bp + i + 1) < 16) { c.s += '(homeaddr: invalid len ' + c.u8(bp + i + 1) + ')'; return false; }
        if (v) { c.need(bp + i + 2, 16); c.s += '(homeaddr: ' + ipv6Text(c.b, bp + i + 2) + ')'; }
        break;
      default:
        if (len - i < 2) { c.s += '(type ' + type + ': trunc)'; return false; }
        if (v) c.s += '(opt_type 0x' + hexPad(type, 2) + ': len=' + c.u8(bp + i + 1) + ')';
        break;
    }
  }
  if (v) c.s += ' ';
  return true;
}

/** frag6_print: "frag (offset|size) "; returns -1 for a later fragment (nothing more to print). */
function fragment(c: PrintContext, bp: number, ip6: number): number {
  c.proto = 'frag6';
  const offlg = c.u16(bp + 2);
  // A size_t in tcpdump: a bogus header makes it wrap around rather than go negative.
  const raw = 40 + c.u16(ip6 + 4) - (bp - ip6) - 8;
  const size = raw >= 0 ? String(raw) : String(2n ** 64n + BigInt(raw));
  if (c.opts.verbose > 0) c.s += 'frag (0x' + hexPad(c.u32(bp + 4), 8) + ':' + (offlg & 0xfff8) + '|' + size + ')';
  else c.s += 'frag (' + (offlg & 0xfff8) + '|' + size + ')';
  if ((offlg & 0xfff8) !== 0) return -1;
  c.s += ' ';
  return 8;
}

/** rt6_print: "RT6 (len=2, type=0 [Deprecated], segleft=1, [0]addr) ". */
function routing(c: PrintContext, bp: number): number {
  c.proto = 'rt6';
  c.s += 'RT6';
  let len = c.u8(bp + 1);
  const type = c.u8(bp + 2);
  c.s += ' (len=' + len + ', type=' + type;
  if (type === 0) c.s += ' [Deprecated]';
  c.s += ', segleft=' + c.u8(bp + 3);
  let p: number;
  if (type === 0 || type === 2) {
    const rsv = c.u32(bp + 4);
    if (rsv || c.opts.verbose > 0) c.s += ', rsv=0x' + rsv.toString(16);
    p = bp + 8;
  } else if (type === 4) {
    c.s += ', last-entry=' + c.u8(bp + 4);
    const flags = c.u8(bp + 5);
    if (flags || c.opts.verbose > 0) c.s += ', flags=0x' + flags.toString(16);
    c.s += ', tag=' + c.u16(bp + 6).toString(16);
    p = bp + 8;
  } else {
    c.s += ' (unknown type) (invalid)';
    return -1;
  }
  if (len % 2 === 1) { c.s += ' (invalid length ' + len + ') (invalid)'; return -1; }
  len >>= 1;
  for (let i = 0; i < len; i++) {
    c.need(p, 16);
    c.s += ', [' + i + ']' + ipv6Text(c.b, p);
    p += 16;
  }
  c.s += ') ';
  return (c.u8(bp + 1) + 1) << 3;
}
