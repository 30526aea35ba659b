/**
 * Kerberos lines (print-krb.c): the protocol version, and for Kerberos 4 the
 * message type with the principals it names. Kerberos 5's ASN.1 is not
 * dissected by tcpdump either (" v5").
 */
import type { PrintContext } from './print-context.js';
import { dec, visibleChar } from './text-tables.js';

const KDC_REQUEST = 1 << 1, KDC_REPLY = 2 << 1, APPL_REQUEST = 3 << 1, ERR_REPLY = 5 << 1;

const MESSAGE_NAMES: ReadonlyMap<number, string> = new Map([
  [1 << 1, 'KDC_REQUEST'], [2 << 1, 'KDC_REPLY'], [3 << 1, 'APPL_REQUEST'], [4 << 1, 'APPL_REQUEST_MUTUAL'],
  [5 << 1, 'ERR_REPLY'], [6 << 1, 'PRIVATE'], [7 << 1, 'SAFE'], [8 << 1, 'APPL_ERR'], [63 << 1, 'DIE'],
]);

const ERROR_NAMES: readonly string[] = [
  'OK', 'NAME_EXP', 'SERVICE_EXP', 'AUTH_EXP', 'PKT_VER', 'NAME_MAST_KEY_VER', 'SERV_MAST_KEY_VER',
  'BYTE_ORDER', 'PRINCIPAL_UNKNOWN', 'PRINCIPAL_NOT_UNIQUE', 'NULL_KEY',
];

/** krb_print. The UDP length is not used: Kerberos 4 strings end at their NUL or the capture. */
export function printKrb(c: PrintContext, bp: number, _length: number): void {
  c.proto = 'krb';
  if (bp >= c.snapend) { c.trunc(); return; }
  const pvno = c.b[bp]!;
  if (pvno >= 1 && pvno <= 3) c.s += ' v' + pvno;
  else if (pvno === 4) { c.s += ' v4'; printKrb4(c, bp); }
  else if (pvno === 106 || pvno === 107) c.s += ' v5';
}

/**
 * A NUL-terminated string, made terminal-safe; -1 with " [|krb]" when the capture ends first
 * (a plain truncation, not tcpdump's longjmp: -x still dumps from the network header).
 */
function cString(c: PrintContext, p: number): number {
  if (p < 0) return -1;
  for (; p < c.snapend; p++) {
    const ch = c.b[p]!;
    if (ch === 0) return p + 1;
    c.s += visibleChar(ch);
  }
  c.trunc();
  return -1;
}

/** name.instance@realm after the two header bytes. */
function principal(c: PrintContext, p: number): number {
  p = cString(c, p + 2);
  if (p < 0) return -1;
  c.s += '.';
  p = cString(c, p);
  if (p < 0) return -1;
  c.s += '@';
  return cString(c, p);
}

function printKrb4(c: PrintContext, bp: number): void {
  const typeByte = c.u8(bp + 1);
  const littleEndian = (typeByte & 1) !== 0;
  const type = typeByte & 0xfe;
  const u16 = (o: number): number => littleEndian ? c.u8(o) | (c.u8(o + 1) << 8) : c.u16(o);
  c.s += ' ' + (littleEndian ? 'le' : 'be') + ' ' + (MESSAGE_NAMES.get(type) ?? '#' + dec(type)) + ': ';
  let p: number;
  switch (type) {
    case KDC_REQUEST:
      p = principal(c, bp);
      if (p < 0) return;
      p += 4; // ctime
      c.s += ' ' + dec(c.u8(p) * 5) + 'min ';
      p = cString(c, p + 1);
      if (p < 0) return;
      c.s += '.';
      cString(c, p);
      return;
    case APPL_REQUEST:
      p = bp + 2;
      c.s += 'v' + dec(c.u8(p)) + ' ';
      p = cString(c, p + 1);
      if (p < 0) return;
      c.s += ' (' + dec(c.u8(p)) + ')';
      c.s += ' (' + dec(c.u8(p + 1)) + ')';
      return;
    case KDC_REPLY:
      p = principal(c, bp);
      if (p < 0) return;
      p += 10; // timestamp, n, expiry, kvno
      c.s += ' (' + dec(u16(p)) + ')';
      return;
    case ERR_REPLY: {
      p = principal(c, bp);
      if (p < 0) return;
      p += 4; // timestamp
      const code = u16(p);
      c.s += ' ' + (ERROR_NAMES[code] ?? '#' + dec(code)) + ' ';
      cString(c, p + 4);
      return;
    }
    default:
      c.s += '(unknown)';
  }
}
