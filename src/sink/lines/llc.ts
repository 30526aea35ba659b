/**
 * IEEE 802.2 LLC and SNAP (print-llc.c): what follows an 802.3 length field.
 * Known SAPs and SNAP OUI/PIDs go to their printers; anything else gets
 * tcpdump's LLC or SNAP header line, and the caller hex-dumps the frame.
 */
import type { PrintContext } from './print-context.js';
import { macText } from './addresses.js';
import { printIpv4 } from './ipv4.js';
import { printIpx } from './ipx.js';
import { isoNlpidPrinted, printIsoclns } from './isoclns.js';
import { printStp } from './stp.js';
import { printDtp, printUdld } from './cisco-l2.js';
import { printEncapsulatedEthernet, printEthertypePayload, ethertypePrintedExactly } from './link.js';
import { hexAsciiLines } from './hexdump.js';
import { ETHERTYPE_NAMES, dec, hexPad, HEX8 } from './text-tables.js';

const SAP_NAMES = new Map([
  [0x00, 'Null'], [0xff, 'Global'], [0x02, '802.1B I'], [0x03, '802.1B G'], [0x06, 'IP'], [0x04, 'SNA'],
  [0x0e, 'ProWay NM'], [0x42, 'STP'], [0x4e, 'RS511'], [0x7e, 'ISO8208'], [0x8e, 'ProWay'], [0xaa, 'SNAP'],
  [0xe0, 'IPX'], [0xf0, 'NetBeui'], [0xfe, 'OSI'],
]);
const U_COMMANDS = new Map([
  [0x03, 'ui'], [0xe3, 'test'], [0xaf, 'xid'], [0x63, 'ua'], [0x43, 'disc'], [0x0f, 'dm'], [0x6f, 'sabme'], [0x87, 'frmr'],
]);
const SUPERVISORY = ['Receiver Ready', 'Receiver not Ready', 'Reject'];
const OUI_NAMES = new Map([
  [0x000000, 'Ethernet'], [0x00000c, 'Cisco'], [0x00005e, 'IANA'], [0x000081, 'Nortel Networks SONMP'],
  [0x0000f8, 'Cisco bridged'], [0x0080c2, 'Ethernet bridged'], [0x00a03e, 'ATM Forum'],
  [0x00e02f, 'DOCSIS Spanning Tree'], [0x080007, 'Appletalk'], [0x009069, 'Juniper'], [0x080009, 'Hewlett-Packard'],
  [0x00120f, 'IEEE 802.3 Private'], [0x0012bb, 'ANSI/TIA'], [0x001b21, 'DCBX'], [0x002320, 'Nicira Networks'],
  [0x5c16c7, 'Big Switch Networks'], [0xb0d2f5, 'Vello Systems'], [0x002481, 'HP'], [0x0004ea, 'HP-Labs'],
  [0x748771, 'Infoblox Inc'], [0xa42305, 'Open Networking Lab'], [0x00049f, 'Freescale'], [0x0015ad, 'Netronome'],
  [0x001018, 'Broadcom'], [0x00e004, 'PMC-Sierra'], [0xd0f0db, 'Ericsson'],
]);
const CISCO_PIDS = new Map([
  [0x2000, 'CDP'], [0x2003, 'VTP'], [0x2004, 'DTP'], [0x0111, 'UDLD'], [0x010b, 'PVST'], [0x010c, 'VLAN Bridge'],
]);
const BRIDGED_PIDS = new Map([
  [0x0001, 'Ethernet + FCS'], [0x0007, 'Ethernet w/o FCS'], [0x0002, '802.4 + FCS'], [0x0008, '802.4 w/o FCS'],
  [0x0003, 'Token Ring + FCS'], [0x0009, 'Token Ring w/o FCS'], [0x0004, 'FDDI + FCS'], [0x000a, 'FDDI w/o FCS'],
  [0x0005, '802.6 + FCS'], [0x000b, '802.6 w/o FCS'], [0x000e, 'BPDU'],
]);
const OUI_ETHER = 0x000000, OUI_CISCO_90 = 0x0000f8, OUI_APPLETALK = 0x080007, OUI_CISCO = 0x00000c, OUI_RFC2684 = 0x0080c2;
const SAP_SNAP = 0xaa, SAP_STP = 0x42, SAP_IP = 0x06, SAP_IPX = 0xe0, SAP_OSI = 0xfe, SAP_GLOBAL = 0xff;
const LLC_UI = 0x03;

