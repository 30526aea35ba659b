// Live capture with every packet decoded and nothing printed: the consumer
// side of `zsniff capture` at its hottest (ring -> PacketRecord -> decode),
// for capture-bench.js. Usage: node capture-decode-consumer.js IFACE [FILTER]
// Prints "listening on" and tcpdump-style statistics on stderr, as the CLI does.
import { LiveCapture } from '../dist/source/live/live-capture.js';
import { DecodedPacket, decodePacket } from '../dist/decode/index.js';

const [device, filter] = process.argv.slice(2);
const capture = LiveCapture.open({ device, filter, ringMiB: 64, bufferKiB: 65536 });
const decoded = new DecodedPacket();
let checksum = 0;
process.on('SIGINT', () => capture.stop());
process.on('SIGTERM', () => capture.stop());
process.stderr.write(`listening on ${device}\n`);
const info = await capture.run((pkt) => {
  decodePacket(pkt, decoded);
  checksum = (checksum + pkt.origLen) | 0;
});
const s = info.live;
process.stderr.write(`${s.captured} packets captured\n${s.received} packets received by filter\n` +
  `${s.kernelDrops} packets dropped by kernel\n${s.interfaceDrops} packets dropped by interface\n` +
  `${s.ringDrops} packets dropped by ring\n(checksum ${checksum})\n`);
