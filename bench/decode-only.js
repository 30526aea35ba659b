// Decoding without printing, in packets per second, two ways:
//  - "read+decode": the file source and the decoders together (what `read`
//    costs before it prints; on large frames the bytes read dominate);
//  - "decode": the decoders alone, over the first 300,000 packets copied into
//    memory beforehand (one buffer, one reused record), so that the file's
//    bytes are not what is measured.
import { openCapture } from '../dist/source/capture-file.js';
import { decodePacket, DecodedPacket, Layer } from '../dist/decode/index.js';
import { createPacketRecord } from '../dist/source/packet-record.js';

const path = process.argv[2];
const d = new DecodedPacket();
let tcp = 0;
let packets = 0;
const t0 = process.hrtime.bigint();
await openCapture(path).run((pkt) => {
  decodePacket(pkt, d);
  packets++;
  // Touch a decoded field so the work cannot be optimised away.
  if ((d.layers & Layer.Tcp) !== 0) tcp += d.tcp.srcPort & 1;
});
const seconds = Number(process.hrtime.bigint() - t0) / 1e9;

const KEEP = 300_000;
const chunks = [];
const meta = [];
let linkType = 1;
let total = 0;
await openCapture(path).run((pkt) => {
  if (meta.length >= KEEP) return false;
  linkType = pkt.linkType;
  chunks.push(Buffer.from(pkt.bytes.subarray(pkt.offset, pkt.offset + pkt.caplen)));
  meta.push([total, pkt.caplen, pkt.origLen]);
  total += pkt.caplen;
});
const all = Buffer.concat(chunks);
const rec = createPacketRecord();
rec.bytes = all;
rec.linkType = linkType;
let decoded = 0;
const t1 = process.hrtime.bigint();
for (let round = 0; round < 5; round++) {
  for (let i = 0; i < meta.length; i++) {
    const m = meta[i];
    rec.offset = m[0]; rec.caplen = m[1]; rec.origLen = m[2]; rec.frame = i + 1;
    decodePacket(rec, d);
    if ((d.layers & Layer.Tcp) !== 0) tcp += d.tcp.srcPort & 1;
    decoded++;
  }
}
const decodeSeconds = Number(process.hrtime.bigint() - t1) / 1e9;
console.log(JSON.stringify({ packets, seconds, pps: packets / seconds, decoded, decodeSeconds, decodePps: decoded / decodeSeconds, tcp }));
