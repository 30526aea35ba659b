/**
 * SNMP lines (print-snmp.c, as built without libsmi and printed with -n):
 * v1/v2c community, PDU and varbinds (OIDs numeric), the v3 header's flags,
 * user and context. BER is read as tcpdump reads it, with its own complaints
 * ("[len12<asnlen40]") where the encoding is broken. Strings print only when
 * every byte is printable ASCII, else as hex, so wire text cannot reach the
 * terminal raw.
 */
import type { PrintContext } from './print-context.js';
import { tcpdumpCharText } from '../sanitize.js';
import { HEX8 } from './text-tables.js';

// What a BER element holds once parsed (tcpdump's BE_* kinds).
const enum Kind { Any, Null, Octets, Oid, Int, Uns, Str, Seq, InetAddr, Pdu, Uns64, NoSuchObject, NoSuchInstance, EndOfMibView }

const UNIVERSAL = ['U-0', 'Boolean', 'Integer', 'Bitstring', 'String', 'Null', 'ObjID', 'ObjectDes', 'U-8', 'U-9',
  'U-10', 'U-11', 'U-12', 'U-13', 'U-14', 'U-15', 'Sequence', 'Set'];
const APPLICATION = ['IpAddress', 'Counter', 'Gauge', 'TimeTicks', 'Opaque', 'C-5', 'Counter64'];
const CONTEXT = ['GetRequest', 'GetNextRequest', 'GetResponse', 'SetRequest', 'Trap', 'GetBulk', 'Inform', 'V2Trap', 'Report'];
const EXCEPTIONS = ['noSuchObject', 'noSuchInstance', 'endOfMibView'];
const CLASSES = [UNIVERSAL, APPLICATION, CONTEXT, ['P-0']];
const ERROR_STATUS = ['noError', 'tooBig', 'noSuchName', 'badValue', 'readOnly', 'genErr', 'noAccess', 'wrongType',
  'wrongLength', 'wrongEncoding', 'wrongValue', 'noCreation', 'inconsistentValue', 'resourceUnavailable',
  'commitFailed', 'undoFailed', 'authorizationError', 'notWritable', 'inconsistentName'];
const GENERIC_TRAP = ['coldStart', 'warmStart', 'linkDown', 'linkUp', 'authenticationFailure', 'egpNeighborLoss', 'enterpriseSpecific'];
const VERSIONS = ['SNMPv1', 'SNMPv2c', 'SNMPv2u', 'SNMPv3'];

const GETREQ = 0, GETNEXTREQ = 1, SETREQ = 3, TRAP = 4, GETBULKREQ = 5, INFORMREQ = 6, V2TRAP = 7, REPORT = 8;
const V1 = 0, V2C = 1, V3 = 3;

/** The element last parsed; every caller reads what it needs before parsing the next. */
const e = { kind: Kind.Any, len: 0, data: 0, id: 0, int: 0, uns: 0, uns64: 0n };

