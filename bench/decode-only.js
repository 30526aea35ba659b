// Reads and decodes every packet of a capture without printing, and reports
// packets per second: the cost of the source and decode stages alone.
import { openCapture } from '../dist/source/capture-file.js';
import { decodePacket, DecodedPacket, Layer } from '../dist/decode/index.js';

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
console.log(JSON.stringify({ packets, seconds, pps: packets / seconds, tcp }));
