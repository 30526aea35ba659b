/**
 * BOOTP/DHCP lines (print-bootp.c): "BOOTP/DHCP, Request from MAC, length N";
 * with -v the header's interesting fields, the server and file names, and the
 * RFC 1048 options (or CMU vendor area) one per line. Strings from the wire
 * are shown in tcpdump's M-/^ notation.
 */
import { ipv4Text, macText } from './addresses.js';
import { hexLines } from './hexdump.js';
import type { PrintContext } from './print-context.js';
import { tcpdumpCharText } from '../sanitize.js';
import { dec, HEX8, hexPad } from './text-tables.js';

const field = { op: 0, htype: 1, hlen: 2, hops: 3, xid: 4, secs: 8, flags: 10, ciaddr: 12, yiaddr: 16, siaddr: 20,
  giaddr: 24, chaddr: 28, sname: 44, file: 108, vend: 236 } as const;
const SNAME_LENGTH = 64, FILE_LENGTH = 128;
const BOOTREQUEST = 1, BOOTREPLY = 2;
const HTYPE_ETHERNET = 1, MAC_LEN = 6;
const RFC1048_COOKIE = 0x63825363, CMU_COOKIE = 0x434d5500;

export function printBootp(c: PrintContext, bp: number, length: number): void {
  c.proto = 'bootp';
  const op = c.u8(bp + field.op);
  c.s += 'BOOTP/DHCP, ' + (op === BOOTREQUEST ? 'Request' : op === BOOTREPLY ? 'Reply' : 'unknown (0x' + HEX8[op] + ')');
  const htype = c.u8(bp + field.htype), hlen = c.u8(bp + field.hlen);
  const ethernet = htype === HTYPE_ETHERNET && hlen === MAC_LEN;
  if (ethernet && op === BOOTREQUEST) {
    c.need(bp + field.chaddr, MAC_LEN);
    c.s += ' from ' + macText(c.b, bp + field.chaddr);
  }
  c.s += ', length ' + dec(length);
  if (!c.opts.verbose) return;

  c.need(bp + field.secs, 2);
  if (htype !== HTYPE_ETHERNET) c.s += ', htype ' + htype;
  if (!ethernet) c.s += ', hlen ' + hlen;
  const hops = c.u8(bp + field.hops), xid = c.u32(bp + field.xid), secs = c.u16(bp + field.secs);
  if (hops) c.s += ', hops ' + hops;
  if (xid) c.s += ', xid 0x' + xid.toString(16);
  if (secs) c.s += ', secs ' + secs;
  const flags = c.u16(bp + field.flags);
  c.s += ', Flags [' + (flags & 0x8000 ? 'Broadcast' : 'none') + ']';
  if (c.opts.verbose > 1) c.s += ' (0x' + hexPad(flags, 4) + ')';
  address(c, bp + field.ciaddr, 'Client-IP');
  address(c, bp + field.yiaddr, 'Your-IP');
  address(c, bp + field.siaddr, 'Server-IP');
  address(c, bp + field.giaddr, 'Gateway-IP');
  if (ethernet) {
    c.need(bp + field.chaddr, MAC_LEN);
    c.s += '\n\t  Client-Ethernet-Address ' + macText(c.b, bp + field.chaddr);
  }
  if (c.u8(bp + field.sname) && !quotedName(c, bp + field.sname, SNAME_LENGTH, 'sname')) return;
  if (c.u8(bp + field.file) && !quotedName(c, bp + field.file, FILE_LENGTH, 'file')) return;
  const vend = bp + field.vend;
  if (!c.has(vend, 4)) { c.trunc(); return; }
  const cookie = c.u32(vend);
  if (cookie === RFC1048_COOKIE) printRfc1048(c, vend);
  else if (cookie === CMU_COOKIE) printCmu(c, vend);
  else if (cookie !== 0) c.s += '\n\t  Vendor-#0x' + cookie.toString(16);
}

function address(c: PrintContext, o: number, label: string): void {
  if (c.u32(o) !== 0) c.s += '\n\t  ' + label + ' ' + ipv4Text(c.b, o);
}

/** A NUL-terminated name in a fixed field; false (after " [|bootp]") when no NUL is captured within it. */
function quotedName(c: PrintContext, o: number, size: number, label: string): boolean {
  c.s += '\n\t  ' + label + ' "';
  for (let i = 0; i < size && o + i < c.snapend; i++) {
    const ch = c.b[o + i]!;
    if (ch === 0) { c.s += '"'; return true; }
    c.s += tcpdumpCharText(ch);
  }
  c.s += '"';
  c.trunc();
  return false;
}

