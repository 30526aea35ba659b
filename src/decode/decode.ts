/**
 * The decoding loop: link -> network -> transport, each layer reading its
 * header in place and handing on an offset. Nothing is allocated and nothing
 * is thrown: a short or impossible header ends decoding at that layer and is
 * recorded in `stop` / `stopLayer`.
 */
import type { PacketRecord } from '../source/packet-record.js';
import { u16, u32, u32le } from './bytes.js';
import { AH_MIN_LEN } from './ah.js';
import { ARP_FIXED_LEN } from './arp.js';
import { DecodedPacket } from './decoded-packet.js';
import { ESP_HEADER_LEN, NAT_T_PORT } from './esp.js';
import { ETHERNET_HEADER_LEN } from './ethernet.js';
import { IPV4_MIN_HEADER_LEN, OptionsMalformed, walkIpv4Options } from './ipv4.js';
import { IPV6_HEADER_LEN, MAX_IPV6_EXTENSIONS } from './ipv6.js';
import { ERSPAN2_HEADER_LEN, ERSPAN3_HEADER_LEN, ERSPAN3_SUBHEADER_LEN, GRE_MIN_HEADER_LEN, WCCP_REDIRECT_HEADER_LEN } from './gre.js';
import { EtherType, IpProto, LayerBit, LinkType, Stop } from './layers.js';
import {
  GENEVE_MIN_HEADER_LEN, GENEVE_PORT, MAX_MPLS_LABELS, MPLS_LABEL_LEN, mplsBottomOfStack, mplsLabel,
  PPPOE_HEADER_LEN, VXLAN_HEADER_LEN, VXLAN_PORT,
} from './overlay.js';
import { ArcnetType, ARCNET_LINUX_HEADER_LEN, ARCNET_LINUX_SPLIT_HEADER_LEN, ARCNET_LINUX_TYPE, arcnetShortHeader } from './arcnet.js';
import { FR_CONTROL_UI, FR_PAD, Nlpid, q922AddressLength, q922Dlci, SNAP_LEN } from './frame-relay.js';
import { IPNET_HEADER_LEN, IpnetFamily, ipnetFamily } from './ipnet.js';
import { IPOIB_HEADER_LEN, ipoibEtherType } from './ipoib.js';
import { JUNIPER_MIN_HEADER_LEN, JUNIPER_NO_L2_COOKIE_LEN, juniperHeaderLength, juniperMagicValid, juniperNoL2 } from './juniper.js';
import { NFLOG_BAD_TLV, NFLOG_HEADER_LEN, NflogFamily, nflogFamily, nflogPayloadOffset, nflogVersion } from './nflog.js';
import {
  CHDLC_BROADCAST, CHDLC_HEADER_LEN, CHDLC_TYPE, CHDLC_UNICAST, PPP_ADDRESS, PPP_CONTROL, PPPD_IN, PPPD_OUT,
  PppProtocol, pppEtherType,
} from './ppp.js';
import { SWITCH_TAG_OFFSET, SwitchTagLength } from './switch-tag.js';
import { SLL_HEADER_LEN, SLL2_HEADER_LEN } from './sll.js';
import { TCP_MIN_HEADER_LEN } from './tcp.js';
import { UDP_HEADER_LEN } from './udp.js';
import { MAX_TUNNEL_DEPTH, TunnelKind } from './tunnel.js';
import { MAX_VLAN_TAGS, VLAN_TAG_LEN } from './vlan.js';

/** UDP ports the decoder looks behind, as bits so that either port of a datagram can name one. */
const UdpPortKind = { NatT: 1, Vxlan: 2, Geneve: 4 } as const;
const UDP_PORT_KIND = new Uint8Array(65536);
UDP_PORT_KIND[NAT_T_PORT] = UdpPortKind.NatT;
UDP_PORT_KIND[VXLAN_PORT] = UdpPortKind.Vxlan;
UDP_PORT_KIND[GENEVE_PORT] = UdpPortKind.Geneve;
/** AH inside AH inside AH...: stop following after this many. */
const MAX_AH_DEPTH = 4;

/** BSD address-family values for IPv6 differ by OS (NetBSD/OpenBSD, FreeBSD, Darwin); all mean IPv6 here. */
function isBsdInet6(af: number): boolean {
  return af === 24 || af === 28 || af === 30;
}

