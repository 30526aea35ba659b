/**
 * Which packets the line printer renders exactly as tcpdump 4.99 -nn does,
 * decided from our own decode. Everything else still gets a line (generic
 * where tcpdump has a dissector we do not reproduce); this is what the
 * oracle tests compare, and why a packet is left out is named.
 */
import { decodePacket } from '../../decode/decode.js';
import { DecodedPacket } from '../../decode/decoded-packet.js';
import type { PacketRecord } from '../../source/packet-record.js';
import { Layer, Stop } from '../../decode/layers.js';
import { TunnelKind } from '../../decode/tunnel.js';
import { linesPrintTcpApp, linesPrintUdpApp, tcpdumpDissectsTcp, tcpdumpDissectsUdp, tcpdumpTcpDissector, tcpdumpUdpDissector, tcpdumpUdpIsSip } from './app-ports.js';
import { l2tpPppOffset } from './l2tp.js';
import { NAT_T_PORT } from '../../decode/esp.js';
import { ICMP6_TYPES_NOT_DISSECTED } from './icmp6.js';
import { IGMP_TYPES_NOT_DISSECTED } from './igmp.js';
import { udpClaimedBeforeOverlays } from './overlay.js';
import { pppProtocolPrinted } from './ppp.js';
import { isoNlpidPrinted } from './isoclns.js';
import { ethertypePrintedExactly } from './link.js';
import { llcReason } from './llc.js';
import { ieee80211LlcOffset, prismFrameOffset } from './ieee80211.js';
import { radiotapLayout } from './radiotap.js';
import { PRINTED_LINK_TYPES } from './line-printer.js';

import { isForcesPort } from './sctp.js';
import { tcpAppPrintedExactly } from './tcp-apps.js';
import { TCP_TEXT_PROTOCOLS } from './txtproto.js';
import { udpAppPrintedExactly } from './udp.js';

export interface ScopeOptions {
  quiet?: boolean;
  verbose?: number;
}

const EXACT_LINK_TYPES = new Set([0, 1, 9, 101, 104, 108, 113, 228, 229, 276]);
/** Link types judged by what they carry as the printer reads it (`carrierReason`), not by the decoder's view. */
const CARRIER_LINK_TYPES = new Set([105, 107, 119, 127, 129, 163, 192, 226, 239, 242, 281, 282, 284, 285]);

