/**
 * UDP lines (print-udp.c): "UDP, length 32", the bad-length and truncated
 * forms, and the NAT-traversal port 4500 (RFC 3948): keepalives, IKE behind
 * the non-ESP marker, and ESP in UDP.
 */
import { DOMAIN_PORT, MDNS_PORT, tcpdumpUdpDissector } from './app-ports.js';
import { printAhcp } from './ahcp.js';
import { printBabel } from './babel.js';
import { printBfd } from './bfd.js';
import { printBootp } from './bootp.js';
import { printCiscoAutoRp } from './cisco-autorp.js';
import { printDhcp6 } from './dhcp6.js';
import { printDomain } from './dns.js';
import { printEsp } from './esp.js';
import { printNfsOverUdp } from './nfs.js';

import { printHsrp } from './hsrp.js';
import { printL2tp } from './l2tp.js';
import { printLdp } from './ldp.js';
import { printLisp } from './lisp.js';
import { printLwapp } from './lwapp.js';
import { printIsakmp } from './isakmp.js';
import { printKrb } from './krb.js';
import { printNtp } from './ntp.js';
import { printPtp } from './ptp.js';
import { printBcmLi, printOtv, printUdpTunnel } from './overlay.js';
import { printRadius } from './radius.js';
import { printRip, printRipng } from './rip.js';
import { printRx } from './rx.js';
import { printSflow } from './sflow.js';
import { printSnmp } from './snmp.js';
import { printSomeip } from './someip.js';
import { printSyslog } from './syslog.js';
import { printTftp } from './tftp.js';
import { printTimed } from './timed.js';
import { transportChecksum, shouldBe } from './checksum.js';
import { addressPair, endpointPair, ipHeaderProtocol, portPair } from './ip-addresses.js';
import type { PrintContext } from './print-context.js';
import { dec, hexPad } from './text-tables.js';
import { printTextProtocol, SIP } from './txtproto.js';
import { IpProto } from '../../decode/layers.js';

/** tcpdump's udpipaddr_print: addresses (and ports when known) before the UDP text. */
function udpAddresses(c: PrintContext, ipOff: number, ipVersion: number, sport: number, dport: number): void {
  if (ipHeaderProtocol(c, ipOff, ipVersion) === IpProto.Udp) {
    c.s += sport < 0 ? addressPair(c, ipOff, ipVersion, ': ') : endpointPair(c, ipOff, ipVersion, dec(sport), dec(dport));
  } else if (sport >= 0) {
    c.s += portPair(c, dec(sport), dec(dport));
  }
}

export function printUdp(c: PrintContext, bp: number, length: number, ipOff: number, ipVersion: number, fragmented: boolean): void {
  c.proto = 'udp';
  if (!c.has(bp + 2, 2)) { udpAddresses(c, ipOff, ipVersion, -1, -1); c.trunc(); return; }
  const sport = c.u16(bp), dport = c.u16(bp + 2);
  if (length < 8) {
    udpAddresses(c, ipOff, ipVersion, sport, dport);
    c.s += 'truncated-udp ' + length;
    return;
  }
  if (!c.has(bp + 4, 2)) { udpAddresses(c, ipOff, ipVersion, sport, dport); c.trunc(); return; }
  let ulen = c.u16(bp + 4);
  // IPv6 jumbograms carry 0 here (RFC 2675).
  if (ulen === 0 && length > 65535) ulen = length;
  if (ulen < 8) {
    udpAddresses(c, ipOff, ipVersion, sport, dport);
    c.s += 'truncated-udplength ' + ulen;
    return;
  }
  ulen -= 8;
  length -= 8;
  if (ulen < length) length = ulen;
  const cp = bp + 8;
  if (cp > c.snapend) { udpAddresses(c, ipOff, ipVersion, sport, dport); c.trunc(); return; }
  udpAddresses(c, ipOff, ipVersion, sport, dport);
  // print-udp.c tries NFS before anything else, its -v checksum remark included.
  if (!c.opts.quiet && printNfsOverUdp(c, cp, length, sport, dport, ipOff, ipVersion)) return;

  if (c.opts.verbose > 0 && !fragmented) printChecksumRemark(c, bp, length, ipOff, ipVersion);

  if (!c.opts.quiet && (sport === DOMAIN_PORT || dport === DOMAIN_PORT || sport === MDNS_PORT || dport === MDNS_PORT)) {
    printDomain(c, cp, length, false, sport !== DOMAIN_PORT && dport !== DOMAIN_PORT);
    return;
  }
  if (!c.opts.quiet) {
    // One name from tcpdump's port chain decides, so its precedence holds between our printers too.
    const name = udpDissector(c, sport, dport, cp);
    const app = UDP_APP_PRINTERS.get(name);
    if (app) { app.print(c, cp, length, sport, dport, ipOff, ipVersion); return; }
    if (name === 'isakmp-nat-t') { printNatTraversal(c, cp, length, ipOff, ipVersion, fragmented); return; }
    if (name === 'sip') { printTextProtocol(c, cp, length, SIP); return; }
    if (printUdpTunnel(c, sport, dport, cp, length)) return;
  }
  if (ulen > length && !fragmented) {
    c.s += c.paint ? c.paint.problem('UDP, bad length ' + ulen + ' > ' + length) : 'UDP, bad length ' + ulen + ' > ' + length;
  } else {
    c.s += 'UDP, length ' + dec(ulen);
  }
}

