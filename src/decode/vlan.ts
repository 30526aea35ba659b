import { u16 } from './bytes.js';

/** An 802.1Q / 802.1ad tag is 4 bytes after the TPID: TCI then the inner EtherType. */
export const VLAN_TAG_LEN = 4;
/** Tags beyond this many are not decoded: no real network stacks deeper. */
export const MAX_VLAN_TAGS = 8;

/** The stack of VLAN tags of one packet, outermost first. */
export class VlanStack {
  count = 0;
  readonly tpid = new Uint16Array(MAX_VLAN_TAGS);
  readonly tci = new Uint16Array(MAX_VLAN_TAGS);

  push(tpid: number, b: Uint8Array, o: number): void {
    this.tpid[this.count] = tpid;
    this.tci[this.count] = u16(b, o);
    this.count++;
  }
  id(i: number): number { return this.tci[i]! & 0x0fff; }
  priority(i: number): number { return this.tci[i]! >> 13; }
  dropEligible(i: number): boolean { return (this.tci[i]! & 0x1000) !== 0; }
}
