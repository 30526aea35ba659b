/**
 * NFS over ONC RPC as tcpdump 4.99 prints it (print-nfs.c, parsenfsfh.c):
 * "NFS request xid 42 124 getattr fh 4,4229/45658" and, for a reply whose
 * call was seen, "NFS reply xid 42 reply ok 96 getattr REG 100644 ids 0/0
 * sz 1024". tcpdump recognises NFS by port 2049 and the RPC direction word
 * only, so other versions (NFSv4) and programs print through the same v2/v3
 * tables. File names are shown in tcpdump's M-/^ notation.
 */
import { printChars } from './dns.js';
import type { PrintContext } from './print-context.js';
import { dec, HEX8, hex, hexPad } from './text-tables.js';

const NFS_PORT = 2049;
const CALL = 0, REPLY = 1;

const enum Proc {
  Null = 0, Getattr = 1, Setattr = 2, Lookup = 3, Access = 4, Readlink = 5, Read = 6, Write = 7,
  Create = 8, Mkdir = 9, Symlink = 10, Mknod = 11, Remove = 12, Rmdir = 13, Rename = 14, Link = 15,
  Readdir = 16, Readdirplus = 17, Fsstat = 18, Fsinfo = 19, Pathconf = 20, Commit = 21, Noop = 25,
}
/** NFSv2 procedure numbers map onto the v3 ones; below this count only. */
const V2_PROCS = 26;
const V2_TO_V3: readonly number[] = [
  Proc.Null, Proc.Getattr, Proc.Setattr, Proc.Noop, Proc.Lookup, Proc.Readlink, Proc.Read, Proc.Noop,
  Proc.Write, Proc.Create, Proc.Remove, Proc.Rename, Proc.Link, Proc.Symlink, Proc.Mkdir, Proc.Rmdir,
  Proc.Readdir, Proc.Fsstat, Proc.Noop, Proc.Noop, Proc.Noop, Proc.Noop, Proc.Noop, Proc.Noop, Proc.Noop, Proc.Noop,
];
const PROC_NAMES: readonly string[] = [
  'null', 'getattr', 'setattr', 'lookup', 'access', 'readlink', 'read', 'write', 'create', 'mkdir',
  'symlink', 'mknod', 'remove', 'rmdir', 'rename', 'link', 'readdir', 'readdirplus', 'fsstat', 'fsinfo',
  'pathconf', 'commit',
];

const STATUS_TEXT: ReadonlyMap<number, string> = new Map([
  [1, 'Operation not permitted'], [2, 'No such file or directory'], [5, 'Input/output error'],
  [6, 'Device not configured'], [11, 'Resource deadlock avoided'], [12, 'Cannot allocate memory'],
  [13, 'Permission denied'], [17, 'File exists'], [18, 'Cross-device link'],
  [19, 'Operation not supported by device'], [20, 'Not a directory'], [21, 'Is a directory'],
  [22, 'Invalid argument'], [26, 'Text file busy'], [27, 'File too large'], [28, 'No space left on device'],
  [30, 'Read-only file system'], [31, 'Too many links'], [45, 'Operation not supported'],
  [62, 'Too many levels of symbolic links'], [63, 'File name too long'], [66, 'Directory not empty'],
  [69, 'Disc quota exceeded'], [70, 'Stale NFS file handle'], [71, 'Too many levels of remote in path'],
  [99, 'Write cache flushed to disk'], [10001, 'Illegal NFS file handle'],
  [10002, 'Update synchronization mismatch'], [10003, 'READDIR/READDIRPLUS cookie is stale'],
  [10004, 'Operation not supported'], [10005, 'Buffer or request is too small'],
  [10006, 'Unspecified error on server'], [10007, 'Object of that type not supported'],
  [10008, "Request couldn't be completed in time"],
]);
const WRITE_MODES: readonly string[] = ['unstable', 'datasync', 'filesync'];
const FILE_TYPES: readonly string[] = ['NON', 'REG', 'DIR', 'BLK', 'CHR', 'LNK'];
const FIFO = 7, BLK = 3, CHR = 4;
const AUTH_TEXT: readonly string[] = [
  'OK', 'Bogus Credentials (seal broken)', 'Rejected Credentials (client should begin new session)',
  'Bogus Verifier (seal broken)', 'Verifier expired or was replayed', 'Credentials are too weak',
  'Bogus response verifier', 'Unknown failure',
];
const ACCEPT_TEXT: readonly string[] = ['', 'PROG_UNAVAIL', 'PROG_MISMATCH', 'PROC_UNAVAIL', 'GARBAGE_ARGS', 'SYSTEM_ERR'];
const ACCESS_BITS: readonly string[] = [
  'NFS_ACCESS_READ', 'NFS_ACCESS_LOOKUP', 'NFS_ACCESS_MODIFY', 'NFS_ACCESS_EXTEND', 'NFS_ACCESS_DELETE', 'NFS_ACCESS_EXECUTE',
];
const ACCESS_FULL = 0x3f;
const V3_FATTR = 84, V2_FATTR = 68;