function pidName(oui: number, pid: number): string {
  const table = oui === OUI_ETHER || oui === OUI_CISCO_90 || oui === OUI_APPLETALK ? ETHERTYPE_NAMES
    : oui === OUI_CISCO ? CISCO_PIDS : oui === OUI_RFC2684 ? BRIDGED_PIDS : null;
  return table?.get(pid) ?? 'Unknown';
}

/** llc_flag_values by the SSAP's C/R bit and the poll/final bit. */
function flagName(response: boolean, poll: boolean): string {
  return poll ? (response ? 'Final' : 'Poll') : (response ? 'Response' : 'Command');
}

/**
 * llc_print: the LLC header and what it carries. `mac` is the offset of the
 * destination address (an Ethernet header's), `src` of the source (for the
 * addresses tcpdump shows of frames it does not know), or -1 for none.
 * Returns the header length, negated when the payload was not printed and
 * the caller should hex-dump the frame.
 */
export function printLlc(c: PrintContext, p: number, length: number, caplen: number, mac: number, src = mac < 0 ? -1 : mac + 6): number {
  c.proto = 'llc';
  if (caplen < 3 || length < 3) { c.trunc(); defaultPrint(c, p, caplen); return Math.min(caplen, length); }
  const b = c.b;
  const dsapField = c.u8(p), ssapField = c.u8(p + 1);
  let control = c.u8(p + 2);
  const isU = (control & 3) === 3;
  let hdrlen = 3;
  if (!isU) {
    if (caplen < 4 || length < 4) { c.trunc(); defaultPrint(c, p, caplen); return Math.min(caplen, length); }
    control = control | (c.u8(p + 3) << 8);
    hdrlen = 4;
  }
  if (dsapField === SAP_GLOBAL && ssapField === SAP_GLOBAL) {
    // Novell's "raw 802.3": IPX straight after the length field.
    if (c.opts.link) c.s += 'IPX 802.3: ';
    printIpx(c, p);
    return 0;
  }
  const dsap = dsapField & 0xfe, ssap = ssapField & 0xfe;
  if (c.opts.link) {
    c.s += 'LLC, dsap ' + (SAP_NAMES.get(dsap) ?? 'Unknown') + ' (0x' + HEX8[dsap] + ') ' +
      ((dsapField & 1) ? 'Group' : 'Individual') + ', ssap ' + (SAP_NAMES.get(ssap) ?? 'Unknown') +
      ' (0x' + HEX8[ssap] + ') ' + ((ssapField & 1) ? 'Response' : 'Command') +
      ', ctrl 0x' + (isU ? HEX8[control]! : hexPad(control, 4)) + ': ';
  }
  const q = p + hdrlen;
  length -= hdrlen; caplen -= hdrlen;
  if (ssap === SAP_SNAP && dsap === SAP_SNAP && control === LLC_UI) {
    return printSnap(c, q, length, caplen, mac, src) ? hdrlen + 5 : -(hdrlen + 5);
  }
  if (control === LLC_UI) {
    if (ssap === SAP_STP && dsap === SAP_STP) { printStp(c, q, length); return hdrlen; }
    if (ssap === SAP_IP && dsap === SAP_IP) { printIpv4(c, q, length); return hdrlen; }
    if (ssap === SAP_IPX && dsap === SAP_IPX) {
      if (c.opts.link) c.s += 'IPX 802.2: ';
      printIpx(c, q);
      return hdrlen;
    }
    if (ssap === SAP_OSI && dsap === SAP_OSI) { printIsoclns(c, q, length); return hdrlen; }
  }
  if (!c.opts.link) {
    const from = mac >= 0 ? macText(b, src) + ' ' : '', to = mac >= 0 ? macText(b, mac) + ' ' : '';
    if (ssap === dsap) c.s += (mac >= 0 ? from.slice(0, -1) + ' > ' + to : '') + sapName(dsap, 'DSAP') + ' ';
    else c.s += from + sapName(ssap, 'SSAP') + ' > ' + to + sapName(dsap, 'DSAP') + ' ';
  }
  const response = (ssapField & 1) !== 0;
  if (isU) {
    const cmd = control & 0xef;
    c.s += 'Unnumbered, ' + (U_COMMANDS.get(cmd) ?? HEX8[cmd]) + ', Flags [' + flagName(response, (control & 0x10) !== 0) +
      '], length ' + dec(length + hdrlen);
    if ((control & 0xef) === 0xaf) {
      // XID: the format and class fields of the basic format.
      if (length === 0) return hdrlen;
      if (caplen < 1) { c.trunc(); return hdrlen; }
      if (c.u8(q) === 0x81) {
        if (caplen < 3 || length < 3) { c.trunc(); defaultPrint(c, q, caplen); }
        else c.s += ': ' + HEX8[c.u8(q + 1)] + ' ' + HEX8[c.u8(q + 2)];
        return hdrlen;
      }
    }
  } else if (control & 1) {
    c.s += 'Supervisory, ' + (SUPERVISORY[(control >> 2) & 3] ?? '?') + ', rcv seq ' + ((control >> 9) & 0x7f) +
      ', Flags [' + flagName(response, (control & 0x100) !== 0) + '], length ' + dec(length + hdrlen);
    return hdrlen;
  } else {
    c.s += 'Information, send seq ' + ((control >> 1) & 0x7f) + ', rcv seq ' + ((control >> 9) & 0x7f) +
      ', Flags [' + flagName(response, (control & 0x100) !== 0) + '], length ' + dec(length + hdrlen);
  }
  return -hdrlen;
}

