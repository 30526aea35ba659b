/**
 * JSON lines: one object per packet with every field the decoders found.
 * Numbers are numbers, addresses are strings, and keys always come in the
 * order below (absent layers are left out, never null), so the output can be
 * diffed and queried with jq. Built by concatenation, not JSON.stringify of a
 * fresh object graph, to keep the per-packet cost to the string itself.
 *
 * Shape (schema version 1; keys in this order):
 *
 *   frame        1-based packet number
 *   time         seconds since the epoch, float (microsecond precision)
 *   ts_sec, ts_nsec   the exact timestamp
 *   caplen, len  captured and wire length
 *   linktype     LINKTYPE_* number
 *   eth          {src, dst, type}                     Ethernet
 *   vlan         [{tpid, id, pcp, dei}, ...]          802.1Q/802.1ad tags, outermost first
 *   sll          {version, packet_type, hatype, addr, protocol, ifindex}   Linux cooked v1/v2
 *   loopback     {family}                             BSD/OpenBSD loopback
 *   llc          true                                 an 802.3 length field (LLC follows, not decoded)
 *   arp          {htype, ptype, op, sha, spa, tha, tpa}
 *   ip           {version:4, hl, tos, len, id, flags, df, mf, frag_offset, ttl, proto, checksum, src, dst}
 *   ipv6         {version:6, tclass, flow, plen, next_header, hlim, src, dst,
 *                 ext:[{type, name, offset}], frag?:{offset, more, id}}
 *   fragment     true                                 a later fragment: no transport header
 *   ah           {next_header, len, spi, seq}
 *   tcp          {sport, dport, seq, ack, hl, flags, flag_bits, win, checksum, urg, payload_len,
 *                 options:[{kind, name, ...values}]}  flags as tcpdump letters ("S.", "P.", "none")
 *   udp          {sport, dport, len, checksum}
 *   icmp / icmp6 {type, code, checksum[, id, seq]}    id/seq for echo request/reply
 *   esp          {spi, seq, length, in_udp[, decryption]}   decryption: with ESP keys, what became of
 *                                                    this ESP ("decrypted", "no key", "ICV check failed", ...)
 *   decrypted    {next_header, icv_verified, padding_valid, ...}   with ESP keys, when the ESP decrypted: the
 *                 plaintext's layers with the keys above, from ip/ipv6 to stop (an "esp" inside has its own
 *                 "decrypted"). Transport mode has the IP header a receiver rebuilds from the outer one.
 *                 icv_verified: an integrity key or GCM checked it; padding_valid: RFC 4303's 1, 2, 3...
 *                 padding, a hint the key is right when nothing checked it. Keys are never printed.
 *   nat_keepalive true                                UDP 4500 one-byte 0xff
 *   ike          true                                 IKE behind the non-ESP marker on UDP 4500
 *   truncated, malformed   booleans, always present
 *   stop         {reason, layer}                      only when decoding stopped early
 *   tunnels      [{kind, vni?}, ...]                  only for a packet inside tunnels, outermost first:
 *                                                    kind gre, erspan, vxlan, geneve, ip-in-ip, mpls or
 *                                                    pppoe; vni the VXLAN/Geneve network or GRE key, when set
 *   inner        {...}                                with tunnels: the innermost packet's layers, with
 *                                                    the keys above from eth (or ip) to stop
 */
import { ipv4Text, ipv6Text, linkAddrText, macText } from './lines/addresses.js';
import { DecryptStatus, decryptStatusText } from '../analyze/esp/decrypt.js';
import type { EspUnwrapper } from '../analyze/esp/unwrap.js';
import type { DecodedPacket } from '../decode/decoded-packet.js';
import { Layer, Stop, stopReasonText } from '../decode/layers.js';
import { TunnelKind } from '../decode/tunnel.js';

export const JSON_SCHEMA_VERSION = 1;

const TCP_FLAG_TEXT: readonly string[] = Array.from({ length: 256 }, (_, f) => {
  const letters = ['F', 'S', 'R', 'P', '.', 'U', 'E', 'W'];
  let s = '';
  for (let i = 0; i < 8; i++) if (f & (1 << i)) s += letters[i];
  return s === '' ? 'none' : s;
});

const TCP_OPTION_NAMES = new Map<number, string>([
  [0, 'eol'], [1, 'nop'], [2, 'mss'], [3, 'wscale'], [4, 'sackOK'], [5, 'sack'], [8, 'TS'],
  [19, 'md5'], [28, 'uto'], [29, 'tcp-ao'], [30, 'mptcp'], [34, 'tfo'], [254, 'exp'],
]);

