import type { PacketRecord } from '../source/packet-record.js';
import { AhView } from './ah.js';
import { ArpView } from './arp.js';
import { EspView } from './esp.js';
import { EthernetView } from './ethernet.js';
import { ErspanView, GreView } from './gre.js';
import { IcmpView } from './icmp.js';
import { Ipv4View } from './ipv4.js';
import { Ipv6View } from './ipv6.js';
import { Stop } from './layers.js';
import { GeneveView, PppoeView, VxlanView } from './overlay.js';
import { SllView } from './sll.js';
import { TcpView } from './tcp.js';
import { TunnelStack } from './tunnel.js';
import { UdpView } from './udp.js';
import { VlanStack } from './vlan.js';

/**
 * Everything decoded about one packet. One instance is reused for every
 * packet (gopacket's DecodingLayerParser model): the views point into the
 * packet's bytes, and `layers` says which of them are valid for this packet.
 */
export class DecodedPacket {
  /** The packet these views point into. */
  pkt: PacketRecord | null = null;
  /** Layer bits of the views that are valid. */
  layers = 0;
  /** Why decoding stopped early (Stop.*), and the layer bit it stopped at (0 = link). */
  stop: number = Stop.None;
  stopLayer = 0;

  linkType = 0;
  readonly ethernet = new EthernetView();
  readonly vlans = new VlanStack();
  readonly sll = new SllView();
  /** Address family from a BSD loopback header (NULL/LOOP link types). */
  loopbackFamily = 0;
  /** EtherType (or SLL protocol) of the network layer; -1 when the link has none. */
  etherType = -1;
  /** Where the network layer starts in `pkt.bytes`. */
  networkOffset = 0;

  readonly ipv4 = new Ipv4View();
  readonly ipv6 = new Ipv6View();
  readonly arp = new ArpView();
  /** 4 or 6 when an IP header was decoded, else 0. */
  ipVersion = 0;
  /**
   * Where source and destination addresses are (4 or 16 bytes each). The
   * destination is the final one: the end of an IPv4 source route when the
   * header carries one, as flows and checksums know the datagram.
   */
  srcAddrOffset = 0;
  dstAddrOffset = 0;
  /** An IPv4 option is shorter than its type allows: analysers leave the packet alone, as Wireshark does. */
  ipOptionsMalformed = false;
  /** IP payload length as the IP header claims it (not clipped to the capture). */
  ipPayloadLength = 0;
  /** The upper-layer protocol after any IPv6 extension headers and AH; -1 when none. */
  ipProtocol = -1;
  /** Where that upper layer starts. */
  transportOffset = 0;
  /**
   * With `LayerBit.IpFragment`: where the outermost fragmented IP header starts, and how many of
   * `tunnels`' levels are outside it (set only on fragments, valid only with the bit).
   */
  fragmentIp = 0;
  fragmentTunnels = 0;

  readonly ah = new AhView();
  readonly tcp = new TcpView();
  readonly udp = new UdpView();
  /** ICMP and ICMPv6 share one view; `layers` tells which it is. */
  readonly icmp = new IcmpView();
  readonly esp = new EspView();

  /** The tunnels around the packet, outermost first (count 0 when it is in none). */
  readonly tunnels = new TunnelStack();
  /** Headers of the innermost tunnel of each kind; valid for the levels `tunnels` lists. */
  readonly gre = new GreView();
  readonly erspan = new ErspanView();
  readonly vxlan = new VxlanView();
  readonly geneve = new GeneveView();
  readonly pppoe = new PppoeView();
  /**
   * Whether decoding goes inside tunnels (the analyzers and the library do).
   * `read --json` turns it off: its objects describe the outermost packet.
   */
  followTunnels = true;

  has(layer: number): boolean { return (this.layers & layer) !== 0; }
  get addressLength(): number { return this.ipVersion === 6 ? 16 : 4; }
  /** The packet's bytes (empty before the first decode). */
  // `!== null`, not truthiness: V8 compiles a truthiness test of a field it cannot type to a chain of checks.
  get bytes(): Uint8Array { const p = this.pkt; return p !== null ? p.bytes : this.ethernet.b; }
  /** One past the last captured byte of the packet in `bytes`. */
  get captureEnd(): number { const p = this.pkt; return p !== null ? p.offset + p.caplen : 0; }
}