/** null when the line is exact, else why it is not. */
export function outOfScopeReason(d: DecodedPacket, opts: ScopeOptions = {}): string | null {
  const pkt = d.pkt;
  if (!pkt) return 'no packet';
  if (CARRIER_LINK_TYPES.has(pkt.linkType)) return carrierReason(pkt, opts);
  if (!EXACT_LINK_TYPES.has(pkt.linkType)) return 'link type ' + pkt.linkType;
  // Judged from their own headers, before the decoder's view of what they carry (MPLS in them is a tunnel to it).
  if (pkt.linkType === 9 || pkt.linkType === 104) return serialLinkReason(pkt, opts);
  if (d.has(Layer.Llc)) {
    // LLC after an SLL header is printed generically; after an Ethernet header as tcpdump does.
    if ((d.has(Layer.Sll) || d.has(Layer.Sll2)) && d.tunnels.count === 0) return '802.2 LLC in SLL';
    return llcReason(d.bytes, d.networkOffset, d.captureEnd, opts.verbose ?? 0);
  }
  if (d.tunnels.count > 0 || d.stopLayer === Layer.Tunnel) {
    const why = tunnelReason(d);
    if (why !== undefined) return why;
  }
  if ((pkt.linkType === 228 || pkt.linkType === 229) && d.ipVersion === 0 && pkt.caplen > 0) {
    // tcpdump goes by the version nibble, whatever the link type says; so do we, but the decoder does not.
    const v = pkt.bytes[pkt.offset]! >> 4;
    if (v !== (pkt.linkType === 228 ? 4 : 6)) return 'IP version does not match the link type';
  }
  if (d.has(Layer.Sll) || d.has(Layer.Sll2)) {
    if (d.sll.hardwareType === 803) return 'radiotap in SLL';
  }
  if (d.has(Layer.Loopback) && d.loopbackFamily === 10) return 'loopback AF 10';
  if (d.ipVersion === 0 && !d.has(Layer.Arp)) {
    const t = d.etherType;
    if (t === -1) {
      const f = d.loopbackFamily;
      return d.has(Layer.Loopback) && (f === 7 || f === 16 || f === 23) ? 'loopback family ' + f : null;
    }
    if (t === 0x8863 || t === 0x3c12 || t === 0x8847 || t === 0x8848) return null;
    if (t === 0x8864 || t === 0x3c13) return pppoeSessionReason(d, opts);
    // An ethertype tcpdump does not know is printed exactly (header and hex dump); one it dissects is not.
    if (!ethertypePrintedExactly(t, d.bytes, d.networkOffset, d.captureEnd, opts.verbose ?? 0)) return 'ethertype 0x' + t.toString(16);
    return null;
  }
  if (d.has(Layer.Arp)) {
    const hw = d.arp.hardwareType;
    return hw === 19 || hw === 15 ? 'ATM/Frame Relay ARP' : null;
  }
  if (d.has(Layer.Fragment)) return null;
  const proto = d.ipProtocol;
  switch (proto) {
    case -1:
      return null;
    case 6:
      if (!d.has(Layer.Tcp)) return null;
      if (!opts.quiet && tcpdumpDissectsTcp(d.tcp.srcPort, d.tcp.dstPort, d.tcp.payloadLength) &&
          !linesPrintTcpApp(d.tcp.srcPort, d.tcp.dstPort)) {
        const app = tcpdumpTcpDissector(d.tcp.srcPort, d.tcp.dstPort) ?? '';
        if (app !== 'telnet' && app !== 'nfs' && !TCP_TEXT_PROTOCOLS.has(app) && !tcpAppPrintedExactly(app, opts.verbose ?? 0)) return 'TCP application port ' + Math.min(d.tcp.srcPort, d.tcp.dstPort);
      }
      return null;
    case 17: {
      if (!d.has(Layer.Udp)) return null;
      if (opts.quiet) return null;
      if (d.has(Layer.IkeNonEsp) && (opts.verbose ?? 0) > 0) return 'IKE on port 4500 (-v)';
      const u = d.udp;
      const first = u.payloadOffset < d.captureEnd ? d.bytes[u.payloadOffset]! : -1;
      if (tcpdumpDissectsUdp(u.srcPort, u.dstPort, first) && !linesPrintUdpApp(u.srcPort, u.dstPort) && !tcpdumpUdpIsSip(u.srcPort, u.dstPort)) {
        const p = u.payloadOffset, rpcDirection = p + 8 <= d.captureEnd ? ((d.bytes[p + 4]! << 24) | (d.bytes[p + 5]! << 16) | (d.bytes[p + 6]! << 8) | d.bytes[p + 7]!) >>> 0 : -1;
        if (!udpAppPrintedExactly(u.srcPort, u.dstPort, first, rpcDirection, opts.verbose ?? 0)) return 'UDP application port ' + Math.min(u.srcPort, u.dstPort);
        if (tcpdumpUdpDissector(u.srcPort, u.dstPort, first, rpcDirection) === 'l2tp') {
          // An L2TP data message: the PPP frame inside decides.
          const ppp = l2tpPppOffset(d.bytes, p, d.captureEnd);
          if (ppp >= 0) return pppReason(pkt, ppp, opts);
        }
        if (tcpdumpUdpDissector(u.srcPort, u.dstPort, first, rpcDirection) === 'otv') {
          // The decoder does not enter OTV: the Ethernet frame inside is judged as its own capture.
          return u.payloadOffset + 8 < d.captureEnd ? innerCaptureReason(pkt, u.payloadOffset + 8, 1, opts) : null;
        }
      }
      return null;
    }
    case 1:
      if (d.has(Layer.Icmp) && (opts.verbose ?? 0) > 0) {
        const t = d.icmp.type;
        if ((t === 3 || t === 11 || t === 12) && d.ipPayloadLength > 136) return 'ICMP multi-part extensions (-v)';
        if (t === 3 || t === 4 || t === 5 || t === 11 || t === 12) {
          const why = embeddedDatagramReason(d, d.icmp.o + 8, opts);
          if (why) return why;
        }
      }
      return null;
    case 58:
      if (d.has(Layer.Icmp6)) {
        const t = d.icmp.type;
        if (ICMP6_TYPES_NOT_DISSECTED.has(t)) return 'ICMPv6 type ' + t;
        if ((opts.verbose ?? 0) > 0 && t >= 133 && t <= 137) return 'ICMPv6 neighbour discovery options (-v)';
        if ((opts.verbose ?? 0) > 0 && (t === 143 || t === 130)) return 'MLDv2 records (-v)';
      }
      return null;
    case 50: case 51: case 33: case 113:
      return null;
    case 47:
      return greNotFollowedReason(d);
    case 2: {
      const at = d.networkOffset + d.ipv4.headerLength;
      const type = d.ipVersion === 4 && at < d.captureEnd ? d.bytes[at]! : -1;
      return IGMP_TYPES_NOT_DISSECTED.has(type) ? 'IGMP type 0x' + type.toString(16) : null;
    }
    case 103: case 89: case 88:
      return (opts.verbose ?? 0) > 0 ? 'IP protocol ' + proto + ' (-v)' : null;
    case 112:
      return (opts.verbose ?? 0) > 1 ? 'IP protocol ' + proto + ' (-vv)' : null;
    case 132:
      return sctpReason(d, opts);
    default:
      return 'IP protocol ' + proto;
  }
}