/** What one reply's parse found out on the way: the last status word, and whether an error was printed. */
const reply = { status: 0, error: false };

/** UDP (print-udp.c): an RPC call to 2049 or a reply from it; false when the datagram is not one. */
export function printNfsOverUdp(c: PrintContext, rp: number, length: number, sport: number, dport: number, ipOff: number, ipVersion: number): boolean {
  if (!c.has(rp + 4, 4)) return false;
  const direction = c.u32(rp + 4);
  if (dport === NFS_PORT && direction === CALL) {
    c.s += 'NFS request xid ' + dec(c.u32(rp)) + ' ';
    printRequest(c, rp, length, ipOff, ipVersion);
    return true;
  }
  if (sport === NFS_PORT && direction === REPLY) {
    c.s += 'NFS reply xid ' + dec(c.u32(rp)) + ' ';
    printReply(c, rp, length, ipOff, ipVersion);
    return true;
  }
  return false;
}

/** TCP (print-tcp.c): the record mark, then as over UDP, the length being the fragment's; nothing when not RPC to/from 2049. */
export function printNfsOverTcp(c: PrintContext, bp: number, length: number, sport: number, dport: number, ipOff: number, ipVersion: number): void {
  if (length < 4 || !c.has(bp, 4)) return;
  let fraglen = c.u32(bp) & 0x7fffffff;
  if (fraglen > length - 4) fraglen = length - 4;
  const rp = bp + 4;
  if (!c.has(rp + 4, 4)) return;
  const direction = c.u32(rp + 4);
  if (dport === NFS_PORT && direction === CALL) {
    c.s += ': NFS request xid ' + dec(c.u32(rp)) + ' ';
    printRequest(c, rp, fraglen, ipOff, ipVersion);
  } else if (sport === NFS_PORT && direction === REPLY) {
    c.s += ': NFS reply xid ' + dec(c.u32(rp)) + ' ';
    printReply(c, rp, fraglen, ipOff, ipVersion);
  }
}

function procName(proc: number): string {
  return proc === Proc.Noop ? 'nop' : PROC_NAMES[proc] ?? 'proc-' + dec(proc);
}

/** Offsets of the source and destination addresses in the IP header at `ipOff`. */
function srcAddr(ipOff: number, ipVersion: number): number { return ipOff + (ipVersion === 4 ? 12 : 8); }
function dstAddr(ipOff: number, ipVersion: number): number { return ipOff + (ipVersion === 4 ? 16 : 24); }

function printRequest(c: PrintContext, rp: number, length: number, ipOff: number, ipVersion: number): void {
  c.proto = 'nfs';
  c.s += dec(length);
  if (!c.has(rp + 20, 4)) { c.trunc(); return; }
  const vers = c.u32(rp + 16);
  let proc = c.u32(rp + 20);
  if (ipVersion === 4 || ipVersion === 6) {
    c.nfsCalls.enter(c.b, ipVersion, srcAddr(ipOff, ipVersion), dstAddr(ipOff, ipVersion), c.u32(rp), proc, vers);
  }
  const v3 = vers === 3;
  if (!v3 && proc < V2_PROCS) proc = V2_TO_V3[proc]!;
  c.s += ' ' + procName(proc);
  if (proc > Proc.Commit || proc === Proc.Null) return;
  const dp = callArguments(c, rp, length);
  if (dp < 0 || !printCallArguments(c, proc, dp, v3)) c.trunc();
}

/** The arguments after credentials and verifier; -1 when they were not captured (tcpdump's parsereq). */
function callArguments(c: PrintContext, rp: number, length: number): number {
  let dp = rp + 24;
  if (length < 8) return -1;
  let len = c.u32(dp + 4);
  // The padded length wraps at 2^32 in the checks but not in the step over it, as in tcpdump.
  let rounded = roundUp4(len);
  if (!c.has(dp + 8, rounded) || 8 + rounded > length) return -1;
  dp += 8 + Math.floor((len + 3) / 4) * 4;
  length -= 8 + rounded;
  if (length < 8) return -1;
  len = c.u32(dp + 4);
  rounded = roundUp4(len);
  if (!c.has(dp + 8, rounded)) return -1;
  return 8 + rounded < length ? dp + 8 + Math.floor((len + 3) / 4) * 4 : -1;
}