/** asn1_parse: the element's total size, or -1 after printing why not. */
function parse(c: PrintContext, p: number, len: number): number {
  e.len = 0;
  e.kind = Kind.Any;
  if (len < 1) { c.s += '[nothing to parse]'; return -1; }
  const first = c.u8(p);
  let id = first & 0x1f;
  const form = (first >> 5) & 1, cls = first >> 6;
  p++; len--;
  let hdr = 1;
  if (id === 0x1f) {
    // Tag numbers above 30 follow in base 128; tcpdump keeps them in a byte.
    id = 0;
    while (c.u8(p) & 0x80) {
      if (len < 1) { c.s += '[Xtagfield?]'; return -1; }
      id = ((id << 7) | (c.b[p]! & 0x7f)) & 0xff;
      len--; hdr++; p++;
    }
    if (len < 1) { c.s += '[Xtagfield?]'; return -1; }
    id = ((id << 7) | c.b[p]!) & 0xff;
    len--; hdr++; p++;
  }
  e.id = id;
  if (len < 1) { c.s += '[no asnlen]'; return -1; }
  let asnlen = c.u8(p);
  p++; len--; hdr++;
  if (asnlen & 0x80) {
    let octets = asnlen & 0x7f;
    asnlen = 0;
    if (len < octets) { c.s += '[asnlen? ' + len + '<' + octets + ']'; return -1; }
    if (!c.has(p, octets)) { c.trunc(); return -1; }
    for (; octets !== 0; len--, hdr++, octets--) asnlen = ((asnlen << 8) | c.b[p++]!) >>> 0;
  }
  e.len = asnlen;
  if (len < asnlen) { c.s += '[len' + len + '<asnlen' + asnlen + ']'; return -1; }
  const names = CLASSES[cls]!;
  if (id >= names.length) { c.s += '[id?' + (form ? 'C' : 'P') + '/x/' + id + ']'; return -1; }
  if (!c.has(p, asnlen)) { c.trunc(); return -1; }
  e.data = p;
  const b = c.b;
  if (form === 0) {
    if (cls === 0) {
      if (id === 4) e.kind = Kind.Str;
      else if (id === 2) {
        if (asnlen === 0) { c.s += '[asnlen=0]'; return -1; }
        let v = b[p]! & 0x80 ? -1 : 0;
        for (let i = 0; i < asnlen; i++) v = (v << 8) | b[p + i]!;
        e.kind = Kind.Int; e.int = v;
      } else if (id === 6) e.kind = Kind.Oid;
      else if (id === 5) e.kind = Kind.Null;
      else { e.kind = Kind.Octets; c.s += '[P/U/' + names[id] + ']'; }
    } else if (cls === 1) {
      if (id === 0) e.kind = Kind.InetAddr;
      else if (id >= 1 && id <= 3) {
        let v = 0;
        for (let i = 0; i < asnlen; i++) v = ((v << 8) + b[p + i]!) >>> 0;
        e.kind = Kind.Uns; e.uns = v;
      } else if (id === 6) {
        let v = 0n;
        for (let i = 0; i < asnlen; i++) v = BigInt.asUintN(64, (v << 8n) + BigInt(b[p + i]!));
        e.kind = Kind.Uns64; e.uns64 = v;
      } else { e.kind = Kind.Octets; c.s += '[P/A/' + names[id] + ']'; }
    } else if (cls === 2) {
      if (id === 0) e.kind = Kind.NoSuchObject;
      else if (id === 1) e.kind = Kind.NoSuchInstance;
      else if (id === 2) e.kind = Kind.EndOfMibView;
    } else {
      c.s += '[P/x/' + names[id] + ']';
      e.kind = Kind.Octets;
    }
  } else if (cls === 0) {
    if (id === 16) e.kind = Kind.Seq;
    else { e.kind = Kind.Octets; c.s += 'C/U/' + names[id]; }
  } else if (cls === 2) {
    e.kind = Kind.Pdu;
  } else {
    e.kind = Kind.Octets;
    c.s += 'C/x/' + names[id];
  }
  return asnlen + hdr;
}

/** asn1_print_octets: "_0a_0b". */
function printOctets(c: PrintContext): void {
  for (let i = 0; i < e.len; i++) c.s += '_' + HEX8[c.b[e.data + i]!];
}

/** asn1_print_string: quoted when every byte is printable ASCII, else hex joined by "_". */
function printString(c: PrintContext): void {
  const b = c.b, p = e.data, n = e.len;
  let printable = true;
  for (let i = 0; i < n && printable; i++) printable = b[p + i]! >= 0x20 && b[p + i]! <= 0x7e;
  if (printable) {
    c.s += '"';
    for (let i = 0; i < n; i++) c.s += tcpdumpCharText(b[p + i]!);
    c.s += '"';
  } else {
    for (let i = 0; i < n; i++) c.s += (i === 0 ? '' : '_') + HEX8[b[p + i]!];
  }
}

