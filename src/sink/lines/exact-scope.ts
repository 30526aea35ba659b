/**
 * Which packets the line printer renders exactly as tcpdump 4.99 -nn does,
 * decided from our own decode. Everything else still gets a line (generic
 * where tcpdump has a dissector we do not reproduce); this is what the
 * oracle tests compare, and why a packet is left out is named.
 */
import type { DecodedPacket } from '../../decode/decoded-packet.js';
import { NAT_T_PORT } from '../../decode/esp.js';
import { Layer } from '../../decode/layers.js';
import { tcpdumpDissectsTcp, tcpdumpDissectsUdp } from './app-ports.js';
import { ICMP6_TYPES_NOT_DISSECTED } from './icmp6.js';
import { ETHERTYPES_TCPDUMP_DISSECTS } from './text-tables.js';

export interface ScopeOptions {
  quiet?: boolean;
  verbose?: number;
}

const EXACT_LINK_TYPES = new Set([0, 1, 101, 108, 113, 228, 229, 276]);
const MPTCP_OPTION = 30;

/** null when the line is exact, else why it is not. */
export function outOfScopeReason(d: DecodedPacket, opts: ScopeOptions = {}): string | null {
  const pkt = d.pkt;
  if (!pkt) return 'no packet';
  if (!EXACT_LINK_TYPES.has(pkt.linkType)) return 'link type ' + pkt.linkType;
  if (d.has(Layer.Llc)) return '802.3/LLC';
  // The printers do not yet print inside tunnels (tcpdump does): the analyzers see in, the lines do not.
  if (d.tunnels.count > 0 || d.stopLayer === Layer.Tunnel) return 'inside a tunnel';
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
    // An ethertype tcpdump does not know is printed exactly (header and hex dump); one it dissects is not.
    if (t !== 0x0800 && t !== 0x86dd && t !== 0x0806 && ETHERTYPES_TCPDUMP_DISSECTS.has(t)) return 'ethertype 0x' + t.toString(16);
    return null;
  }
  if (d.has(Layer.Arp)) {
    const hw = d.arp.hardwareType;
    return hw === 19 || hw === 15 ? 'ATM/Frame Relay ARP' : null;
  }
  if (d.ipVersion === 6) {
    for (let i = 0; i < d.ipv6.extensionCount; i++) {
      const t = d.ipv6.extensionType[i];
      if (t === 135) return 'IPv6 mobility header';
    }
  }
  if (d.has(Layer.Fragment)) return null;
  const proto = d.ipProtocol;
  switch (proto) {
    case -1:
      return null;
    case 6:
      if (!d.has(Layer.Tcp)) return null;
      if (!opts.quiet && tcpdumpDissectsTcp(d.tcp.srcPort, d.tcp.dstPort, d.tcp.payloadLength)) {
        return 'TCP application port ' + Math.min(d.tcp.srcPort, d.tcp.dstPort);
      }
      for (let i = 0; i < d.tcp.optionCount; i++) if (d.tcp.optionKind[i] === MPTCP_OPTION) return 'MPTCP option';
      return null;
    case 17: {
      if (!d.has(Layer.Udp)) return null;
      if (opts.quiet) return null;
      if (d.has(Layer.IkeNonEsp)) return 'IKE on port 4500';
      const u = d.udp;
      const first = u.payloadOffset < d.captureEnd ? d.bytes[u.payloadOffset]! : -1;
      if (tcpdumpDissectsUdp(u.srcPort, u.dstPort, first)) return 'UDP application port ' + Math.min(u.srcPort, u.dstPort);
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
    case 50: case 51:
      return null;
    default:
      return 'IP protocol ' + proto;
  }
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