function roundUp4(n: number): number {
  return ((n + 3) & ~3) >>> 0;
}

/** The text after a call's procedure name; false when it ran out of captured bytes. */
function printCallArguments(c: PrintContext, proc: number, dp: number, v3: boolean): boolean {
  const v = c.opts.verbose;
  switch (proc) {
    case Proc.Getattr: case Proc.Setattr: case Proc.Readlink: case Proc.Fsstat: case Proc.Fsinfo: case Proc.Pathconf:
      return fileHandle(c, dp, v3) >= 0;
    case Proc.Lookup: case Proc.Create: case Proc.Mkdir: case Proc.Remove: case Proc.Rmdir:
      return handleAndName(c, dp, v3) >= 0;
    case Proc.Access: {
      dp = fileHandle(c, dp, v3);
      if (dp < 0) return false;
      printAccess(c, c.u32(dp));
      return true;
    }
    case Proc.Read:
      dp = fileHandle(c, dp, v3);
      if (dp < 0) return false;
      c.s += v3 ? ' ' + dec(c.u32(dp + 8)) + ' bytes @ ' + u64(c, dp) : ' ' + dec(c.u32(dp + 4)) + ' bytes @ ' + dec(c.u32(dp));
      return true;
    case Proc.Write:
      dp = fileHandle(c, dp, v3);
      if (dp < 0) return false;
      if (v3) {
        c.s += ' ' + dec(c.u32(dp + 16)) + ' (' + dec(c.u32(dp + 8)) + ') bytes @ ' + u64(c, dp);
        if (v > 0) c.s += ' <' + writeMode(c.u32(dp + 12)) + '>';
      } else {
        c.s += ' ' + dec(c.u32(dp + 12)) + ' (' + dec(c.u32(dp + 8)) + ') bytes @ ' + dec(c.u32(dp + 4)) + ' (' + dec(c.u32(dp)) + ')';
      }
      return true;
    case Proc.Symlink: {
      dp = handleAndName(c, dp, v3);
      if (dp < 0) return false;
      c.s += ' ->';
      const attrs = dp;
      if (v3) dp = skipSetAttributes(c, dp);
      if (fileName(c, dp) < 0) return false;
      if (v3 && v > 0) printSetAttributes(c, attrs);
      return true;
    }
    case Proc.Mknod: {
      dp = handleAndName(c, dp, v3);
      if (dp < 0) return false;
      const type = c.u32(dp);
      const attrs = dp + 4;
      dp = skipSetAttributes(c, attrs);
      c.s += ' ' + fileType(type, 'unk-ft ' + dec(type));
      if (v > 0 && (type === CHR || type === BLK)) c.s += ' ' + dec(c.u32(dp)) + '/' + dec(c.u32(dp + 4));
      if (v > 0) printSetAttributes(c, attrs);
      return true;
    }
    case Proc.Rename:
      dp = handleAndName(c, dp, v3);
      if (dp < 0) return false;
      c.s += ' ->';
      return handleAndName(c, dp, v3) >= 0;
    case Proc.Link:
      dp = fileHandle(c, dp, v3);
      if (dp < 0) return false;
      c.s += ' ->';
      return handleAndName(c, dp, v3) >= 0;
    case Proc.Readdir:
      dp = fileHandle(c, dp, v3);
      if (dp < 0) return false;
      if (v3) {
        c.s += ' ' + dec(c.u32(dp + 16)) + ' bytes @ ' + s64(c, dp);
        if (v > 0) c.s += ' verf ' + hexPad(c.u32(dp + 8), 8) + hexPad(c.u32(dp + 12), 8);
      } else {
        c.s += ' ' + dec(c.u32(dp + 4)) + ' bytes @ ' + dec(c.u32(dp));
      }
      return true;
    case Proc.Readdirplus:
      dp = fileHandle(c, dp, v3);
      if (dp < 0) return false;
      c.s += ' ' + dec(c.u32(dp + 16)) + ' bytes @ ' + s64(c, dp);
      if (v > 0) c.s += ' max ' + dec(c.u32(dp + 20)) + ' verf ' + hexPad(c.u32(dp + 8), 8) + hexPad(c.u32(dp + 12), 8);
      return true;
    case Proc.Commit:
      dp = fileHandle(c, dp, v3);
      if (dp < 0) return false;
      c.s += ' ' + dec(c.u32(dp + 8)) + ' bytes @ ' + u64(c, dp);
      return true;
    default:
      return true;
  }
}