/** Decodes `pkt` into `d`, reusing `d`'s views. Returns `d` for convenience. */
export function decodePacket(pkt: PacketRecord, d: DecodedPacket): DecodedPacket {
  // Sources reuse one record for every packet: stored only when it changes (see the views below).
  if (d.pkt !== pkt) d.pkt = pkt;
  d.layers = 0;
  d.stop = Stop.None;
  d.stopLayer = 0;
  d.linkType = pkt.linkType;
  d.vlans.count = 0;
  d.etherType = -1;
  d.ipVersion = 0;
  d.ipProtocol = -1;
  d.loopbackFamily = 0;
  d.ipv6.extensionCount = 0;
  d.ipv6.fragmentHeader = -1;
  // Set only by rare packets: cleared only when set, a load instead of stores on every packet.
  if (d.ipOptionsMalformed) d.ipOptionsMalformed = false;
  const tunnels = d.tunnels;
  if (tunnels.count !== 0) { tunnels.count = 0; tunnels.network = 0; }
  const b = pkt.bytes;
  const start = pkt.offset;
  const end = start + pkt.caplen;
  // One buffer holds many packets: re-point the views only when it changes, as each store of a young
  // buffer into the old DecodedPacket goes through V8's write barrier (PERF.md, "Store only what changed").
  // Plain assignments, not a loop over an array literal: that would allocate per packet.
  if (d.ethernet.b !== b) {
    d.ethernet.b = b; d.sll.b = b; d.ipv4.b = b; d.ipv6.b = b; d.arp.b = b;
    d.ah.b = b; d.tcp.b = b; d.udp.b = b; d.icmp.b = b; d.esp.b = b;
    d.gre.b = b; d.erspan.b = b; d.vxlan.b = b; d.geneve.b = b; d.pppoe.b = b;
  }

  switch (pkt.linkType) {
    case LinkType.Ethernet:
      return decodeEthernet(d, start, end);
    case LinkType.LinuxSll:
    case LinkType.LinuxSll2: {
      const v2 = pkt.linkType === LinkType.LinuxSll2;
      const len = v2 ? SLL2_HEADER_LEN : SLL_HEADER_LEN;
      if (end - start < len) return halt(d, 0, Stop.Truncated);
      d.sll.o = start;
      d.sll.version = v2 ? 2 : 1;
      d.layers |= v2 ? LayerBit.Sll2 : LayerBit.Sll;
      return decodeEtherPayload(d, d.sll.protocol, start + len, end);
    }
    case LinkType.Null:
    case LinkType.Loop: {
      if (end - start < 4) return halt(d, 0, Stop.Truncated);
      d.layers |= LayerBit.Loopback;
      // NULL is in the capturing host's byte order, which the file does not say.
      const be = u32(b, start);
      const af = pkt.linkType === LinkType.Loop ? be : (be > 0xffff ? u32le(b, start) : be);
      d.loopbackFamily = af;
      if (af === 2) return decodeNetwork(d, EtherType.Ipv4, start + 4, end);
      if (isBsdInet6(af)) return decodeNetwork(d, EtherType.Ipv6, start + 4, end);
      return halt(d, LayerBit.Loopback, Stop.Unsupported);
    }
    case LinkType.Raw:
    case LinkType.RawOpenBsd:
    case LinkType.RawBsdi: {
      return decodeIpByVersion(d, start, end, 0, Stop.Malformed);
    }
    case LinkType.Ipv4:
      return decodeNetwork(d, EtherType.Ipv4, start, end);
    case LinkType.Ipv6:
      return decodeNetwork(d, EtherType.Ipv6, start, end);
    default:
      // Kept out of line: the link types above are nearly every capture.
      return decodeOtherLink(d, pkt.linkType, start, end);
  }
}

