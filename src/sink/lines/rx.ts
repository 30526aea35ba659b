/**
 * AFS Rx (UDP 7000-7009) as tcpdump 4.99 prints it (print-rx.c): " rx data
 * fs call fetch-status fid 1/2/3 (44)", acks with their acked/nacked ranges,
 * and the arguments of the AFS services' calls (fs, cb, pt, vldb, kauth, vol,
 * bos, ubik). A reply carries no opcode: it is read by the call it answers,
 * remembered in a 64-call ring in the printer state (RxCallTable). Names are
 * shown in tcpdump's M-/^ notation.
 */
import { printChars } from './dns.js';
import type { PrintContext } from './print-context.js';
import { dec, hexPad, visibleChar } from './text-tables.js';

const HEADER = 28;
const DATA = 1, ACK = 2, ABORT = 4;
const CLIENT_INITIATED = 1;

const TYPE_NAMES: ReadonlyMap<number, string> = new Map([
  [1, 'data'], [2, 'ack'], [3, 'busy'], [4, 'abort'], [5, 'ackall'], [6, 'challenge'], [7, 'response'],
  [8, 'debug'], [9, 'params'], [13, 'version'],
]);
/** Flag bit, the packet type it applies to (0: any), name; in tcpdump's order. */
const FLAGS: readonly (readonly [number, number, string])[] = [
  [1, 0, 'client-init'], [2, 0, 'req-ack'], [4, 0, 'last-pckt'], [8, 0, 'more-pckts'], [16, 0, 'free-pckt'],
  [32, ACK, 'slow-start'], [32, DATA, 'jumbogram'],
];

/** Opcode names from a list of [first opcode, names of it and the following ones]. */
function opcodeNames(...runs: (readonly [number, string])[]): ReadonlyMap<number, string> {
  const m = new Map<number, string>();
  for (const [first, names] of runs) names.split(' ').forEach((n, i) => m.set(first + i, n));
  return m;
}

const FS_OPS = opcodeNames(
  [130, 'fetch-data fetch-acl fetch-status store-data store-acl store-status remove-file create-file rename symlink link makedir rmdir oldsetlock oldextlock oldrellock get-stats give-cbs get-vlinfo get-vlstats set-vlstats get-rootvl check-token get-time nget-vlinfo bulk-stat setlock extlock rellock xstat-ver get-xstat dfs-lookup dfs-flushcps dfs-symlink'],
  [220, 'residency'], [65536, 'inline-bulk-status fetch-data-64 store-data-64 give-up-all-cbs get-caps cb-rx-conn-addr'],
);
const CB_OPS = opcodeNames(
  [204, 'callback initcb probe getlock getce xstatver getxstat initcb2 whoareyou initcb3 probeuuid getsrvprefs getcellservdb getlocalcell getcacheconf'],
  [65536, 'getce64 getcellbynum tellmeaboutyourself'],
);
const PT_OPS = opcodeNames(
  [500, 'new-user where-is-it dump-entry add-to-group name-to-id id-to-name delete remove-from-group get-cps new-entry list-max set-max list-entry change-entry list-elements same-mbr-of set-fld-sentry list-owned get-cps2 get-host-cps update-entry list-entries'],
  [530, 'list-super-groups'],
);
const VLDB_OPS = opcodeNames(
  [501, 'create-entry delete-entry get-entry-by-id get-entry-by-name get-new-volume-id replace-entry update-entry setlock releaselock list-entry list-attrib linked-list get-stats probe get-addrs change-addr create-entry-n get-entry-by-id-n get-entry-by-name-n replace-entry-n list-entry-n list-attrib-n linked-list-n update-entry-by-name create-entry-u get-entry-by-id-u get-entry-by-name-u replace-entry-u list-entry-u list-attrib-u linked-list-u regaddr get-addrs-u list-attrib-n2'],
);
const KAUTH_OPS = opcodeNames(
  [1, 'auth-old change-pw get-ticket-old set-pw set-fields create-user delete-user get-entry list-entry get-stats debug get-pw get-random-key unlock lock-status'],
  [21, 'authenticate authenticate-v2 get-ticket'],
);
const VOL_OPS = opcodeNames(
  [100, 'create-volume delete-volume restore forward end-trans clone set-flags get-flags trans-create dump get-nth-volume set-forwarding get-name get-status sig-restore list-partitions list-volumes set-id-types monitor partition-info reclone list-one-volume nuke set-date x-list-volumes x-list-one-volume set-info x-list-partitions forward-multiple'],
  [65536, 'convert-ro get-size dump-v2'],
);
const BOS_OPS = opcodeNames(
  [80, 'create-bnode delete-bnode set-status get-status enumerate-instance get-instance-info get-instance-parm add-superuser delete-superuser list-superusers list-keys add-key delete-key set-cell-name get-cell-name get-cell-host add-cell-host delete-cell-host set-t-status shutdown-all restart-all startup-all set-noauth-flag re-bozo restart start-bozo-install uninstall get-dates exec prune set-restart-time get-restart-time start-bozo-log wait-all get-instance-strings get-restricted set-restricted'],
);
const UBIK_OPS = opcodeNames(
  [10000, 'vote-beacon vote-debug-old vote-sdebug-old vote-getsyncsite vote-debug vote-sdebug vote-xdebug vote-xsdebug'],
  [20000, 'disk-begin disk-commit disk-lock disk-write disk-getversion disk-getfile disk-sendfile disk-abort disk-releaselocks disk-truncate disk-probe disk-writev disk-interfaceaddr disk-setversion'],
);
const ACK_REASONS: readonly string[] = [
  '', 'ack requested', 'duplicate packet', 'out of sequence', 'exceeds window', 'no buffer space', 'ping',
  'ping response', 'delay', 'idle',
];
const FS_ERRORS: ReadonlyMap<number, string> = new Map([
  [101, 'salvage volume'], [102, 'no such vnode'], [103, 'no such volume'], [104, 'volume exist'],
  [105, 'no service'], [106, 'volume offline'], [107, 'voline online'], [108, 'diskfull'],
  [109, 'diskquota exceeded'], [110, 'volume busy'], [111, 'volume moved'], [112, 'AFS IO error'],
  [-100, 'restarting fileserver'],
]);
const VOLUME_TYPES: readonly string[] = ['read-write', 'read-only', 'backup'];
const AFS_NAME_MAX = 256, PR_NAME_MAX = 64, VL_NAME_MAX = 65, KA_NAME_MAX = 64, BOS_NAME_MAX = 256, AFS_OPAQUE_MAX = 1024;