function printAccess(c: PrintContext, flags: number): void {
  if ((flags & ~ACCESS_FULL) !== 0) { c.s += ' ' + hexPad(flags, 4); return; }
  if (flags === ACCESS_FULL) { c.s += ' NFS_ACCESS_FULL'; return; }
  let sep = ' ';
  for (let i = 0; i < ACCESS_BITS.length; i++) {
    if (flags & (1 << i)) { c.s += sep + ACCESS_BITS[i]; sep = '|'; }
  }
}

function writeMode(m: number): string {
  return WRITE_MODES[m] ?? '#' + (m | 0);
}

function fileType(t: number, unknown: string): string {
  return t === FIFO ? 'FIFO' : FILE_TYPES[t] ?? unknown;
}

/** sattr3 in a call: each field present only when its flag word says so. Returns the offset past it. */
function skipSetAttributes(c: PrintContext, dp: number): number {
  for (let i = 0; i < 4; i++) {
    if (c.u32(dp)) { c.need(dp + 4, 4); dp += 8; } else dp += 4;
  }
  for (let i = 0; i < 2; i++) {
    if (c.u32(dp) === 2) { c.need(dp + 4, 8); dp += 12; } else dp += 4;
  }
  return dp;
}

const SET_ATTRIBUTE_NAMES: readonly string[] = [' mode ', ' uid ', ' gid '];
const SET_TIME_NAMES: readonly string[] = [' atime ', ' mtime '];

function printSetAttributes(c: PrintContext, dp: number): void {
  for (let i = 0; i < 4; i++) {
    if (c.u32(dp)) {
      if (i < 3) c.s += SET_ATTRIBUTE_NAMES[i] + (i === 0 ? c.u32(dp + 4).toString(8) : dec(c.u32(dp + 4)));
      dp += 8;
    } else {
      dp += 4;
    }
  }
  for (const name of SET_TIME_NAMES) {
    if (c.u32(dp) === 2) {
      if (c.opts.verbose > 1) c.s += name + dec(c.u32(dp + 4)) + '.' + micro(c.u32(dp + 8));
      dp += 12;
    } else {
      dp += 4;
    }
  }
}

/** A file handle (v3: length word first; v2: 32 bytes). Returns the offset past it, -1 when not captured. */
function fileHandle(c: PrintContext, dp: number, v3: boolean): number {
  let words = 8;
  if (v3) { words = Math.floor(c.u32(dp) / 4); dp += 4; }
  if (!c.has(dp, words * 4)) return -1;
  printHandle(c, dp, words);
  return dp + words * 4;
}

function handleAndName(c: PrintContext, dp: number, v3: boolean): number {
  dp = fileHandle(c, dp, v3);
  if (dp < 0) return -1;
  c.s += ' ';
  return fileName(c, dp);
}

/** A counted, padded name in quotes; -1 when not captured. */
function fileName(c: PrintContext, dp: number): number {
  const len = c.u32(dp);
  dp += 4;
  if (len > 0xfffffffc) { c.s += '[cannot pad to 32-bit boundaries] (invalid)'; return -1; }
  const rounded = roundUp4(len);
  if (!c.has(dp, rounded)) return -1;
  c.s += '"';
  printChars(c, dp, len);
  c.s += '"';
  return dp + rounded;
}

/**
 * " fh MAJOR,MINOR/INODE" by guessing which server made the handle, as
 * tcpdump's parsenfsfh.c does; " fh Unknown/HEX" when no guess fits.
 */
