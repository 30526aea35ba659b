/**
 * libpcap speaks DLT_* values (what pcap_datalink returns and pcap_open_dead
 * takes); files store LINKTYPE_* values. They are equal except for a few
 * historical numbers, and pcap_open_dead rejects the LINKTYPE spelling of
 * those (`unknown data link type 101`), so both directions need this table.
 * The DLT side is Linux's (and most platforms'); OpenBSD differs for LOOP/ENC.
 */
const linkTypeToDltTable: ReadonlyMap<number, number> = new Map([
  [100, 11], // ATM_RFC1483
  [101, 12], // RAW
  [102, 15], // SLIP_BSDOS
  [103, 16], // PPP_BSDOS
  [106, 19], // ATM_CLIP
]);

const dltToLinkTypeTable: ReadonlyMap<number, number> = new Map(
  [...linkTypeToDltTable].map(([linkType, dlt]) => [dlt, linkType]),
);

/** The DLT_* value libpcap wants for a file's LINKTYPE_* value. */
export function linkTypeToDlt(linkType: number): number {
  return linkTypeToDltTable.get(linkType) ?? linkType;
}

/** The LINKTYPE_* value a file must carry for libpcap's DLT_* value. */
export function dltToLinkType(dlt: number): number {
  // DLT 14 is OpenBSD's RAW; elsewhere it is unused, so reading it as RAW is safe.
  if (dlt === 14) return 101;
  return dltToLinkTypeTable.get(dlt) ?? dlt;
}