/** Which service port the call went to, by the first port of the range. */
const FS = 7000, CB = 7001, PT = 7002, VLDB = 7003, KAUTH = 7004, VOL = 7005, BOS = 7007;

/**
 * Thrown where print-rx.c jumps to a service's own truncation label: the
 * line gets " [|fs]" (or the service's name) and still ends with " (length)".
 */
const SERVICE_TRUNCATED: { readonly service: true } = Object.freeze({ service: true });

/** The reading position inside the service printers (tcpdump's moving bp). */
let at = 0;
/** The service being printed, for its truncation marker. */
let service = '';

export function printRx(c: PrintContext, bp: number, length: number, sport: number, dport: number, ipOff: number): void {
  c.proto = 'rx';
  if (!c.has(bp, HEADER)) { c.s += ' [|rx] (' + dec(length) + ')'; return; }
  const type = c.u8(bp + 20), flags = c.u8(bp + 21);
  c.s += ' rx ' + (TYPE_NAMES.get(type) ?? 'type ' + type);
  const v = c.opts.verbose;
  if (v > 0) {
    if (v > 1) c.s += ' cid ' + hexPad(c.u32(bp + 4), 8) + ' call# ' + dec(c.u32(bp + 8));
    c.s += ' seq ' + dec(c.u32(bp + 12)) + ' ser ' + dec(c.u32(bp + 16));
    if (v > 2) c.s += ' secindex ' + c.u8(bp + 23) + ' serviceid ' + c.u16(bp + 26);
    if (v > 1) {
      let sep = ' ';
      for (const [bit, onlyType, name] of FLAGS) {
        if ((flags & bit) !== 0 && (onlyType === 0 || type === onlyType)) { c.s += sep + '<' + name + '>'; sep = ','; }
      }
    }
  }
  const firstData = type === DATA && c.u32(bp + 12) === 1;
  if (firstData && (flags & CLIENT_INITIATED) !== 0) {
    if (c.has(bp + HEADER, 4)) c.rxCalls.enter(c.b, ipOff, c.u32(bp + 8), c.u16(bp + 26), dport, c.u32(bp + HEADER));
    printService(c, bp, length, dport, -1);
  } else if ((firstData || type === ABORT) && (flags & CLIENT_INITIATED) === 0 &&
             c.rxCalls.find(c.b, ipOff, c.u32(bp + 8), c.u16(bp + 26), sport)) {
    printService(c, bp, length, sport, c.rxCalls.foundOpcode);
  } else if (type === ACK) {
    printAck(c, bp, length);
  }
  c.s += ' (' + dec(length) + ')';
}