/** SCTP is exact below -vv, except DATA to or from a ForCES channel, whose TLVs are not walked. */
function sctpReason(d: DecodedPacket, opts: ScopeOptions): string | null {
  if ((opts.verbose ?? 0) > 1) return 'SCTP payloads (-vv)';
  const at = d.transportOffset;
  if (at < 0 || at + 4 > d.captureEnd) return null;
  const b = d.bytes, sport = (b[at]! << 8) | b[at + 1]!, dport = (b[at + 2]! << 8) | b[at + 3]!;
  return isForcesPort(sport) || isForcesPort(dport) ? 'ForCES in SCTP' : null;
}

/** -v prints the datagram an ICMP error quotes; it is exact unless that is itself out of scope. */
function embeddedDatagramReason(d: DecodedPacket, ip: number, opts: ScopeOptions): string | null {
  const b = d.bytes, end = d.captureEnd;
  if (ip + 20 > end || b[ip]! >> 4 !== 4) return null;
  const proto = b[ip + 9]!;
  const hl = (b[ip]! & 0x0f) * 4;
  const fragmented = (((b[ip + 6]! << 8) | b[ip + 7]!) & 0x1fff) !== 0;
  if (fragmented) return null;
  const t = ip + hl;
  if (proto === 17 && t + 4 <= end && !opts.quiet) {
    const sport = (b[t]! << 8) | b[t + 1]!, dport = (b[t + 2]! << 8) | b[t + 3]!;
    if (sport === NAT_T_PORT || dport === NAT_T_PORT || tcpdumpDissectsUdp(sport, dport, t + 8 < end ? b[t + 8]! : -1)) return 'ICMP quoting an application datagram (-v)';
  }
  if (proto === 6 && t + 4 <= end && !opts.quiet) {
    const sport = (b[t]! << 8) | b[t + 1]!, dport = (b[t + 2]! << 8) | b[t + 3]!;
    const total = (b[ip + 2]! << 8) | b[ip + 3]!;
    const thl = t + 12 < end ? (b[t + 12]! >> 4) * 4 : 20;
    if (tcpdumpDissectsTcp(sport, dport, total - hl - thl)) return 'ICMP quoting an application segment (-v)';
  }
  if (proto !== 6 && proto !== 17 && proto !== 1 && proto !== 50 && proto !== 51) return 'ICMP quoting IP protocol ' + proto + ' (-v)';
  return null;
}

/**
 * Tunnels, outermost first: null when tcpdump's line ends inside one (GRE
 * carrying ERSPAN or PPP, which tcpdump 4.99 shows as "gre-proto-0x88be"),
 * a reason when a level is not printed exactly, undefined when the inner
 * packet decides.
 */
