/**
 * Seeds for the mutators: whole capture files from the tcpdump corpus and
 * our fixtures, and their packets regrouped by link type. Packets of one
 * link type are re-wrapped for the others (an Ethernet frame's IP datagram
 * becomes a raw-IP, NULL, LOOP, SLL and SLL2 packet) so that every decoder
 * sees real protocol stacks, not only the ones its link type happened to
 * carry in the corpus.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PcapReader } from '../../dist/source/pcap-reader.js';
import { PcapngReader, PCAPNG_BLOCK, PCAPNG_BYTE_ORDER_MAGIC } from '../../dist/source/pcapng-reader.js';
import { isPcapMagic, PCAP_MAGIC_MODIFIED, PCAP_MODIFIED_RECORD_HEADER_LEN, PCAP_RECORD_HEADER_LEN } from '../../dist/source/pcap-format.js';
import { decodePacket, DecodedPacket, Layer } from '../../dist/decode/index.js';
import { wrapIp } from '../helpers/packets.js';
import { corpusDir } from '../helpers/corpus.js';

const here = path.dirname(fileURLToPath(import.meta.url));
export const REPO = path.resolve(here, '../..');
export const CORPUS = corpusDir('tcpdump-tests');
export const FIXTURES = path.join(REPO, 'fixtures');

/** The link types the decoders and the line printer handle (PPP-HDLC and Juniper Ethernet only the decoders). */
export const LINK_TYPES = [0, 1, 9, 12, 14, 50, 101, 104, 107, 108, 113, 129, 178, 226, 228, 229, 239, 242, 276, 281, 282, 284, 285];

const MAX_SEED_FILE = 256 * 1024;
const MAX_PACKETS_PER_FILE = 64;
const MAX_PACKETS_PER_LINK = 6000;

function captureFiles(dir) {
  let names;
  try { names = fs.readdirSync(dir); } catch { return []; }
  return names.filter((n) => /\.(pcap|pcapng|cap)(\.gz)?$/.test(n)).sort().map((n) => path.join(dir, n));
}

/**
 * Parses a whole capture in memory with our readers, the way capture-file.ts
 * drives them. Returns the packets before any damage (copied) and the error.
 */
export function parseCaptureBytes(bytes, limit = Infinity) {
  const info = { name: 'seed', format: 'pcap', compressed: false, interfaces: [], statistics: [], packets: 0, bytesRead: 0 };
  const packets = [];
  if (bytes.length < 4) return { packets, info, error: new Error('short') };
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const parser = view.getUint32(0, true) === PCAPNG_BLOCK.SECTION_HEADER ? new PcapngReader(info) : new PcapReader(info);
  try {
    let pos = parser.parse(bytes, view, 0, bytes.length, 0, null);
    pos = parser.parse(bytes, view, pos, bytes.length, 0, (p) => {
      packets.push({ linkType: p.linkType, bytes: bytes.slice(p.offset, p.offset + p.caplen), origLen: p.origLen,
        tsSec: p.tsSec, tsNsec: p.tsNsec });
      return packets.length < limit;
    });
    if (!parser.stopped) parser.finish(view, pos, bytes.length, 0);
    return { packets, info, error: null };
  } catch (error) {
    return { packets, info, error };
  }
}

let cached = null;

/**
 * `{ files: Uint8Array[], packets: Map<linkType, Uint8Array[]>, tcp: [...], esp: [...] }`.
 * `quick` loads a sample of the corpus (for the smoke test's few seconds).
 */