/** A call (opcode -1: read from the packet) or reply to the service on `port`. */
function printService(c: PrintContext, bp: number, length: number, port: number, opcode: number): void {
  const call = opcode < 0;
  // Each printer wants more than the header, except PT and VLDB replies, content with it.
  if (length < (!call && (port === PT || port === VLDB) ? HEADER : HEADER + 1)) return;
  if (call && !isService(port)) return;
  if (call) opcode = c.u32(bp + HEADER);
  const type = c.u8(bp + 20);
  at = bp + HEADER + (call ? 4 : 0);
  try {
    switch (port) {
      case FS: service = 'fs'; if (call) fsCall(c, opcode); else fsReply(c, opcode, type); break;
      case CB: service = 'cb'; if (call) cbCall(c, opcode); else cbReply(c, opcode, type); break;
      case PT: service = 'pt'; if (ubik(c, 'pt', opcode, type, call)) break; if (call) ptCall(c, opcode); else ptReply(c, opcode, type); break;
      case VLDB: service = 'vldb'; if (ubik(c, 'vldb', opcode, type, call)) break; if (call) vldbCall(c, opcode); else vldbReply(c, opcode, type); break;
      case KAUTH: service = 'kauth'; if (ubik(c, 'kauth', opcode, type, call)) break; if (call) kauthCall(c, opcode); else kauthReply(c, opcode, type); break;
      case VOL: service = 'vol'; if (call) volCall(c, opcode); else volReply(c, opcode, type); break;
      case BOS: service = 'bos'; if (call) bosCall(c, opcode); else bosReply(c, opcode, type); break;
    }
  } catch (e) {
    if (e !== SERVICE_TRUNCATED) throw e;
    c.s += ' [|' + service + ']';
  }
}

function isService(port: number): boolean {
  return port === FS || port === CB || port === PT || port === VLDB || port === KAUTH || port === VOL || port === BOS;
}

function opName(names: ReadonlyMap<number, string>, op: number): string {
  return names.get(op) ?? 'op#' + dec(op);
}

// The argument readers: each moves `at` past what it read.

function need(c: PrintContext, n: number): void {
  if (!c.has(at, n)) throw SERVICE_TRUNCATED;
}

function u32(c: PrintContext): number {
  const v = c.u32(at);
  at += 4;
  return v;
}

function uint(c: PrintContext, label: string): void {
  c.s += label;
  c.s += ' ' + dec(u32(c));
}

function int(c: PrintContext, label: string): void {
  c.s += label;
  c.s += ' ' + (u32(c) | 0);
}

function uint64(c: PrintContext, label: string): void {
  c.s += label;
  c.need(at, 8);
  const hi = u32(c), lo = u32(c);
  c.s += ' ' + (hi < 0x200000 ? dec(hi * 0x100000000 + lo) : ((BigInt(hi) << 32n) | BigInt(lo)).toString());
}

function fid(c: PrintContext): void {
  need(c, 12);
  c.s += ' fid ' + dec(u32(c)) + '/' + dec(u32(c)) + '/' + dec(u32(c));
}

/** A counted string of at most `max` bytes, quoted. */
function str(c: PrintContext, max: number): void {
  const n = c.u32(at);
  if (n > max) throw SERVICE_TRUNCATED;
  at += 4;
  c.s += ' "';
  if (!printChars(c, at, n)) throw SERVICE_TRUNCATED;
  c.s += '"';
  at += Math.ceil(n / 4) * 4;
}

/** A name stored one character per 32-bit word, `max` words, shown up to its first NUL. */
function vec(c: PrintContext, max: number): void {
  need(c, max * 4);
  let text = '', ended = false;
  for (let k = 0; k < max; k++) {
    const ch = c.b[at + 3]!;
    at += 4;
    if (ch === 0) ended = true;
    if (!ended) text += visibleChar(ch);
  }
  c.s += ' "' + text + '"';
}

/** A time_t shown in local time as "%Y/%m/%d %H:%M:%S". */
function date(c: PrintContext, label: string): void {
  c.s += label;
  const d = new Date((u32(c) | 0) * 1000);
  c.s += ' ' + d.getFullYear() + '/' + two(d.getMonth() + 1) + '/' + two(d.getDate()) + ' ' +
    two(d.getHours()) + ':' + two(d.getMinutes()) + ':' + two(d.getSeconds());
}

