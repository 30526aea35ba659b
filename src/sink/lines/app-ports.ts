/**
 * Ports on which tcpdump 4.99 hands the payload to an application-protocol
 * dissector (print-tcp.c, print-udp.c; values from tcp.h and udp.h). zsniff
 * prints the transport part of such packets exactly and a generic tail
 * instead of the dissection ("length N" for TCP, "UDP, length N" for UDP),
 * so comparisons with tcpdump leave these packets out, by this list.
 */

/** TCP: only segments with payload are dissected (tcpdump returns first when the length is 0). */
export const TCPDUMP_TCP_APP_PORTS: ReadonlyMap<number, string> = new Map([
  [21, 'ftp'], [22, 'ssh'], [23, 'telnet'], [25, 'smtp'], [43, 'whois'], [53, 'domain'],
  [80, 'http'], [139, 'netbios-ssn'], [179, 'bgp'], [323, 'rpki-rtr'], [445, 'smb'], [554, 'rtsp'],
  [639, 'msdp'], [646, 'ldp'], [1723, 'pptp'], [2049, 'nfs'], [6379, 'redis'], [6633, 'openflow'],
  [6653, 'openflow'], [8080, 'http-alt'], [8554, 'rtsp-alt'], [10288, 'beep'],
]);

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

/** UDP 7000-7009: AFS/RX. */
export function isRxPort(p: number): boolean {
  return p >= 7000 && p <= 7009;
}

/** AppleTalk-in-UDP sockets (print-udp.c atalk_port), dissected when the payload starts with DDP type 2. */
export function isAppleTalkPort(p: number): boolean {
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
  if (sport === 2049 || dport === 2049) return false;
  return sport === DOMAIN_PORT || dport === DOMAIN_PORT || sport === MDNS_PORT || dport === MDNS_PORT;
}

/** TCP payloads whose dissection the line printers reproduce (DNS), by tcpdump's precedence. */
export function linesPrintTcpApp(sport: number, dport: number): boolean {
  return tcpCarriesDomain(sport, dport);
}