export function loadSeeds({ quick = false } = {}) {
  if (cached && (cached.quick === quick || !cached.quick)) return cached;
  let paths = [...captureFiles(FIXTURES), ...captureFiles(CORPUS)];
  if (quick) paths = paths.filter((_, i) => i % 8 === 0 || /esp|tcp/.test(path.basename(paths[i] ?? '')));
  const files = [];
  const byLink = new Map(LINK_TYPES.map((lt) => [lt, []]));
  const ipDatagrams = [];
  for (const p of paths) {
    let bytes;
    try { bytes = new Uint8Array(fs.readFileSync(p)); } catch { continue; }
    if (bytes.length <= MAX_SEED_FILE) files.push(bytes);
    else files.push(bytes.slice(0, MAX_SEED_FILE));
    const { packets } = parseCaptureBytes(bytes, MAX_PACKETS_PER_FILE);
    for (const pkt of packets) {
      const list = byLink.get(pkt.linkType);
      if (list && list.length < MAX_PACKETS_PER_LINK) list.push(pkt.bytes);
      const ip = ipDatagramOf(pkt);
      if (ip && ipDatagrams.length < 4 * MAX_PACKETS_PER_LINK) ipDatagrams.push(ip);
    }
  }
  // Every link type gets the IP datagrams of the others, re-wrapped.
  for (const lt of LINK_TYPES) {
    const list = byLink.get(lt);
    for (let i = lt % 7; i < ipDatagrams.length && list.length < MAX_PACKETS_PER_LINK * 2; i += 3) {
      const w = wrapIp(ipDatagrams[i], lt);
      if (w) list.push(w);
    }
  }
  const tcp = [], esp = [];
  const d = new DecodedPacket();
  for (const ip of ipDatagrams) {
    decodePacket({ frame: 1, tsSec: 0, tsNsec: 0, caplen: ip.length, origLen: ip.length, linkType: 101, interfaceId: 0, bytes: ip, offset: 0, fileOffset: 0 }, d);
    if (d.has(Layer.Tcp) && tcp.length < 8000) tcp.push(ip);
    if (d.has(Layer.Esp) && esp.length < 4000) esp.push(ip);
  }
  cached = { quick, files, packets: byLink, ip: ipDatagrams, tcp, esp };
  return cached;
}

const d0 = new DecodedPacket();

/** The IP datagram inside a link-layer packet, or null. */
function ipDatagramOf(pkt) {
  decodePacket({ frame: 1, tsSec: 0, tsNsec: 0, caplen: pkt.bytes.length, origLen: pkt.origLen, linkType: pkt.linkType,
    interfaceId: 0, bytes: pkt.bytes, offset: 0, fileOffset: 0 }, d0);
  if (d0.ipVersion === 0) return null;
  return pkt.bytes.slice(d0.networkOffset);
}

/** Where the link header ends for a packet of `lt` (0 for raw IP). */
export function linkHeaderLength(lt) {
  return lt === 1 ? 14 : lt === 0 || lt === 108 ? 4 : lt === 113 ? 16 : lt === 276 ? 20 : 0;
}

/**
 * The length and offset fields of a packet, from decoding it: the places
 * where a mutation turns into a bounds question for the decoders.
 */