function two(n: number): string {
  return n < 10 ? '0' + n : String(n);
}

function storeStatus(c: PrintContext): void {
  need(c, 24);
  const mask = u32(c);
  if (mask) c.s += ' StoreStatus';
  if (mask & 1) date(c, ' date'); else at += 4;
  const owner = u32(c), group = u32(c), mode = u32(c), segsize = u32(c);
  if (mask & 2) c.s += ' owner ' + dec(owner);
  if (mask & 4) c.s += ' group ' + dec(group);
  if (mask & 8) c.s += ' mode ' + (mode & 0o7777).toString(8);
  if (mask & 16) c.s += ' segsize ' + dec(segsize);
  if (mask & 1024) c.s += ' fsync';
}

function ubikVersion(c: PrintContext, label: string): void {
  c.s += label;
  need(c, 8);
  c.s += ' ' + dec(u32(c)) + '.' + dec(u32(c));
}

function afsUuid(c: PrintContext): void {
  need(c, 44);
  c.s += ' ' + hexPad(u32(c), 8) + hexPad(u32(c), 4) + hexPad(u32(c), 4);
  for (let i = 0; i < 8; i++) c.s += hexPad(u32(c) & 0xff, 2);
}

function destServer(c: PrintContext): void {
  need(c, 12);
  c.s += ' server ' + dec(u32(c)) + ':' + dec(u32(c)) + ':' + dec(u32(c));
}

/** `count` items printed by `item`, comma-separated; " <none!>" for none. The capture bounds the loop. */
function list(c: PrintContext, count: number, item: (c: PrintContext) => void, comma: boolean): void {
  for (let i = 0; i < count; i++) {
    item(c);
    if (comma && i !== count - 1) c.s += ',';
  }
  if (count === 0) c.s += ' <none!>';
}

const intItem = (c: PrintContext): void => int(c, '');
const prNameItem = (c: PrintContext): void => vec(c, PR_NAME_MAX);

function fsCall(c: PrintContext, op: number): void {
  c.s += ' fs call ' + opName(FS_OPS, op);
  switch (op) {
    case 130: fid(c); uint(c, ' offset'); uint(c, ' length'); break;
    case 131: case 132: case 143: case 144: case 145: case 156: case 157: case 158: fid(c); break;
    case 135: fid(c); storeStatus(c); break;
    case 133: fid(c); storeStatus(c); uint(c, ' offset'); uint(c, ' length'); uint(c, ' flen'); break;
    case 134: fid(c); acl(c); break;
    case 137: case 141: fid(c); str(c, AFS_NAME_MAX); storeStatus(c); break;
    case 136: case 142: fid(c); str(c, AFS_NAME_MAX); break;
    case 138: c.s += ' old'; fid(c); str(c, AFS_NAME_MAX); c.s += ' new'; fid(c); str(c, AFS_NAME_MAX); break;
    case 139: fid(c); str(c, AFS_NAME_MAX); c.s += ' link to'; str(c, AFS_NAME_MAX); break;
    case 140: fid(c); str(c, AFS_NAME_MAX); c.s += ' link to'; fid(c); break;
    case 148: str(c, AFS_NAME_MAX); break;
    case 149: case 150: uint(c, ' volid'); break;
    case 154: c.s += ' volname'; str(c, AFS_NAME_MAX); break;
    case 155: case 65536: list(c, u32(c), fid, true); break;
    case 65537: fid(c); uint64(c, ' offset'); uint64(c, ' length'); break;
    case 65538: fid(c); storeStatus(c); uint64(c, ' offset'); uint64(c, ' length'); uint64(c, ' flen'); break;
    case 65541: uint(c, ' addr'); break;
  }
}

function fsReply(c: PrintContext, op: number, type: number): void {
  c.s += ' fs reply ' + opName(FS_OPS, op);
  if (type === DATA) {
    switch (op) {
      case 131: acl(c); break;
      case 137: case 141: c.s += ' new'; fid(c); break;
      case 151: c.s += ' root volume'; str(c, AFS_NAME_MAX); break;
      case 153: date(c, ''); break;
    }
  } else if (type === ABORT) {
    const e = u32(c) | 0;
    c.s += ' error ' + (FS_ERRORS.get(e) ?? '#' + e);
  } else {
    c.s += ' strange fs reply of type ' + type;
  }
}

