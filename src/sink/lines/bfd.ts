/**
 * BFD lines (print-bfd.c, RFC 5880/5881/5883/7130): control packets by
 * destination port ("BFDv1, Control, State Up, Flags: [none], length: 24"),
 * echo packets; -v adds the timers and the authentication section.
 */
import { printUnknownData } from './hexdump.js';
import type { PrintContext } from './print-context.js';
import { tcpdumpCharText } from '../sanitize.js';
import { dec, HEX8, hexPad } from './text-tables.js';
import { bitNames, type BitNames } from './tokens.js';

const CONTROL_PORT = 3784, MULTIHOP_PORT = 4784, LAG_PORT = 6784, ECHO_PORT = 3785;
const HEADER_LENGTH = 24;
const FLAG_AUTH = 0x04;

const PORT_NAMES: ReadonlyMap<number, string> = new Map([[CONTROL_PORT, 'Control'], [MULTIHOP_PORT, 'Multihop'], [LAG_PORT, 'Lag']]);
const STATES = ['AdminDown', 'Down', 'Init', 'Up'];
const DIAGNOSTICS = [
  'No Diagnostic', 'Control Detection Time Expired', 'Echo Function Failed', 'Neighbor Signaled Session Down',
  'Forwarding Plane Reset', 'Path Down', 'Concatenated Path Down', 'Administratively Down', 'Reverse Concatenated Path Down',
];
const V0_FLAGS: BitNames = [
  [0x80, 'I Hear You'], [0x40, 'Demand'], [0x20, 'Poll'], [0x10, 'Final'], [0x08, 'Control Plane Independent'],
  [FLAG_AUTH, 'Authentication Present'], [0x02, 'Reserved'], [0x01, 'Reserved'],
];
const V1_FLAGS: BitNames = [
  [0x20, 'Poll'], [0x10, 'Final'], [0x08, 'Control Plane Independent'], [FLAG_AUTH, 'Authentication Present'],
  [0x02, 'Demand'], [0x01, 'Multipoint'],
];
const AUTH_TYPES = ['', 'Simple Password', 'Keyed MD5', 'Meticulous Keyed MD5', 'Keyed SHA1', 'Meticulous Keyed SHA1'];

/** `dport` picks the packet kind, as tcpdump's dispatch passes it. */
export function printBfd(c: PrintContext, bp: number, length: number, _sport: number, dport: number): void {
  c.proto = 'bfd';
  const verbose = c.opts.verbose > 0;
  const kind = PORT_NAMES.get(dport);
  if (kind === undefined) {
    c.s += dport === ECHO_PORT ? 'BFD, Echo, length: ' + length : 'BFD, unknown (' + dport + '), length: ' + length;
    if (verbose) printUnknownData(c, bp, length, '\n\t');
    return;
  }
  c.need(bp, HEADER_LENGTH);
  const versionDiag = c.b[bp]!, flags = c.b[bp + 1]!;
  const version = versionDiag >> 5;
  if (version > 1) {
    c.s += 'BFDv' + version + ', Control, length: ' + length;
    if (verbose) printUnknownData(c, bp, length, '\n\t');
    return;
  }
  const flagText = version === 0 ? bitNames(V0_FLAGS, flags, 'none') : bitNames(V1_FLAGS, flags & 0x3f, 'none');
  if (!verbose) {
    c.s += version === 0
      ? 'BFDv0, Control, Flags: [' + flagText + '], length: ' + length
      : 'BFDv1, ' + kind + ', State ' + STATES[flags >> 6] + ', Flags: [' + flagText + '], length: ' + length;
    return;
  }
  const diag = versionDiag & 0x1f;
  c.s += 'BFDv' + version + ', length: ' + length + '\n\t' +
    (version === 0 ? 'Control' : kind + ', State ' + STATES[flags >> 6]) +
    ', Flags: [' + flagText + '], Diagnostic: ' + (DIAGNOSTICS[diag] ?? 'unknown') + ' (0x' + HEX8[diag] + ')';
  const multiplier = c.b[bp + 2]!, txInterval = c.u32(bp + 12);
  // tcpdump multiplies in 32 bits unsigned, so a large interval wraps.
  c.s += '\n\tDetection Timer Multiplier: ' + multiplier + ' (' + dec(Math.floor((Math.imul(multiplier, txInterval) >>> 0) / 1000)) +
    ' ms Detection time), BFD Length: ' + c.b[bp + 3]!;
  c.s += '\n\tMy Discriminator: 0x' + hexPad(c.u32(bp + 4), 8) + ', Your Discriminator: 0x' + hexPad(c.u32(bp + 8), 8);
  c.s += '\n\t  Desired min Tx Interval:    ' + milliseconds(txInterval) +
    '\n\t  Required min Rx Interval:   ' + milliseconds(c.u32(bp + 16)) +
    '\n\t  Required min Echo Interval: ' + milliseconds(c.u32(bp + 20));
  if (flags & FLAG_AUTH) printAuthentication(c, bp + HEADER_LENGTH);
}

/** "%4u ms" of a microsecond count. */
function milliseconds(us: number): string {
  return dec(Math.floor(us / 1000)).padStart(4, ' ') + ' ms';
}

function printAuthentication(c: PrintContext, at: number): void {
  c.need(at, 4);
  const type = c.b[at]!, len = c.b[at + 1]!;
  c.s += '\n\tAuthentication: ' + ((type > 0 ? AUTH_TYPES[type] : undefined) ?? 'Unknown') + ' (' + type + '), length: ' + len;
  c.s += '\n\t  Auth Key ID: ' + c.b[at + 2]!;
  switch (type) {
    case 1:
      if (len < 4 || len > 19) { c.s += '[invalid length ' + len + ']'; return; }
      c.s += ', Password: ';
      for (let i = 0; i < len - 3; i++) c.s += tcpdumpCharText(c.u8(at + 3 + i));
      return;
    case 2: case 3: case 4: case 5: {
      const md5 = type <= 3;
      if (len !== (md5 ? 24 : 28)) { c.s += '[invalid length ' + len + ']'; return; }
      c.s += ', Sequence Number: 0x' + hexPad(c.u32(at + 4), 8);
      const n = md5 ? 16 : 20;
      c.need(at + 8, n);
      c.s += md5 ? '\n\t  Digest: ' : '\n\t  Hash: ';
      for (let i = 0; i < n; i++) c.s += HEX8[c.b[at + 8 + i]!]!;
      return;
    }
  }
}