function sapName(sap: number, what: string): string {
  return SAP_NAMES.get(sap) ?? 'Unknown ' + what + ' 0x' + HEX8[sap];
}

/** snap_print: true when the payload was printed. */
function printSnap(c: PrintContext, p: number, length: number, caplen: number, mac: number, src: number): boolean {
  c.proto = 'snap';
  c.need(p, 5);
  if (caplen < 5 || length < 5) { c.trunc(); return true; }
  const oui = (c.u8(p) << 16) | (c.u8(p + 1) << 8) | c.u8(p + 2);
  const pid = c.u16(p + 3);
  if (c.opts.link) {
    c.s += 'oui ' + (OUI_NAMES.get(oui) ?? 'Unknown') + ' (0x' + hexPad(oui, 6) + '), ' +
      (oui === 0 ? 'ethertype' : 'pid') + ' ' + pidName(oui, pid) + ' (0x' + hexPad(pid, 4) + '), length ' + (length - 5) + ': ';
  }
  const q = p + 5;
  length -= 5; caplen -= 5;
  // The ethertype printers read a source address 6 bytes past `mac`, as in an Ethernet header.
  const sourceMac = src < 0 ? -1 : src - 6;
  switch (oui) {
    case OUI_ETHER: case OUI_CISCO_90:
      if (printEthertypePayload(c, pid, q, length, caplen, sourceMac)) return true;
      break;
    case OUI_APPLETALK:
      if (pid === 0x809b && printEthertypePayload(c, pid, q, length, caplen, sourceMac)) return true;
      break;
    case OUI_CISCO:
      switch (pid) {
        case 0x2004: printDtp(c, q, length); return true;
        case 0x0111: printUdld(c, q, length); return true;
        case 0x010b: case 0x010c: printStp(c, q, length); return true;
        case 0x2000: c.s += 'CDP, length ' + dec(length); return true;
        case 0x2003: c.s += 'VTP, length ' + dec(length); return true;
      }
      break;
    case OUI_RFC2684:
      switch (pid) {
        case 0x0001: case 0x0007:
          // Bridged Ethernet, after two bytes of padding.
          c.need(q, 2);
          printEncapsulatedEthernet(c, q + 2, length - 2);
          return true;
        case 0x0003: case 0x0009: case 0x0004: case 0x000a:
          c.s += 'bridged ' + pidName(oui, pid) + ', length ' + dec(length);
          return true;
        case 0x000e: printStp(c, q, length); return true;
      }
      break;
  }
  if (!c.opts.link) {
    if (mac >= 0) c.s += macText(c.b, src) + ' > ' + macText(c.b, mac) + ' ';
    if (oui === 0) c.s += 'SNAP, ethertype ' + (ETHERTYPE_NAMES.get(pid) ?? 'Unknown') + ' (0x' + hexPad(pid, 4) + '), length ' + dec(length) + ': ';
    else {
      c.s += 'SNAP, oui ' + (OUI_NAMES.get(oui) ?? 'Unknown') + ' (0x' + hexPad(oui, 6) + '), pid ' + pidName(oui, pid) +
        ' (0x' + hexPad(pid, 4) + '), length ' + dec(length) + ': ';
    }
  }
  return false;
}

