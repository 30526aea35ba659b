/**
 * The tunnels a packet was found inside, outermost first. The decoding loop
 * re-enters at the inner link or network layer and the views then describe the
 * innermost packet; this stack keeps what is needed to tell overlays apart
 * (their virtual network identifiers) and where each tunnel's header is.
 */
export const TunnelKind = {
  Gre: 1,
  /** ERSPAN type I (GRE 0x88be without a sequence number), II and III. */
  Erspan: 2,
  Vxlan: 3,
  Geneve: 4,
  /** IPv4 or IPv6 straight inside IPv4 or IPv6 (IP-in-IP, 6in4, 4in6, 6in6). */
  IpInIp: 5,
  Mpls: 6,
  Pppoe: 7,
} as const;

/** Tunnels inside tunnels beyond this many are not followed (`Stop.TooDeep`). */
export const MAX_TUNNEL_DEPTH = 8;

export class TunnelStack {
  count = 0;
  readonly kind = new Uint8Array(MAX_TUNNEL_DEPTH);
  /** Where the tunnel's own header starts (GRE, VXLAN, ... or the inner IP header for IP-in-IP). */
  readonly headerOffset = new Int32Array(MAX_TUNNEL_DEPTH);
  /** The virtual network of that level: VXLAN or Geneve VNI, GRE key; -1 when it has none. */
  readonly virtualNetwork = new Float64Array(MAX_TUNNEL_DEPTH);
  /**
   * All levels' virtual networks in one number (0 when none has one): part of
   * a flow's key, so two overlays that reuse the same inner addresses stay
   * apart, while the outer endpoints (which may differ by direction) are not.
   */
  network = 0;

  push(kind: number, headerOffset: number, virtualNetwork: number): void {
    const i = this.count++;
    this.kind[i] = kind;
    this.headerOffset[i] = headerOffset;
    this.virtualNetwork[i] = virtualNetwork;
    if (virtualNetwork >= 0) {
      // One level: kind and identifier side by side, exactly. Deeper: folded into 52 bits.
      const level = kind * 0x1_0000_0000 + virtualNetwork + 1;
      this.network = this.network === 0 ? level : (this.network * 31 + level) % 0x10_0000_0000_0000;
    }
  }
}