function tunnelReason(d: DecodedPacket): string | null | undefined {
  const t = d.tunnels, b = d.bytes, end = d.captureEnd;
  for (let i = 0; i < t.count; i++) {
    const at = t.headerOffset[i]!;
    switch (t.kind[i]) {
      case TunnelKind.Erspan:
        return null;
      case TunnelKind.Gre: {
        const why = greReason(b, at, end);
        if (why !== undefined) return why;
        break;
      }
      case TunnelKind.Vxlan: case TunnelKind.Geneve: {
        const sport = (b[at - 8]! << 8) | b[at - 7]!, dport = (b[at - 6]! << 8) | b[at - 5]!;
        if (udpClaimedBeforeOverlays(sport, dport)) return 'UDP application port ' + Math.min(sport, dport);
        break;
      }
    }
  }
  if (d.stop === Stop.TooDeep) return 'tunnels nested too deep';
  if (d.stopLayer === Layer.Tunnel && d.stop === Stop.Unsupported) {
    const innermost = t.count > 0 ? t.kind[t.count - 1] : 0;
    // An MPLS payload neither label nor first byte names is hex-dumped by both.
    return innermost === TunnelKind.Mpls ? null : 'unsupported payload inside a tunnel';
  }
  return undefined;
}

/**
 * A PPPoE session the decoder did not enter (LCP, IPCP, CHAP, or IP behind a
 * compressed protocol field): exact for what PPP prints here, IP judged as
 * raw IP at its offset.
 */
function pppoeSessionReason(d: DecodedPacket, opts: ScopeOptions): string | null {
  const pkt = d.pkt!, b = d.bytes, at = d.networkOffset + 6;
  if (at + 2 > d.captureEnd || b[d.networkOffset + 1] !== 0) return null;
  return pppReason(pkt, at, opts);
}

/** After PPP's optional address and control bytes and its protocol field. */
function pppReason(pkt: PacketRecord, at: number, opts: ScopeOptions): string | null {
  const b = pkt.bytes, end = pkt.offset + pkt.caplen;
  if (at + 2 > end) return null;
  const header = (b[at]! << 8) | b[at + 1]!;
  if (header === 0x0003 || header === 0x0103 || header === 0xff03) at += 2;
  if (at + 2 > end) return null;
  const compressed = (b[at]! & 1) !== 0;
  const proto = compressed ? b[at]! : (b[at]! << 8) | b[at + 1]!;
  at += compressed ? 1 : 2;
  if (proto === 0x0021 || proto === 0x002f || proto === 0x0800 || proto === 0x0057 || proto === 0x86dd) return rawIpReason(pkt, at, opts);
  if (proto === 0x0281 || proto === 0x0283) return 'MPLS in PPP';
  return pppProtocolPrinted(proto, opts.verbose ?? 0) ? null : 'PPP protocol 0x' + proto.toString(16);
}

/** An IP packet the decoder did not reach, judged as if it were a raw IP capture. */
function rawIpReason(pkt: PacketRecord, at: number, opts: ScopeOptions): string | null {
  if (at - pkt.offset >= pkt.caplen) return null;
  return innerCaptureReason(pkt, at, pkt.bytes[at]! >> 4 === 6 ? 229 : 228, opts);
}

/** What starts at `at` (captured), judged as a capture of `linkType` of its own. */
function innerCaptureReason(pkt: PacketRecord, at: number, linkType: number, opts: ScopeOptions): string | null {
  const skip = at - pkt.offset;
  const inner: PacketRecord = { ...pkt, offset: at, caplen: pkt.caplen - skip, origLen: Math.max(0, pkt.origLen - skip), linkType };
  return outOfScopeReason(decodePacket(inner, new DecodedPacket()), opts);
}

/**
 * Frame Relay, ARCNET, Solaris ipnet, NFLOG, IPoIB and Ethernet behind a
 * switch's tag (DSA, EDSA, Broadcom): IP inside is judged as
 * a raw IP capture; what tcpdump only hex-dumps is exact; the rest is named.
 */