function defaultPrint(c: PrintContext, p: number, n: number): void {
  if (!c.opts.suppressDefaultPrint && n > 0) c.s += hexAsciiLines(c.b, p, n, '\n\t');
}

/**
 * Why an LLC frame at `p` is not printed exactly, or null when it is.
 * Mirrors the dispatch above (read from the capture, not the decoder).
 */
export function llcReason(b: Uint8Array, p: number, end: number, verbose: number): string | null {
  if (p + 4 > end) return null;
  const dsap = b[p]! & 0xfe, ssap = b[p + 1]! & 0xfe, control = b[p + 2]!;
  if (b[p] === SAP_GLOBAL && b[p + 1] === SAP_GLOBAL) return ipxReason(b, p, end);
  if (control !== LLC_UI) return dsap === 0xf0 && ssap === 0xf0 ? 'NetBEUI' : null;
  if (dsap !== ssap) return null;
  switch (dsap) {
    case SAP_STP: case SAP_IP: return null;
    case SAP_IPX: return ipxReason(b, p + 3, end);
    case SAP_OSI: return isoNlpidPrinted(b[p + 3]!, verbose) ? null : 'OSI NLPID 0x' + HEX8[b[p + 3]!];
    case 0xf0: return 'NetBEUI';
    case SAP_SNAP: {
      if (p + 8 > end) return null;
      const oui = (b[p + 3]! << 16) | (b[p + 4]! << 8) | b[p + 5]!, pid = (b[p + 6]! << 8) | b[p + 7]!;
      if (oui === OUI_ETHER || oui === OUI_CISCO_90 || (oui === OUI_APPLETALK && pid === 0x809b)) {
        return ethertypePrintedExactly(pid, b, p + 8, end, verbose) ? null : 'SNAP ethertype 0x' + hexPad(pid, 4);
      }
      if (oui === OUI_CISCO) return pid === 0x2000 || pid === 0x2003 ? 'Cisco ' + CISCO_PIDS.get(pid) : null;
      if (oui === OUI_RFC2684) {
        if (pid === 0x0001 || pid === 0x0007) return 'bridged Ethernet in SNAP';
        if (pid === 0x0003 || pid === 0x0009 || pid === 0x0004 || pid === 0x000a) return 'bridged ' + pidName(oui, pid);
      }
      return null;
    }
    default: return null;
  }
}

function ipxReason(b: Uint8Array, p: number, end: number): string | null {
  return p + 18 <= end && b[p + 16] === 0x85 && b[p + 17] === 0xbe ? 'EIGRP over IPX' : null;
}