/**
 * An ACL: "POS NEG\n" then POS and NEG lines of "user bits\n", shown as
 * " +{user rlidwka}" / " -{...}". Read the way sscanf reads the text.
 */
function acl(c: PrintContext): void {
  const declared = u32(c);
  need(c, declared);
  let end = at + Math.min(AFS_OPAQUE_MAX, declared);
  for (let k = at; k < end; k++) if (c.b[k] === 0) { end = k; break; }
  const limit = at + Math.min(AFS_OPAQUE_MAX, declared);
  const s = { p: at };
  const pos = scanInt(c, s, end), neg = pos === null ? null : scanInt(c, s, end);
  if (pos === null || neg === null) return;
  skipSpace(c, s, end);
  if (s.p > limit) return;
  for (const [count, sign] of [[pos, ' +{'], [neg, ' -{']] as const) {
    for (let i = 0; i < count; i++) {
      skipSpace(c, s, end);
      const start = s.p;
      while (s.p < end && s.p - start < 1024 && !isSpace(c.b[s.p]!)) s.p++;
      if (s.p === start) return;
      const userEnd = s.p;
      const bits = scanInt(c, s, end);
      if (bits === null) return;
      skipSpace(c, s, end);
      c.s += sign;
      for (let k = start; k < userEnd; k++) c.s += visibleChar(c.b[k]!);
      c.s += ' ' + (bits & 1 ? 'r' : '') + (bits & 8 ? 'l' : '') + (bits & 4 ? 'i' : '') + (bits & 16 ? 'd' : '') +
        (bits & 2 ? 'w' : '') + (bits & 32 ? 'k' : '') + (bits & 64 ? 'a' : '') + '}';
      if (s.p > limit) return;
    }
  }
}

function isSpace(ch: number): boolean {
  return ch === 0x20 || (ch >= 0x09 && ch <= 0x0d);
}

function skipSpace(c: PrintContext, s: { p: number }, end: number): void {
  while (s.p < end && isSpace(c.b[s.p]!)) s.p++;
}

/** sscanf's %d: blanks, a sign, digits; null when there are no digits. */
function scanInt(c: PrintContext, s: { p: number }, end: number): number | null {
  skipSpace(c, s, end);
  let p = s.p, negative = false;
  if (p < end && (c.b[p] === 0x2d || c.b[p] === 0x2b)) { negative = c.b[p] === 0x2d; p++; }
  const digits = p;
  let n = 0;
  while (p < end && c.b[p]! >= 0x30 && c.b[p]! <= 0x39) { n = (n * 10 + c.b[p]! - 0x30) % 0x100000000; p++; }
  if (p === digits) return null;
  s.p = p;
  return (negative ? -n : n) | 0;
}

function cbCall(c: PrintContext, op: number): void {
  c.s += ' cb call ' + opName(CB_OPS, op);
  if (op === 204) {
    list(c, u32(c), fid, true);
    const n = u32(c);
    if (n !== 0) c.s += ';';
    for (let i = 0; i < n; i++) {
      int(c, ' ver');
      date(c, ' expires');
      u32(c);
    }
  } else if (op === 214) {
    c.s += ' afsuuid';
    afsUuid(c);
  }
}

function cbReply(c: PrintContext, op: number, type: number): void {
  c.s += ' cb reply ' + opName(CB_OPS, op);
  if (type !== DATA) int(c, ' errcode');
  else if (op === 213) afsUuid(c);
}

function ptCall(c: PrintContext, op: number): void {
  c.s += ' call ' + opName(PT_OPS, op);
  switch (op) {
    case 500: str(c, PR_NAME_MAX); int(c, ' id'); int(c, ' oldid'); break;
    case 501: case 506: case 508: case 512: case 514: case 517: case 518: case 519: case 530: int(c, ' id'); break;
    case 502: int(c, ' pos'); break;
    case 503: case 507: case 515: int(c, ' uid'); int(c, ' gid'); break;
    case 504: list(c, u32(c), prNameItem, false); break;
    case 505: c.s += ' ids:'; list(c, u32(c), intItem, false); break;
    case 509: str(c, PR_NAME_MAX); int(c, ' flag'); int(c, ' oid'); break;
    case 511: int(c, ' id'); int(c, ' gflag'); break;
    case 513: int(c, ' id'); str(c, PR_NAME_MAX); int(c, ' oldid'); int(c, ' newid'); break;
    case 520: int(c, ' id'); str(c, PR_NAME_MAX); break;
  }
}