/** Option tag -> tcpdump's format letter and name (i address, l/L 32-bit, s 16-bit, b/x bytes, a text, B boolean, p address pairs, $ special). */
const TAGS: ReadonlyMap<number, string> = new Map([
  [0, ' PAD'], [1, 'iSubnet-Mask'], [2, 'LTime-Zone'], [3, 'iDefault-Gateway'], [4, 'iTime-Server'],
  [5, 'iIEN-Name-Server'], [6, 'iDomain-Name-Server'], [7, 'iLOG'], [8, 'iCS'], [9, 'iLPR-Server'], [10, 'iIM'],
  [11, 'iRL'], [12, 'aHostname'], [13, 'sBS'], [255, ' END'], [14, 'aDP'], [15, 'aDomain-Name'], [16, 'iSS'],
  [17, 'aRP'], [18, 'aEP'], [19, 'BIPF'], [20, 'BSRT'], [21, 'pPF'], [22, 'sRSZ'], [23, 'bTTL'],
  [24, 'lMTU-Timeout'], [25, 'sMTU-Table'], [26, 'sMTU'], [27, 'BLSN'], [28, 'iBR'], [29, 'BMD'], [30, 'BMS'],
  [31, 'BRouter-Discovery'], [32, 'iRSA'], [33, 'pStatic-Route'], [34, 'BUT'], [35, 'lAT'], [36, 'BIE'], [37, 'bTT'],
  [38, 'lKI'], [39, 'BKG'], [40, 'aYD'], [41, 'iYS'], [42, 'iNTP'], [43, 'bVendor-Option'],
  [44, 'iNetbios-Name-Server'], [45, 'iWDD'], [46, '$Netbios-Node'], [47, 'aNetbios-Scope'], [48, 'iXFS'],
  [49, 'iXDM'], [64, 'sN+D'], [65, 'iN+S'], [68, 'iMH'], [69, 'iSMTP'], [70, 'iPOP3'], [71, 'iNNTP'], [72, 'iWWW'],
  [73, 'iFG'], [74, 'iIRC'], [75, 'iSTS'], [76, 'iSTDA'], [50, 'iRequested-IP'], [51, 'lLease-Time'], [52, '$OO'],
  [66, 'aTFTP'], [67, 'aBF'], [53, ' DHCP-Message'], [54, 'iServer-ID'], [55, 'bParameter-Request'], [56, 'aMSG'],
  [57, 'sMSZ'], [58, 'lRN'], [59, 'lRB'], [60, 'aVendor-Class'], [61, '$Client-ID'], [98, 'aUAP'], [116, 'BNOAUTO'],
  [78, 'bSLP-DA'], [79, 'bSLP-SCOPE'], [117, 'sNSSEARCH'], [77, '$User-Class'], [118, 'iSUBNET'],
  [121, '$Classless-Static-Route'], [249, '$Classless-Static-Route-Microsoft'], [150, 'iTFTP-Server-Address'],
  [80, 'aSLP-NA'], [81, '$FQDN'], [82, '$Agent-Information'], [83, 'bARMT'], [88, 'aTZSTR'], [89, 'bFQDNS'],
  [90, 'bAUTH'], [91, 'LLast-Transaction-Time'], [92, 'iAssociated-IP'], [93, 'sARCH'], [94, 'bNDI'], [97, 'bGUID'],
  [95, 'aLDAP'], [100, 'aPOSIX-TZ'], [101, 'aTZ-Name'], [112, 'iNI'], [113, 'aNITAG'], [114, 'aURL'],
  [161, 'aMUD-URL'],
]);
const DHCP_MESSAGES = ['', 'Discover', 'Offer', 'Request', 'Decline', 'ACK', 'NACK', 'Release', 'Inform', '',
  'LeaseQuery', 'LeaseUnassigned', 'LeaseUnknown', 'LeaseActive'];
const NETBIOS_NODES = new Map([[1, 'b-node'], [2, 'p-node'], [4, 'm-node'], [8, 'h-node']]);
const OVERLOAD = ['', 'file', 'sname', 'file+sname'];
const HARDWARE = new Map([[1, 'ether'], [6, 'ieee802'], [7, 'arcnet'], [15, 'frelay'], [23, 'strip'], [24, 'ieee1394']]);
const AGENT_SUBOPTIONS = new Map([[1, 'Circuit-ID'], [2, 'Remote-ID'], [6, 'Subscriber-ID']]);
const TAG_PAD = 0, TAG_END = 255, TAG_DHCP_MESSAGE = 53, TAG_PARM_REQUEST = 55;

