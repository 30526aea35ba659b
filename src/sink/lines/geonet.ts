/** ETSI GeoNetworking (0x8947, 0x0707) and CALM FAST (0x1111): print-geonet.c, print-calm-fast.c. */
import type { PrintContext } from './print-context.js';
import { linkAddrText, macText } from './addresses.js';
import { dec } from './text-tables.js';
import { hexAsciiLines } from './hexdump.js';

const NEXT_HEADERS = ['Any', 'BTP-A', 'BTP-B', 'IPv6'];
const MESSAGE_TYPES = new Map([
  [0, 'CAM'], [1, 'DENM'], [101, 'TPEGM'], [102, 'TSPDM'], [103, 'VPM'], [104, 'SRM'], [105, 'SLAM'],
  [106, 'ecoCAM'], [107, 'ITM'], [150, 'SA'],
]);
const HEADER_TYPES: readonly (readonly string[])[] = [
  ['Any'], ['Beacon'], ['GeoUnicast'], ['GeoAnycastCircle', 'GeoAnycastRect', 'GeoAnycastElipse'],
  ['GeoBroadcastCircle', 'GeoBroadcastRect', 'GeoBroadcastElipse'], ['TopoScopeBcast-SH', 'TopoScopeBcast-MH'],
  ['LocService-Request', 'LocService-Reply'],
];
const COMMON_HEADER = 36;

function headerTypeName(type: number, subtype: number): string {
  const names = HEADER_TYPES[type];
  if (!names) return 'Unknown';
  return (names.length === 1 ? names[0] : names[subtype]) ?? 'Unknown';
}

/** Length of the extended header tcpdump skips to reach BTP, or -1 when it does not know it. */
function extendedHeaderSize(type: number, subtype: number): number {
  if (type === 0 || type === 1) return 0;
  if (type === 5) return subtype === 0 ? 0 : subtype === 1 ? 68 - 36 : -1;
  return -1;
}

/** -v: the payload as hex and ASCII, " [|proto]" when the capture ends first. */
function payloadDump(c: PrintContext, o: number, length: number): void {
  if (!c.opts.verbose || c.opts.suppressDefaultPrint) return;
  const captured = Math.max(0, c.snapend - o);
  c.s += hexAsciiLines(c.b, o, Math.min(length, captured), '\n\t');
  if (length > captured) c.trunc();
}

export function printGeonet(c: PrintContext, p: number, length: number, mac: number): void {
  c.proto = 'geonet';
  c.s += 'GeoNet ';
  if (mac >= 0) c.s += 'src:' + macText(c.b, mac + 6);
  c.s += '; ';
  if (length < COMMON_HEADER) { c.s += ' (common header length ' + length + ' < 36) (invalid)'; return; }
  const first = c.u8(p), second = c.u8(p + 1);
  const next = first & 0x0f, type = second >> 4, subtype = second & 0x0f;
  const payload = c.u16(p + 4), hops = c.u8(p + 7);
  c.s += 'v:' + (first >> 4) + ' NH:' + next + '-' + (NEXT_HEADERS[next] ?? 'Unknown') + ' HT:' + type + '-' + subtype + '-' +
    headerTypeName(type, subtype) + ' HopLim:' + hops + ' Payload:' + dec(payload) + ' ';
  c.need(p + 8, 8);
  c.s += 'GN_ADDR:' + linkAddrText(c.b, p + 8, 8) + ' ';
  c.s += 'lat:' + dec(c.u32(p + 20)) + ' ';
  c.s += 'lon:' + dec(c.u32(p + 24));
  c.need(p, COMMON_HEADER);
  let o = p + COMMON_HEADER;
  length -= COMMON_HEADER;
  const size = extendedHeaderSize(type, subtype);
  if (size >= 0) {
    if (length < size) { c.s += ' (header size ' + size + ' > ' + length + ') (invalid)'; return; }
    c.need(o, size);
    o += size; length -= size;
    if (next === 1 || next === 2) {
      if (length < 4) { c.s += ' (BTP length ' + length + ' < 4) (invalid)'; return; }
      c.s += '; BTP Dst:' + dec(c.u16(o));
      c.s += ' Src:' + dec(c.u16(o + 2));
      o += 4; length -= 4;
      if (length >= 2) {
        c.s += '; ItsPduHeader v:' + c.u8(o);
        const t = c.u8(o + 1);
        c.s += ' t:' + t + '-' + (MESSAGE_TYPES.get(t) ?? 'unknown (' + t + ')');
      }
    }
  }
  payloadDump(c, o, length);
}

export function printCalmFast(c: PrintContext, p: number, length: number, mac: number): void {
  c.proto = 'calm_fast';
  c.s += 'CALM FAST';
  if (mac >= 0) c.s += ' src:' + macText(c.b, mac + 6);
  c.s += '; ';
  if (length < 2) { c.s += ' (length ' + length + ' < 2) (invalid)'; c.need(p, length); return; }
  c.s += 'SrcNwref:' + c.u8(p) + '; ';
  c.s += 'DstNwref:' + c.u8(p + 1) + '; ';
  payloadDump(c, p + 2, length - 2);
}