function ptReply(c: PrintContext, op: number, type: number): void {
  c.s += ' reply ' + opName(PT_OPS, op);
  if (type !== DATA) { int(c, ' errcode'); return; }
  switch (op) {
    case 504: c.s += ' ids:'; list(c, u32(c), intItem, false); break;
    case 505: list(c, u32(c), prNameItem, false); break;
    case 508: case 514: case 517: case 518: case 519: list(c, u32(c), intItem, false); break;
    case 510: int(c, ' maxuid'); int(c, ' maxgid'); break;
  }
}

function volumeType(c: PrintContext): void {
  const t = u32(c);
  if (t <= 2) c.s += ' type ' + VOLUME_TYPES[t];
}

function vldbCall(c: PrintContext, op: number): void {
  c.s += ' call ' + opName(VLDB_OPS, op);
  switch (op) {
    case 501: case 517: vec(c, VL_NAME_MAX); break;
    case 502: case 503: case 507: case 508: case 509: case 518: int(c, ' volid'); volumeType(c); break;
    case 504: case 519: case 524: case 527: str(c, VL_NAME_MAX); break;
    case 505: int(c, ' bump'); break;
    case 506: case 520: int(c, ' volid'); volumeType(c); vec(c, VL_NAME_MAX); break;
    case 510: case 521: int(c, ' index'); break;
  }
}

function vldbReply(c: PrintContext, op: number, type: number): void {
  c.s += ' reply ' + opName(VLDB_OPS, op);
  if (type !== DATA) { int(c, ' errcode'); return; }
  switch (op) {
    case 510: int(c, ' count'); int(c, ' nextindex'); vldbEntry(c, 8, true); break;
    case 503: case 504: vldbEntry(c, 8, true); break;
    case 505: uint(c, ' newvol'); break;
    case 521: case 529: int(c, ' count'); int(c, ' nextindex'); vldbEntry(c, 13, false); break;
    case 518: case 519: vldbEntry(c, 13, false); break;
    case 526: case 527: vldbUuidEntry(c); break;
  }
}

/** A VLDB entry: name, servers by address, their partitions, the volume ids. */
function vldbEntry(c: PrintContext, servers: number, skipWord: boolean): void {
  vec(c, VL_NAME_MAX);
  if (skipWord) { need(c, 4); at += 4; }
  c.s += ' numservers';
  const n = u32(c);
  c.s += ' ' + dec(n) + ' servers';
  for (let i = 0; i < servers; i++) {
    need(c, 4);
    if (i < n) c.s += ' ' + c.b[at] + '.' + c.b[at + 1] + '.' + c.b[at + 2] + '.' + c.b[at + 3];
    at += 4;
  }
  partitions(c, servers, n);
}

function vldbUuidEntry(c: PrintContext): void {
  vec(c, VL_NAME_MAX);
  c.s += ' numservers';
  const n = u32(c);
  c.s += ' ' + dec(n) + ' servers';
  for (let i = 0; i < 13; i++) {
    if (i < n) { c.s += ' afsuuid'; afsUuid(c); } else { need(c, 44); at += 44; }
  }
  need(c, 52);
  at += 52;
  partitions(c, 13, n);
}

function partitions(c: PrintContext, servers: number, n: number): void {
  c.s += ' partitions';
  for (let i = 0; i < servers; i++) {
    const j = u32(c);
    if (i < n) c.s += j <= 26 ? ' ' + String.fromCharCode(0x61 + j) : ' ' + dec(j);
  }
  need(c, servers * 4);
  at += servers * 4;
  uint(c, ' rwvol');
  uint(c, ' rovol');
  uint(c, ' backup');
}

function kauthCall(c: PrintContext, op: number): void {
  c.s += ' call ' + opName(KAUTH_OPS, op);
  switch (op) {
    case 1: case 21: case 22: case 2: case 5: case 6: case 7: case 8: case 14: case 15:
      c.s += ' principal'; str(c, KA_NAME_MAX); str(c, KA_NAME_MAX); break;
    case 3: case 23: {
      int(c, ' kvno');
      c.s += ' domain';
      str(c, KA_NAME_MAX);
      const n = u32(c);
      need(c, n);
      at += n;
      c.s += ' principal';
      str(c, KA_NAME_MAX);
      str(c, KA_NAME_MAX);
      break;
    }
    case 4: c.s += ' principal'; str(c, KA_NAME_MAX); str(c, KA_NAME_MAX); int(c, ' kvno'); break;
    case 12: c.s += ' name'; str(c, KA_NAME_MAX); break;
  }
}