function printHandle(c: PrintContext, fh: number, words: number): void {
  const b = c.b;
  const at = (i: number): number => b[fh + i]!;
  const be32 = (i: number): number => ((at(i) << 24) | (at(i + 1) << 16) | (at(i + 2) << 8) | at(i + 3)) >>> 0;
  const le32 = (i: number): number => ((at(i + 3) << 24) | (at(i + 2) << 16) | (at(i + 1) << 8) | at(i)) >>> 0;
  const be24 = (i: number): number => (at(i) << 16) | (at(i + 1) << 8) | at(i + 2);
  let major = 0, minor = 0, inode = 0;
  let kind = 'unknown';
  if (words >= 4) {
    if (at(0) === 0 && at(1) === 0) {
      if (at(2) === 0 && at(3) === 0) kind = 'auspex';
      else if (at(4) !== 0 && at(5) === 0 && at(8) === 12 && at(9) === 0) kind = 'osf';
      else if (at(4) === 0 && at(5) === 8 && at(6) === 0 && at(7) === 0) kind = 'irix4';
      else kind = 'sunos4';
    } else if (at(2) === 0 && at(3) === 0) {
      if (at(6) === 0 && at(7) === 0) kind = 'bsd44';
      else if (words >= 6 && at(21) === 0 && at(23) === 0) kind = 'ultrix';
      else if (at(9) === 10) kind = 'sunos5';
    } else if (at(8) === 12 && at(9) === 0) {
      kind = 'osf';
    } else if (at(8) === 0 && at(9) === 10) {
      kind = at(4) === 0 && at(5) === 0 && at(6) === 0 && at(7) === 0 ? 'hpux9' : 'sunos5';
    } else if (isVmsUcx(c, fh, words)) {
      kind = 'vms';
    }
  }
  switch (kind) {
    case 'auspex': minor = at(7); major = at(6); inode = be32(12); break;
    case 'bsd44': minor = at(0); major = at(1); inode = le32(12); break;
    case 'osf': { const t = le32(0); minor = t & 0xfffff; major = (t >>> 20) & 0xfff; inode = le32(12); break; }
    case 'irix4': minor = at(3); major = at(2); inode = be32(8); break;
    case 'sunos4': minor = at(3); major = at(2); inode = be32(12); break;
    case 'sunos5': major = (((at(0) << 8) | at(1)) >> 2) & 0x3fff; minor = be24(1) & 0x3ffff; inode = be32(12); break;
    case 'ultrix': minor = at(0); major = at(1); inode = le32(4); break;
    case 'hpux9': major = at(0); minor = be24(1); inode = be32(12); break;
    case 'vms': {
      // The server's device name (after byte 0, up to its first space) stands for the file system.
      c.s += ' fh ';
      const n = Math.min(words, 64);
      for (let i = 1; i <= n && at(i) !== 0 && at(i) !== 0x20; i++) c.s += String.fromCharCode(at(i));
      inode = ((at(26) << 24) | (at(27) << 16) | (at(23) << 8) | at(22)) >>> 0;
      c.s += '/' + dec(inode);
      return;
    }
    default: {
      // tcpdump copies the name "Unknown" cut to the handle's length in words.
      c.s += ' fh ' + 'Unknown'.slice(0, words) + '/';
      const n = Math.min(words * 4, 32);
      for (let i = 0; i < n; i++) c.s += HEX8[at(i)]!.toUpperCase();
      return;
    }
  }
  c.s += ' fh ' + dec(major) + ',' + dec(minor) + '/' + dec(inode);
}

/** A VMS UCX handle starts with a printable device name padded with NULs (bytes 1-13). */
function isVmsUcx(c: PrintContext, fh: number, words: number): boolean {
  if (words < 7) return false;
  let seenNul = false;
  for (let i = 1; i < 14; i++) {
    const ch = c.b[fh + i]!;
    if (ch >= 0x20 && ch < 0x7f) { if (seenNul) return false; } else if (ch === 0) seenNul = true; else return false;
  }
  return true;
}

function printReply(c: PrintContext, rp: number, length: number, ipOff: number, ipVersion: number): void {
  c.proto = 'nfs';
  const stat = c.u32(rp + 8);
  if (stat === 0) {
    c.s += 'reply ok ' + dec(length);
    if ((ipVersion === 4 || ipVersion === 6) &&
        c.nfsCalls.find(c.b, ipVersion, srcAddr(ipOff, ipVersion), dstAddr(ipOff, ipVersion), c.u32(rp))) {
      printReplyResults(c, rp, c.nfsCalls.foundProc, c.nfsCalls.foundVers, length);
    }
  } else if (stat === 1) {
    c.s += 'reply ERR ' + dec(length) + ': ';
    const reject = c.u32(rp + 12);
    if (reject === 0) {
      c.need(rp + 20, 4);
      c.s += 'RPC Version mismatch (' + dec(c.u32(rp + 16)) + '-' + dec(c.u32(rp + 20)) + ')';
    } else if (reject === 1) {
      const why = c.u32(rp + 16);
      c.s += 'Auth ' + (AUTH_TEXT[why] ?? 'Invalid failure code ' + dec(why));
    } else {
      c.s += 'Unknown reason for rejecting rpc message ' + dec(reject);
    }
  } else {
    c.s += 'reply Unknown rpc response code=' + dec(stat) + ' ' + dec(length);
  }
}

function printReplyResults(c: PrintContext, rp: number, proc: number, vers: number, length: number): void {
  const v3 = vers === 3;
  if (!v3 && proc < V2_PROCS) proc = V2_TO_V3[proc]!;
  c.s += ' ' + procName(proc);
  if (proc > Proc.Commit || proc === Proc.Null) return;
  reply.error = false;
  const dp = replyResults(c, rp, length);
  if (dp < 0 || !printResults(c, proc, dp, v3)) {
    if (!reply.error) c.trunc();
  }
}