/** Serial links, tunnels' carriers and capture headers of particular systems; IP or Ethernet follows each. */
function decodeOtherLink(d: DecodedPacket, linkType: number, p: number, end: number): DecodedPacket {
  const b = d.bytes;
  switch (linkType) {
    case LinkType.Ppp:
    case LinkType.PppHdlc:
      if (end - p < 1) return halt(d, 0, Stop.Truncated);
      if (b[p] === CHDLC_UNICAST || b[p] === CHDLC_BROADCAST) return decodeCiscoHdlc(d, p, end);
      return decodePpp(d, p, end, 0);
    case LinkType.CiscoHdlc:
      return decodeCiscoHdlc(d, p, end);
    case LinkType.FrameRelay:
      return decodeFrameRelay(d, p, end);
    case LinkType.ArcnetLinux: {
      if (end - p < ARCNET_LINUX_HEADER_LEN) return halt(d, 0, Stop.Truncated);
      const type = b[p + ARCNET_LINUX_TYPE]!;
      const len = arcnetShortHeader(type) ? ARCNET_LINUX_HEADER_LEN : ARCNET_LINUX_SPLIT_HEADER_LEN;
      if (end - p < len) return halt(d, 0, Stop.Truncated);
      if (type === ArcnetType.Ipv4 || type === ArcnetType.Ipv4Old) return decodeNetwork(d, EtherType.Ipv4, p + len, end);
      if (type === ArcnetType.Ipv6) return decodeNetwork(d, EtherType.Ipv6, p + len, end);
      if (type === ArcnetType.Arp || type === ArcnetType.ArpOld) return decodeNetwork(d, EtherType.Arp, p + len, end);
      return halt(d, 0, Stop.Unsupported);
    }
    case LinkType.Ipnet: {
      if (end - p < IPNET_HEADER_LEN) return halt(d, 0, Stop.Truncated);
      const family = ipnetFamily(b, p);
      if (family === IpnetFamily.Ipv4) return decodeNetwork(d, EtherType.Ipv4, p + IPNET_HEADER_LEN, end);
      if (family === IpnetFamily.Ipv6) return decodeNetwork(d, EtherType.Ipv6, p + IPNET_HEADER_LEN, end);
      return halt(d, 0, Stop.Unsupported);
    }
    case LinkType.Nflog: {
      if (end - p < NFLOG_HEADER_LEN) return halt(d, 0, Stop.Truncated);
      const family = nflogFamily(b, p);
      if (nflogVersion(b, p) !== 0 || (family !== NflogFamily.Ipv4 && family !== NflogFamily.Ipv6)) return halt(d, 0, Stop.Unsupported);
      const payload = nflogPayloadOffset(b, p + NFLOG_HEADER_LEN, end);
      if (payload < 0) return halt(d, 0, payload === NFLOG_BAD_TLV ? Stop.Malformed : Stop.Truncated);
      return decodeNetwork(d, family === NflogFamily.Ipv4 ? EtherType.Ipv4 : EtherType.Ipv6, payload, end);
    }
    case LinkType.Ipoib:
      if (end - p < IPOIB_HEADER_LEN) return halt(d, 0, Stop.Truncated);
      return decodeEtherPayload(d, ipoibEtherType(b, p), p + IPOIB_HEADER_LEN, end);
    case LinkType.DsaTagBrcmPrepend:
      if (end - p < SwitchTagLength.BrcmPrepend) return halt(d, 0, Stop.Truncated);
      return decodeEthernet(d, p + SwitchTagLength.BrcmPrepend, end);
    case LinkType.DsaTagBrcm:
    case LinkType.DsaTagDsa:
    case LinkType.DsaTagEdsa: {
      // The MAC addresses, the tag, then the EtherType: not an Ethernet header the view could describe.
      const tag = linkType === LinkType.DsaTagEdsa ? SwitchTagLength.Edsa : linkType === LinkType.DsaTagDsa ? SwitchTagLength.Dsa : SwitchTagLength.Brcm;
      const typeAt = p + SWITCH_TAG_OFFSET + tag;
      if (end - typeAt < 2) return halt(d, 0, Stop.Truncated);
      return decodeEtherPayload(d, u16(b, typeAt), typeAt + 2, end);
    }
    case LinkType.JuniperEther: {
      if (end - p < JUNIPER_MIN_HEADER_LEN) return halt(d, 0, Stop.Truncated);
      if (!juniperMagicValid(b, p)) return halt(d, 0, Stop.Malformed);
      const len = juniperHeaderLength(b, p, end);
      if (len < 0 || end - p < len) return halt(d, 0, Stop.Truncated);
      if (!juniperNoL2(b, p)) return decodeEthernet(d, p + len, end);
      return decodeIpByVersion(d, p + len + JUNIPER_NO_L2_COOKIE_LEN, end, 0, Stop.Unsupported);
    }
    default:
      return halt(d, 0, Stop.Unsupported);
  }
}

/** Cisco HDLC: address, control and an EtherType. */
function decodeCiscoHdlc(d: DecodedPacket, p: number, end: number): DecodedPacket {
  if (end - p < CHDLC_HEADER_LEN) return halt(d, 0, Stop.Truncated);
  return decodeNetwork(d, u16(d.bytes, p + CHDLC_TYPE), p + CHDLC_HEADER_LEN, end);
}

/**
 * Frame Relay: after the Q.922 address, an EtherType (Cisco's encapsulation) or the UI control
 * byte, an optional pad byte and an NLPID (RFC 2427); SNAP after the NLPID names an EtherType.
 */
