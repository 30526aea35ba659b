/**
 * Bits naming the layers a packet was decoded into. A packet's `layers` mask
 * says which views in its DecodedPacket are valid. A const enum so that hot
 * code importing it compiles to literal numbers, with no module load per
 * packet; `Layer` below is the same bits as an object for the library API.
 */
export const enum LayerBit {
  Ethernet = 1 << 0,
  Vlan = 1 << 1,
  Sll = 1 << 2,
  Sll2 = 1 << 3,
  Loopback = 1 << 4,
  Ipv4 = 1 << 5,
  Ipv6 = 1 << 6,
  Arp = 1 << 7,
  Tcp = 1 << 8,
  Udp = 1 << 9,
  Icmp = 1 << 10,
  Icmp6 = 1 << 11,
  Esp = 1 << 12,
  Ah = 1 << 13,
  /** A later IP fragment: the transport header is in an earlier packet. */
  Fragment = 1 << 14,
  /** IKE on UDP 4500 behind the four-byte non-ESP marker. */
  IkeNonEsp = 1 << 15,
  /** The one-byte 0xff NAT-keepalive on UDP 4500. */
  NatKeepalive = 1 << 16,
  /** ESP carried in UDP (RFC 3948). */
  EspInUdp = 1 << 17,
  Llc = 1 << 18,
  /**
   * The packet was found inside a tunnel (`DecodedPacket.tunnels` says which):
   * the other bits and the views describe the innermost packet.
   */
  Tunnel = 1 << 19,
  /**
   * The packet is one fragment (first, middle or last) of an IP datagram, whose header is at
   * `DecodedPacket.fragmentIp`: analysis sees the datagram once reassembled (reassembly.ts).
   */
  IpFragment = 1 << 20,
}

/** A numeric enum member's value as a number literal type (LayerBit.Tcp -> 256). */
type ValueOf<Member> = `${Member & number}` extends `${infer N extends number}` ? N : never;

/**
 * The layer bits by name, typed as plain numbers; the type makes the compiler
 * check that every {@link LayerBit} is here under its own name.
 */
export const Layer: { readonly [Name in keyof typeof LayerBit]: ValueOf<(typeof LayerBit)[Name]> } = {
  Ethernet: LayerBit.Ethernet,
  Vlan: LayerBit.Vlan,
  Sll: LayerBit.Sll,
  Sll2: LayerBit.Sll2,
  Loopback: LayerBit.Loopback,
  Ipv4: LayerBit.Ipv4,
  Ipv6: LayerBit.Ipv6,
  Arp: LayerBit.Arp,
  Tcp: LayerBit.Tcp,
  Udp: LayerBit.Udp,
  Icmp: LayerBit.Icmp,
  Icmp6: LayerBit.Icmp6,
  Esp: LayerBit.Esp,
  Ah: LayerBit.Ah,
  Fragment: LayerBit.Fragment,
  IkeNonEsp: LayerBit.IkeNonEsp,
  NatKeepalive: LayerBit.NatKeepalive,
  EspInUdp: LayerBit.EspInUdp,
  Llc: LayerBit.Llc,
  Tunnel: LayerBit.Tunnel,
  IpFragment: LayerBit.IpFragment,
};

/**
 * Why decoding stopped before the end of the packet. Numbers, not strings, so
 * that marking a packet allocates nothing; `stopReasonText` names them.
 */
export const Stop = {
  None: 0,
  /** The capture holds fewer bytes than the header needs (snaplen or a short packet). */
  Truncated: 1,
  /** A header field is impossible (bad version, length smaller than the header, ...). */
  Malformed: 2,
  /** A protocol we print generically. */
  Unsupported: 3,
  /** Too many stacked headers (VLAN tags, IPv6 extension headers). */
  TooDeep: 4,
} as const;

export const stopReasonText = ['', 'truncated', 'malformed', 'unsupported', 'too many nested headers'] as const;

/** Link types (pcap LINKTYPE_*) the decoders understand. */
export const LinkType = {
  Null: 0,
  Ethernet: 1,
  Ppp: 9,
  RawOpenBsd: 12,
  RawBsdi: 14,
  /** PPP in HDLC-like framing, or Cisco HDLC: the first byte says which. */
  PppHdlc: 50,
  Raw: 101,
  CiscoHdlc: 104,
  FrameRelay: 107,
  Loop: 108,
  LinuxSll: 113,
  ArcnetLinux: 129,
  JuniperEther: 178,
  Ipnet: 226,
  Ipv4: 228,
  Ipv6: 229,
  Nflog: 239,
  Ipoib: 242,
  LinuxSll2: 276,
  DsaTagBrcm: 281,
  DsaTagBrcmPrepend: 282,
  DsaTagDsa: 284,
  DsaTagEdsa: 285,
} as const;

export const EtherType = {
  Ipv4: 0x0800,
  Arp: 0x0806,
  Vlan: 0x8100,
  QinQ: 0x88a8,
  QinQOld: 0x9100,
  /** Another pre-standard Q-in-Q TPID that tcpdump also peels. */
  QinQOld2: 0x9200,
  Ipv6: 0x86dd,
  Mpls: 0x8847,
  MplsMulticast: 0x8848,
  PppoeDiscovery: 0x8863,
  PppoeSession: 0x8864,
  /** Transparent Ethernet bridging: an Ethernet frame inside GRE or Geneve. */
  TransparentEthernet: 0x6558,
  /** GRE protocol types of ERSPAN: type I and II share one, type III has its own. */
  Erspan2: 0x88be,
  Erspan3: 0x22eb,
  /** PPP inside GRE version 1 (PPTP). */
  Ppp: 0x880b,
  /** Web Cache Communication Protocol's redirection inside GRE. */
  Wccp: 0x883e,
} as const;

export const IpProto = {
  HopByHop: 0,
  Icmp: 1,
  Igmp: 2,
  IpIp: 4,
  Tcp: 6,
  Udp: 17,
  Ipv6: 41,
  Routing: 43,
  Fragment: 44,
  Gre: 47,
  Esp: 50,
  Ah: 51,
  Icmp6: 58,
  NoNext: 59,
  DstOpts: 60,
  Mobility: 135,
  Sctp: 132,
} as const;