/** The results after the verifier and accept status; -1 (with the status printed when not success) otherwise. */
function replyResults(c: PrintContext, rp: number, length: number): number {
  let dp = rp + 12;
  const len = c.u32(dp + 4);
  if (len >= length) return -1;
  dp += 8 + Math.floor((len + 3) / 4) * 4;
  const accept = c.u32(dp);
  if (accept !== 0) {
    c.s += ' ' + (ACCEPT_TEXT[accept] ?? 'ar_stat ' + dec(accept));
    reply.error = true;
    return -1;
  }
  return dp + 4;
}

/** The NFS status word: " ERROR: ..." unless 0. Sets reply.status. */
function status(c: PrintContext, dp: number): number {
  const e = c.u32(dp);
  reply.status = e;
  if (e !== 0) {
    c.s += ' ERROR: ' + (STATUS_TEXT.get(e) ?? 'unk ' + dec(e));
    reply.error = true;
  }
  return dp + 4;
}

/** The text after a reply's procedure name; false when it ran out of captured bytes. */
function printResults(c: PrintContext, proc: number, dp: number, v3: boolean): boolean {
  const v = c.opts.verbose;
  switch (proc) {
    case Proc.Getattr:
      return attrStatus(c, dp, 1, v3);
    case Proc.Setattr:
      return v3 ? wccResult(c, dp, v) >= 0 : attrStatus(c, dp, 1, false);
    case Proc.Lookup:
      if (!v3) return dirOpResult(c, dp);
      dp = status(c, dp);
      if (reply.status === 0) {
        dp = fileHandle(c, dp, true);
        if (dp < 0) return false;
        dp = postOpAttributes(c, dp, v);
        if (dp < 0) return false;
      }
      if (v > 1) {
        c.s += ' post dattr:';
        if (postOpAttributes(c, dp, v) < 0) return false;
      }
      return true;
    case Proc.Access: {
      dp = status(c, dp);
      const failed = reply.status !== 0;
      if (v > 0) c.s += ' attr:';
      dp = postOpAttributes(c, dp, v);
      if (dp < 0) return false;
      if (!failed) c.s += ' c ' + hexPad(c.u32(dp), 4);
      return true;
    }
    case Proc.Readlink: {
      dp = status(c, dp);
      if (reply.status !== 0) return true;
      if (v3) { dp = postOpAttributes(c, dp, v); if (dp < 0) return false; }
      c.s += ' ';
      return fileName(c, dp) >= 0;
    }
    case Proc.Read: {
      if (!v3) return attrStatus(c, dp, v, false);
      dp = status(c, dp);
      const failed = reply.status !== 0;
      dp = postOpAttributes(c, dp, v);
      if (dp < 0) return false;
      if (!failed && v > 0) {
        c.s += ' ' + dec(c.u32(dp)) + ' bytes';
        if (c.u32(dp + 4)) c.s += ' EOF';
      }
      return true;
    }
    case Proc.Write: {
      if (!v3) return attrStatus(c, dp, v, false);
      dp = status(c, dp);
      const failed = reply.status !== 0;
      dp = wccData(c, dp, v);
      if (dp < 0) return false;
      if (!failed && v > 0) {
        c.s += ' ' + dec(c.u32(dp)) + ' bytes';
        if (v > 1) {
          c.s += ' <' + writeMode(c.u32(dp + 4)) + '>';
          c.s += ' verf ' + x64(c, dp + 8);
        }
      }
      return true;
    }
    case Proc.Create: case Proc.Mkdir:
      return v3 ? createResult(c, dp, v) >= 0 : dirOpResult(c, dp);
    case Proc.Symlink:
      if (v3) return createResult(c, dp, v) >= 0;
      status(c, dp);
      return true;
    case Proc.Mknod:
      return createResult(c, dp, v) >= 0;
    case Proc.Remove: case Proc.Rmdir:
      if (v3) return wccResult(c, dp, v) >= 0;
      status(c, dp);
      return true;
    case Proc.Rename:
      dp = status(c, dp);
      if (v3 && v > 0) {
        c.s += ' from:';
        dp = wccData(c, dp, v);
        if (dp < 0) return false;
        c.s += ' to:';
        return wccData(c, dp, v) >= 0;
      }
      return true;
    case Proc.Link:
      dp = status(c, dp);
      if (v3 && v > 0) {
        c.s += ' file POST:';
        dp = postOpAttributes(c, dp, v);
        if (dp < 0) return false;
        c.s += ' dir:';
        // tcpdump returns here without its truncation marker.
        wccData(c, dp, v);
      }
      return true;
    case Proc.Readdir:
      return v3 ? dirListResult(c, dp, v) >= 0 : v2DirListResult(c, dp);
    case Proc.Readdirplus:
      return dirListResult(c, dp, v) >= 0;
    case Proc.Fsstat:
      return fsStatResult(c, dp, v3);
    case Proc.Fsinfo:
      return fsInfoResult(c, dp);
    case Proc.Pathconf:
      return pathConfResult(c, dp);
    case Proc.Commit:
      dp = wccResult(c, dp, v);
      if (dp < 0) return false;
      if (v > 1) c.s += ' verf ' + x64(c, dp);
      return true;
    default:
      return true;
  }
}