const IPV6_EXT_NAMES = new Map<number, string>([
  [0, 'hop-by-hop'], [43, 'routing'], [44, 'fragment'], [60, 'destination'], [135, 'mobility'],
]);

const LAYER_NAMES: readonly (readonly [number, string])[] = [
  [Layer.Ethernet, 'ethernet'], [Layer.Vlan, 'vlan'], [Layer.Sll, 'sll'], [Layer.Sll2, 'sll2'],
  [Layer.Loopback, 'loopback'], [Layer.Ipv4, 'ipv4'], [Layer.Ipv6, 'ipv6'], [Layer.Arp, 'arp'],
  [Layer.Tcp, 'tcp'], [Layer.Udp, 'udp'], [Layer.Icmp, 'icmp'], [Layer.Icmp6, 'icmp6'],
  [Layer.Esp, 'esp'], [Layer.Ah, 'ah'], [Layer.Llc, 'llc'], [Layer.Tunnel, 'tunnel'],
];

const TUNNEL_KIND_NAMES: ReadonlyMap<number, string> = new Map([
  [TunnelKind.Gre, 'gre'], [TunnelKind.Erspan, 'erspan'], [TunnelKind.Vxlan, 'vxlan'], [TunnelKind.Geneve, 'geneve'],
  [TunnelKind.IpInIp, 'ip-in-ip'], [TunnelKind.Mpls, 'mpls'], [TunnelKind.Pppoe, 'pppoe'],
]);

function layerName(bit: number): string {
  if (bit === 0) return 'link';
  for (const [b, n] of LAYER_NAMES) if (b === bit) return n;
  return 'unknown';
}

/** Formats decoded packets as JSON lines (each ends in a newline). */
export class PacketJsonFormatter {
  /**
   * `d`: the packet decoded without entering tunnels (the outermost packet,
   * as the lines print it). `esp`: its ESP layers as opened with keys (read
   * --esp-secrets), or null. `tunnelled`: the same packet decoded through its
   * tunnels, which adds "tunnels" and "inner" when it was inside any.
   */
  format(d: DecodedPacket, esp: EspUnwrapper | null = null, tunnelled: DecodedPacket | null = null): string {
    const pkt = d.pkt;
    if (!pkt) return '{}\n';
    return '{"frame":' + pkt.frame +
      ',"time":' + (pkt.tsSec + Math.floor(pkt.tsNsec / 1000) / 1e6).toFixed(6) +
      ',"ts_sec":' + pkt.tsSec + ',"ts_nsec":' + pkt.tsNsec +
      ',"caplen":' + pkt.caplen + ',"len":' + pkt.origLen + ',"linktype":' + pkt.linkType +
      layersJson(d, esp, 0) + (tunnelled !== null && tunnelled.tunnels.count > 0 ? tunnelsJson(tunnelled) : '') + '}\n';
  }
}

/** ',"tunnels":[...],"inner":{...}' for a packet decoded through its tunnels. */
function tunnelsJson(d: DecodedPacket): string {
  const t = d.tunnels;
  let s = ',"tunnels":[';
  for (let i = 0; i < t.count; i++) {
    s += (i ? ',' : '') + '{"kind":"' + (TUNNEL_KIND_NAMES.get(t.kind[i]!) ?? 'unknown') + '"';
    const vni = t.virtualNetwork[i]!;
    if (vni >= 0) s += ',"vni":' + vni;
    s += '}';
  }
  return s + '],"inner":{' + layersJson(d, null, 0).slice(1) + '}';
}

