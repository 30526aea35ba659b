/**
 * Protocols Ethernet carries besides IP, ARP, MPLS and PPP(oE), by
 * ethertype (the rest of print-ether.c's ethertype_print): one printer file
 * each. What a printer here does not print exactly is named in
 * linkProtocolExact, for exact-scope.ts.
 */
import type { PrintContext } from './print-context.js';
import { printIpx } from './ipx.js';
import { isoNlpidPrinted, printIsoclns } from './isoclns.js';
import { printLoopback } from './loopback.js';
import { printAoe } from './aoe.js';
import { printDecnet } from './decnet.js';
import { printPtp } from './ptp.js';
import { printCalmFast, printGeonet } from './geonet.js';
import { printEapol } from './eapol.js';
import { printSlow, slowPrintedExactly } from './slow.js';
import { printLldp } from './lldp.js';

const ETHERTYPE_IPX = 0x8137, ETHERTYPE_ISO = 0xfefe, ETHERTYPE_LOOPBACK = 0x9000;
const ETHERTYPE_DN = 0x6003, ETHERTYPE_AOE = 0x88a2, ETHERTYPE_PTP = 0x88f7;
const ETHERTYPE_EAPOL = 0x888e, ETHERTYPE_SLOW = 0x8809, ETHERTYPE_LLDP = 0x88cc;
const ETHERTYPE_GEONET = 0x8947, ETHERTYPE_GEONET_OLD = 0x0707, ETHERTYPE_CALM_FAST = 0x1111;

/** False when the type is not one of these. */
export function printLinkProtocol(c: PrintContext, type: number, p: number, length: number, caplen: number, mac: number): boolean {
  switch (type) {
    case ETHERTYPE_IPX:
      c.s += '(NOV-ETHII) ';
      printIpx(c, p);
      return true;
    case ETHERTYPE_ISO:
      if (length === 0 || caplen === 0) { c.proto = 'isoclns'; c.trunc(); return true; }
      c.need(p, 1);
      printIsoclns(c, p + 1, length - 1);
      return true;
    case ETHERTYPE_LOOPBACK: printLoopback(c, p, length); return true;
    case ETHERTYPE_DN: printDecnet(c, p, length, caplen); return true;
    case ETHERTYPE_AOE: printAoe(c, p, length); return true;
    case ETHERTYPE_PTP: printPtp(c, p, length); return true;
    case ETHERTYPE_GEONET: case ETHERTYPE_GEONET_OLD: printGeonet(c, p, length, mac); return true;
    case ETHERTYPE_CALM_FAST: printCalmFast(c, p, length, mac); return true;
    case ETHERTYPE_EAPOL: printEapol(c, p); return true;
    case ETHERTYPE_SLOW: printSlow(c, p, length); return true;
    case ETHERTYPE_LLDP: printLldp(c, p, length); return true;
    default: return false;
  }
}

/** Whether printLinkProtocol prints a payload of a type tcpdump dissects exactly as tcpdump does. */
export function linkProtocolExact(type: number, b: Uint8Array, p: number, end: number, verbose: number): boolean {
  switch (type) {
    case ETHERTYPE_IPX: return !(p + 18 <= end && b[p + 16] === 0x85 && b[p + 17] === 0xbe);
    case ETHERTYPE_ISO: return p + 2 > end || isoNlpidPrinted(b[p + 1]!, verbose);
    case ETHERTYPE_LOOPBACK: case ETHERTYPE_DN: case ETHERTYPE_AOE: case ETHERTYPE_PTP:
    case ETHERTYPE_GEONET: case ETHERTYPE_GEONET_OLD: case ETHERTYPE_CALM_FAST:
      return true;
    case ETHERTYPE_EAPOL: return verbose === 0;
    case ETHERTYPE_SLOW: return p >= end || slowPrintedExactly(b[p]!, verbose);
    default: return false;
  }
}