function text(c: PrintContext, o: number, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += tcpdumpCharText(c.u8(o + i));
  return s;
}

/** The options after the cookie, up to the end of the capture (tcpdump does not stop at the UDP length). */
function printRfc1048(c: PrintContext, bp: number): void {
  c.s += '\n\t  Vendor-rfc1048 Extensions\n\t    Magic Cookie 0x' + hexPad(c.u32(bp), 8);
  bp += 4;
  const vvv = c.opts.verbose > 2;
  // Each pass consumes at least the tag byte.
  while (bp < c.snapend) {
    const tag = c.b[bp++]!;
    if (tag === TAG_PAD && !vvv) continue;
    if (tag === TAG_END && !vvv) return;
    const entry = TAGS.get(tag) ?? '?Unknown';
    let format = entry[0]!;
    let len = 0;
    if (tag !== TAG_PAD && tag !== TAG_END) len = c.u8(bp++);
    c.s += '\n\t    ' + entry.slice(1) + ' (' + tag + '), length ' + len + (len > 0 ? ': ' : '');
    if (tag === TAG_PAD) {
      let run = 1;
      while (bp < c.snapend && c.b[bp] === TAG_PAD) { bp++; run++; }
      if (run > 1) c.s += ', occurs ' + run;
    }
    if (!c.has(bp, len)) { c.trunc(); return; }
    if (tag === TAG_DHCP_MESSAGE && len === 1) {
      const m = c.b[bp++]!;
      c.s += DHCP_MESSAGES[m] || 'Unknown (' + m + ')';
      continue;
    }
    if (tag === TAG_PARM_REQUEST) {
      for (let i = 0; i < len; i++) {
        const inner = c.b[bp + i]!;
        c.s += (i % 4 === 0 ? '\n\t      ' : ', ') + (TAGS.get(inner) ?? '?Unknown').slice(1) + ' (' + inner + ')';
      }
      bp += len;
      continue;
    }
    if (format === '?') format = len & 1 ? 'b' : len & 2 ? 's' : 'l';
    const b = c.b;
    let first = true;
    switch (format) {
      case 'a':
        c.s += '"' + text(c, bp, len) + '"';
        bp += len; len = 0;
        break;
      case 'i': case 'l': case 'L':
        for (; len >= 4; bp += 4, len -= 4, first = false) {
          if (!first) c.s += ',';
          c.s += format === 'i' ? ipv4Text(b, bp) : format === 'L' ? String(c.u32(bp) | 0) : String(c.u32(bp));
        }
        break;
      case 'p':
        for (; len >= 8; bp += 8, len -= 8, first = false) {
          c.s += (first ? '' : ',') + '(' + ipv4Text(b, bp) + ':' + ipv4Text(b, bp + 4) + ')';
        }
        break;
      case 's':
        for (; len >= 2; bp += 2, len -= 2, first = false) c.s += (first ? '' : ',') + c.u16(bp);
        break;
      case 'B':
        for (; len > 0; bp++, len--, first = false) {
          const v = b[bp]!;
          c.s += (first ? '' : ',') + (v === 0 ? 'N' : v === 1 ? 'Y' : v + '?');
        }
        break;
      case '$': {
        const used = printSpecial(c, tag, bp, len);
        bp += used; len -= used;
        break;
      }
      default: // 'b', 'x' and the PAD/END/DHCP-Message forms
        for (; len > 0; bp++, len--, first = false) {
          c.s += format === 'x' ? (first ? '' : ':') + HEX8[b[bp]!] : (first ? '' : '.') + b[bp]!;
        }
        break;
    }
    if (len) {
      c.s += '\n\t  trailing data length ' + len;
      bp += len;
    }
  }
}

