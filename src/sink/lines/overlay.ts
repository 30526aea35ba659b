/**
 * UDP overlays (print-vxlan.c, print-geneve.c): VXLAN on port 4789 and
 * Geneve on 6081, their headers and the Ethernet frame or network packet
 * inside.
 */
import { printEncapsulatedEthernet, printEthertype } from './link.js';
import { printMpls } from './mpls.js';
import type { PrintContext } from './print-context.js';
import { ETHERTYPE_NAMES, dec, hex, hexPad } from './text-tables.js';
import { GENEVE_PORT, VXLAN_PORT } from '../../decode/overlay.js';
import { isRxPort, udpPortsTestedBefore } from './app-ports.js';

const MPLS_UDP_PORT = 6635;

/**
 * Ports print-udp.c tests before the overlays' (DNS, DHCP, NTP, SNMP, RADIUS,
 * syslog, SIP...): tcpdump dissects those first, this printer does not.
 * Ports it tests on one side only are taken on either: such lines are then
 * left out of scope rather than printed wrong.
 */
const CLAIMED_BEFORE_OVERLAYS = udpPortsTestedBefore('vxlan', ['bcm-li']);

export function udpClaimedBeforeOverlays(sport: number, dport: number): boolean {
  return CLAIMED_BEFORE_OVERLAYS.has(sport) || CLAIMED_BEFORE_OVERLAYS.has(dport) ||
    isRxPort(sport) || isRxPort(dport);
}

/**
 * The overlays tcpdump's UDP printer reaches when no port earlier in its
 * chain claimed the datagram (those stay out of scope as application ports);
 * false when neither port is an overlay's.
 */
export function printUdpTunnel(c: PrintContext, sport: number, dport: number, bp: number, length: number): boolean {
  if (udpClaimedBeforeOverlays(sport, dport)) return false;
  if (sport === VXLAN_PORT || dport === VXLAN_PORT) printVxlan(c, bp, length);
  else if (sport === GENEVE_PORT || dport === GENEVE_PORT) printGeneve(c, bp, length);
  else if (sport === MPLS_UDP_PORT || dport === MPLS_UDP_PORT) { if (c.enter()) printMpls(c, bp, length); }
  else return false;
  return true;
}

function printVxlan(c: PrintContext, bp: number, length: number): void {
  c.proto = 'vxlan';
  c.s += 'VXLAN';
  if (length < 8) { c.s += ' (invalid)'; return; }
  const flags = c.u8(bp);
  c.s += ', flags [' + (flags & 0x08 ? 'I' : 'invalid') + '] (0x' + hexPad(flags, 2) + '), ';
  c.need(bp + 4, 3);
  c.s += 'vni ' + dec((c.b[bp + 4]! << 16) | (c.b[bp + 5]! << 8) | c.b[bp + 6]!) + '\n';
  c.need(bp + 7, 1);
  if (!c.enter()) return;
  printEncapsulatedEthernet(c, bp + 8, length - 8);
}

/** OTV (print-otv.c, draft-hasmit-otv): VXLAN's layout on port 8472, an overlay and an instance number. */
export function printOtv(c: PrintContext, bp: number, length: number): void {
  c.proto = 'otv';
  c.s += 'OTV, ';
  if (length < 8) {
    c.s += '[length ' + length + ' < 8] (invalid)';
    c.need(bp, length);
    return;
  }
  const flags = c.u8(bp);
  c.s += 'flags [' + (flags & 0x08 ? 'I' : '.') + '] (0x' + hexPad(flags, 2) + '), ';
  c.need(bp + 1, 3);
  c.s += 'overlay ' + dec((c.b[bp + 1]! << 16) | (c.b[bp + 2]! << 8) | c.b[bp + 3]!) + ', ';
  c.need(bp + 4, 3);
  c.s += 'instance ' + dec((c.b[bp + 4]! << 16) | (c.b[bp + 5]! << 8) | c.b[bp + 6]!) + '\n';
  c.need(bp + 7, 1);
  if (!c.enter()) return;
  printEncapsulatedEthernet(c, bp + 8, length - 8);
}

const BCM_LI_DIRECTIONS = ['unknown', 'unused', 'egress', 'ingress', 'unknown', 'unknown', 'unknown', 'unknown'];
const BCM_LI_TYPES: ReadonlyMap<number, string> = new Map([[4, 'undecided'], [5, 'ipv4'], [6, 'ipv6'], [7, 'ethernet']]);
const BCM_LI_SUBTYPES = ['unknown', 'single VLAN tag', 'double VLAN tag', 'untagged', 'unknown', 'unknown', 'unknown', 'unknown'];