function carrierReason(pkt: PacketRecord, opts: ScopeOptions): string | null {
  const b = pkt.bytes, o = pkt.offset, end = o + pkt.caplen;
  switch (pkt.linkType) {
    case 105: case 119: case 127: case 163:
      return wirelessReason(pkt, opts);
    case 192: {
      // PPI: the frame after it is judged as a capture of the link type it names.
      if (pkt.caplen < 8) return null;
      const len = b[o + 2]! | (b[o + 3]! << 8), lt = (b[o + 4]! | (b[o + 5]! << 8) | (b[o + 6]! << 16) | (b[o + 7]! << 24)) >>> 0;
      if (len < 8 || len > pkt.caplen) return null;
      if (!PRINTED_LINK_TYPES.has(lt) || lt === 192) return 'PPI link type ' + lt;
      const inner: PacketRecord = { ...pkt, offset: o + len, caplen: pkt.caplen - len, origLen: pkt.origLen - len, linkType: lt };
      return outOfScopeReason(decodePacket(inner, new DecodedPacket()), opts);
    }
    case 242: {
      if (pkt.caplen < 44) return null;
      const type = (b[o + 40]! << 8) | b[o + 41]!;
      return type === 0x0800 || type === 0x86dd ? rawIpReason(pkt, o + 44, opts) : 'IPoIB ethertype 0x' + type.toString(16);
    }
    case 281: case 282: case 284: case 285: {
      const ethernet = pkt.linkType === 282 ? o + 4 : o;
      const typeAt = ethernet + 12 + (pkt.linkType === 285 ? 8 : 4) - (pkt.linkType === 282 ? 4 : 0);
      if (typeAt + 2 > end) return null;
      const type = (b[typeAt]! << 8) | b[typeAt + 1]!;
      if (type === 0x0800 || type === 0x86dd) return rawIpReason(pkt, typeAt + 2, opts);
      return type === 0x0806 ? null : 'ethertype 0x' + type.toString(16) + ' behind a switch tag';
    }
    case 226:
      if (pkt.caplen < 24) return null;
      return b[o + 1] === 2 || b[o + 1] === 26 ? rawIpReason(pkt, o + 24, opts) : null;
    case 129: {
      if (pkt.caplen < 8) return null;
      const code = b[o + 4]!;
      if (code === 240) return rawIpReason(pkt, o + 5, opts);
      if (code === 212 || code === 0xc4) return rawIpReason(pkt, o + 8, opts);
      // AppleTalk: only a DDP header cut short is printed as tcpdump does.
      if (code === 221 && pkt.caplen >= 8 + 13 && pkt.origLen >= 8 + 13) return 'AppleTalk DDP over ARCNET';
      return null;
    }
    case 239: {
      if (pkt.caplen < 4 || b[o + 1] !== 0 || (b[o] !== 2 && b[o] !== 10)) return null;
      // The payload TLV (type 9) among TLVs in the capturing host's (little-endian) order.
      for (let at = o + 4; at + 4 <= end;) {
        let size = b[at]! | (b[at + 1]! << 8);
        if (size % 4) size += 4 - (size % 4);
        if (size < 4) return null;
        if ((b[at + 2]! | (b[at + 3]! << 8)) === 9) return rawIpReason(pkt, at + 4, opts);
        at += size;
      }
      return null;
    }
    default: {
      // Frame Relay with the usual 2-byte Q.922 address.
      if (pkt.caplen < 4 || (b[o]! & 1) || !(b[o + 1]! & 1)) return 'Frame Relay address';
      if (b[o + 2] !== 0x03) {
        const type = (b[o + 2]! << 8) | b[o + 3]!;
        return type === 0x0800 || type === 0x86dd ? rawIpReason(pkt, o + 4, opts) : 'Frame Relay ethertype 0x' + type.toString(16);
      }
      const nlpidAt = b[o + 3] === 0 ? o + 4 : o + 3;
      if (nlpidAt >= end) return null;
      const nlpid = b[nlpidAt]!;
      return nlpid === 0xcc || nlpid === 0x8e ? rawIpReason(pkt, nlpidAt + 1, opts) : 'Frame Relay NLPID 0x' + nlpid.toString(16);
    }
  }
}

