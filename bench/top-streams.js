// The capture zsniff top's benchmarks replay: STREAMS TCP connections open
// at once for DURATION seconds; each sends a 100-byte segment every INTERVAL
// seconds (spread evenly, so with refreshes every 200 ms and INTERVAL 2 a
// tenth of the streams move per refresh) and is ACKed; one in ten loses a
// segment now and then and resends it 50 ms later.
import { writeFileSync } from 'node:fs';
import { pcapFile } from '../test/helpers/capture-files.js';
import { ethernet, ipv4, tcp, TCP_FLAGS } from '../test/helpers/packets.js';

const FIRST_SECOND = 1_700_000_000;

export function manyStreamPackets(streams, duration, interval = 0.2) {
  const packets = [];
  const at = (t) => ({ tsSec: FIRST_SECOND + Math.floor(t), tsNsec: Math.round((t % 1) * 1e9) });
  const frame = (src, dst, header, payload) => ethernet({ type: 0x0800, payload: ipv4({ src, dst, proto: 6, payload: tcp({ src, dst, payload, ...header }) }) });
  const data = new Uint8Array(100);
  const lossEvery = Math.max(2, Math.round(1.4 / interval));
  for (let tick = 0; tick * interval < duration; tick++) {
    for (let s = 0; s < streams; s++) {
      const t = tick * interval + (s / streams) * interval;
      const client = `10.${1 + (s >> 8)}.${s & 255}.1`, server = '10.200.0.1';
      const sport = 20000 + s;
      const seq = 1000 + tick * 100;
      const lossy = s % 10 === 3 && tick % lossEvery === lossEvery - 1;
      packets.push({ ...at(t), bytes: frame(client, server, { sport, dport: 443, seq, ack: 1, flags: TCP_FLAGS.ACK | TCP_FLAGS.PSH }, data) });
      if (lossy) packets.push({ ...at(t + 0.05), bytes: frame(client, server, { sport, dport: 443, seq, ack: 1, flags: TCP_FLAGS.ACK | TCP_FLAGS.PSH }, data) });
      packets.push({ ...at(t + (lossy ? 0.051 : 0.001)), bytes: frame(server, client, { sport: 443, dport: sport, seq: 1, ack: seq + 100, flags: TCP_FLAGS.ACK }, new Uint8Array(0)) });
    }
  }
  return packets.sort((a, b) => a.tsSec - b.tsSec || a.tsNsec - b.tsNsec);
}

export function writeManyStreams(path, streams, duration, interval = 0.2) {
  const packets = manyStreamPackets(streams, duration, interval);
  writeFileSync(path, pcapFile(packets));
  return packets.length;
}