/** asn1_print for the element last parsed (which parse() has bounds-checked). */
function printElement(c: PrintContext): void {
  const b = c.b;
  switch (e.kind) {
    case Kind.Octets: printOctets(c); break;
    case Kind.Null: break;
    case Kind.Oid: {
      let o = 0, first = true;
      for (let i = 0; i < e.len; i++) {
        const byte = b[e.data + i]!;
        o = ((o << 7) + (byte & 0x7f)) | 0;
        if (byte & 0x80) continue;
        if (first) {
          // The first sub-identifier carries two arcs: 40 * first + second.
          first = false;
          let arc = (o / 40) | 0;
          if (arc > 2) arc = 2;
          c.s += '.' + (arc >>> 0);
          o = (o - arc * 40) | 0;
        }
        c.s += '.' + (o >>> 0);
        o = 0;
      }
      break;
    }
    case Kind.Int: c.s += e.int; break;
    case Kind.Uns: c.s += e.uns; break;
    case Kind.Uns64: c.s += e.uns64.toString(); break;
    case Kind.Str: printString(c); break;
    case Kind.Seq: c.s += 'Seq(' + e.len + ')'; break;
    case Kind.InetAddr:
      if (e.len !== 4) c.s += '[inetaddr len!=4]';
      for (let i = 0; i < e.len; i++) c.s += (i === 0 ? '' : '.') + b[e.data + i]!;
      break;
    case Kind.NoSuchObject: case Kind.NoSuchInstance: case Kind.EndOfMibView:
      c.s += '[' + EXCEPTIONS[e.id] + ']';
      break;
    case Kind.Pdu: c.s += CONTEXT[e.id] + '(' + e.len + ')'; break;
    default: c.s += '[BE_ANY!?]'; break;
  }
}

/** The reading position in the sequence being walked: next element, bytes left, size of the last one read. */
const at = { p: 0, length: 0, last: 0 };

/** Reads the next element and steps past it; false (having printed why) when it is broken. */
function nextAny(c: PrintContext): boolean {
  const n = parse(c, at.p, at.length);
  if (n < 0) return false;
  at.p += n;
  at.length -= n;
  at.last = n;
  return true;
}

/** nextAny for an element that must be of `kind`; a mismatch prints "[what]" and the element, as tcpdump does. */
function next(c: PrintContext, kind: Kind, what: string): boolean {
  if (!nextAny(c)) return false;
  if (e.kind === kind) return true;
  c.s += '[' + what + ']';
  printElement(c);
  return false;
}

/** Continues inside the element just read. */
function enter(): void {
  at.p = e.data;
  at.length = e.len;
}

const errorStatus = (v: number): string => (v >= 0 && v < ERROR_STATUS.length ? ERROR_STATUS[v]! : 'err=' + (v >>> 0));

function printVarbinds(c: PrintContext, pdu: number): void {
  if (!next(c, Kind.Seq, '!SEQ of varbind')) return;
  if (at.length > 0) c.s += '[' + at.length + ' extra after SEQ of varbind]';
  enter();
  const request = pdu === GETREQ || pdu === GETNEXTREQ || pdu === GETBULKREQ;
  // Each pass consumes at least the two bytes of a header, so this ends.
  while (at.length) {
    c.s += ' ';
    if (!next(c, Kind.Seq, '!varbind')) return;
    const after = at.p, rest = at.length;
    enter();
    if (!next(c, Kind.Oid, 'objName!=OID')) return;
    printElement(c);
    if (!request) c.s += '=';
    if (!nextAny(c)) return;
    if (e.kind !== Kind.Null) {
      if (request) c.s += '[objVal!=NULL]';
      printElement(c);
    }
    at.p = after;
    at.length = rest;
  }
}

