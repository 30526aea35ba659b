/**
 * Spanning tree BPDUs (print-stp.c): 802.1D, rapid (802.1w), multiple
 * (802.1s) and SPB (802.1aq), from LLC SAP 0x42 or Cisco's PVST+ SNAP.
 */
import type { PrintContext } from './print-context.js';
import { dec, hexPad, HEX8 } from './text-tables.js';
import { tcpdumpCharText } from '../sanitize.js';
import { bitNames, type BitNames } from './tokens.js';

const VERSIONS = new Map([[0, '802.1d'], [2, '802.1w'], [3, '802.1s'], [4, '802.1aq']]);
const BPDU_TYPES = new Map([[0x00, 'Config'], [0x02, 'Rapid STP'], [0x80, 'Topology Change']]);
const FLAGS: BitNames = [
  [0x01, 'Topology change'], [0x02, 'Proposal'], [0x10, 'Learn'], [0x20, 'Forward'],
  [0x40, 'Agreement'], [0x80, 'Topology change ACK'],
];
const PORT_ROLES = ['Unknown', 'Alternate', 'Root', 'Designated'];

/** Bytes of a config BPDU up to and including the version 1 length. */
const BPDU_LEN = 36;
const MSTP_MIN_LEN = 102;
const V3_LEN_AT = 36;
const MSTI_LEN = 16;
const MST_CONFIG_INFO_LEN = 64;
const SPB_MIN_LEN = 87;

/** "8001.00:19:06:ea:b8:80": priority and MAC of a bridge identifier. */
function bridgeId(c: PrintContext, o: number): string {
  c.need(o, 8);
  const b = c.b;
  let s = HEX8[b[o]!]! + HEX8[b[o + 1]!]! + '.';
  for (let i = 2; i < 8; i++) s += (i > 2 ? ':' : '') + HEX8[b[o + i]!]!;
  return s;
}

/** Timers count 1/256 s; "%.2f" of that. */
function seconds(c: PrintContext, o: number): string {
  return (c.u16(o) / 256).toFixed(2) + 's';
}

/** nd_printjnp: up to `n` characters, stopping at a NUL, made safe for the terminal. */
export function paddedText(c: PrintContext, o: number, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) {
    const ch = c.u8(o + i);
    if (ch === 0) break;
    s += tcpdumpCharText(ch);
  }
  return s;
}

export function printStp(c: PrintContext, p: number, length: number): void {
  c.proto = 'stp';
  if (length < 4) { c.s += ' (invalid)'; return; }
  if (c.u16(p) !== 0) { c.s += 'unknown STP version, length ' + length; return; }
  const version = c.u8(p + 2);
  c.s += 'STP ' + (VERSIONS.get(version) ?? 'Unknown STP protocol (0x' + hexPad(version, 2) + ')');
  if (!VERSIONS.has(version)) return;
  const type = c.u8(p + 3);
  c.s += ', ' + (BPDU_TYPES.get(type) ?? 'Unknown BPDU Type (0x' + hexPad(type, 2) + ')');
  if (type === 0x00) {
    if (length < BPDU_LEN - 1) { c.s += ' (invalid)'; return; }
    printConfig(c, p, length);
  } else if (type === 0x02) {
    if (version === 2) {
      if (length < BPDU_LEN) { c.s += ' (invalid)'; return; }
      printConfig(c, p, length);
    } else if (version === 3 || version === 4) {
      if (length < MSTP_MIN_LEN || c.u8(p + 35) !== 0) { c.s += ' (invalid)'; return; }
      const mstpLen = c.u16(p + V3_LEN_AT) + 2;
      if (length < BPDU_LEN + mstpLen) { c.s += ' (invalid)'; return; }
      printMstp(c, p, length);
      if (version === 4) {
        const spbLen = c.u16(p + V3_LEN_AT + mstpLen) + 2;
        if (length < BPDU_LEN + mstpLen + spbLen || spbLen < SPB_MIN_LEN) { c.s += ' (invalid)'; return; }
        printSpb(c, p + BPDU_LEN + mstpLen);
      }
    }
  }
}

