/**
 * Link-layer header types as stored in capture files (LINKTYPE_* values, which
 * are what pcap and pcapng files hold; a few differ from the platform's DLT_*).
 * Names and descriptions are the ones tcpdump prints in
 * "link-type EN10MB (Ethernet)", so our header line reads the same as its.
 */
export const LINKTYPE = {
  NULL: 0,
  EN10MB: 1,
  AX25: 3,
  IEEE802: 6,
  ARCNET_BSD: 7,
  SLIP: 8,
  PPP: 9,
  FDDI: 10,
  PPP_HDLC: 50,
  PPP_ETHER: 51,
  ATM_RFC1483: 100,
  RAW: 101,
  C_HDLC: 104,
  IEEE802_11: 105,
  ATM_CLIP: 106,
  FRELAY: 107,
  LOOP: 108,
  ENC: 109,
  LINUX_SLL: 113,
  LTALK: 114,
  PFLOG: 117,
  IEEE802_11_PRISM: 119,
  IP_OVER_FC: 122,
  SUNATM: 123,
  IEEE802_11_RADIOTAP: 127,
  ARCNET_LINUX: 129,
  JUNIPER_MLPPP: 130,
  JUNIPER_MLFR: 131,
  JUNIPER_ES: 132,
  JUNIPER_GGSN: 133,
  JUNIPER_MFR: 134,
  JUNIPER_ATM2: 135,
  JUNIPER_SERVICES: 136,
  JUNIPER_ATM1: 137,
  APPLE_IP_OVER_IEEE1394: 138,
  MTP2_WITH_PHDR: 139,
  MTP2: 140,
  MTP3: 141,
  SCCP: 142,
  DOCSIS: 143,
  LINUX_IRDA: 144,
  IEEE802_11_AVS: 163,
  JUNIPER_MONITOR: 164,
  BACNET_MS_TP: 165,
  PPP_PPPD: 166,
  JUNIPER_PPPOE: 167,
  JUNIPER_PPPOE_ATM: 168,
  GPRS_LLC: 169,
  JUNIPER_PIC_PEER: 174,
  LINUX_LAPD: 177,
  JUNIPER_ETHER: 178,
  JUNIPER_PPP: 179,
  JUNIPER_FRELAY: 180,
  JUNIPER_CHDLC: 181,
  MFR: 182,
  JUNIPER_VP: 183,
  BLUETOOTH_HCI_H4: 187,
  USB_LINUX: 189,
  PPI: 192,
  IEEE802_15_4_WITHFCS: 195,
  ERF: 197,
  BLUETOOTH_HCI_H4_WITH_PHDR: 201,
  IEEE802_15_4_NONASK_PHY: 215,
  USB_LINUX_MMAPPED: 220,
  IEEE802_15_4_NOFCS: 230,
  IPNET: 226,
  CAN_SOCKETCAN: 227,
  IPV4: 228,
  IPV6: 229,
  DBUS: 231,
  NFLOG: 239,
  IPOIB: 242,
  USBPCAP: 249,
  NETLINK: 253,
  BLUETOOTH_LINUX_MONITOR: 254,
  PKTAP: 258,
  LINUX_SLL2: 276,
  VSOCK: 271,
  DSA_TAG_BRCM: 281,
  DSA_TAG_BRCM_PREPEND: 282,
  DSA_TAG_DSA: 284,
  DSA_TAG_EDSA: 285,
} as const;

/** tcpdump's short name and description for a link type. */
interface LinkTypeText { name: string; description: string }