/** GetRequest, GetNextRequest, GetResponse, SetRequest, GetBulk, Inform, V2Trap, Report. */
function printRequestPdu(c: PrintContext, pdu: number): void {
  if (!next(c, Kind.Int, 'reqId!=INT')) return;
  if (c.opts.verbose) c.s += 'R=' + e.int + ' ';
  if (!next(c, Kind.Int, 'errorStatus!=INT')) return;
  const strict = pdu === GETREQ || pdu === GETNEXTREQ || pdu === SETREQ || pdu === INFORMREQ || pdu === V2TRAP || pdu === REPORT;
  let status = 0;
  if (strict && e.int !== 0) c.s += '[errorStatus(' + errorStatus(e.int) + ')!=0]';
  else if (pdu === GETBULKREQ) c.s += ' N=' + e.int;
  else if (e.int !== 0) { c.s += ' ' + errorStatus(e.int); status = e.int; }
  if (!next(c, Kind.Int, 'errorIndex!=INT')) return;
  if (strict && e.int !== 0) c.s += '[errorIndex(' + e.int + ')!=0]';
  else if (pdu === GETBULKREQ) c.s += ' M=' + e.int;
  else if (e.int !== 0) c.s += status ? '@' + e.int : '[errorIndex(' + e.int + ') w/o errorStatus]';
  else if (status) c.s += '[errorIndex==0]';
  printVarbinds(c, pdu);
}

function printTrapPdu(c: PrintContext): void {
  c.s += ' ';
  if (!next(c, Kind.Oid, 'enterprise!=OID')) return;
  printElement(c);
  c.s += ' ';
  if (!next(c, Kind.InetAddr, 'agent-addr!=INETADDR')) return;
  printElement(c);
  if (!next(c, Kind.Int, 'generic-trap!=INT')) return;
  const generic = e.int;
  c.s += ' ' + (generic >= 0 && generic < GENERIC_TRAP.length ? GENERIC_TRAP[generic] : 'gt=' + generic);
  if (!next(c, Kind.Int, 'specific-trap!=INT')) return;
  if (generic !== 6) {
    if (e.int !== 0) c.s += '[specific-trap(' + e.int + ')!=0]';
  } else {
    c.s += ' s=' + e.int;
  }
  c.s += ' ';
  if (!next(c, Kind.Uns, 'time-stamp!=TIMETICKS')) return;
  printElement(c);
  printVarbinds(c, TRAP);
}

function printPdu(c: PrintContext, version: number): void {
  if (!nextAny(c)) return;
  if (e.kind !== Kind.Pdu) { c.s += '[no PDU]'; return; }
  if (at.length > 0) c.s += '[' + at.length + ' extra after PDU]';
  if (c.opts.verbose) c.s += '{ ';
  printElement(c);
  c.s += ' ';
  const id = e.id;
  if (version === V1 && (id === GETBULKREQ || id === INFORMREQ || id === V2TRAP || id === REPORT)) {
    c.s += '[v2 PDU in v1 message]';
    return;
  }
  if (version === V2C && id === TRAP) { c.s += '[v1 PDU in v2 message]'; return; }
  enter();
  if (id === TRAP) printTrapPdu(c);
  else printRequestPdu(c, id);
  if (c.opts.verbose) c.s += ' } ';
}

function printCommunity(c: PrintContext, version: number): void {
  if (!next(c, Kind.Str, 'comm!=STR')) return;
  const b = c.b, d = e.data;
  const isPublic = e.len === 6 && b[d] === 0x70 && b[d + 1] === 0x75 && b[d + 2] === 0x62 && b[d + 3] === 0x6c &&
    b[d + 4] === 0x69 && b[d + 5] === 0x63;
  if (!isPublic) {
    c.s += 'C=';
    printString(c);
    c.s += ' ';
  }
  printPdu(c, version);
}

function printScopedPdu(c: PrintContext): void {
  if (!next(c, Kind.Seq, '!scoped PDU')) return;
  enter();
  if (!next(c, Kind.Str, 'contextEngineID!=STR')) return;
  c.s += 'E=';
  printOctets(c);
  c.s += ' ';
  if (!next(c, Kind.Str, 'contextName!=STR')) return;
  c.s += 'C=';
  printString(c);
  c.s += ' ';
  printPdu(c, V3);
}