function attrStatus(c: PrintContext, dp: number, verbose: number, v3: boolean): boolean {
  dp = status(c, dp);
  return reply.status !== 0 || attributes(c, dp, verbose, v3) >= 0;
}

function dirOpResult(c: PrintContext, dp: number): boolean {
  dp = status(c, dp);
  if (reply.status !== 0) return true;
  dp = fileHandle(c, dp, false);
  return dp >= 0 && attributes(c, dp, c.opts.verbose, false) >= 0;
}

/** fattr: type, mode, ids and size at -v, times and more at -vv. Returns the offset past it, -1 when not captured. */
function attributes(c: PrintContext, dp: number, verbose: number, v3: boolean): number {
  if (!c.has(dp + 16, 4)) return -1;
  if (verbose > 0) {
    const type = c.u32(dp);
    c.s += ' ' + fileType(type, 'unk-ft ' + dec(type) + ' ') + ' ' + c.u32(dp + 4).toString(8) +
      ' ids ' + (c.u32(dp + 12) | 0) + '/' + (c.u32(dp + 16) | 0);
    c.s += ' sz ' + (v3 ? u64(c, dp + 20) : dec(c.u32(dp + 20)));
  }
  if (verbose > 1) {
    if (v3) {
      if (!c.has(dp + 76, 8)) return -1;
      c.s += ' nlink ' + dec(c.u32(dp + 8)) + ' rdev ' + dec(c.u32(dp + 36)) + '/' + dec(c.u32(dp + 40)) +
        ' fsid ' + x64(c, dp + 44) + ' fileid ' + x64(c, dp + 52) + ' a/m/ctime ' + time(c, dp + 60) + ' ' + time(c, dp + 68) + ' ' + time(c, dp + 76);
    } else {
      if (!c.has(dp + 60, 8)) return -1;
      c.s += ' nlink ' + dec(c.u32(dp + 8)) + ' rdev 0x' + hex(c.u32(dp + 28)) + ' fsid 0x' + hex(c.u32(dp + 36)) +
        ' nodeid 0x' + hex(c.u32(dp + 40)) + ' a/m/ctime ' + time(c, dp + 44) + ' ' + time(c, dp + 52) + ' ' + time(c, dp + 60);
    }
  }
  return dp + (v3 ? V3_FATTR : V2_FATTR);
}

function postOpAttributes(c: PrintContext, dp: number, verbose: number): number {
  if (!c.u32(dp)) return dp + 4;
  dp += 4;
  return verbose > 0 ? attributes(c, dp, verbose, true) : dp + V3_FATTR;
}

function preOpAttributes(c: PrintContext, dp: number, verbose: number): number {
  if (!c.u32(dp)) return dp + 4;
  dp += 4;
  if (!c.has(dp, 24)) return -1;
  if (verbose > 1) c.s += ' sz ' + u64(c, dp) + ' mtime ' + time(c, dp + 8) + ' ctime ' + time(c, dp + 16);
  return dp + 24;
}

function wccData(c: PrintContext, dp: number, verbose: number): number {
  if (verbose > 1) c.s += ' PRE:';
  dp = preOpAttributes(c, dp, verbose);
  if (dp < 0) return -1;
  if (verbose > 0) c.s += ' POST:';
  return postOpAttributes(c, dp, verbose);
}

function wccResult(c: PrintContext, dp: number, verbose: number): number {
  return wccData(c, status(c, dp), verbose);
}

function createResult(c: PrintContext, dp: number, verbose: number): number {
  dp = status(c, dp);
  if (reply.status !== 0) return wccData(c, dp, verbose);
  if (!c.u32(dp)) return dp + 4;
  dp = fileHandle(c, dp + 4, true);
  if (dp < 0 || verbose === 0) return dp;
  dp = postOpAttributes(c, dp, verbose);
  if (dp < 0) return -1;
  if (c.opts.verbose > 1) { c.s += ' dir attr:'; dp = wccData(c, dp, verbose); }
  return dp;
}

function dirListResult(c: PrintContext, dp: number, verbose: number): number {
  dp = status(c, dp);
  const failed = reply.status !== 0;
  if (c.opts.verbose > 0) c.s += ' POST:';
  dp = postOpAttributes(c, dp, verbose);
  if (dp < 0 || failed) return dp;
  if (c.opts.verbose > 0) {
    c.s += ' verf ' + hexPad(c.u32(dp), 8) + hexPad(c.u32(dp + 4), 8);
    dp += 8;
  }
  return dp;
}

