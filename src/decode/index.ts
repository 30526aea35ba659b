export { decodePacket } from './decode.js';
export { NAT_T_PORT } from './esp.js';
export { DecodedPacket } from './decoded-packet.js';
export { Layer, Stop, stopReasonText, LinkType, EtherType, IpProto } from './layers.js';
export { TunnelKind, MAX_TUNNEL_DEPTH } from './tunnel.js';
export { TcpFlag, TcpOptionKind } from './tcp.js';
export { u16, u32 } from './bytes.js';
