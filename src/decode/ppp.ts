import { EtherType } from './layers.js';

/**
 * PPP framing (RFC 1661, HDLC-like framing RFC 1662) as the PPP link types,
 * PPPoE and PPTP's GRE carry it, and Cisco HDLC, which serial captures mix with it.
 */

/** The HDLC address and control bytes in front of PPP's protocol, which links may leave out (ACFC). */
export const PPP_ADDRESS = 0xff;
export const PPP_CONTROL = 0x03;
/** pppd's direction byte takes the address byte's place in some captures: 0 in, 1 out. */
export const PPPD_IN = 0x00;
export const PPPD_OUT = 0x01;

/** PPP protocol numbers of what the decoder follows (RFC 1332, 5072, 3032). */
export const PppProtocol = { Ipv4: 0x0021, Ipv6: 0x0057, Mpls: 0x0281, MplsMulticast: 0x0283 } as const;

/** The EtherType of what a PPP protocol number carries, or -1 for PPP's own protocols and the rest. */
export function pppEtherType(protocol: number): number {
  switch (protocol) {
    case PppProtocol.Ipv4: return EtherType.Ipv4;
    case PppProtocol.Ipv6: return EtherType.Ipv6;
    case PppProtocol.Mpls: return EtherType.Mpls;
    case PppProtocol.MplsMulticast: return EtherType.MplsMulticast;
    default: return -1;
  }
}

/** Cisco HDLC: address (unicast or broadcast), control, then an EtherType. */
export const CHDLC_HEADER_LEN = 4;
export const CHDLC_UNICAST = 0x0f;
export const CHDLC_BROADCAST = 0x8f;
export const CHDLC_TYPE = 2;