/** The '$' options; returns the bytes consumed (the rest is reported as trailing data). */
function printSpecial(c: PrintContext, tag: number, bp: number, len: number): number {
  const b = c.b;
  switch (tag) {
    case 46: case 52: { // NetBIOS node type, option overload
      if (len < 1) { c.s += '[ERROR: length < 1 bytes]'; return 0; }
      const v = b[bp]!;
      c.s += (tag === 46 ? NETBIOS_NODES.get(v) : OVERLOAD[v]) ?? '#' + v;
      return 1;
    }
    case 81: { // client FQDN (RFC 4702)
      if (len < 3) { c.s += '[ERROR: length < 3 bytes]'; return len; }
      const flags = b[bp]!;
      if (flags & 0xf0) c.s += '[ERROR: MBZ nibble 0x' + (flags >> 4).toString(16) + ' != 0] ';
      if (flags & 0x0f) c.s += '[' + (flags & 1 ? 'S' : '') + (flags & 2 ? 'O' : '') + (flags & 4 ? 'E' : '') + (flags & 8 ? 'N' : '') + '] ';
      if (b[bp + 1] || b[bp + 2]) c.s += b[bp + 1] + '/' + b[bp + 2] + ' ';
      c.s += '"' + text(c, bp + 3, len - 3) + '"';
      return len;
    }
    case 61: { // client identifier: a type, then text (type 0) or a hardware address
      if (len < 1) { c.s += '[ERROR: length < 1 bytes]'; return 0; }
      const type = b[bp]!;
      if (type === 0) { c.s += '"' + text(c, bp + 1, len - 1) + '"'; return len; }
      c.s += (HARDWARE.get(type) ?? 'hardware-type ' + type + ',') + ' ';
      for (let i = 1; i < len; i++) c.s += (i === 1 ? '' : ':') + HEX8[b[bp + i]!];
      return len;
    }
    case 82: { // relay agent information (RFC 3046): sub-options
      let used = 0;
      while (len - used >= 2) {
        const sub = b[bp + used]!, subLen = b[bp + used + 1]!;
        used += 2;
        const name = AGENT_SUBOPTIONS.get(sub) ?? 'Unknown';
        if (subLen > len - used) {
          c.s += '\n\t      ' + name + ' SubOption ' + sub + ', length ' + subLen + ': length goes past end of option';
          return len;
        }
        c.s += '\n\t      ' + name + ' SubOption ' + sub + ', length ' + subLen + ': ';
        if (AGENT_SUBOPTIONS.has(sub)) c.s += text(c, bp + used, subLen);
        else c.s += hexLines(b, bp + used, subLen, '\n\t\t');
        used += subLen;
      }
      return used;
    }
    case 121: case 249: { // classless static routes (RFC 3442): width, significant octets, router
      if (len < 5) { c.s += '[ERROR: length < 5 bytes]'; return len; }
      let used = 0;
      while (used < len) {
        if (used) c.s += ',';
        const width = b[bp + used++]!;
        if (width > 32) { c.s += '[ERROR: Mask width (' + width + ') > 32]'; return len; }
        const octets = (width + 7) >> 3;
        if (len - used < octets + 4) { c.s += '[ERROR: Remaining length (' + (len - used) + ') < ' + (octets + 4) + ' bytes]'; return len; }
        c.s += '(';
        if (width === 0) {
          c.s += 'default';
        } else {
          for (let i = 0; i < 4; i++) c.s += (i ? '.' : '') + (i < octets ? b[bp + used + i]! : 0);
          c.s += '/' + width;
        }
        used += octets;
        c.s += ':' + ipv4Text(b, bp + used) + ')';
        used += 4;
      }
      return used;
    }
    case 77: { // user class (RFC 3004): length-prefixed instances
      if (len < 2) { c.s += '[ERROR: length < 2 bytes]'; return len; }
      let used = 0;
      for (let n = 1; used < len; n++) {
        const subLen = b[bp + used++]!;
        c.s += '\n\t      instance#' + n + ': ';
        if (subLen === 0) { c.s += '[ERROR: suboption length must be non-zero]'; return len; }
        if (len - used < subLen) { c.s += '[ERROR: invalid option]'; return len; }
        c.s += '"' + text(c, bp + used, subLen) + '", length ' + subLen;
        used += subLen;
      }
      return used;
    }
    default:
      c.s += '[unknown special tag ' + tag + ', size ' + len + ']';
      return len;
  }
}

/** The CMU vendor area: non-zero addresses by name. */
function printCmu(c: PrintContext, bp: number): void {
  c.s += ' vend-cmu';
  if (!c.has(bp + 4, 4)) { c.trunc(); return; }
  const flags = c.b[bp + 4]!;
  if (flags & ~1) c.s += ' F:0x' + flags.toString(16);
  const fields: readonly (readonly [number, string])[] = [[12, 'DG'], [8, flags & 1 ? 'SM' : 'SM*'], [16, 'NS1'],
    [20, 'NS2'], [24, 'IEN1'], [28, 'IEN2'], [32, 'TS1'], [36, 'TS2']];
  for (const [o, name] of fields) {
    if (!c.has(bp + o, 4)) { c.trunc(); return; }
    if (c.u32(bp + o) !== 0) c.s += ' ' + name + ':' + ipv4Text(c.b, bp + o);
  }
}