function decodeFrameRelay(d: DecodedPacket, p: number, end: number): DecodedPacket {
  const b = d.bytes;
  const addressLength = q922AddressLength(b, p, end);
  if (addressLength < 0) return halt(d, 0, Stop.Truncated);
  if (addressLength === 0) return halt(d, 0, Stop.Malformed);
  let q = p + addressLength;
  if (end - q < 2) return halt(d, 0, Stop.Truncated);
  // DLCI 0 is signalling (Q.933), never Cisco's encapsulation.
  if (b[q] !== FR_CONTROL_UI && q922Dlci(b, p) !== 0) return decodeNetwork(d, u16(b, q), q + 2, end);
  q++;
  if (b[q] === FR_PAD) q++;
  if (end - q < 1) return halt(d, 0, Stop.Truncated);
  const nlpid = b[q++]!;
  if (nlpid === Nlpid.Ipv4) return decodeNetwork(d, EtherType.Ipv4, q, end);
  if (nlpid === Nlpid.Ipv6) return decodeNetwork(d, EtherType.Ipv6, q, end);
  if (nlpid === Nlpid.Ppp) return decodePpp(d, q, end, 0);
  if (nlpid === Nlpid.Snap) {
    if (end - q < SNAP_LEN) return halt(d, 0, Stop.Truncated);
    // Only the zero OUI says the protocol is an EtherType.
    if (b[q] !== 0 || b[q + 1] !== 0 || b[q + 2] !== 0) return halt(d, 0, Stop.Unsupported);
    return decodeNetwork(d, u16(b, q + 3), q + SNAP_LEN, end);
  }
  return halt(d, 0, Stop.Unsupported);
}

function halt(d: DecodedPacket, layer: number, reason: number): DecodedPacket {
  d.stop = reason;
  d.stopLayer = layer;
  return d;
}

function decodeEthernet(d: DecodedPacket, p: number, end: number): DecodedPacket {
  if (end - p < ETHERNET_HEADER_LEN) return halt(d, d.layers & LayerBit.Tunnel, Stop.Truncated);
  d.layers |= LayerBit.Ethernet;
  d.ethernet.o = p;
  return decodeEtherPayload(d, d.ethernet.etherType, p + ETHERNET_HEADER_LEN, end);
}

/** After an Ethernet or SLL header: peel VLAN tags, then the network layer. */
function decodeEtherPayload(d: DecodedPacket, type: number, p: number, end: number): DecodedPacket {
  const b = d.bytes;
  while (type === EtherType.Vlan || type === EtherType.QinQ || type === EtherType.QinQOld || type === EtherType.QinQOld2) {
    if (d.vlans.count >= MAX_VLAN_TAGS) return halt(d, LayerBit.Vlan, Stop.TooDeep);
    if (end - p < VLAN_TAG_LEN) return halt(d, LayerBit.Vlan, Stop.Truncated);
    d.vlans.push(type, b, p);
    d.layers |= LayerBit.Vlan;
    type = u16(b, p + 2);
    p += VLAN_TAG_LEN;
  }
  if (type <= 1500) {
    // An 802.3 length field: LLC/SNAP follows, which we print generically.
    d.layers |= LayerBit.Llc;
    d.networkOffset = p;
    return halt(d, LayerBit.Llc, Stop.Unsupported);
  }
  return decodeNetwork(d, type, p, end);
}

function decodeNetwork(d: DecodedPacket, type: number, p: number, end: number): DecodedPacket {
  d.etherType = type;
  d.networkOffset = p;
  if (type === EtherType.Ipv4) return decodeIpv4(d, p, end);
  if (type === EtherType.Ipv6) return decodeIpv6(d, p, end);
  if (d.followTunnels) {
    if (type === EtherType.Mpls || type === EtherType.MplsMulticast) return decodeMpls(d, p, end);
    if (type === EtherType.PppoeSession) return decodePppoeSession(d, p, end);
  }
  if (type === EtherType.Arp) {
    if (end - p < ARP_FIXED_LEN) return halt(d, LayerBit.Arp, Stop.Truncated);
    d.arp.o = p;
    d.layers |= LayerBit.Arp;
    if (end - p < d.arp.length) return halt(d, LayerBit.Arp, Stop.Truncated);
    return d;
  }
  return halt(d, 0, Stop.Unsupported);
}