/** The layer keys of one packet, each after a comma; `depth` counts the ESP layers around it. */
function layersJson(d: DecodedPacket, esp: EspUnwrapper | null, depth: number): string {
  const b = d.bytes;
  let s = '';
  if (d.has(Layer.Ethernet)) {
    const e = d.ethernet;
    s += ',"eth":{"src":"' + macText(b, e.srcOffset) + '","dst":"' + macText(b, e.dstOffset) + '","type":' + e.etherType + '}';
  }
  if (d.has(Layer.Sll) || d.has(Layer.Sll2)) {
    const l = d.sll;
    const alen = Math.min(l.addressLength, 8);
    s += ',"sll":{"version":' + l.version + ',"packet_type":' + l.packetType + ',"hatype":' + l.hardwareType +
      ',"addr":"' + linkAddrText(b, l.addressOffset, alen) + '","protocol":' + l.protocol + ',"ifindex":' + l.interfaceIndex + '}';
  }
  if (d.vlans.count > 0) {
    s += ',"vlan":[';
    for (let i = 0; i < d.vlans.count; i++) {
      if (i) s += ',';
      s += '{"tpid":' + d.vlans.tpid[i] + ',"id":' + d.vlans.id(i) + ',"pcp":' + d.vlans.priority(i) + ',"dei":' + d.vlans.dropEligible(i) + '}';
    }
    s += ']';
  }
  if (d.has(Layer.Loopback)) s += ',"loopback":{"family":' + d.loopbackFamily + '}';
  if (d.has(Layer.Llc)) s += ',"llc":true';
  if (d.has(Layer.Arp)) s += arpJson(d);
  if (d.has(Layer.Ipv4)) s += ipv4Json(d);
  if (d.has(Layer.Ipv6)) s += ipv6Json(d);
  if (d.has(Layer.Fragment)) s += ',"fragment":true';
  if (d.has(Layer.Ah)) {
    const a = d.ah;
    s += ',"ah":{"next_header":' + a.nextHeader + ',"len":' + a.headerLength + ',"spi":' + a.spi + ',"seq":' + a.seq + '}';
  }
  if (d.has(Layer.Tcp)) s += tcpJson(d);
  if (d.has(Layer.Udp)) {
    const u = d.udp;
    s += ',"udp":{"sport":' + u.srcPort + ',"dport":' + u.dstPort + ',"len":' + u.length + ',"checksum":' + u.checksum + '}';
  }
  if (d.has(Layer.Icmp) || d.has(Layer.Icmp6)) {
    const m = d.icmp;
    const v6 = d.has(Layer.Icmp6);
    s += (v6 ? ',"icmp6":{' : ',"icmp":{') + '"type":' + m.type + ',"code":' + m.code;
    if (m.capturedLength >= 4) s += ',"checksum":' + m.checksum;
    const echo = v6 ? m.type === 128 || m.type === 129 : m.type === 0 || m.type === 8;
    if (echo && m.capturedLength >= 8) s += ',"id":' + m.id + ',"seq":' + m.sequence;
    s += '}';
  }
  if (d.has(Layer.Esp)) {
    const e = d.esp;
    s += ',"esp":{"spi":' + e.spi + ',"seq":' + e.seq + ',"length":' + e.length + ',"in_udp":' + d.has(Layer.EspInUdp);
    if (esp !== null && depth < esp.count) s += espJson(esp, depth);
    else s += '}';
  }
  if (d.has(Layer.NatKeepalive)) s += ',"nat_keepalive":true';
  if (d.has(Layer.IkeNonEsp)) s += ',"ike":true';
  s += ',"truncated":' + (d.stop === Stop.Truncated) + ',"malformed":' + (d.stop === Stop.Malformed);
  if (d.stop !== Stop.None) {
    s += ',"stop":{"reason":"' + stopReasonText[d.stop] + '","layer":"' + layerName(d.stopLayer) + '"}';
  }
  return s;
}

/** The end of layer `depth`'s "esp" object (its decryption status), and its "decrypted" plaintext. */
function espJson(esp: EspUnwrapper, depth: number): string {
  const status = esp.status(depth);
  let s = ',"decryption":"' + decryptStatusText[status] + '"}';
  if (status !== DecryptStatus.Ok) return s;
  const dec = esp.decryptor(depth);
  s += ',"decrypted":{"next_header":' + dec.nextHeader + ',"icv_verified":' + dec.icvVerified +
    ',"padding_valid":' + dec.paddingValid + layersJson(esp.inner(depth), esp, depth + 1) + '}';
  return s;
}

function arpJson(d: DecodedPacket): string {
  const a = d.arp, b = d.bytes;
  const hl = a.hardwareLength, pl = a.protocolLength;
  const end = d.captureEnd;
  const proto = (o: number): string => (pl === 4 ? ipv4Text(b, o) : linkAddrText(b, o, pl));
  let s = ',"arp":{"htype":' + a.hardwareType + ',"ptype":' + a.protocolType + ',"op":' + a.operation;
  if (a.o + a.length <= end) {
    s += ',"sha":"' + linkAddrText(b, a.senderHardwareOffset, hl) + '","spa":"' + proto(a.senderProtocolOffset) +
      '","tha":"' + linkAddrText(b, a.targetHardwareOffset, hl) + '","tpa":"' + proto(a.targetProtocolOffset) + '"';
  }
  return s + '}';
}