function kauthReply(c: PrintContext, op: number, type: number): void {
  c.s += ' reply ' + opName(KAUTH_OPS, op);
  if (type !== DATA) int(c, ' errcode');
}

function volCall(c: PrintContext, op: number): void {
  c.s += ' vol call ' + opName(VOL_OPS, op);
  switch (op) {
    case 100: uint(c, ' partition'); c.s += ' name'; str(c, AFS_NAME_MAX); uint(c, ' type'); uint(c, ' parent'); break;
    case 101: case 107: case 104: uint(c, ' trans'); break;
    case 102: uint(c, ' totrans'); uint(c, ' flags'); break;
    case 103: uint(c, ' fromtrans'); date(c, ' fromdate'); destServer(c); int(c, ' desttrans'); break;
    case 105: uint(c, ' trans'); uint(c, ' purgevol'); uint(c, ' newtype'); c.s += ' newname'; str(c, AFS_NAME_MAX); break;
    case 106: uint(c, ' trans'); uint(c, ' flags'); break;
    case 108: uint(c, ' vol'); uint(c, ' partition'); uint(c, ' flags'); break;
    // 655537 (sic) is what tcpdump lists for get-size.
    case 109: case 655537: uint(c, ' fromtrans'); date(c, ' fromdate'); break;
    case 110: uint(c, ' index'); break;
    case 111: uint(c, ' tid'); uint(c, ' newsite'); break;
    case 112: case 113: c.s += ' tid'; break;
    case 114: c.s += ' name'; str(c, AFS_NAME_MAX); uint(c, ' type'); uint(c, ' pid'); uint(c, ' cloneid'); break;
    case 116: uint(c, ' partition'); uint(c, ' flags'); break;
    case 117:
      uint(c, ' tid'); c.s += ' name'; str(c, AFS_NAME_MAX); uint(c, ' type'); uint(c, ' pid'); uint(c, ' clone'); uint(c, ' backup');
      break;
    case 119: c.s += ' name'; str(c, AFS_NAME_MAX); break;
    case 120: case 126: uint(c, ' tid'); break;
    case 121: case 122: case 124: case 125: case 65536: uint(c, ' partid'); uint(c, ' volid'); break;
    case 123: uint(c, ' tid'); date(c, ' date'); break;
    case 128: uint(c, ' fromtrans'); date(c, ' fromdate'); list(c, u32(c), destServer, true); break;
    case 65538: uint(c, ' fromtrans'); date(c, ' fromdate'); uint(c, ' flags'); break;
  }
}

function volReply(c: PrintContext, op: number, type: number): void {
  c.s += ' vol reply ' + opName(VOL_OPS, op);
  if (type !== DATA) { int(c, ' errcode'); return; }
  switch (op) {
    case 100: uint(c, ' volid'); uint(c, ' trans'); break;
    case 104: case 107: uint(c, ''); break;
    case 105: uint(c, ' newvol'); break;
    case 108: uint(c, ' trans'); break;
    case 110: uint(c, ' volume'); uint(c, ' partition'); break;
    case 112: str(c, AFS_NAME_MAX); break;
    case 113:
      for (const label of [' volid', ' nextuniq', ' type', ' parentid', ' clone', ' backup', ' restore', ' maxquota', ' minquota', ' owner']) uint(c, label);
      for (const label of [' create', ' access', ' update', ' expire', ' backup', ' copy']) date(c, label);
      break;
    case 116: case 121: list(c, u32(c), volumeSummary, true); break;
  }
}

function volumeSummary(c: PrintContext): void {
  c.s += ' name';
  vec(c, 32);
  uint(c, ' volid');
  c.s += ' type';
  at += 84;
}

function bosCall(c: PrintContext, op: number): void {
  c.s += ' bos call ' + opName(BOS_OPS, op);
  switch (op) {
    case 80: c.s += ' type'; str(c, BOS_NAME_MAX); c.s += ' instance'; str(c, BOS_NAME_MAX); break;
    case 81: case 83: case 85: case 87: case 88: case 93: case 96: case 97: case 104: case 106: case 108: case 112: case 114:
      str(c, BOS_NAME_MAX); break;
    case 82: case 98: str(c, BOS_NAME_MAX); int(c, ' status'); break;
    case 86: str(c, BOS_NAME_MAX); int(c, ' num'); break;
    case 84: case 89: case 90: case 91: case 92: case 95: int(c, ''); break;
    case 105: str(c, BOS_NAME_MAX); int(c, ' size'); int(c, ' flags'); int(c, ' date'); break;
  }
}

