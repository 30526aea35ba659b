/**
 * Ports on which tcpdump 4.99 hands the payload to an application-protocol
 * dissector (print-tcp.c, print-udp.c; values from tcp.h and udp.h). zsniff
 * prints the transport part of such packets exactly and, where it has no
 * printer of its own (udp.ts lists those it has), a generic tail instead of
 * the dissection ("length N" for TCP, "UDP, length N" for UDP), so
 * comparisons with tcpdump leave these packets out, by this list.
 */
import { NAT_T_PORT } from '../../decode/esp.js';
import { GENEVE_PORT, VXLAN_PORT } from '../../decode/overlay.js';

/**
 * TCP: only segments with payload are dissected (tcpdump returns first when the length is 0).
 * In print-tcp.c's order: when both ports are listed, the first one listed picks the dissector.
 */
export const TCPDUMP_TCP_APP_PORTS: ReadonlyMap<number, string> = new Map([
  [23, 'telnet'], [25, 'smtp'], [43, 'whois'], [179, 'bgp'], [1723, 'pptp'], [6379, 'redis'],
  [22, 'ssh'], [139, 'netbios-ssn'], [445, 'smb'], [10288, 'beep'], [6633, 'openflow'],
  [6653, 'openflow'], [21, 'ftp'], [80, 'http'], [8080, 'http-alt'], [554, 'rtsp'], [8554, 'rtsp-alt'],
  [53, 'domain'], [639, 'msdp'], [323, 'rpki-rtr'], [646, 'ldp'], [2049, 'nfs'],
]);

const TCP_CHAIN: readonly number[] = [...TCPDUMP_TCP_APP_PORTS.keys()];

/** The dissector print-tcp.c hands a segment between these ports to, or null. */
export function tcpdumpTcpDissector(sport: number, dport: number): string | null {
  for (let i = 0; i < TCP_CHAIN.length; i++) {
    const port = TCP_CHAIN[i]!;
    if (port === sport || port === dport) return TCPDUMP_TCP_APP_PORTS.get(port)!;
  }
  return null;
}

/** UDP: dissected whatever the length (unless -q). */
export const TCPDUMP_UDP_APP_PORTS: ReadonlyMap<number, string> = new Map([
  [53, 'domain'], [67, 'bootps'], [68, 'bootpc'], [69, 'tftp'], [88, 'kerberos'], [111, 'sunrpc'],
  [123, 'ntp'], [137, 'netbios-ns'], [138, 'netbios-dgm'], [161, 'snmp'], [162, 'snmptrap'],
  [319, 'ptp-event'], [320, 'ptp-general'], [496, 'cisco-autorp'], [500, 'isakmp'], [514, 'syslog'],
  [520, 'rip'], [521, 'ripng'], [525, 'timed'], [546, 'dhcpv6-client'], [547, 'dhcpv6-server'],
  [646, 'ldp'], [654, 'aodv'], [698, 'olsr'], [701, 'lmp'], [750, 'kerberos-sec'], [921, 'lwres'],
  [1589, 'vqp'], [1645, 'radius'], [1646, 'radius-acct'], [1700, 'radius-coa-cisco'], [1701, 'l2tp'],
  [1812, 'radius'], [1813, 'radius-acct'], [1985, 'hsrp'], [2049, 'nfs'], [2103, 'zephyr-srv'],
  [2104, 'zephyr-clt'], [3456, 'vat'], [3503, 'lsp-ping'], [3784, 'bfd-control'], [3785, 'bfd-echo'],
  [3799, 'radius-coa'], [4342, 'lisp-control'], [4567, 'wb'], [4784, 'bfd-multihop'],
  [4789, 'vxlan'], [4790, 'vxlan-gpe'], [5060, 'sip'], [5353, 'mdns'], [5359, 'ahcp'],
  [6081, 'geneve'], [6343, 'sflow'], [6635, 'mpls-udp'], [6696, 'babel'], [6697, 'babel-old'],
  [6784, 'bfd-lag'], [7500, 'isakmp-user1'], [8231, 'hncp'], [8472, 'otv'], [8500, 'isakmp-user2'],
  [12222, 'lwapp-data'], [12223, 'lwapp-control'], [17754, 'zep'], [30490, 'someip'],
  [49152, 'bcm-li'],
]);