function ipv4Json(d: DecodedPacket): string {
  const ip = d.ipv4, b = d.bytes;
  const flags = (ip.reservedFlag ? 'rsvd' : '') + (ip.dontFragment ? (ip.reservedFlag ? ',DF' : 'DF') : '') +
    (ip.moreFragments ? (ip.reservedFlag || ip.dontFragment ? ',MF' : 'MF') : '');
  return ',"ip":{"version":4,"hl":' + ip.headerLength + ',"tos":' + ip.tos + ',"len":' + ip.totalLength +
    ',"id":' + ip.id + ',"flags":"' + flags + '","df":' + ip.dontFragment + ',"mf":' + ip.moreFragments +
    ',"frag_offset":' + ip.fragmentOffset + ',"ttl":' + ip.ttl + ',"proto":' + ip.protocol +
    ',"checksum":' + ip.checksum + ',"src":"' + ipv4Text(b, ip.srcOffset) + '","dst":"' + ipv4Text(b, ip.dstOffset) + '"}';
}

function ipv6Json(d: DecodedPacket): string {
  const ip = d.ipv6, b = d.bytes;
  let s = ',"ipv6":{"version":6,"tclass":' + ip.trafficClass + ',"flow":' + ip.flowLabel + ',"plen":' + ip.payloadLength +
    ',"next_header":' + ip.nextHeader + ',"hlim":' + ip.hopLimit +
    ',"src":"' + ipv6Text(b, ip.srcOffset) + '","dst":"' + ipv6Text(b, ip.dstOffset) + '","ext":[';
  for (let i = 0; i < ip.extensionCount; i++) {
    const t = ip.extensionType[i]!;
    if (i) s += ',';
    s += '{"type":' + t + ',"name":"' + (IPV6_EXT_NAMES.get(t) ?? 'unknown') + '","offset":' + (ip.extensionOffset[i]! - ip.o) + '}';
  }
  s += ']';
  if (ip.fragmentHeader >= 0) {
    s += ',"frag":{"offset":' + ip.fragmentOffset + ',"more":' + ip.moreFragments + ',"id":' + ip.fragmentId + '}';
  }
  return s + '}';
}

function tcpJson(d: DecodedPacket): string {
  const t = d.tcp, b = d.bytes;
  const flags = t.flags;
  let s = ',"tcp":{"sport":' + t.srcPort + ',"dport":' + t.dstPort + ',"seq":' + t.seq + ',"ack":' + t.ack +
    ',"hl":' + t.headerLength + ',"flags":"' + TCP_FLAG_TEXT[flags & 0xff] + '","flag_bits":' + flags +
    ',"win":' + t.window + ',"checksum":' + t.checksum + ',"urg":' + t.urgentPointer +
    ',"payload_len":' + t.payloadLength + ',"options":[';
  let sackIndex = 0;
  for (let i = 0; i < t.optionCount; i++) {
    const kind = t.optionKind[i]!, len = t.optionLength[i]!, o = t.optionOffset[i]!;
    if (i) s += ',';
    s += '{"kind":' + kind + ',"name":"' + (TCP_OPTION_NAMES.get(kind) ?? 'unknown-' + kind) + '"';
    switch (kind) {
      case 2: if (len === 4 && t.mss >= 0) s += ',"value":' + t.mss; break;
      case 3: if (len === 3 && t.windowScale >= 0) s += ',"value":' + t.windowScale; break;
      case 8: if (len === 10 && t.tsVal >= 0) s += ',"val":' + t.tsVal + ',"ecr":' + t.tsEcr; break;
      case 5: {
        s += ',"blocks":[';
        const n = Math.max(0, Math.min((len - 2) >> 3, t.sackCount - sackIndex));
        for (let k = 0; k < n; k++) {
          if (k) s += ',';
          s += '[' + t.sackLeft[sackIndex + k] + ',' + t.sackRight[sackIndex + k] + ']';
        }
        sackIndex += n;
        s += ']';
        break;
      }
      case 0: case 1: case 4: break;
      default: {
        s += ',"len":' + len;
        const end = Math.min(o + len, d.captureEnd);
        if (len > 2 && o + 2 < end) {
          s += ',"data":"';
          for (let p = o + 2; p < end; p++) s += HEX[b[p]! >> 4]! + HEX[b[p]! & 15]!;
          s += '"';
        }
      }
    }
    s += '}';
  }
  if (t.optionsMalformed) s += (t.optionCount ? ',' : '') + '{"kind":-1,"name":"malformed"}';
  return s + ']}';
}

const HEX = '0123456789abcdef';