function decodeIpv4(d: DecodedPacket, p: number, end: number): DecodedPacket {
  const ip = d.ipv4;
  ip.o = p;
  if (end - p < 1 || ip.version !== 4) return halt(d, LayerBit.Ipv4, end - p < 1 ? Stop.Truncated : Stop.Malformed);
  if (end - p < IPV4_MIN_HEADER_LEN) return halt(d, LayerBit.Ipv4, Stop.Truncated);
  const hl = ip.headerLength;
  if (hl < IPV4_MIN_HEADER_LEN) return halt(d, LayerBit.Ipv4, Stop.Malformed);
  let total = ip.totalLength;
  // A zero total length is what TCP segmentation offload leaves in captures taken on the sender.
  if (total === 0) total = end - p;
  if (total < hl) return halt(d, LayerBit.Ipv4, Stop.Malformed);
  d.layers |= LayerBit.Ipv4;
  d.ipVersion = 4;
  d.srcAddrOffset = ip.srcOffset;
  d.dstAddrOffset = ip.dstOffset;
  if (hl > IPV4_MIN_HEADER_LEN && p + hl <= end) {
    const dst = walkIpv4Options(d.bytes, p, hl);
    if (dst === OptionsMalformed) d.ipOptionsMalformed = true;
    else d.dstAddrOffset = dst;
  }
  d.ipPayloadLength = total - hl;
  ip.end = Math.min(p + total, end);
  if (p + hl > end) return halt(d, LayerBit.Ipv4, Stop.Truncated);
  // More-fragments bit and offset in one test: whole datagrams pay nothing more.
  if ((ip.flagsAndOffset & 0x3fff) !== 0) {
    markFragment(d, p);
    if (ip.fragmentOffset !== 0) {
      d.layers |= LayerBit.Fragment;
      d.ipProtocol = ip.protocol;
      d.transportOffset = p + hl;
      return d;
    }
  }
  return decodeTransport(d, ip.protocol, p + hl, ip.end, p + total, 0);
}

function decodeIpv6(d: DecodedPacket, p: number, end: number): DecodedPacket {
  const ip = d.ipv6;
  ip.o = p;
  if (end - p < 1 || ip.version !== 6) return halt(d, LayerBit.Ipv6, end - p < 1 ? Stop.Truncated : Stop.Malformed);
  if (end - p < IPV6_HEADER_LEN) return halt(d, LayerBit.Ipv6, Stop.Truncated);
  d.layers |= LayerBit.Ipv6;
  d.ipVersion = 6;
  d.srcAddrOffset = ip.srcOffset;
  d.dstAddrOffset = ip.dstOffset;
  let payload = ip.payloadLength;
  // Zero means a jumbogram (RFC 2675) or offload: trust what was captured.
  if (payload === 0) payload = end - p - IPV6_HEADER_LEN;
  d.ipPayloadLength = payload;
  const claimedEnd = p + IPV6_HEADER_LEN + payload;
  ip.end = Math.min(claimedEnd, end);
  const b = d.bytes;
  let next = ip.nextHeader;
  let q = p + IPV6_HEADER_LEN;
  while (next === IpProto.HopByHop || next === IpProto.Routing || next === IpProto.Fragment ||
         next === IpProto.DstOpts || next === IpProto.Mobility) {
    if (ip.extensionCount >= MAX_IPV6_EXTENSIONS) return halt(d, LayerBit.Ipv6, Stop.TooDeep);
    const len = next === IpProto.Fragment ? 8 : (b[q + 1]! + 1) * 8;
    if (q + 2 > ip.end || q + len > ip.end) return halt(d, LayerBit.Ipv6, Stop.Truncated);
    ip.extensionType[ip.extensionCount] = next;
    ip.extensionOffset[ip.extensionCount] = q;
    ip.extensionCount++;
    if (next === IpProto.Fragment) {
      ip.fragmentHeader = q;
      // An atomic fragment (offset 0, no more) is a whole datagram (RFC 8200 4.5).
      if (ip.fragmentOffset !== 0 || ip.moreFragments) markFragment(d, p);
      if (ip.fragmentOffset !== 0) {
        d.layers |= LayerBit.Fragment;
        d.ipProtocol = b[q]!;
        d.transportOffset = q + 8;
        return d;
      }
    }
    next = b[q]!;
    q += len;
  }
  return decodeTransport(d, next, q, ip.end, claimedEnd, 0);
}

/** Notes the outermost fragmented IP header, for reassembly. */
function markFragment(d: DecodedPacket, p: number): void {
  if ((d.layers & LayerBit.IpFragment) !== 0) return;
  d.layers |= LayerBit.IpFragment;
  d.fragmentIp = p;
  d.fragmentTunnels = d.tunnels.count;
}

/**
 * The upper layer at `q`. `end` bounds what we may read (captured bytes);
 * `claimedEnd` is where the IP header says the datagram ends, for lengths.
 */
