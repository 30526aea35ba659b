/**
 * Frames captured on a switch's CPU port carry the switch's tag: Marvell DSA
 * (LINKTYPE_DSA_TAG_DSA, 4 bytes) and EDSA (LINKTYPE_DSA_TAG_EDSA, 8 bytes)
 * and Broadcom's (LINKTYPE_DSA_TAG_BRCM, 4 bytes) sit between the source MAC
 * and the EtherType; Broadcom's prepended form (LINKTYPE_DSA_TAG_BRCM_PREPEND)
 * comes before the whole Ethernet frame.
 */
export const SwitchTagLength = { Dsa: 4, Edsa: 8, Brcm: 4, BrcmPrepend: 4 } as const;
/** Where the tag starts in a frame that carries it inside: after both MAC addresses. */
export const SWITCH_TAG_OFFSET = 12;
