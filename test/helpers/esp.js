// Shared by the test/esp-*.test.js files: run the ESP analyzer over a capture.
import { openCapture, decodePacket, DecodedPacket } from '../../dist/index.js';
import { EspAnalyzer, parseEspSecrets } from '../../dist/analyze/esp/index.js';
import { Layer } from '../../dist/decode/index.js';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { corpusFile } from './corpus.js';

export const fixture = (name) => fileURLToPath(new URL(`../../fixtures/${name}`, import.meta.url));
export const corpus = (name) => corpusFile('tcpdump-tests', name);

export function fixtureSecrets() {
  return parseEspSecrets(readFileSync(fixture('esp-secrets.txt'), 'utf8'), 'esp-secrets.txt');
}

/** Runs EspAnalyzer over `path`; returns { events, report, inner, analyzer }. */
export async function analyzeEsp(path, options = {}, { keepInner = false } = {}) {
  const events = [];
  const inner = [];
  const analyzer = new EspAnalyzer(options, (e) => events.push(e));
  if (keepInner) {
    analyzer.onInnerPacket = (d) => {
      const b = d.bytes;
      const addr = (o) => d.ipVersion === 4 ? Array.from(b.subarray(o, o + 4)).join('.') : Buffer.from(b.subarray(o, o + 16)).toString('hex');
      inner.push({
        frame: d.pkt.frame, version: d.ipVersion, src: addr(d.srcAddrOffset), dst: addr(d.dstAddrOffset),
        protocol: d.ipProtocol, layers: d.layers,
        tcp: (d.layers & Layer.Tcp) ? { sport: d.tcp.srcPort, dport: d.tcp.dstPort, seq: d.tcp.seq, len: d.tcp.payloadLength } : null,
        bytes: Buffer.from(b.subarray(d.pkt.offset, d.pkt.offset + d.pkt.caplen)),
      });
    };
  }
  const d = new DecodedPacket();
  await openCapture(path).run((pkt) => { analyzer.onPacket(decodePacket(pkt, d)); });
  analyzer.finish();
  return { events, report: analyzer.report(), inner, analyzer };
}

export const kinds = (events) => events.map((e) => e.kind);
export const ofKind = (events, kind) => events.filter((e) => e.kind === kind);