function bosReply(c: PrintContext, op: number, type: number): void {
  c.s += ' bos reply ' + opName(BOS_OPS, op);
  if (type !== DATA) int(c, ' errcode');
}

/** Ubik opcodes on the replicated database services: prints " <service> ubik ..." and returns true, else prints " <service>" (pt, vldb, kauth) and returns false. */
function ubik(c: PrintContext, name: string, op: number, type: number, call: boolean): boolean {
  c.s += ' ' + name;
  if (!((op >= 10000 && op <= 10007) || (op >= 20000 && op <= 20013))) return false;
  service = 'ubik';
  if (call) ubikCall(c, op); else ubikReply(c, op, type);
  return true;
}

function ubikCall(c: PrintContext, op: number): void {
  c.s += ' ubik call ' + opName(UBIK_OPS, op);
  switch (op) {
    case 10000:
      c.s += ' syncsite ' + (u32(c) ? 'yes' : 'no');
      date(c, ' votestart');
      ubikVersion(c, ' dbversion');
      ubikVersion(c, ' tid');
      break;
    case 10003: uint(c, ' site'); break;
    case 20000: case 20001: case 20007: case 20008: case 20010: ubikVersion(c, ' tid'); break;
    case 20002: ubikVersion(c, ' tid'); int(c, ' file'); int(c, ' pos'); int(c, ' length'); u32(c); break;
    case 20003: ubikVersion(c, ' tid'); int(c, ' file'); int(c, ' pos'); break;
    case 20005: int(c, ' file'); break;
    case 20006: int(c, ' file'); int(c, ' length'); ubikVersion(c, ' dbversion'); break;
    case 20009: ubikVersion(c, ' tid'); int(c, ' file'); int(c, ' length'); break;
    case 20012: ubikVersion(c, ' tid'); ubikVersion(c, ' oldversion'); ubikVersion(c, ' newversion'); break;
  }
}

function ubikReply(c: PrintContext, op: number, type: number): void {
  c.s += ' ubik reply ' + opName(UBIK_OPS, op);
  if (type === DATA) {
    if (op === 10000) c.s += ' vote no';
    else if (op === 20004) ubikVersion(c, ' dbversion');
  } else if (op === 10000) {
    date(c, ' vote yes until');
  } else {
    int(c, ' errcode');
  }
}

/** An ack: first/serial/reason, then the acked and nacked packets as ranges ("acked 1-3,5"). */
function printAck(c: PrintContext, bp: number, length: number): void {
  if (length < HEADER) return;
  let p = bp + HEADER;
  if (!c.has(p, 18)) { c.s += ' [|ack]'; return; }
  const v = c.opts.verbose;
  if (v > 2) c.s += ' bufspace ' + c.u16(p) + ' maxskew ' + c.u16(p + 2);
  const first = c.u32(p + 4);
  const reason = c.u8(p + 16);
  c.s += ' first ' + dec(first) + ' serial ' + dec(c.u32(p + 12)) + ' reason ' + (ACK_REASONS[reason] || '#' + reason);
  const nAcks = c.u8(p + 17);
  p += 18;
  if (nAcks !== 0) {
    if (!c.has(p, nAcks)) { c.s += ' [|ack]'; return; }
    ackRanges(c, p, nAcks, first, 1, ' acked ');
    ackRanges(c, p, nAcks, first, 0, ' nacked ');
    p += nAcks;
  }
  p += 3;
  if (v > 1) {
    for (const label of [' ifmtu', ' maxmtu', ' rwind', ' maxpackets']) {
      if (c.snapend - p <= 3) return;
      c.s += label + ' ' + dec(c.u32(p));
      p += 4;
    }
  }
}

/** The packets whose ack byte is `want`, as "first" then ",n" or "-n" for runs. */
function ackRanges(c: PrintContext, p: number, n: number, first: number, want: number, label: string): void {
  let start = -2, last = -2;
  let i = 0;
  for (; i < n; i++) {
    if (c.b[p + i] === want) {
      if (last === -2) { c.s += label + dec((first + i) >>> 0); start = i; }
      else if (last !== i - 1) { c.s += ',' + dec((first + i) >>> 0); start = i; }
      last = i;
    } else if (last === i - 1 && start !== last) {
      c.s += '-' + dec((first + i - 1) >>> 0);
    }
  }
  if (last === i - 1 && start !== last) c.s += '-' + dec((first + i - 1) >>> 0);
}