/** print-bcm-li.c: Broadcom's lawful-intercept shim; -v prints the copied packet after it. */
/** Broadcom's lawful-intercept shim (print-bcm-li.c), from source port 49152 ahead of BFD and the rest. */
export function printBcmLi(c: PrintContext, bp: number, length: number): void {
  c.proto = 'bcm_li';
  if (length < 4) { c.s += ' (length ' + length + ' < 4) (invalid)'; return; }
  const shim = c.u32(bp);
  const type = (shim >>> 25) & 0xf;
  const v = c.opts.verbose > 0;
  c.s += (v ? '\n    ' : '') + 'BCM-LI-SHIM: direction ' + BCM_LI_DIRECTIONS[shim >>> 29] + ', pkt-type ' +
    (BCM_LI_TYPES.get(type) ?? 'unknown') + ', pkt-subtype ' + BCM_LI_SUBTYPES[(shim >>> 22) & 7] +
    ', li-id ' + dec(shim & 0x3fffff) + (v ? '\n    ' : '');
  bp += 4; length -= 4;
  if (!v) { c.need(bp, length); return; }
  if (!c.enter()) return;
  const version = type === 4 ? c.u8(bp) >> 4 : 0;
  if (type === 7) printEncapsulatedEthernet(c, bp, length);
  else if (type === 5 || version === 4) printEthertype(c, 0x0800, bp, length);
  else if (type === 6 || version === 6) printEthertype(c, 0x86dd, bp, length);
  else if (type === 4) c.s += 'unknown payload';
  else c.s += ' (invalid)';
}

const GENEVE_FLAGS: readonly (readonly [number, string])[] = [
  [0x80, 'O'], [0x40, 'C'], [0x20, 'R1'], [0x10, 'R2'], [0x08, 'R3'], [0x04, 'R4'], [0x02, 'R5'], [0x01, 'R6'],
];

function printGeneve(c: PrintContext, bp: number, length: number): void {
  c.proto = 'geneve';
  c.s += 'Geneve';
  if (length < 8) { c.s += ' [length ' + length + ' < 8] (invalid)'; return; }
  c.need(bp, 8);
  const b = c.b;
  const versionAndOptions = b[bp]!;
  if (versionAndOptions >> 6 !== 0) { c.s += ' ERROR: unknown-version ' + (versionAndOptions >> 6); return; }
  const flags = b[bp + 1]!;
  const proto = (b[bp + 2]! << 8) | b[bp + 3]!;
  const vni = (b[bp + 4]! << 16) | (b[bp + 5]! << 8) | b[bp + 6]!;
  const reserved = b[bp + 7]!;
  length -= 8;
  let flagText = '';
  for (const [bit, name] of GENEVE_FLAGS) if (flags & bit) flagText += name;
  c.s += ', Flags [' + (flagText || 'none') + '], vni 0x' + hex(vni);
  if (reserved) c.s += ', rsvd 0x' + hex(reserved);
  if (c.opts.link) c.s += ', proto ' + (ETHERTYPE_NAMES.get(proto) ?? 'unknown') + ' (0x' + hexPad(proto, 4) + ')';
  const optionsLength = (versionAndOptions & 0x3f) * 4;
  if (length < optionsLength) { c.s += ' truncated-geneve - ' + (optionsLength - length) + ' bytes missing'; return; }
  let p = bp + 8;
  c.need(p, optionsLength);
  if (optionsLength > 0) {
    c.s += ', options [';
    if (c.opts.verbose > 0) printOptions(c, p, optionsLength);
    else c.s += optionsLength + ' bytes';
    c.s += ']';
  }
  p += optionsLength;
  length -= optionsLength;
  c.s += c.opts.verbose > 0 ? '\n\t' : ': ';
  if (!c.enter()) return;
  if (printEthertype(c, proto, p, length)) return;
  if (proto === 0x6558) printEncapsulatedEthernet(c, p, length);
  else c.s += 'geneve-proto-0x' + hex(proto);
}

/** geneve_opts_print: class, type and length of each option; -vv adds the data words. */
function printOptions(c: PrintContext, p: number, length: number): void {
  let sep = '';
  // Each option moves on by at least four bytes.
  while (length > 0) {
    c.s += sep;
    sep = ', ';
    const optionClass = c.u16(p), type = c.u8(p + 2), optionLength = 4 + (c.u8(p + 3) & 0x1f) * 4;
    c.s += 'class ' + optionClassName(optionClass) + ' (0x' + hex(optionClass) + ') type 0x' + hex(type) +
      (type & 0x80 ? '(C)' : '') + ' len ' + optionLength;
    if (optionLength > length) { c.s += ' [bad length]'; return; }
    if (c.opts.verbose > 1 && optionLength > 4) {
      c.s += ' data';
      for (let i = 4; i < optionLength; i += 4) c.s += ' ' + hexPad(c.u32(p + i), 8);
    }
    p += optionLength;
    length -= optionLength;
  }
}

const OPTION_CLASS_NAMES: ReadonlyMap<number, string> = new Map([
  [0x0100, 'Linux'], [0x0101, 'Open vSwitch'], [0x0102, 'Open Virtual Networking (OVN)'],
  [0x0103, 'In-band Network Telemetry (INT)'], [0x0104, 'VMware'],
]);

function optionClassName(k: number): string {
  return OPTION_CLASS_NAMES.get(k) ?? (k <= 0xff ? 'Standard' : k >= 0xfff0 ? 'Experimental' : 'Unknown');
}