export function packetFields(bytes, linkType) {
  const d = d0;
  decodePacket({ frame: 1, tsSec: 0, tsNsec: 0, caplen: bytes.length, origLen: bytes.length, linkType, interfaceId: 0,
    bytes, offset: 0, fileOffset: 0 }, d);
  const f = [];
  if (linkType === 1) f.push({ at: 12, width: 2 });
  if (linkType === 113) f.push({ at: 14, width: 2 }, { at: 4, width: 2 });
  if (linkType === 276) f.push({ at: 0, width: 2 }, { at: 11, width: 1 });
  if (linkType === 0 || linkType === 108) f.push({ at: 0, width: 4, le: linkType === 0 });
  if (linkType === 9 || linkType === 50) f.push({ at: 0, width: 2 }, { at: 2, width: 2 });
  if (linkType === 104) f.push({ at: 0, width: 1 }, { at: 2, width: 2 });
  if (linkType === 107) f.push({ at: 0, width: 2 }, { at: 2, width: 1 }, { at: 3, width: 1 });
  if (linkType === 129) f.push({ at: 4, width: 1 }, { at: 5, width: 1 });
  if (linkType === 178) f.push({ at: 3, width: 1 }, { at: 4, width: 2 });
  if (linkType === 226) f.push({ at: 1, width: 1 });
  if (linkType === 239) f.push({ at: 0, width: 1 }, { at: 1, width: 1 }, { at: 4, width: 2, le: true }, { at: 6, width: 2, le: true });
  if (linkType === 242) f.push({ at: 40, width: 2 });
  if (linkType === 281 || linkType === 282 || linkType === 284) f.push({ at: 16, width: 2 });
  if (linkType === 285) f.push({ at: 20, width: 2 });
  if (d.vlans.count > 0) f.push({ at: d.networkOffset - 2, width: 2 });
  const n = d.networkOffset;
  if (d.ipVersion === 4) {
    f.push({ at: n, nibble: 'lo' }, { at: n, nibble: 'hi' }, { at: n + 2, width: 2 }, { at: n + 6, width: 2 }, { at: n + 9, width: 1 });
  } else if (d.ipVersion === 6) {
    f.push({ at: n + 4, width: 2 }, { at: n + 6, width: 1 }, { at: n, nibble: 'hi' });
    for (let i = 0; i < d.ipv6.extensionCount; i++) {
      const o = d.ipv6.extensionOffset[i];
      f.push({ at: o, width: 1 }, { at: o + 1, width: 1 });
    }
  }
  const t = d.transportOffset;
  if (d.has(Layer.Tcp)) {
    f.push({ at: t + 12, nibble: 'hi' }, { at: t + 13, width: 1 }, { at: t + 4, width: 4 }, { at: t + 8, width: 4 });
    for (let i = 0; i < d.tcp.optionCount; i++) {
      const o = d.tcp.optionOffset[i];
      f.push({ at: o, width: 1 }, { at: o + 1, width: 1 });
    }
  }
  if (d.has(Layer.Udp)) f.push({ at: t + 4, width: 2 }, { at: t + 2, width: 2 }, { at: t, width: 2 });
  if (d.has(Layer.Esp)) f.push({ at: d.esp.o, width: 4 }, { at: d.esp.o + 4, width: 4 });
  if (d.has(Layer.Ah)) f.push({ at: t + 1, width: 1 }, { at: t, width: 1 });
  if (d.has(Layer.Icmp) || d.has(Layer.Icmp6)) f.push({ at: t, width: 1 }, { at: t + 1, width: 1 });
  if (d.has(Layer.Arp)) f.push({ at: n + 4, width: 1 }, { at: n + 5, width: 1 });
  return f;
}

/** Length fields of a whole capture file: pcap record caplen/len, pcapng block lengths. */
export function fileFields(bytes) {
  const f = [];
  if (bytes.length < 24) return f;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const magicLe = view.getUint32(0, true);
  if (magicLe === PCAPNG_BLOCK.SECTION_HEADER) {
    const le = view.getUint32(8, true) === PCAPNG_BYTE_ORDER_MAGIC;
    let pos = 0;
    for (let i = 0; i < 64 && pos + 12 <= bytes.length; i++) {
      const len = view.getUint32(pos + 4, le);
      f.push({ at: pos + 4, width: 4, le }, { at: pos, width: 4, le });
      if (len < 12 || pos + len > bytes.length) break;
      f.push({ at: pos + len - 4, width: 4, le });
      const type = view.getUint32(pos, le);
      if (type === 6 && len >= 32) f.push({ at: pos + 20, width: 4, le }, { at: pos + 24, width: 4, le }, { at: pos + 8, width: 4, le });
      if (type === 1 && len >= 20) f.push({ at: pos + 8, width: 2, le }, { at: pos + 12, width: 4, le });
      if (len % 4 !== 0) break;
      pos += len;
    }
    return f;
  }
  const le = isPcapMagic(magicLe);
  const hdr = (le ? magicLe : view.getUint32(0, false)) === PCAP_MAGIC_MODIFIED ? PCAP_MODIFIED_RECORD_HEADER_LEN : PCAP_RECORD_HEADER_LEN;
  f.push({ at: 16, width: 4, le }, { at: 20, width: 4, le }, { at: 4, width: 2, le }, { at: 6, width: 2, le });
  let pos = 24;
  for (let i = 0; i < 64 && pos + hdr <= bytes.length; i++) {
    f.push({ at: pos + 8, width: 4, le }, { at: pos + 12, width: 4, le }, { at: pos + 4, width: 4, le });
    const caplen = view.getUint32(pos + 8, le);
    if (caplen > 262144) break;
    pos += hdr + caplen;
  }
  return f;
}