function printConfig(c: PrintContext, p: number, length: number): void {
  const flags = c.u8(p + 4);
  c.s += ', Flags [' + bitNames(FLAGS, flags, 'none') + ']';
  const bridge = bridgeId(c, p + 17);
  c.s += ', bridge-id ' + bridge + '.' + hexPad(c.u16(p + 25), 4) + ', length ' + dec(length);
  if (!c.opts.verbose) return;
  c.s += '\n\tmessage-age ' + seconds(c, p + 27) + ', max-age ' + seconds(c, p + 29) +
    ', hello-time ' + seconds(c, p + 31) + ', forwarding-delay ' + seconds(c, p + 33);
  c.s += '\n\troot-id ' + bridgeId(c, p + 5) + ', root-pathcost ' + dec(c.u32(p + 13));
  if (c.u8(p + 2) === 2) c.s += ', port-role ' + PORT_ROLES[(flags & 0x0c) >> 2];
}

function digest(c: PrintContext, o: number, words: number): string {
  let s = '';
  for (let i = 0; i < words; i++) s += hexPad(c.u32(o + 4 * i), 8);
  return s;
}

function printMstp(c: PrintContext, p: number, length: number): void {
  const flags = c.u8(p + 4);
  c.s += ', CIST Flags [' + bitNames(FLAGS, flags, 'none') + '], length ' + dec(length);
  if (!c.opts.verbose) return;
  c.s += '\n\tport-role ' + PORT_ROLES[(flags & 0x0c) >> 2] + ', ';
  c.s += 'CIST root-id ' + bridgeId(c, p + 5) + ', CIST ext-pathcost ' + dec(c.u32(p + 13));
  c.s += '\n\tCIST regional-root-id ' + bridgeId(c, p + 17) + ', ';
  c.s += 'CIST port-id ' + hexPad(c.u16(p + 25), 4) + ',';
  c.s += '\n\tmessage-age ' + seconds(c, p + 27) + ', max-age ' + seconds(c, p + 29) +
    ', hello-time ' + seconds(c, p + 31) + ', forwarding-delay ' + seconds(c, p + 33);
  c.s += '\n\tv3len ' + dec(c.u16(p + V3_LEN_AT)) + ', ';
  c.s += 'MCID Name ' + paddedText(c, p + 39, 32);
  c.s += ', rev ' + dec(c.u16(p + 71)) + ',\n\t\tdigest ' + digest(c, p + 73, 4) + ', ';
  c.s += 'CIST int-root-pathcost ' + dec(c.u32(p + 89)) + ',';
  c.s += '\n\tCIST bridge-id ' + bridgeId(c, p + 93) + ', ';
  c.s += 'CIST remaining-hops ' + dec(c.u8(p + 101));
  const v3len = c.u16(p + V3_LEN_AT);
  if (v3len <= MST_CONFIG_INFO_LEN) return;
  // At most 4096 iterations: the count comes from a 16-bit length.
  for (let len = v3len - MST_CONFIG_INFO_LEN, o = p + MSTP_MIN_LEN; len >= MSTI_LEN; len -= MSTI_LEN, o += MSTI_LEN) {
    const f = c.u8(o);
    c.s += '\n\tMSTI ' + dec(c.u16(o + 1) & 0x0fff) + ', Flags [' + bitNames(FLAGS, f, 'none') +
      '], port-role ' + PORT_ROLES[(f & 0x0c) >> 2];
    c.s += '\n\t\tMSTI regional-root-id ' + bridgeId(c, o + 1) + ', pathcost ' + dec(c.u32(o + 9));
    c.s += '\n\t\tMSTI bridge-prio ' + dec(c.u8(o + 13) >> 4) + ', port-prio ' + dec(c.u8(o + 14) >> 4) +
      ', hops ' + dec(c.u8(o + 15));
  }
}

function printSpb(c: PrintContext, o: number): void {
  if (!c.opts.verbose) return;
  c.s += '\n\tv4len ' + dec(c.u16(o)) + ', AUXMCID Name ' + paddedText(c, o + 3, 32);
  c.s += ', Rev ' + dec(c.u16(o + 35)) + ',\n\t\tdigest ' + digest(c, o + 37, 4);
  const agreement = c.u8(o + 53), format = c.u8(o + 55), convention = c.u8(o + 56);
  c.s += '\n\tAgreement num ' + (agreement >> 6) + ', Discarded Agreement num ' + ((agreement >> 4) & 3) +
    ', Agreement valid-flag ' + ((agreement >> 3) & 1) + ',\n\tRestricted role-flag: ' + ((agreement >> 2) & 1) +
    ', Format id ' + (format >> 4) + ' cap ' + format + ', Convention id ' + (convention >> 4) + ' cap ' + convention +
    ',\n\tEdge count ' + dec(c.u16(o + 57)) + ', Agreement digest ' + digest(c, o + 67, 5);
}