function decodeTransport(d: DecodedPacket, proto: number, q: number, end: number, claimedEnd: number, ahDepth: number): DecodedPacket {
  d.ipProtocol = proto;
  d.transportOffset = q;
  switch (proto) {
    case IpProto.Tcp: {
      const t = d.tcp;
      t.o = q;
      t.end = end;
      if (end - q < TCP_MIN_HEADER_LEN) return halt(d, LayerBit.Tcp, Stop.Truncated);
      d.layers |= LayerBit.Tcp;
      const hl = t.headerLength;
      if (hl < TCP_MIN_HEADER_LEN || q + hl > claimedEnd) {
        t.payloadLength = 0;
        t.optionCount = 0;
        return halt(d, LayerBit.Tcp, Stop.Malformed);
      }
      t.payloadLength = claimedEnd - q - hl;
      t.walkOptions(end);
      if (q + hl > end) return halt(d, LayerBit.Tcp, Stop.Truncated);
      return d;
    }
    case IpProto.Udp: {
      const u = d.udp;
      u.o = q;
      u.end = end;
      if (end - q < UDP_HEADER_LEN) return halt(d, LayerBit.Udp, Stop.Truncated);
      d.layers |= LayerBit.Udp;
      // One table load per port: most datagrams are on no port the decoder opens.
      const kinds = UDP_PORT_KIND[u.srcPort]! | UDP_PORT_KIND[u.dstPort]!;
      if (kinds === 0) return d;
      if (kinds & UdpPortKind.NatT) decodeNatTraversal(d, q + UDP_HEADER_LEN, end, claimedEnd);
      else if (d.followTunnels) return decodeUdpOverlay(d, kinds & UdpPortKind.Vxlan ? VXLAN_PORT : GENEVE_PORT, q + UDP_HEADER_LEN, end);
      return d;
    }
    case IpProto.Icmp:
    case IpProto.Icmp6: {
      const m = d.icmp;
      m.o = q;
      m.end = end;
      if (end - q < 4) return halt(d, proto === IpProto.Icmp ? LayerBit.Icmp : LayerBit.Icmp6, Stop.Truncated);
      d.layers |= proto === IpProto.Icmp ? LayerBit.Icmp : LayerBit.Icmp6;
      return d;
    }
    case IpProto.Esp: {
      const e = d.esp;
      e.o = q;
      e.end = end;
      e.length = claimedEnd - q;
      if (end - q < ESP_HEADER_LEN) return halt(d, LayerBit.Esp, Stop.Truncated);
      d.layers |= LayerBit.Esp;
      return d;
    }
    case IpProto.Ah: {
      const a = d.ah;
      // Move the view only once this header is whole: after AH-in-AH, LayerBit.Ah is already set by the
      // outer header, and a view on a cut inner one would have consumers read past the capture.
      if (end - q < AH_MIN_LEN) return halt(d, LayerBit.Ah, Stop.Truncated);
      a.o = q;
      d.layers |= LayerBit.Ah;
      const hl = a.headerLength;
      if (hl < AH_MIN_LEN) return halt(d, LayerBit.Ah, Stop.Malformed);
      if (q + hl > end) return halt(d, LayerBit.Ah, Stop.Truncated);
      if (ahDepth + 1 >= MAX_AH_DEPTH) return halt(d, LayerBit.Ah, Stop.TooDeep);
      return decodeTransport(d, a.nextHeader, q + hl, end, claimedEnd, ahDepth + 1);
    }
    default:
      // Kept out of line so that the common cases above stay small enough to inline.
      return d.followTunnels ? decodeIpTunnel(d, proto, q, end) : d;
  }
}

/** GRE, IP-in-IP, 6in4 and 4in6 after an IP header; anything else is left as it is. */
function decodeIpTunnel(d: DecodedPacket, proto: number, q: number, end: number): DecodedPacket {
  if (proto === IpProto.Gre) return decodeGre(d, q, end);
  if (proto !== IpProto.IpIp && proto !== IpProto.Ipv6) return d;
  const version = proto === IpProto.IpIp ? 4 : 6;
  if (end - q < 1 || d.bytes[q]! >> 4 !== version) return d;
  if (!enterTunnel(d, TunnelKind.IpInIp, q, -1)) return d;
  return version === 4 ? decodeIpv4(d, q, end) : decodeIpv6(d, q, end);
}

/**
 * Records one more tunnel level and forgets the outer packet's layers: from
 * here on the views describe the inner packet. False (and the packet marked
 * too deep) when the nesting is past `MAX_TUNNEL_DEPTH`.
 */
function enterTunnel(d: DecodedPacket, kind: number, headerOffset: number, virtualNetwork: number): boolean {
  if (d.tunnels.count >= MAX_TUNNEL_DEPTH) {
    halt(d, LayerBit.Tunnel, Stop.TooDeep);
    return false;
  }
  d.tunnels.push(kind, headerOffset, virtualNetwork);
  // An outer fragment stays one: the datagram around the tunnel is what must be reassembled.
  d.layers = LayerBit.Tunnel | (d.layers & LayerBit.IpFragment);
  d.vlans.count = 0;
  d.etherType = -1;
  d.ipVersion = 0;
  d.ipProtocol = -1;
  d.ipv6.extensionCount = 0;
  d.ipv6.fragmentHeader = -1;
  return true;
}