const SIP_PORT = 5060;
/** Dissected ports print-udp.c tries after SIP (syslog, OTV, VXLAN, Geneve, LISP, VXLAN-GPE, ZEP, MPLS, PTP, SOME/IP). */
const UDP_PORTS_AFTER_SIP: ReadonlySet<number> = new Set([514, 8472, 4789, 6081, 4342, 4790, 17754, 6635, 319, 320, 30490]);

/**
 * SIP comes late in print-udp.c's chain: udp/5060 is SIP to tcpdump unless
 * the other port is one of those tried before it.
 */
export function tcpdumpUdpIsSip(sport: number, dport: number): boolean {
  const other = sport === SIP_PORT ? dport : dport === SIP_PORT ? sport : -1;
  if (other < 0) return false;
  return other === SIP_PORT || UDP_PORTS_AFTER_SIP.has(other) || (!TCPDUMP_UDP_APP_PORTS.has(other) && !isRxPort(other));
}

/** UDP 7000-7009: AFS/RX. */
export function isRxPort(p: number): boolean {
  return p >= 7000 && p <= 7009;
}

/** AppleTalk-in-UDP sockets (print-udp.c atalk_port), dissected when the payload starts with DDP type 2. */
function isAppleTalkPort(p: number): boolean {
  return (p >= 16512 && p < 16640) || (p >= 200 && p < 328) || (p >= 768 && p < 896);
}

/** True when tcpdump would dissect this UDP payload as an application protocol. */
export function tcpdumpDissectsUdp(sport: number, dport: number, firstPayloadByte: number): boolean {
  return TCPDUMP_UDP_APP_PORTS.has(sport) || TCPDUMP_UDP_APP_PORTS.has(dport) ||
    isRxPort(sport) || isRxPort(dport) ||
    (firstPayloadByte === 2 && (isAppleTalkPort(sport) || isAppleTalkPort(dport)));
}

/** True when tcpdump would dissect this TCP payload as an application protocol. */
export function tcpdumpDissectsTcp(sport: number, dport: number, payloadLength: number): boolean {
  return payloadLength > 0 && (TCPDUMP_TCP_APP_PORTS.has(sport) || TCPDUMP_TCP_APP_PORTS.has(dport));
}

/** DNS and mDNS come first in tcpdump's UDP dispatch (print-udp.c); only an NFS RPC on 2049 is tried before. */
export const DOMAIN_PORT = 53;
export const MDNS_PORT = 5353;
/** NFS over ONC RPC (print-udp.c tests it first, by the RPC direction word). */
const NFS_PORT = 2049;

/** TCP ports print-tcp.c tries before 53, so they win over DNS in a segment between the two. */
const TCP_PORTS_BEFORE_DOMAIN: ReadonlySet<number> = new Set([
  23, 25, 43, 179, 1723, 6379, 22, 139, 445, 10288, 6633, 6653, 21, 80, 8080, 554, 8554,
]);

/** True when tcpdump's TCP dispatch reaches its DNS printer for these ports. */
export function tcpCarriesDomain(sport: number, dport: number): boolean {
  return (sport === DOMAIN_PORT || dport === DOMAIN_PORT) &&
    !TCP_PORTS_BEFORE_DOMAIN.has(sport) && !TCP_PORTS_BEFORE_DOMAIN.has(dport);
}

/** UDP payloads whose dissection the line printers reproduce (DNS, mDNS), by tcpdump's precedence. */
export function linesPrintUdpApp(sport: number, dport: number): boolean {
  if (sport === NFS_PORT || dport === NFS_PORT) return false;
  return sport === DOMAIN_PORT || dport === DOMAIN_PORT || sport === MDNS_PORT || dport === MDNS_PORT;
}

/** TCP payloads whose dissection the line printers reproduce (DNS), by tcpdump's precedence. */
export function linesPrintTcpApp(sport: number, dport: number): boolean {
  return tcpCarriesDomain(sport, dport);
}