/** The user-based security model's parameters (RFC 3414). */
function printUsm(c: PrintContext): void {
  if (!next(c, Kind.Seq, '!usm')) return;
  enter();
  if (!next(c, Kind.Str, 'msgAuthoritativeEngineID!=STR')) return;
  if (!next(c, Kind.Int, 'msgAuthoritativeEngineBoots!=INT')) return;
  if (c.opts.verbose) c.s += 'B=' + e.int + ' ';
  if (!next(c, Kind.Int, 'msgAuthoritativeEngineTime!=INT')) return;
  if (c.opts.verbose) c.s += 'T=' + e.int + ' ';
  if (!next(c, Kind.Str, 'msgUserName!=STR')) return;
  c.s += 'U=';
  printString(c);
  c.s += ' ';
  if (!next(c, Kind.Str, 'msgAuthenticationParameters!=STR')) return;
  if (!next(c, Kind.Str, 'msgPrivacyParameters!=STR')) return;
  if (at.last < at.length) c.s += '[' + (at.length - at.last) + ' extra after usm SEQ]';
}

function printV3(c: PrintContext): void {
  const start = at.p, total = at.length;
  if (!next(c, Kind.Seq, '!message')) return;
  enter();
  const v = c.opts.verbose > 0;
  if (v) c.s += '{ ';
  if (!next(c, Kind.Int, 'msgID!=INT')) return;
  if (!next(c, Kind.Int, 'msgMaxSize!=INT')) return;
  if (!next(c, Kind.Str, 'msgFlags!=STR')) return;
  if (e.len !== 1) { c.s += '[msgFlags size ' + e.len + ']'; return; }
  const flags = c.b[e.data]!;
  if (flags !== 0 && flags !== 1 && flags !== 3 && flags !== 4 && flags !== 5 && flags !== 7) {
    c.s += '[msgFlags=0x' + HEX8[flags]!.toUpperCase() + ']';
    return;
  }
  c.s += 'F=' + (flags & 1 ? 'a' : '') + (flags & 2 ? 'p' : '') + (flags & 4 ? 'r' : '') + ' ';
  if (!next(c, Kind.Int, 'msgSecurityModel!=INT')) return;
  const model = e.int;
  if (at.last < at.length) c.s += '[' + (at.length - at.last) + ' extra after message SEQ]';
  if (v) c.s += '} ';
  if (model !== 3) { c.s += '[security model ' + model + ']'; return; }
  if (v) c.s += '{ USM ';
  // tcpdump reads on from the last header field (not the header's end), within the message's length.
  at.length = total - (at.p - start);
  if (!next(c, Kind.Str, 'msgSecurityParameters!=STR')) return;
  const after = at.p, rest = at.length;
  enter();
  printUsm(c);
  at.p = after;
  at.length = rest;
  if (v) c.s += '} ';
  if (v) c.s += '{ ScopedPDU ';
  printScopedPdu(c);
  if (v) c.s += '} ';
}

export function printSnmp(c: PrintContext, bp: number, length: number): void {
  c.proto = 'snmp';
  c.s += ' ';
  at.p = bp;
  at.length = length;
  if (!next(c, Kind.Seq, '!init SEQ')) return;
  if (at.length > 0) c.s += '[' + at.length + ' extra after iSEQ]';
  enter();
  if (!next(c, Kind.Int, 'version!=INT')) return;
  const version = e.int;
  if (version !== V1 && version !== V2C && version !== V3) { c.s += 'SNMP [version = ' + version + ']'; return; }
  if (c.opts.verbose) c.s += '{ ' + VERSIONS[version] + ' ';
  if (version === V3) printV3(c);
  else printCommunity(c, version);
  if (c.opts.verbose) c.s += '} ';
}