interface UdpAppPrinter {
  /** `ipOff`/`ipVersion`: the enclosing IP header, for printers that look at addresses (tcpdump's bp2). */
  print(c: PrintContext, bp: number, length: number, sport: number, dport: number, ipOff: number, ipVersion: number): void;
  /** The highest -v count at which the text equals tcpdump's. */
  exactUpToVerbose: number;
}

/** The application printers here, by tcpdump's dissector name (tcpdumpUdpDissector). */
const UDP_APP_PRINTERS: ReadonlyMap<string, UdpAppPrinter> = new Map<string, UdpAppPrinter>([
  ['ahcp', { print: printAhcp, exactUpToVerbose: 3 }],
  ['babel', { print: printBabel, exactUpToVerbose: 3 }],
  ['bcm-li', { print: printBcmLi, exactUpToVerbose: 0 }],
  ['bfd', { print: printBfd, exactUpToVerbose: 3 }],
  ['bootp', { print: printBootp, exactUpToVerbose: 3 }],
  ['cisco-autorp', { print: printCiscoAutoRp, exactUpToVerbose: 3 }],
  ['dhcp6', { print: printDhcp6, exactUpToVerbose: 0 }],
  ['hsrp', { print: printHsrp, exactUpToVerbose: 3 }],
  ['l2tp', { print: printL2tp, exactUpToVerbose: 3 }],
  ['ldp', { print: printLdp, exactUpToVerbose: 0 }],
  ['lisp', { print: printLisp, exactUpToVerbose: 3 }],
  ['lwapp-control', { print: printLwapp, exactUpToVerbose: 0 }],
  ['lwapp-data', { print: printLwapp, exactUpToVerbose: 0 }],
  ['isakmp', { print: (c, bp, length, _sport, _dport, ipOff, ipVersion) => printIsakmp(c, bp, length, ipOff, ipVersion), exactUpToVerbose: 0 }],
  ['krb', { print: printKrb, exactUpToVerbose: 3 }],
  ['ntp', { print: printNtp, exactUpToVerbose: 3 }],
  ['radius', { print: printRadius, exactUpToVerbose: 0 }],
  ['rip', { print: printRip, exactUpToVerbose: 3 }],
  ['ripng', { print: printRipng, exactUpToVerbose: 3 }],
  ['rx', { print: printRx, exactUpToVerbose: 3 }],
  ['otv', { print: printOtv, exactUpToVerbose: 3 }],
  ['ptp', { print: printPtp, exactUpToVerbose: 3 }],
  ['sflow', { print: printSflow, exactUpToVerbose: 0 }],
  ['snmp', { print: printSnmp, exactUpToVerbose: 3 }],
  ['someip', { print: printSomeip, exactUpToVerbose: 3 }],
  ['syslog', { print: printSyslog, exactUpToVerbose: 3 }],
  ['tftp', { print: printTftp, exactUpToVerbose: 3 }],
  ['timed', { print: printTimed, exactUpToVerbose: 3 }],
]);

function udpDissector(c: PrintContext, sport: number, dport: number, cp: number): string {
  return tcpdumpUdpDissector(sport, dport, c.has(cp, 1) ? c.b[cp]! : -1, c.has(cp + 4, 4) ? c.u32(cp + 4) : -1);
}

/** True when the line of a datagram between these ports equals tcpdump's (-q aside). */
export function udpAppPrintedExactly(sport: number, dport: number, firstPayloadByte: number, rpcDirection: number, verbose: number): boolean {
  const name = tcpdumpUdpDissector(sport, dport, firstPayloadByte, rpcDirection);
  if (name === 'nfs') return true; // printNfsOverUdp, ahead of this table
  const app = UDP_APP_PRINTERS.get(name);
  return app !== undefined && verbose <= app.exactUpToVerbose;
}

/** -v: IPv6 UDP checksums always, IPv4 ones from -vv (tcpdump's choice). */
function printChecksumRemark(c: PrintContext, bp: number, length: number, ipOff: number, ipVersion: number): void {
  const field = c.u16(bp + 6);
  if (ipVersion === 4 && c.opts.verbose > 1) {
    if (field === 0) { c.s += '[no cksum] '; return; }
    if (!c.has(bp + 8, length)) return;
  } else if (ipVersion === 6) {
    if (!c.has(bp + 8, length)) return;
  } else {
    return;
  }
  const sum = transportChecksum(c.b, ipOff, ipVersion, IpProto.Udp, bp, length + 8, c.snapend);
  c.s += sum !== 0
    ? '[bad udp cksum 0x' + hexPad(field, 4) + ' -> 0x' + hexPad(shouldBe(field, sum), 4) + '!] '
    : '[udp sum ok] ';
}

/** isakmp_rfc3948_print: a keepalive, IKE behind the non-ESP marker, or ESP. */
function printNatTraversal(c: PrintContext, bp: number, length: number, ipOff: number, ipVersion: number, fragmented: boolean): void {
  c.proto = 'isakmp_rfc3948';
  if (length === 1 && c.u8(bp) === 0xff) { c.s += 'isakmp-nat-keep-alive'; return; }
  if (length < 4) { c.trunc(); return; }
  if (c.u32(bp) === 0) {
    c.s += 'NONESP-encap: ';
    printIsakmp(c, bp + 4, length - 4, ipOff, ipVersion);
    return;
  }
  c.s += 'UDP-encap: ';
  printEsp(c, bp, length, ipOff, ipVersion, fragmented);
}