/** GRE: the payload by its protocol type. A header we cannot read whole is left undecoded, as before. */
function decodeGre(d: DecodedPacket, q: number, end: number): DecodedPacket {
  const g = d.gre;
  if (end - q < GRE_MIN_HEADER_LEN) return d;
  g.o = q;
  const version = g.version;
  if ((version !== 0 && version !== 1) || (version === 0 && g.hasRouting)) return d;
  const p = q + g.headerLength;
  if (p > end) return d;
  const key = g.hasKey ? g.key : -1;
  switch (g.protocol) {
    case EtherType.Ipv4:
      return enterTunnel(d, TunnelKind.Gre, q, key) ? decodeIpv4(d, p, end) : d;
    case EtherType.Ipv6:
      return enterTunnel(d, TunnelKind.Gre, q, key) ? decodeIpv6(d, p, end) : d;
    case EtherType.TransparentEthernet:
      return enterTunnel(d, TunnelKind.Gre, q, key) ? decodeEthernet(d, p, end) : d;
    case EtherType.Mpls:
    case EtherType.MplsMulticast:
      return enterTunnel(d, TunnelKind.Gre, q, key) ? decodeMpls(d, p, end) : d;
    case EtherType.Erspan2: {
      // Without a sequence number it is type I: the mirrored frame follows GRE at once.
      if (!g.hasSequence) return enterTunnel(d, TunnelKind.Erspan, q, key) ? decodeEthernet(d, p, end) : d;
      if (end - p < ERSPAN2_HEADER_LEN) return d;
      d.erspan.o = p;
      return enterTunnel(d, TunnelKind.Erspan, q, key) ? decodeEthernet(d, p + ERSPAN2_HEADER_LEN, end) : d;
    }
    case EtherType.Erspan3: {
      if (end - p < ERSPAN3_HEADER_LEN) return d;
      const e = d.erspan;
      e.o = p;
      if (e.frameType !== 0) return d;
      const inner = p + ERSPAN3_HEADER_LEN + (e.hasSubheader ? ERSPAN3_SUBHEADER_LEN : 0);
      return enterTunnel(d, TunnelKind.Erspan, q, key) ? decodeEthernet(d, inner, end) : d;
    }
    case EtherType.Ppp:
      return enterTunnel(d, TunnelKind.Gre, q, key) ? decodePpp(d, p, end, LayerBit.Tunnel) : d;
    case EtherType.Wccp: {
      // WCCP version 2 puts a 4-byte redirect header before the datagram; version 1 does not.
      const ip = end - p >= 1 && d.bytes[p]! >> 4 === 4 ? p : p + WCCP_REDIRECT_HEADER_LEN;
      if (end - ip < 1 || d.bytes[ip]! >> 4 !== 4) return d;
      return enterTunnel(d, TunnelKind.Gre, q, key) ? decodeIpv4(d, ip, end) : d;
    }
    default:
      return d;
  }
}

/**
 * PPP, on a PPP link or inside a tunnel: the address and control bytes (or pppd's direction byte
 * in the address's place) may be there or not, the protocol may be one byte (RFC 1661 6.5).
 * `layer` is the layer bit a stop is charged to (0 on a link).
 */
function decodePpp(d: DecodedPacket, p: number, end: number, layer: number): DecodedPacket {
  const b = d.bytes;
  if (end - p >= 2 && b[p + 1] === PPP_CONTROL && (b[p] === PPP_ADDRESS || b[p] === PPPD_IN || b[p] === PPPD_OUT)) p += 2;
  if (end - p < 1) return halt(d, layer, Stop.Truncated);
  let protocol: number;
  if (b[p]! & 1) { protocol = b[p]!; p += 1; } else {
    if (end - p < 2) return halt(d, layer, Stop.Truncated);
    protocol = u16(b, p); p += 2;
  }
  const type = pppEtherType(protocol);
  if (type < 0) return halt(d, layer, Stop.Unsupported);
  return decodeNetwork(d, type, p, end);
}

/** An MPLS label stack; after its bottom, IP (explicit-null labels or the version nibble says which). */
function decodeMpls(d: DecodedPacket, p: number, end: number): DecodedPacket {
  if (end - p < MPLS_LABEL_LEN) return halt(d, d.layers & LayerBit.Tunnel, Stop.Truncated);
  if (!enterTunnel(d, TunnelKind.Mpls, p, -1)) return d;
  const b = d.bytes;
  let label = 0;
  for (let n = 0; ; n++) {
    if (n >= MAX_MPLS_LABELS) return halt(d, LayerBit.Tunnel, Stop.TooDeep);
    if (end - p < MPLS_LABEL_LEN) return halt(d, LayerBit.Tunnel, Stop.Truncated);
    label = mplsLabel(b, p);
    const bottom = mplsBottomOfStack(b, p);
    p += MPLS_LABEL_LEN;
    if (bottom) break;
  }
  if (label === 0) return decodeNetwork(d, EtherType.Ipv4, p, end);
  if (label === 2) return decodeNetwork(d, EtherType.Ipv6, p, end);
  // Otherwise a pseudowire (control word, Ethernet...) when not IP: nothing here says which.
  return decodeIpByVersion(d, p, end, LayerBit.Tunnel, Stop.Unsupported);
}