/** 802.11 (bare, radiotap, Prism, AVS): exact but for what an unencrypted data frame's LLC carries. */
function wirelessReason(pkt: PacketRecord, opts: ScopeOptions): string | null {
  const b = pkt.bytes, o = pkt.offset;
  let end = o + pkt.caplen, frame = o, pad = false, fcs = 0;
  if (pkt.linkType === 127) {
    const radiotap = radiotapLayout(b, o, pkt.caplen);
    if (!radiotap) return null;
    frame = o + radiotap.length;
    if (radiotap.flags > 0) {
      pad = (radiotap.flags & 0x20) !== 0;
      // A captured FCS is kept out of the frame's printers.
      if (radiotap.flags & 0x10) { fcs = 4; end = Math.min(end, o + pkt.origLen - 4); }
    }
  } else if (pkt.linkType !== 105) {
    frame = prismFrameOffset(b, o, pkt.caplen, pkt.linkType === 163);
    if (frame < 0) return null;
  }
  const llc = ieee80211LlcOffset(b, frame, end, pad);
  if (llc < 0) return null;
  if (llc + 8 <= end && b[llc] === 0xaa && b[llc + 1] === 0xaa && b[llc + 2] === 0x03 && b[llc + 3] === 0 && b[llc + 4] === 0 && b[llc + 5] === 0) {
    const type = (b[llc + 6]! << 8) | b[llc + 7]!;
    if (type === 0x0800 || type === 0x86dd) {
      return rawIpReason({ ...pkt, caplen: end - o, origLen: pkt.origLen - fcs }, llc + 8, opts);
    }
  }
  return llcReason(b, llc, end, opts.verbose ?? 0);
}

/** PPP and Cisco HDLC link types: judged from their headers, as the printer reads them. */
function serialLinkReason(pkt: PacketRecord, opts: ScopeOptions): string | null {
  const b = pkt.bytes, o = pkt.offset;
  if (pkt.caplen < 4) return null;
  if (pkt.linkType === 9) return pppReason(pkt, o, opts);
  const proto = (b[o + 2]! << 8) | b[o + 3]!;
  if (proto === 0x0800 || proto === 0x86dd) return rawIpReason(pkt, o + 4, opts);
  if (proto === 0x8847 || proto === 0x8848) return 'MPLS in Cisco HDLC';
  if (proto !== 0xfefe || pkt.caplen < 6) return null;
  // A padding byte may stand before the NLPID (print-chdlc.c looks one byte on).
  const second = b[o + 5]!;
  const nlpid = second === 0x81 || second === 0x82 || second === 0x83 ? second : b[o + 4]!;
  return isoNlpidPrinted(nlpid, opts.verbose ?? 0) ? null : 'OSI NLPID 0x' + nlpid.toString(16) + ' in Cisco HDLC';
}

/**
 * What tcpdump prints after a GRE header: null when its line ends there (ERSPAN, PPP in
 * version 0, unknown versions), a reason for payloads it dissects and we do not,
 * undefined when the payload follows.
 */
function greReason(b: Uint8Array, at: number, end: number): string | null | undefined {
  if (at + 4 > end) return null;
  const version = b[at + 1]! & 7, proto = (b[at + 2]! << 8) | b[at + 3]!;
  if (version === 1) return proto === 0x880b && (b[at]! & 0x10) !== 0 ? undefined : null;
  if (version !== 0) return null;
  if (proto === 0x0800 || proto === 0x86dd || proto === 0x8847 || proto === 0x6558) return undefined;
  return proto === 0x8137 || proto === 0x809b || proto === 0x00fe ? 'GRE protocol 0x' + proto.toString(16) : null;
}

/** GRE the decoder did not enter (source routes, a truncated header, PPP it could not read). */
function greNotFollowedReason(d: DecodedPacket): string | null {
  if (d.ipVersion !== 4) return 'GRE after IPv6 extension headers';
  const why = greReason(d.bytes, d.networkOffset + d.ipv4.headerLength, d.captureEnd);
  return why === undefined ? 'GRE payload not decoded' : why;
}
