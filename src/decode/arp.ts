import { u16 } from './bytes.js';

const field = { HTYPE: 0, PTYPE: 2, HLEN: 4, PLEN: 5, OPER: 6, SHA: 8 } as const;
export const ARP_FIXED_LEN = 8;

/** A view over an ARP packet; address positions depend on the declared lengths. */
export class ArpView {
  b: Uint8Array = new Uint8Array(0);
  o = 0;
  get hardwareType(): number { return u16(this.b, this.o + field.HTYPE); }
  get protocolType(): number { return u16(this.b, this.o + field.PTYPE); }
  get hardwareLength(): number { return this.b[this.o + field.HLEN]!; }
  get protocolLength(): number { return this.b[this.o + field.PLEN]!; }
  get operation(): number { return u16(this.b, this.o + field.OPER); }
  get senderHardwareOffset(): number { return this.o + field.SHA; }
  get senderProtocolOffset(): number { return this.senderHardwareOffset + this.hardwareLength; }
  get targetHardwareOffset(): number { return this.senderProtocolOffset + this.protocolLength; }
  get targetProtocolOffset(): number { return this.targetHardwareOffset + this.hardwareLength; }
  /** Length of the whole ARP body with the declared address sizes. */
  get length(): number { return ARP_FIXED_LEN + 2 * (this.hardwareLength + this.protocolLength); }
}
