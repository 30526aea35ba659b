/**
 * Frames captured on a switch's CPU port, with the switch's tag between the
 * source MAC and the ethertype (Marvell DSA and EDSA, Broadcom), or the
 * Broadcom tag before the whole frame: tcpdump's print-dsa.c and
 * print-brcmtag.c. The tag is printed even without -e, since it says which
 * port the frame came in on or goes out of.
 */
import { printEthernet, type SwitchTag } from './link.js';
import type { PrintContext } from './print-context.js';
import { ETHERTYPE_NAMES, hexPad } from './text-tables.js';

const DSA_MODES = ['To CPU', 'From CPU', 'To Sniffer', 'Forward'];
const DSA_CODES = ['BPDU (MGMT) Trap', 'Frame2Reg', 'IGMP/MLD Trap', 'Policy Trap', 'ARP Mirror', 'Policy Mirror'];

/** The 4 bytes DSA and EDSA share. */
function dsaCommon(c: PrintContext, p: number): void {
  const b0 = c.u8(p), b1 = c.u8(p + 1), b2 = c.u8(p + 2), b3 = c.u8(p + 3);
  const mode = b0 >> 6, tagged = (b0 & 0x20) !== 0, dev = b0 & 0x1f, port = b1 >> 3;
  const trunkOrRxSniff = (b1 & 0x04) !== 0, cfi = (b1 & 0x01) !== 0;
  const pri = b2 >> 5, vid = ((b2 & 0x0f) << 8) | b3;
  if (c.opts.link) {
    c.s += 'mode ' + DSA_MODES[mode] + ', ';
    if (mode === 3) c.s += 'dev ' + dev + ', ' + (trunkOrRxSniff ? 'trunk' : 'port') + ' ' + port + ', ';
    else if (mode === 1) c.s += 'target dev ' + dev + ', port ' + port + ', ';
    else if (mode === 0) {
      const code = (((b1 & 0x06) >> 1) << 1) | ((b2 & 0x10) >> 4);
      c.s += 'source dev ' + dev + ', port ' + port + ', code ' + (DSA_CODES[code] ?? 'reserved') + ', ';
    } else c.s += 'source dev ' + dev + ', port ' + port + ', ' + (trunkOrRxSniff ? 'ingress' : 'egress') + ' sniff, ';
    c.s += (tagged ? 'tagged' : 'untagged') + ', ' + (cfi ? 'CFI, ' : '') + 'VID ' + vid + ', FPri ' + pri + ', ';
    return;
  }
  if (mode === 3) c.s += 'Forward ' + (trunkOrRxSniff ? 'trunk' : 'port') + ' ' + dev + '.' + port + ', ';
  else if (mode === 1) c.s += 'CPU > port ' + dev + '.' + port + ', ';
  else if (mode === 0) c.s += 'port ' + dev + '.' + port + ' > CPU, ';
  else c.s += 'port ' + dev + '.' + port + ' > ' + (trunkOrRxSniff ? 'Rx' : 'Tx') + ' Sniffer, ';
  c.s += 'VLAN ' + vid + (tagged ? 't' : 'u') + ', ';
}

const DSA_TAG: SwitchTag = {
  length: 4,
  print(c, p) {
    c.s += c.opts.link ? 'Marvell DSA ' : 'DSA ';
    dsaCommon(c, p);
  },
};

const EDSA_TAG: SwitchTag = {
  length: 8,
  print(c, p) {
    const type = c.u16(p);
    if (c.opts.link) {
      c.s += 'Marvell EDSA ethertype 0x' + hexPad(type, 4) + ' (' + (ETHERTYPE_NAMES.get(type) ?? 'Unknown') + '), ';
      c.s += 'rsvd ' + c.u8(p + 2) + ' ' + c.u8(p + 3) + ', ';
    } else c.s += 'EDSA 0x' + hexPad(type, 4) + ', ';
    dsaCommon(c, p + 4);
  },
};

const BRCM_TE = ['None', 'Untag', 'Header', 'Reserved'];
const BRCM_RC = new Map([[1, 'mirror'], [2, 'MAC learning'], [4, 'switching'], [8, 'prot term'], [16, 'prot snoop'], [32, 'exception']]);

function printBrcmTag(c: PrintContext, p: number): void {
  const t0 = c.u8(p), t1 = c.u8(p + 1), t2 = c.u8(p + 2), t3 = c.u8(p + 3);
  c.s += 'BRCM tag OP: ' + (t0 ? 'IG' : 'EG');
  if (t0 & 0x20) {
    c.s += ', TC: ' + ((t1 >> 2) & 7) + ', TE: ' + BRCM_TE[t1 & 3] + ', TS: ' + (t1 >> 7);
    c.s += ', DST map: 0x' + hexPad(((t2 << 8) | t3) & 0x1ff, 4);
  } else {
    c.s += ', CID: ' + t1 + ', RC: ' + (BRCM_RC.get(t2) ?? 'reserved') + ', TC: ' + ((t3 >> 5) & 7) + ', port: ' + (t3 & 0x1f);
  }
  c.s += ', ';
}

const BRCM_TAG: SwitchTag = { length: 4, print: printBrcmTag };

/** LINKTYPE_DSA_TAG_DSA (284), _EDSA (285), _BRCM (281). */
export function printSwitchTagged(c: PrintContext, linkType: number, start: number, length: number, caplen: number): void {
  printEthernet(c, start, length, caplen, linkType === 284 ? DSA_TAG : linkType === 285 ? EDSA_TAG : BRCM_TAG);
  c.proto = linkType === 284 ? 'dsa' : linkType === 285 ? 'edsa' : 'brcm-tag';
}

/** LINKTYPE_DSA_TAG_BRCM_PREPEND (282): the Broadcom tag before the destination MAC, shown with -e. */
export function printBrcmPrepended(c: PrintContext, start: number, length: number, caplen: number): void {
  c.proto = 'brcm-tag-prepend';
  c.need(start, 4);
  if (c.opts.link) printBrcmTag(c, start);
  printEthernet(c, start + 4, length - 4, caplen - 4);
  c.linkHeaderLength += 4;
}