function v2DirListResult(c: PrintContext, dp: number): boolean {
  dp = status(c, dp);
  if (reply.status !== 0) return true;
  c.s += ' offset 0x' + hex(c.u32(dp)) + ' size ' + dec(c.u32(dp + 4)) + ' ';
  if (c.u32(dp + 8) !== 0) c.s += ' eof';
  return true;
}

function fsStatResult(c: PrintContext, dp: number, v3: boolean): boolean {
  const v = c.opts.verbose;
  dp = status(c, dp);
  if (!v3 && reply.status !== 0) return true;
  if (v3) {
    if (v > 0) c.s += ' POST:';
    dp = postOpAttributes(c, dp, v);
    if (dp < 0) return false;
  }
  if (!c.has(dp, v3 ? 52 : 20)) return false;
  if (v3) {
    c.s += ' tbytes ' + u64(c, dp) + ' fbytes ' + u64(c, dp + 8) + ' abytes ' + u64(c, dp + 16);
    if (v > 0) c.s += ' tfiles ' + u64(c, dp + 24) + ' ffiles ' + u64(c, dp + 32) + ' afiles ' + u64(c, dp + 40) + ' invar ' + dec(c.u32(dp + 48));
  } else {
    c.s += ' tsize ' + dec(c.u32(dp)) + ' bsize ' + dec(c.u32(dp + 4)) + ' blocks ' + dec(c.u32(dp + 8)) +
      ' bfree ' + dec(c.u32(dp + 12)) + ' bavail ' + dec(c.u32(dp + 16));
  }
  return true;
}

function fsInfoResult(c: PrintContext, dp: number): boolean {
  const v = c.opts.verbose;
  dp = status(c, dp);
  const failed = reply.status !== 0;
  if (v > 0) c.s += ' POST:';
  dp = postOpAttributes(c, dp, v);
  if (dp < 0) return false;
  if (failed) return true;
  if (!c.has(dp, 48)) return false;
  c.s += ' rtmax ' + dec(c.u32(dp)) + ' rtpref ' + dec(c.u32(dp + 4)) + ' wtmax ' + dec(c.u32(dp + 12)) +
    ' wtpref ' + dec(c.u32(dp + 16)) + ' dtpref ' + dec(c.u32(dp + 24));
  if (v > 0) {
    c.s += ' rtmult ' + dec(c.u32(dp + 8)) + ' wtmult ' + dec(c.u32(dp + 20)) + ' maxfsz ' + u64(c, dp + 28) +
      ' delta ' + time(c, dp + 36) + ' ';
  }
  return true;
}

function pathConfResult(c: PrintContext, dp: number): boolean {
  const v = c.opts.verbose;
  dp = status(c, dp);
  const failed = reply.status !== 0;
  if (v > 0) c.s += ' POST:';
  dp = postOpAttributes(c, dp, v);
  if (dp < 0) return false;
  if (failed) return true;
  if (!c.has(dp, 24)) return false;
  c.s += ' linkmax ' + dec(c.u32(dp)) + ' namemax ' + dec(c.u32(dp + 4)) +
    (c.u32(dp + 8) ? ' notrunc' : ' ') + (c.u32(dp + 12) ? ' chownres' : ' ') +
    (c.u32(dp + 16) ? ' igncase' : ' ') + (c.u32(dp + 20) ? ' keepcase' : ' ');
  return true;
}

/** "%u.%06u" of a seconds/fraction pair. */
function time(c: PrintContext, o: number): string {
  return dec(c.u32(o)) + '.' + micro(c.u32(o + 4));
}

function micro(n: number): string {
  const s = dec(n);
  return s.length >= 6 ? s : '000000'.slice(s.length) + s;
}

function u64(c: PrintContext, o: number): string {
  const hi = c.u32(o), lo = c.u32(o + 4);
  return hi < 0x200000 ? dec(hi * 0x100000000 + lo) : ((BigInt(hi) << 32n) | BigInt(lo)).toString();
}

function s64(c: PrintContext, o: number): string {
  const hi = c.u32(o);
  return hi & 0x80000000 ? BigInt.asIntN(64, (BigInt(hi) << 32n) | BigInt(c.u32(o + 4))).toString() : u64(c, o);
}

function x64(c: PrintContext, o: number): string {
  const hi = c.u32(o), lo = c.u32(o + 4);
  return hi === 0 ? hex(lo) : hex(hi) + hexPad(lo, 8);
}