/**
 * The dissector tcpdump's udp_print picks for these ports (its print-*.c
 * name): its port checks in its order, the first match winning, so 53 beats
 * 67 beats 161; '' when none matches. `rpcDirection` is the ONC RPC direction
 * word (-1 when not captured): NFS on 2049 is recognised by it first.
 */
export function tcpdumpUdpDissector(sport: number, dport: number, firstPayloadByte: number, rpcDirection: number): string {
  if ((dport === NFS_PORT && rpcDirection === 0) || (sport === NFS_PORT && rpcDirection === 1)) return 'nfs';
  for (const [name, side, ports] of UDP_CHECKS) {
    if (name === 'rx') {
      if (isRxPort(sport) || isRxPort(dport)) return name;
    } else if (name === 'atalk') {
      if (firstPayloadByte === 2 && (isAppleTalkPort(sport) || isAppleTalkPort(dport))) return name;
    } else {
      for (const p of ports) {
        if ((side !== 'dst' && sport === p) || (side !== 'src' && dport === p)) return name;
      }
    }
  }
  return '';
}

/**
 * The ports print-udp.c tests before it reaches `dissector`, on either side
 * (a superset where it tests one side only), NFS's 2049 included; the Rx
 * range is the caller's, and so are the dissectors named in `except`.
 */
export function udpPortsTestedBefore(dissector: string, except: readonly string[] = []): ReadonlySet<number> {
  const ports = new Set<number>([NFS_PORT]);
  for (const [name, , list] of UDP_CHECKS) {
    if (name === dissector) break;
    if (!except.includes(name)) for (const p of list) ports.add(p);
  }
  return ports;
}

/** print-udp.c's if-else chain: whether either port, only the destination or only the source counts. */
const UDP_CHECKS: readonly (readonly [string, 'either' | 'dst' | 'src', readonly number[]])[] = [
  ['domain', 'either', [53]], ['mdns', 'either', [5353]], ['timed', 'either', [525]], ['tftp', 'either', [69]],
  ['bootp', 'either', [68, 67]], ['rip', 'either', [520]], ['aodv', 'either', [654]], ['isakmp', 'either', [500]],
  ['isakmp-nat-t', 'either', [NAT_T_PORT]], ['isakmp', 'either', [7500, 8500]], ['snmp', 'either', [161, 162]],
  ['ntp', 'either', [123]], ['krb', 'either', [88, 750]], ['l2tp', 'either', [1701]], ['nbt-ns', 'either', [137]],
  ['nbt-dgm', 'either', [138]], ['vat', 'dst', [3456]], ['zephyr', 'either', [2103, 2104]], ['rx', 'either', []],
  ['ripng', 'either', [521]], ['dhcp6', 'either', [547, 546]], ['ahcp', 'either', [5359]],
  ['babel', 'either', [6696, 6697]], ['hncp', 'either', [8231]], ['wb', 'dst', [4567]],
  ['cisco-autorp', 'either', [496]], ['radius', 'either', [1645, 1812, 1646, 1813, 1700, 3799]],
  ['hsrp', 'dst', [1985]], ['lwres', 'either', [921]], ['ldp', 'either', [646]], ['olsr', 'either', [698]],
  ['lspping', 'either', [3503]], ['bcm-li', 'src', [49152]], ['bfd', 'dst', [3784, 4784, 6784, 3785]],
  ['lmp', 'either', [701]], ['vqp', 'either', [1589]], ['sflow', 'either', [6343]],
  ['lwapp-control', 'either', [12223]], ['lwapp-data', 'either', [12222]], ['sip', 'either', [5060]],
  ['syslog', 'either', [514]], ['otv', 'either', [8472]], ['vxlan', 'either', [VXLAN_PORT]], ['geneve', 'either', [GENEVE_PORT]],
  ['lisp', 'either', [4342]], ['vxlan-gpe', 'either', [4790]], ['zep', 'either', [17754]], ['mpls', 'either', [6635]],
  ['atalk', 'either', []], ['ptp', 'either', [319, 320]], ['someip', 'either', [30490]],
];
