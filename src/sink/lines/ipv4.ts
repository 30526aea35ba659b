/** IPv4 (print-ip.c): "IP " (without -e), -v's header details, fragments, then the payload. */
import { ipv4Text } from './addresses.js';
import { finish, shouldBe, sum16 } from './checksum.js';
import { printIpPayload } from './ip-demux.js';
import type { PrintContext } from './print-context.js';
import { hex, ipProtoName } from './text-tables.js';

/** bittok2str(ip_frag_values) by the MF, DF and reserved bits (table order: +, DF, rsvd). */
const FRAG_FLAGS: readonly string[] = (() => {
  const out: string[] = [];
  for (let i = 0; i < 8; i++) {
    const parts: string[] = [];
    if (i & 1) parts.push('+');
    if (i & 2) parts.push('DF');
    if (i & 4) parts.push('rsvd');
    out.push(parts.length ? parts.join(', ') : 'none');
  }
  return out;
})();

/**
 * Prints the IPv4 datagram at `bp`; `length` is how many bytes the layer
 * below says it carries (the wire length after the link header).
 */
export function printIpv4(c: PrintContext, bp: number, length: number): void {
  c.proto = 'ip';
  const vhl = c.u8(bp);
  const version = vhl >> 4;
  if (version !== 4) {
    c.s += version === 6 ? 'IP6, wrong link-layer encapsulation (invalid)' : 'IP' + version + ' (invalid)';
    return;
  }
  if (!c.opts.link) c.s += 'IP ';
  if (!c.has(bp, 20)) { c.trunc(); return; }
  if (length < 20) { c.s += 'truncated-ip ' + length; return; }
  const hlen = (vhl & 0x0f) * 4;
  if (hlen < 20) { c.s += 'bad-hlen ' + hlen; return; }
  const b = c.b;
  let len = (b[bp + 2]! << 8) | b[bp + 3]!;
  if (length < len) c.s += 'truncated-ip - ' + (len - length) + ' bytes missing! ';
  if (len < hlen) { c.s += 'bad-len ' + len; return; }

  const savedSnapend = c.snapend;
  if (bp + len < c.snapend) c.snapend = bp + len;
  len -= hlen;
  const off = (b[bp + 6]! << 8) | b[bp + 7]!;
  const proto = b[bp + 9]!;

  if (c.opts.verbose > 0) {
    if (!verboseHeader(c, bp, hlen, off, proto)) { c.snapend = savedSnapend; return; }
  }

  if ((off & 0x1fff) === 0) {
    if (proto !== 6 && proto !== 17 && proto !== 132 && proto !== 33) {
      c.s += addressText(c, bp) + ': ';
    }
    if (!c.has(bp, hlen)) {
      c.s += ' [remaining caplen(' + Math.max(0, c.snapend - bp) + ') < header length(' + hlen + ')]';
      c.trunc();
      c.snapend = savedSnapend;
      return;
    }
    printIpPayload(c, bp + hlen, len, 4, (off & 0x2000) !== 0, proto, bp);
  } else {
    c.s += addressText(c, bp) + ': ip-proto-' + proto;
  }
  c.snapend = savedSnapend;
}

function addressText(c: PrintContext, bp: number): string {
  const s = ipv4Text(c.b, bp + 12), d = ipv4Text(c.b, bp + 16);
  const p = c.paint;
  return p ? p.endpoint(s) + ' > ' + p.endpoint(d) : s + ' > ' + d;
}

/** "(tos 0x0, ttl 64, id 1, offset 0, flags [DF], proto TCP (6), length 60)\n    ". False when the line ended. */
function verboseHeader(c: PrintContext, bp: number, hlen: number, off: number, proto: number): boolean {
  const b = c.b;
  const tos = b[bp + 1]!;
  let s = '(tos 0x' + hex(tos);
  switch (tos & 3) {
    case 1: s += ',ECT(1)'; break;
    case 2: s += ',ECT(0)'; break;
    case 3: s += ',CE'; break;
  }
  const ttl = b[bp + 8]!;
  if (ttl >= 1) s += ', ttl ' + ttl;
  s += ', id ' + ((b[bp + 4]! << 8) | b[bp + 5]!) + ', offset ' + (off & 0x1fff) * 8 +
    ', flags [' + FRAG_FLAGS[((off >> 13) & 1) | ((off >> 13) & 2) | ((off >> 13) & 4)]! + ']' +
    ', proto ' + ipProtoName(proto) + ' (' + proto + ')' +
    ', length ' + ((b[bp + 2]! << 8) | b[bp + 3]!);
  c.s += s;
  let truncatedOption = false;
  if (hlen > 20) {
    c.s += ', options (';
    truncatedOption = !printOptions(c, bp + 20, hlen - 20);
    if (truncatedOption) c.s += ' [truncated-option]';
    c.s += ')';
  }
  if (bp + hlen <= c.snapend) {
    const sum = finish(sum16(b, bp, hlen));
    if (sum !== 0) {
      const field = (b[bp + 10]! << 8) | b[bp + 11]!;
      c.s += ', bad cksum ' + hex(field) + ' (->' + hex(shouldBe(field, sum)) + ')!';
    }
  }
  c.s += ')\n    ';
  if (truncatedOption) {
    c.s += addressText(c, bp) + ': ';
    c.trunc();
    return false;
  }
  return true;
}

const OPTION_NAMES = new Map<number, string>([
  [0, 'EOL'], [1, 'NOP'], [68, 'timestamp'], [130, 'security'], [7, 'RR'], [137, 'SSRR'],
  [131, 'LSRR'], [148, 'RA'], [82, 'traceroute'],
]);

/** ip_optprint; false when an option ran past the capture. Timestamp option bodies are not shown. */
function printOptions(c: PrintContext, cp: number, length: number): boolean {
  let optionLen = 0;
  let sep = '';
  for (; length > 0; cp += optionLen, length -= optionLen) {
    c.s += sep;
    sep = ',';
    const code = c.u8(cp);
    c.s += OPTION_NAMES.get(code) ?? 'unknown ' + code;
    if (code === 0 || code === 1) optionLen = 1;
    else {
      optionLen = c.u8(cp + 1);
      if (optionLen < 2) { c.s += ' [bad length ' + optionLen + ']'; return true; }
    }
    if (optionLen > length) { c.s += ' [bad length ' + optionLen + ']'; return true; }
    if (!c.has(cp, optionLen)) return false;
    switch (code) {
      case 0:
        return true;
      case 148: // router alert
        if (optionLen < 4) { c.s += ' [bad length ' + optionLen + ']'; break; }
        if (c.u16(cp + 2) !== 0) c.s += ' value ' + c.u16(cp + 2);
        break;
      case 7: case 131: case 137:
        if (!printRoute(c, cp, optionLen)) return false;
        break;
      default:
        break;
    }
  }
  return true;
}

function printRoute(c: PrintContext, cp: number, length: number): boolean {
  if (length < 3) { c.s += ' [bad length ' + length + ']'; return true; }
  if ((length + 1) & 3) c.s += ' [bad length ' + length + ']';
  const ptr = c.b[cp + 2]! - 1;
  if (ptr < 3 || ((ptr + 1) & 3) || ptr > length + 1) c.s += ' [bad ptr ' + c.b[cp + 2] + ']';
  for (let len = 3; len < length; len += 4) {
    if (!c.has(cp + len, 4)) return false;
    c.s += ' ' + ipv4Text(c.b, cp + len);
    if (ptr > len) c.s += ',';
  }
  return true;
}