// Keyed by LINKTYPE value. Where libpcap's DLT name differs from the LINKTYPE
// name (PPP_HDLC is shown as PPP_SERIAL, RADIOTAP as IEEE802_11_RADIO...), the
// DLT name wins because that is what users see from tcpdump.
const TEXT = new Map<number, LinkTypeText>([
  [0, { name: 'NULL', description: 'BSD loopback' }],
  [1, { name: 'EN10MB', description: 'Ethernet' }],
  [3, { name: 'AX25', description: 'AX.25 layer 2' }],
  [6, { name: 'IEEE802', description: 'Token ring' }],
  [7, { name: 'ARCNET', description: 'BSD ARCNET' }],
  [8, { name: 'SLIP', description: 'SLIP' }],
  [9, { name: 'PPP', description: 'PPP' }],
  [10, { name: 'FDDI', description: 'FDDI' }],
  [50, { name: 'PPP_SERIAL', description: 'PPP over serial' }],
  [51, { name: 'PPP_ETHER', description: 'PPPoE' }],
  [100, { name: 'ATM_RFC1483', description: 'RFC 1483 LLC-encapsulated ATM' }],
  [101, { name: 'RAW', description: 'Raw IP' }],
  [104, { name: 'C_HDLC', description: 'Cisco HDLC' }],
  [105, { name: 'IEEE802_11', description: '802.11' }],
  [106, { name: 'ATM_CLIP', description: 'Linux Classical IP over ATM' }],
  [107, { name: 'FRELAY', description: 'Frame Relay' }],
  [108, { name: 'LOOP', description: 'OpenBSD loopback' }],
  [109, { name: 'ENC', description: 'OpenBSD encapsulated IP' }],
  [113, { name: 'LINUX_SLL', description: 'Linux cooked v1' }],
  [114, { name: 'LTALK', description: 'Localtalk' }],
  [117, { name: 'PFLOG', description: 'OpenBSD pflog file' }],
  [119, { name: 'PRISM_HEADER', description: '802.11 plus Prism header' }],
  [122, { name: 'IP_OVER_FC', description: 'RFC 2625 IP-over-Fibre Channel' }],
  [123, { name: 'SUNATM', description: 'Sun raw ATM' }],
  [127, { name: 'IEEE802_11_RADIO', description: '802.11 plus radiotap header' }],
  [129, { name: 'ARCNET_LINUX', description: 'Linux ARCNET' }],
  [130, { name: 'JUNIPER_MLPPP', description: 'Juniper Multi-Link PPP' }],
  [131, { name: 'JUNIPER_MLFR', description: 'Juniper Multi-Link Frame Relay' }],
  [132, { name: 'JUNIPER_ES', description: 'Juniper Encryption Services PIC' }],
  [133, { name: 'JUNIPER_GGSN', description: 'Juniper GGSN PIC' }],
  [134, { name: 'JUNIPER_MFR', description: 'Juniper FRF.16 Frame Relay' }],
  [135, { name: 'JUNIPER_ATM2', description: 'Juniper ATM2 PIC' }],
  [136, { name: 'JUNIPER_SERVICES', description: 'Juniper Advanced Services PIC' }],
  [137, { name: 'JUNIPER_ATM1', description: 'Juniper ATM1 PIC' }],
  [138, { name: 'APPLE_IP_OVER_IEEE1394', description: 'Apple IP-over-IEEE 1394' }],
  [139, { name: 'MTP2_WITH_PHDR', description: 'SS7 MTP2 with Pseudo-header' }],
  [140, { name: 'MTP2', description: 'SS7 MTP2' }],
  [141, { name: 'MTP3', description: 'SS7 MTP3' }],
  [142, { name: 'SCCP', description: 'SS7 SCCP' }],
  [143, { name: 'DOCSIS', description: 'DOCSIS' }],
  [144, { name: 'LINUX_IRDA', description: 'Linux IrDA' }],
  [163, { name: 'IEEE802_11_RADIO_AVS', description: '802.11 plus AVS radio information header' }],
  [164, { name: 'JUNIPER_MONITOR', description: 'Juniper Passive Monitor PIC' }],
  [165, { name: 'BACNET_MS_TP', description: 'BACnet MS/TP' }],
  [166, { name: 'PPP_PPPD', description: 'PPP for pppd, with direction flag' }],
  [167, { name: 'JUNIPER_PPPOE', description: 'Juniper PPPoE' }],
  [168, { name: 'JUNIPER_PPPOE_ATM', description: 'Juniper PPPoE/ATM' }],
  [169, { name: 'GPRS_LLC', description: 'GPRS LLC' }],
  [174, { name: 'JUNIPER_PIC_PEER', description: 'Juniper PIC Peer' }],
  [177, { name: 'LINUX_LAPD', description: 'LAPD' }],
  [178, { name: 'JUNIPER_ETHER', description: 'Juniper Ethernet' }],
  [179, { name: 'JUNIPER_PPP', description: 'Juniper PPP' }],
  [180, { name: 'JUNIPER_FRELAY', description: 'Juniper Frame Relay' }],
  [181, { name: 'JUNIPER_CHDLC', description: 'Juniper C-HDLC' }],
  [182, { name: 'MFR', description: 'FRF.16 Frame Relay' }],
  [183, { name: 'JUNIPER_VP', description: 'Juniper Voice PIC' }],
  [187, { name: 'BLUETOOTH_HCI_H4', description: 'Bluetooth HCI UART transport layer' }],
  [189, { name: 'USB_LINUX', description: 'USB with Linux header' }],
  [192, { name: 'PPI', description: 'Per-Packet Information' }],
  [195, { name: 'IEEE802_15_4', description: 'IEEE 802.15.4 with FCS' }],
  [197, { name: 'ERF', description: 'Endace ERF header' }],
  [201, { name: 'BLUETOOTH_HCI_H4_WITH_PHDR', description: 'Bluetooth HCI UART transport layer plus pseudo-header' }],
  [215, { name: 'IEEE802_15_4_NONASK_PHY', description: 'IEEE 802.15.4 with non-ASK PHY data' }],
  [220, { name: 'USB_LINUX_MMAPPED', description: 'USB with padded Linux header' }],
  [226, { name: 'IPNET', description: 'Solaris ipnet' }],
  [227, { name: 'CAN_SOCKETCAN', description: 'CAN-bus with SocketCAN headers' }],
  [228, { name: 'IPV4', description: 'Raw IPv4' }],
  [229, { name: 'IPV6', description: 'Raw IPv6' }],
  [230, { name: 'IEEE802_15_4_NOFCS', description: 'IEEE 802.15.4 without FCS' }],
  [231, { name: 'DBUS', description: 'D-Bus' }],
  [239, { name: 'NFLOG', description: 'Linux netfilter log messages' }],
  [242, { name: 'IPOIB', description: 'RFC 4391 IP-over-Infiniband' }],
  [249, { name: 'USBPCAP', description: 'USB packets, beginning with a USBPcap header' }],
  [253, { name: 'NETLINK', description: 'Linux netlink' }],
  [254, { name: 'BLUETOOTH_LINUX_MONITOR', description: 'Bluetooth Linux Monitor' }],
  [258, { name: 'PKTAP', description: 'Apple DLT_PKTAP' }],
  [271, { name: 'VSOCK', description: 'Linux vsock' }],
  [276, { name: 'LINUX_SLL2', description: 'Linux cooked v2' }],
  [281, { name: 'DSA_TAG_BRCM', description: 'Broadcom tag' }],
  [282, { name: 'DSA_TAG_BRCM_PREPEND', description: 'Broadcom tag (prepended)' }],
  [284, { name: 'DSA_TAG_DSA', description: 'Marvell DSA' }],
  [285, { name: 'DSA_TAG_EDSA', description: 'Marvell EDSA' }],
]);

/** tcpdump's short name ("EN10MB"), or the number as text when unknown. */
export function linkTypeName(linkType: number): string {
  return TEXT.get(linkType)?.name ?? String(linkType);
}

/** tcpdump's description ("Ethernet"), or undefined when unknown. */
export function linkTypeDescription(linkType: number): string | undefined {
  return TEXT.get(linkType)?.description;
}

/** "EN10MB (Ethernet)" as in tcpdump's "reading from file" line; "149" when unknown. */
export function linkTypeLabel(linkType: number): string {
  const t = TEXT.get(linkType);
  return t ? `${t.name} (${t.description})` : String(linkType);
}

/** The LINKTYPE value for a tcpdump name such as "EN10MB" (case-insensitive). */
export function linkTypeFromName(name: string): number | undefined {
  const upper = name.toUpperCase();
  for (const [value, t] of TEXT) if (t.name === upper) return value;
  const direct = (LINKTYPE as Record<string, number>)[upper];
  return direct;
}