/** IPv4 or IPv6 by the version nibble, where nothing else says which; `notIp` is the stop otherwise. */
function decodeIpByVersion(d: DecodedPacket, p: number, end: number, layer: number, notIp: number): DecodedPacket {
  if (end - p < 1) return halt(d, layer, Stop.Truncated);
  const version = d.bytes[p]! >> 4;
  if (version === 4) return decodeNetwork(d, EtherType.Ipv4, p, end);
  if (version === 6) return decodeNetwork(d, EtherType.Ipv6, p, end);
  return halt(d, layer, notIp);
}

/** A PPPoE session frame: PPP's protocol field after the six-byte header. */
function decodePppoeSession(d: DecodedPacket, p: number, end: number): DecodedPacket {
  if (end - p < PPPOE_HEADER_LEN + 1) return halt(d, 0, Stop.Truncated);
  const s = d.pppoe;
  s.o = p;
  if (s.version !== 1 || s.type !== 1 || s.code !== 0) return halt(d, 0, Stop.Unsupported);
  // The payload ends where PPPoE's length field says, when that is inside the frame (Ethernet pads).
  const claimed = p + PPPOE_HEADER_LEN + s.length;
  const inner = claimed < end ? claimed : end;
  // PPP protocol-field compression (RFC 1661 6.5): an odd first byte is the whole, one-byte field.
  const b = d.bytes;
  const first = b[p + PPPOE_HEADER_LEN]!;
  const compressed = (first & 1) === 1;
  if (!compressed && end - p < PPPOE_HEADER_LEN + 2) return halt(d, 0, Stop.Truncated);
  const protocol = compressed ? first : u16(b, p + PPPOE_HEADER_LEN);
  if (protocol !== PppProtocol.Ipv4 && protocol !== PppProtocol.Ipv6) return halt(d, 0, Stop.Unsupported);
  if (!enterTunnel(d, TunnelKind.Pppoe, p, -1)) return d;
  const payload = p + PPPOE_HEADER_LEN + (compressed ? 1 : 2);
  return decodeNetwork(d, protocol === PppProtocol.Ipv4 ? EtherType.Ipv4 : EtherType.Ipv6, payload, inner);
}

/** VXLAN and Geneve on their UDP ports: an overlay's inner frame, keyed by its VNI. */
function decodeUdpOverlay(d: DecodedPacket, port: number, p: number, end: number): DecodedPacket {
  if (port === VXLAN_PORT) {
    if (end - p < VXLAN_HEADER_LEN) return d;
    const v = d.vxlan;
    v.o = p;
    if (!v.vniValid) return d;
    return enterTunnel(d, TunnelKind.Vxlan, p, v.vni) ? decodeEthernet(d, p + VXLAN_HEADER_LEN, end) : d;
  }
  if (end - p < GENEVE_MIN_HEADER_LEN) return d;
  const g = d.geneve;
  g.o = p;
  if (g.version !== 0 || p + g.headerLength > end) return d;
  const inner = p + g.headerLength;
  const protocol = g.protocol;
  if (protocol === EtherType.TransparentEthernet) {
    return enterTunnel(d, TunnelKind.Geneve, p, g.vni) ? decodeEthernet(d, inner, end) : d;
  }
  if (protocol === EtherType.Ipv4 || protocol === EtherType.Ipv6) {
    return enterTunnel(d, TunnelKind.Geneve, p, g.vni) ? decodeNetwork(d, protocol, inner, end) : d;
  }
  return d;
}

/** UDP 4500 carries IKE (behind a zero marker), NAT keepalives, or ESP (RFC 3948). */
function decodeNatTraversal(d: DecodedPacket, p: number, end: number, claimedEnd: number): void {
  const b = d.bytes;
  const claimed = claimedEnd - p;
  if (claimed === 1 && end - p >= 1 && b[p] === 0xff) {
    d.layers |= LayerBit.NatKeepalive;
    return;
  }
  if (end - p < 4) return;
  if (u32(b, p) === 0) {
    d.layers |= LayerBit.IkeNonEsp;
    return;
  }
  if (end - p < ESP_HEADER_LEN) return;
  const e = d.esp;
  e.o = p;
  e.end = end;
  e.length = claimed;
  d.layers |= LayerBit.Esp | LayerBit.EspInUdp;
}
