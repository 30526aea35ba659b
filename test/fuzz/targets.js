/**
 * The fuzz targets. Each has `gen(rng)` producing an input `{ bytes, meta }`
 * (meta: a small JSON value that is shared, not rebuilt, when it does not
 * change, so the worker can skip re-serialising it) and `run(input)` that
 * throws on a bug: an exception other than the documented ones, an output
 * invariant broken, unsafe terminal text. `kind` says how a crash input is
 * saved: 'file' inputs are capture files already, 'packet' inputs become a
 * one-packet pcap of `meta.lt`, 'raw' inputs are saved as they are.
 */
import { Readable } from 'node:stream';
import * as zlib from 'node:zlib';
import { createCipheriv, createHmac } from 'node:crypto';
import { PcapReader } from '../../dist/source/pcap-reader.js';
import { PcapngReader, PCAPNG_BLOCK } from '../../dist/source/pcapng-reader.js';
import { isPcapMagic } from '../../dist/source/pcap-format.js';
import { openCapture } from '../../dist/source/capture-file.js';
import { CaptureFormatError } from '../../dist/source/packet-record.js';
import { MAX_PCAP_CAPLEN, MAX_PCAPNG_BLOCK } from '../../dist/source/record-parser.js';
import { BpfProgram } from '../../dist/source/bpf-program.js';
import { decodePacket, DecodedPacket, Layer } from '../../dist/decode/index.js';
import { IpReassembler, REASSEMBLY_LIMITS } from '../../dist/decode/reassembly.js';
import { PacketLinePrinter } from '../../dist/sink/lines/line-printer.js';
import { PacketJsonFormatter } from '../../dist/sink/json.js';
import { createLinePalette } from '../../dist/sink/color.js';
import { AnalysisSession, defaultAnalyzers } from '../../dist/analyze/index.js';
import { TcpGraphCollector } from '../../dist/analyze/tcp/graph-data.js';
import { EspDecryptor, DecryptStatus, parseEspSecret, parseEspSecrets } from '../../dist/analyze/esp/index.js';
import { renderSummary } from '../../dist/sink/report/summary.js';
import { buildModel } from '../../dist/sink/graph/model.js';
import { renderSvgGraph } from '../../dist/sink/graph/svg.js';
import { renderTerminalGraph } from '../../dist/sink/graph/terminal.js';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { mutate, Rng } from './mutate.js';
import { FIXTURES, LINK_TYPES, fileFields, loadSeeds, packetFields } from './seeds.js';
import {
  IPPROTO, TCP_FLAGS as TCP, ah, concat, espPacket, ethernet, ipPacket, ipv4, ipv6, ipv6Fragment, latin1, tcp, udp,
} from '../helpers/packets.js';
import { pcapFile } from '../helpers/capture-files.js';
import { assertSvgSafe, assertTerminalSafe } from '../helpers/terminal-safe.js';
import { DNS_CASES } from '../helpers/dns-cases.js';
import { wifiLinesTarget } from './wifi-target.js';

export class InvariantError extends Error {
  constructor(message) { super(message); this.name = 'InvariantError'; }
}
const invariant = (ok, msg) => { if (!ok) throw new InvariantError(msg); };

function record(bytes, lt, frame = 1) {
  return { frame, tsSec: 1_700_000_000, tsNsec: 0, caplen: bytes.length, origLen: bytes.length, linkType: lt, interfaceId: 0, bytes, offset: 0, fileOffset: 0 };
}

// ---------------------------------------------------------------- inputs

const fieldCache = new WeakMap();
function fieldsOf(bytes, lt) {
  let f = fieldCache.get(bytes);
  if (!f) { f = lt === -1 ? fileFields(bytes) : packetFields(bytes, lt); fieldCache.set(bytes, f); }
  return f;
}

const LINK_META = new Map(LINK_TYPES.map((lt) => [lt, { lt }]));

/** A mutated (or, sometimes, random or unmutated) packet of a random supported link type. */
function genPacket(rng, seeds) {
  const lt = rng.pick(LINK_TYPES);
  const list = seeds.packets.get(lt);
  if (list.length === 0 || rng.chance(0.03)) return { bytes: rng.bytes(rng.smallish(200)), meta: LINK_META.get(lt) };
  const seed = rng.pick(list);
  if (rng.chance(0.05)) return { bytes: seed, meta: LINK_META.get(lt) };
  const other = rng.chance(0.2) ? rng.pick(list) : null;
  return { bytes: mutate(rng, seed, { fields: fieldsOf(seed, lt), other, maxLen: 65535 + 64 }), meta: LINK_META.get(lt) };
}

/** A mutated capture file; sometimes built from mutated packets instead. */
function genFile(rng, seeds) {
  if (rng.chance(0.25)) {
    const lt = rng.pick(LINK_TYPES);
    const pk = [];
    const n = 1 + rng.smallish(20);
    for (let i = 0; i < n; i++) pk.push({ bytes: genPacket(rng, seeds).bytes, tsSec: 1e9 + i, origLen: rng.chance(0.1) ? rng.u32() : undefined });
    const f = pcapFile(pk, { linkType: lt, snaplen: rng.chance(0.1) ? rng.u32() : 262144 });
    return rng.chance(0.5) ? f : mutate(rng, f, { fields: fileFields(f) });
  }
  const seed = rng.pick(seeds.files);
  const other = rng.chance(0.1) ? rng.pick(seeds.files) : null;
  return mutate(rng, seed, { fields: fieldsOf(seed, -1), other, maxLen: 512 * 1024 });
}

// ---------------------------------------------------------------- readers

const FILE_META = {};

/**
 * Drives a reader like capture-file.ts does, over a buffer that grows in
 * random steps (so records straddle "chunks"), checking each record's bounds.
 */
function readInMemory(bytes, cuts) {
  const info = { name: 'fuzz', format: 'pcap', compressed: false, interfaces: [], statistics: [], packets: 0, bytesRead: 0 };
  if (bytes.length < 4) return 0;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const le = view.getUint32(0, true), be = view.getUint32(0, false);
  let parser;
  if (le === PCAPNG_BLOCK.SECTION_HEADER) parser = new PcapngReader(info);
  else if (isPcapMagic(le) || isPcapMagic(be)) parser = new PcapReader(info);
  else return 0;
  let end = Math.min(bytes.length, cuts[0] ?? bytes.length);
  let cutIndex = 1;
  let frames = 0;
  const pcapng = parser instanceof PcapngReader;
  const onPacket = (p) => {
    invariant(p.bytes === bytes, 'record does not point into the buffer');
    invariant(Number.isInteger(p.offset) && p.offset >= 0 && p.caplen >= 0 && p.offset + p.caplen <= end,
      `record [${p.offset}, +${p.caplen}) outside the buffered bytes [0, ${end})`);
    invariant(p.caplen <= (pcapng ? MAX_PCAPNG_BLOCK : MAX_PCAP_CAPLEN), `caplen ${p.caplen} above the bound`);
    invariant(p.frame === ++frames, `frame ${p.frame} after ${frames - 1}`);
    invariant(p.tsNsec >= 0 && p.tsNsec < 1e9 && Number.isFinite(p.tsSec), `timestamp ${p.tsSec}.${p.tsNsec}`);
    invariant(p.interfaceId >= 0 && p.interfaceId < info.interfaces.length, `interface ${p.interfaceId} of ${info.interfaces.length}`);
  };
  let pos = 0;
  const grow = () => { end = Math.min(bytes.length, Math.max(end + 1, cuts[cutIndex++] ?? bytes.length)); };
  // open(): the file header and what precedes the first packet.
  for (;;) {
    pos = parser.parse(bytes, view, pos, end, 0, null);
    invariant(pos >= 0 && pos <= end, `header parse returned ${pos} outside [0, ${end}]`);
    if (parser.needed === 0 && end - pos > 0) break;
    if (end === bytes.length) { parser.finish(view, pos, end, 0); break; }
    grow();
  }
  // run(): records until the end, as the buffer fills.
  for (let guard = 0; ; guard++) {
    invariant(guard < 1e6, 'reader loop does not end');
    const before = pos;
    pos = parser.parse(bytes, view, pos, end, 0, onPacket);
    invariant(pos >= before && pos <= end, `parse returned ${pos} outside [${before}, ${end}]`);
    if (parser.stopped) return frames;
    invariant(parser.needed > end - pos, `parser stopped at ${pos} needing ${parser.needed} with ${end - pos} bytes buffered`);
    if (end === bytes.length) { parser.finish(view, pos, end, 0); return frames; }
    grow();
  }
}

const readerTarget = {
  name: 'reader',
  kind: 'file',
  gen(rng, seeds) {
    const bytes = genFile(rng, seeds);
    const cuts = [];
    if (rng.chance(0.5)) {
      let c = 0;
      for (let i = 0; i < 4; i++) { c += 1 + rng.int(Math.max(1, bytes.length >> 1)); cuts.push(c); }
    }
    return { bytes, meta: cuts.length ? { cuts } : FILE_META };
  },
  run({ bytes, meta }) {
    try {
      readInMemory(bytes, meta.cuts ?? []);
    } catch (e) {
      if (!(e instanceof CaptureFormatError)) throw e;
    }
  },
};

/** The real driver (chunked stream input, gzip detection, buffer growth) fed from memory. */
const captureStreamTarget = {
  name: 'capture-stream',
  kind: 'file',
  gen(rng, seeds) {
    let bytes = genFile(rng, seeds);
    if (rng.chance(0.3)) {
      bytes = new Uint8Array(zlib.gzipSync(bytes, { level: 1 }));
      if (rng.chance(0.4)) bytes = mutate(rng, bytes, {});
    }
    return { bytes, meta: { chunk: 1 + rng.int(bytes.length + 1) } };
  },
  async run({ bytes, meta }) {
    const chunks = [];
    const step = Math.max(1, meta.chunk ?? bytes.length);
    for (let i = 0; i < bytes.length; i += step) chunks.push(Buffer.from(bytes.subarray(i, i + step)));
    const file = openCapture('-', { stdin: Readable.from(chunks), chunkSize: 64 * 1024 });
    const d = new DecodedPacket();
    try {
      await file.run((p) => {
        invariant(p.offset + p.caplen <= p.bytes.length, 'record outside its buffer');
        decodePacket(p, d);
      });
    } catch (e) {
      if (!(e instanceof CaptureFormatError)) throw e;
    }
  },
};

// ---------------------------------------------------------------- decoders and per-packet renderers

const decoded = new DecodedPacket();

function checkDecoded(d, end) {
  const within = (o, what) => invariant(o >= 0 && o <= end, `${what} offset ${o} beyond the capture (${end})`);
  if (d.ipVersion) { within(d.networkOffset, 'network'); within(d.srcAddrOffset + d.addressLength, 'source address'); }
  if (d.has(Layer.Tcp)) {
    within(d.tcp.o + 20, 'tcp header');
    invariant(d.tcp.payloadLength >= 0, `negative tcp payload ${d.tcp.payloadLength}`);
    invariant(d.tcp.capturedPayloadLength <= end - d.tcp.o, 'tcp captured payload beyond the capture');
    // A cut-short option keeps its declared length (the printers say so); only its start must be captured.
    for (let i = 0; i < d.tcp.optionCount; i++) within(d.tcp.optionOffset[i] + 1, 'tcp option');
  }
  if (d.has(Layer.Udp)) within(d.udp.o + 8, 'udp header');
  if (d.has(Layer.Esp)) within(d.esp.o + 8, 'esp header');
  if (d.has(Layer.Ah)) within(d.ah.o + 12, 'ah header');
  for (let i = 0; i < d.ipv6.extensionCount; i++) within(d.ipv6.extensionOffset[i] + 2, 'ipv6 extension');
}

const decodeTarget = {
  name: 'decode',
  kind: 'packet',
  gen: genPacket,
  run({ bytes, meta }) {
    const r = record(bytes, meta.lt);
    if (bytes.length > 1 && (bytes[0] & 1)) r.origLen = bytes.length + bytes[1] * 97;
    const d = decodePacket(r, decoded);
    checkDecoded(d, bytes.length);
  },
};

let printers = null;
const PRINTER_OPTIONS = [
  {}, { verbose: 1 }, { verbose: 2, link: true }, { verbose: 3, link: true, hexAscii: 1 }, { hex: 1 }, { hex: 2 },
  { hexAscii: 2 }, { ascii: 1 }, { ascii: 2, link: true }, { quiet: true }, { absoluteSequence: true, timestampMode: 3 },
  { timestampMode: 4, nanoPrecision: true, verbose: 1 }, { color: true, verbose: 2, link: true }, { color: true, hexAscii: 1, verbose: 1 },
  { timestampMode: 5, ascii: 1, verbose: 1 }, { color: true, quiet: true, ascii: 2 },
];
const LINE_META = [];
for (const lt of LINK_TYPES) for (let o = 0; o < PRINTER_OPTIONS.length; o++) LINE_META.push({ lt, o });

function printerFor(o) {
  if (!printers) {
    printers = PRINTER_OPTIONS.map((opt) => new PacketLinePrinter({ ...opt, palette: opt.color ? createLinePalette() : null, maxTcpConversations: 64 }));
  }
  return printers[o];
}

const linesTarget = {
  name: 'lines',
  kind: 'packet',
  gen(rng, seeds) {
    const { bytes, meta } = genPacket(rng, seeds);
    return { bytes, meta: LINE_META[LINK_TYPES.indexOf(meta.lt) * PRINTER_OPTIONS.length + rng.int(PRINTER_OPTIONS.length)] };
  },
  run({ bytes, meta }) {
    const r = record(bytes, meta.lt);
    if (bytes.length > 2 && (bytes[bytes.length - 1] & 3) === 0) r.origLen = bytes.length + bytes[2] * 13;
    const out = printerFor(meta.o).format(r);
    invariant(out.endsWith('\n'), 'line without a newline');
    assertTerminalSafe(out, 'line printer', { tabs: true, sgr: Boolean(PRINTER_OPTIONS[meta.o].color) });
  },
};

/** DNS messages from the hand-built cases (their transport headers cut off: UDP 42 bytes in, TCP 56 after its length prefix). */
let dnsSeeds = null;
function dnsSeedList() {
  if (!dnsSeeds) dnsSeeds = DNS_CASES.filter((c) => !c.hostile).map((c) => Uint8Array.from(c.bytes.slice(c.bytes[23] === 17 ? 42 : 56)));
  return dnsSeeds;
}

/** A message whose names are mostly compression pointers and short labels: loops, chains, runs re-walked. */
function pointerDenseMessage(rng) {
  const n = 12 + rng.smallish(rng.chance(0.1) ? 60000 : 600);
  const b = rng.bytes(n);
  for (let i = 12; i < n; i++) {
    const r = rng.int(10);
    if (r < 3) { b[i] = 0xc0 | rng.int(n >> 8 > 0 ? Math.min(63, n >> 8) + 1 : 1); if (i + 1 < n) b[++i] = rng.int(256); }
    else if (r < 7) b[i] = 1 + rng.int(3);
    else if (r < 8) b[i] = 0;
  }
  for (let k = 4; k < 12; k += 2) { b[k] = rng.chance(0.8) ? 0 : rng.int(256); b[k + 1] = rng.int(rng.chance(0.5) ? 8 : 256); }
  return b;
}

const DNS_VERBOSITY = [0, 1, 2, 3].map((verbose) => ({ lt: 1, verbose }));
const dnsPrinters = DNS_VERBOSITY.map(({ verbose }) => new PacketLinePrinter({ verbose, maxTcpConversations: 64 }));

/** DNS over UDP 53, mDNS, and DNS over TCP 53 (length prefix right or not), from mutated or pointer-dense messages. */
const dnsTarget = {
  name: 'dns',
  kind: 'packet',
  gen(rng) {
    const msg = rng.chance(0.5) ? pointerDenseMessage(rng) : mutate(rng, rng.pick(dnsSeedList()), { maxLen: 65000 });
    const how = rng.int(3);
    let ip;
    if (how < 2) {
      const port = how === 0 ? 53 : 5353;
      ip = ipPacket({ proto: IPPROTO.UDP, payload: udp({ sport: 40000, dport: port, payload: msg }) });
    } else {
      const len = rng.chance(0.8) ? msg.length : rng.int(65536);
      const payload = concat(Uint8Array.of(len >> 8, len & 255), msg);
      ip = ipPacket({ proto: IPPROTO.TCP, payload: tcp({ sport: 53, dport: 40000, flags: TCP.ACK | TCP.PSH, payload }) });
    }
    return { bytes: concat(Uint8Array.of(0x02, 0, 0, 0, 0, 2, 0x02, 0, 0, 0, 0, 1, 0x08, 0x00), ip), meta: rng.pick(DNS_VERBOSITY) };
  },
  run({ bytes, meta }) {
    const r = record(bytes, 1);
    // Sometimes a short capture of a longer packet, to cut names and records anywhere.
    if (bytes.length > 60 && (bytes[bytes.length - 1] & 3) === 0) r.caplen = 42 + ((bytes[bytes.length - 2] << 8 | bytes[bytes.length - 3]) % (bytes.length - 41));
    const out = dnsPrinters[meta.verbose].format(r);
    invariant(out.endsWith('\n'), 'line without a newline');
    assertTerminalSafe(out, 'DNS line');
  },
};

/**
 * Tunnels inside tunnels (GRE, IP-in-IP, MPLS, VXLAN, Geneve, PPPoE,
 * bridged Ethernet), up to far past any bound, then mutated: the printers
 * must stay bounded on a nesting bomb and keep their invariants.
 */
const ETH_HEADER = Uint8Array.of(0, 1, 2, 3, 4, 5, 0, 1, 2, 3, 4, 6);
const ethFrame = (type, payload) => concat(ETH_HEADER, Uint8Array.of(type >> 8, type & 255), payload);
const TUNNEL_WRAPS = [
  (inner) => ({ type: 0x0800, bytes: ipPacket({ proto: 47, payload: concat(Uint8Array.of(0x30, 0, 8, 0, 0, 0, 0, 7, 0, 0, 0, 1), inner) }) }),
  (inner) => ({ type: 0x0800, bytes: ipPacket({ proto: 4, payload: inner }) }),
  (inner) => ({ type: 0x8847, bytes: concat(Uint8Array.of(0, 0x10, 0x01, 64), inner) }),
  (inner) => ({ type: 0x0800, bytes: ipPacket({ proto: 17, payload: udp({ sport: 40000, dport: 4789, payload: concat(Uint8Array.of(8, 0, 0, 0, 0, 0, 42, 0), ethFrame(0x0800, inner)) }) }) }),
  (inner) => ({ type: 0x0800, bytes: ipPacket({ proto: 17, payload: udp({ sport: 40000, dport: 6081, payload: concat(Uint8Array.of(0, 0, 8, 0, 0, 0, 9, 0), inner) }) }) }),
  (inner) => ({ type: 0x8864, bytes: concat(Uint8Array.of(0x11, 0, 0, 1, inner.length + 2 >> 8, (inner.length + 2) & 255, 0, 0x21), inner) }),
  (inner) => ({ type: 0x0800, bytes: ipPacket({ proto: 47, payload: concat(Uint8Array.of(0, 0, 0x65, 0x58), ethFrame(0x0800, inner)) }) }),
];

function tunnelBomb(rng) {
  let bytes = ipPacket({ proto: IPPROTO.TCP, payload: tcp({ flags: TCP.SYN }) });
  let type = 0x0800;
  const depth = rng.chance(0.2) ? rng.range(30, 400) : rng.int(12);
  for (let i = 0; i < depth; i++) {
    // A wrap may announce IPv4 around MPLS or PPPoE: mismatches are inputs too.
    ({ type, bytes } = rng.pick(TUNNEL_WRAPS)(bytes));
    if (bytes.length > 60000) break;
  }
  return ethFrame(type, bytes);
}

const TUNNEL_LINE_OPTIONS = [0, 1, 2, 9];
const tunnelLinesTarget = {
  name: 'lines-tunnels',
  kind: 'packet',
  gen(rng) {
    const bomb = tunnelBomb(rng);
    const bytes = rng.chance(0.6) ? mutate(rng, bomb, { maxLen: 65535 }) : bomb;
    return { bytes, meta: LINE_META[LINK_TYPES.indexOf(1) * PRINTER_OPTIONS.length + rng.pick(TUNNEL_LINE_OPTIONS)] };
  },
  run(input) {
    linesTarget.run(input);
  },
};

/** Pieces text-protocol payloads are built from: request words, status codes, blanks, line ends, controls. */
const TEXT_PIECES = ['SSH-', 'SSH-2.0-OpenSSH_9.6', 'GET', 'get', 'HTTP/1.1', 'SIP/2.0', 'INVITE', 'OPTIONS', 'RTSP/1.0', 'CONNECT', '200', '2000', '20',
  ' ', '  ', '\t', '\r', '\n', '\r\n', '/index.html', 'Host: a', 'A'.repeat(127), 'B'.repeat(129), '\x1b[2J', '\x1b]52;c;eA==\x07',
  '\x9b31m', '\xe9', '\x00', '\x7f', '\xff', '\xff\xfa', '\xff\xf0', '\xff\xfd\x03', '\xfa%', '\xfa&'].map((p) => Uint8Array.from(Buffer.from(p, 'latin1')));
const TEXT_PORTS = [80, 8080, 25, 21, 43, 554, 8554, 5060, 23, 22];
const TEXT_META = [0, 1, 2].flatMap((verbose) => TEXT_PORTS.map((port) => ({ lt: 1, port, verbose })));
let textPrinters = null;

/** HTTP, SMTP, FTP, WHOIS, RTSP, SIP, telnet and SSH payloads: every printed text line is payload text, nothing unsafe. */
const txtprotoTarget = {
  name: 'txtproto',
  kind: 'packet',
  gen(rng) {
    const parts = [];
    for (let n = rng.smallish(40); n > 0; n--) parts.push(rng.pick(TEXT_PIECES));
    let payload = concat(...parts);
    if (rng.chance(0.3)) payload = mutate(rng, payload, { maxLen: 4096 });
    const meta = rng.pick(TEXT_META);
    const ip = meta.port === 5060
      ? ipPacket({ proto: IPPROTO.UDP, payload: udp({ sport: rng.pick([5060, 40000]), dport: 5060, payload }) })
      : ipPacket({ proto: IPPROTO.TCP, payload: tcp({ sport: 40000, dport: meta.port, flags: rng.pick([TCP.ACK | TCP.PSH, TCP.RST]), payload }) });
    let bytes = concat(Uint8Array.of(2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1, 8, 0), ip);
    if (rng.chance(0.3)) bytes = bytes.subarray(0, rng.int(bytes.length) + 1);
    return { bytes, meta };
  },
  run({ bytes, meta }) {
    textPrinters ??= [0, 1, 2].map((verbose) => new PacketLinePrinter({ verbose, maxTcpConversations: 64 }));
    const out = textPrinters[meta.verbose].format(record(bytes, meta.lt));
    invariant(out.endsWith('\n'), 'line without a newline');
    assertTerminalSafe(out, 'text protocol line', { tabs: true });
    const payloadText = Buffer.from(bytes).toString('latin1');
    const m = /(?:length \d+: |\.\d+ > [\d.]+: )(?:HTTP|SMTP|FTP|WHOIS|RTSP|SIP)(?:: |, length: \d+\n\t)(.*)$/s.exec(out.slice(0, -1));
    if (!m) return;
    for (const shown of m[1].split('\n\t')) {
      const text = shown.replace(/ \[\|[a-z]+\]$/, '');
      invariant(payloadText.includes(text), `printed text not in the payload: ${JSON.stringify(text.slice(0, 80))}`);
    }
  },
};

/** Payloads the UDP application printers read (BOOTP, DHCPv6, NTP, SNMP v1/v2c/v3, syslog, TFTP), by port. */
const fromHex = (h) => Uint8Array.from(h.match(/../g) ?? [], (x) => parseInt(x, 16));
const dhcpDiscover = () => {
  const b = new Uint8Array(300);
  b.set([1, 1, 6, 0, 0x12, 0x34, 0x56, 0x78]); b.set([0, 0x0c, 0x29, 1, 2, 3], 28); b.set([99, 130, 83, 99, 53, 1, 1, 255], 236);
  return b;
};
const UDP_APP_SEEDS = [
  [67, dhcpDiscover()], [68, dhcpDiscover().fill(2, 0, 1)],
  [547, fromHex('01df372f0008000200650001000e000100012169a973080027166659')], [546, fromHex('0c00200108a8100600030225')],
  [123, fromHex('e30004fa000100000001000000000000000000000000000000000000000000000000000000000000d4c5f0a3e3b5c4a1')],
  [161, fromHex('3027020101040b5b52305f4340637469215da11502042b133f85020100020100300730050601010500')],
  [162, fromHex('303802010004067075626c6963a42b06092b060104010401021540047f000001020100020100430100300f300d06082b06010201020100020121')],
  [161, fromHex('303e020103301102042f4f04a2020300ffe304010402010304103010040004000201000201000400040004003014040004003010a80e02040d0a0c8b020100020100300030')],
  [514, latin1('<34>Oct 11 22:14:15 mymachine su: \x1b]52;c;aGk=\x07 failed')],
  [69, fromHex('0002726663313335302e747874006f6374657400')], [69, fromHex('0005000157686f7073ff1b5b3243')],
  [500, fromHex('0123456789abcdef000000000000000001100200000000000000001c')],
  [4500, fromHex('00000000' + '0123456789abcdef1111111111111111212024080000000200000024')],
  [88, fromHex('0402' + '61646d696e00' + '696e737400' + '5245414c4d00' + '00000000' + '0c' + '6b72627467741b5b3200' + '5245414c4d00')],
  // Babel (a Hello, an Update with omitted prefix bytes, a trailer), BFD with SHA1 authentication, RIPv2 with a password,
  // RIPng, sFlow, AHCP, RADIUS, L2TP control AVPs and a data message with PPP, LISP Map-Register: tcpdump's test captures.
  [6696, fromHex('2a02002c0406000000010190080e030000b0000064000100001000000a0000fe80000000000000080e03000001000064010000020000000b01ff')],
  [6696, fromHex('2a0201a804060000e3160190080a00400000ffffa1afffff090200000b0600024fd0c1f00c16001ead0fa7cd8d5a1898ec5409c8edda68b3aca21b800c')],
  [3784, fromHex('204405340000000100000000000f4240000f424000000000051c020000000005010203040506070809101112131415161718191aea6d1f21')],
  [4784, fromHex('20c0031889860b19457f745100061a8000061a8000061a80')],
  [520, fromHex('01020000ffff00026162636465666768696a6b6c6d6e6f700002000a000001ffffff000000000000000001')],
  [521, fromHex('02010000fe800000000000000000000000000001000040010000000000000000000000000000000000000010')],
  [6343, fromHex('000000050000000200300000000000000000000100010001000000000000006d0001b9680000000100000002000000a8')],
  [5359, fromHex('2b0101017ce311356aa3c4fffef4841effffffffffffffff000000180204527f3cee0304000001a209040000000006000c000d00')],
  [1812, fromHex('0105008becfe3d2fe4473ec6299095ee46aedf7704060a00000105060000c35c3d060000000f010e4a6f686e2e4d63477569726b')],
  [1701, fromHex('c80200400000000000000000800800000000000180080000000200010008000000060101800a0000000300000003000a0000000400000000')],
  [1701, fromHex('0002000100020000ff03c021010100040000')],
  // timed, Cisco Auto-RP, LWAPP data and control, SOME/IP, OTV with an Ethernet frame inside.
  [525, fromHex('18013c8a0a000000000000004f54544f2e746573746c61622e6465762e626c75656172632e636f6d00')],
  [525, fromHex('05013c8bfffffff5000f424000')],
  [496, fromHex('11f803d01502d50a01eb6305e8a102000400001f1421ff0000002b')],
  [12222, fromHex('081d0018e34200400000000b8524e89000028ad8de9a000b8524e8905310')],
  [12223, fromHex('08bf002101000010000000028ad8de9a000b8524e890000b8524e890000004210000c001010196')],
  [30490, fromHex('ffff81000000004000000000010102008000000000000020000000004711ffffff000e10ffffffff')],
  [8472, fromHex('080000000000640000308801000200163e37f604080045000054000040004001234fc0a8cb03c0a8cb050800f6f2050c0001fce29751')],
  [4342, fromHex('32001102c4218228892d20a4000100144bbb9614a67a86040407799545371906836cd1d6000005a001201000000000010a1e01640164016400000001141408fd')],
];
const UDP_APP_META = PRINTER_OPTIONS.map((_, o) => ({ lt: 1, o }));

const udpAppsTarget = {
  name: 'udp-apps',
  kind: 'packet',
  gen(rng) {
    const [port, seed] = rng.pick(UDP_APP_SEEDS);
    const payload = rng.chance(0.1) ? rng.bytes(rng.int(64)) : mutate(rng, seed, { maxLen: 2048 });
    const other = rng.pick([port, 1024 + rng.int(60000), 53, 2049, 7001]);
    const datagram = udp(rng.chance(0.5) ? { sport: other, dport: port, payload } : { sport: port, dport: other, payload });
    if (rng.chance(0.05)) { const l = rng.int(datagram.length + 32); datagram[4] = l >> 8; datagram[5] = l & 255; }
    const v6 = rng.chance(0.3);
    let bytes = ethernet({ payload: ipPacket({ src: v6 ? 'fe80::1' : '10.0.0.1', dst: v6 ? 'ff02::1:2' : '10.0.0.2', proto: IPPROTO.UDP, payload: datagram }) });
    if (rng.chance(0.2)) bytes = bytes.slice(0, 1 + rng.int(bytes.length));
    return { bytes, meta: rng.pick(UDP_APP_META) };
  },
  run: linesTarget.run,
};

/** Ethernet frames of what rides besides IP: LLC/SNAP (STP, MSTP, IS-IS, IPX, UDLD, DTP) and ethertypes (PTP, AoE, DECnet, loopback), from tcpdump's test captures. */
const LINK_PROTOCOL_SEEDS = [
  fromHex('0180c2000000001906eab885002642420300000000008001001906eab880000000008001001906eab88080050000140002000f000000000000000000'),
  fromHex('0180c2000000001ef705a8928100e000008942420300000302380000001f27b47d8000030d408000001646b58c8080120100140002000f0000006000427265776572790000000000000000000000000000000000000000000000000000009357ebb7a8d74dd5fef4f2bab50531aa00030d408000001ef705a88014fc6001001ef705a88000000000608014f88002001646b58c8000030d40808014'),
  fromHex('0180c2000014c202299800010056fefe0383210100180100000053333333333333000000000000000000ffffffffffffffff093004a022222222222200000000000e5910047b3333333333330000000000101749027a3333333333330200000000047f9f'),
  fromHex('ffffffffffff0030c1bf57550063e0e003ffff0060000000000000ffffffffffff0452000000000030c1bf575504520002030c303033304331424635373535383044304e50494246353735350000000000000000000000000000000000000000000000000000000030c1bf5755400c0001'),
  fromHex('01000ccccccc001906eab8810044aaaa0300000c011121036d850001000f464f43313033315a374a47000200094769302f310003000800000000000400050700050005050006000653310007000800000001'),
  fromHex('01000ccccccc001906eab8850025aaaa0300000c200401000100084c616200000200050400030005400004000a001906eab885000000000000000000'),
  fromHex('011b190000007483ef01ac5b88f70002002c000002000000000000000000000000007483efffff01ac16011200000000000000000000000000000000'),
  fromHex('ffffffffffff20cf3002b05288a21000ffffff0100000000000000000000000000000000000000000000000000000000000000000000000000000000'),
  fromHex('aa0004000104aa000400010460032200020104010400180000052001031340001d020000000000054c494e55580300000000'),
  fromHex('aa0004006904aa0004001d04900000000200aa0004001d040100010055555555555555555555555555555555555555555555555555555555555555555555555555555555'),
  fromHex('0cc47a08e91284b59cbe3048020045100034f5c840003e064504cc093384cc093650c39f001649d1c8546c6f132280100ffc858b00000101080a381c32094fe7cfd4'),
];

// LACP and LLDP (slow protocols and the system name).
LINK_PROTOCOL_SEEDS.push(
  fromHex('0180c20000020013c4120f0d88090101011480000013c4120f00000d800000168500000002148000000e8316f500000d80000019360000000310800000000000000000000000'),
  fromHex('0180c200000e002354c2570288cc020704002354c25702040703002354c25702060200780a0661626364656600000000'),
);

const linkProtocolsTarget = {
  name: 'link-protocols',
  kind: 'packet',
  gen(rng) {
    const bytes = mutate(rng, rng.pick(LINK_PROTOCOL_SEEDS), { maxLen: 2048 });
    return { bytes, meta: rng.pick(UDP_APP_META) };
  },
  run: linesTarget.run,
};

/**
 * ONC RPC to and from NFS (UDP and TCP 2049) and AFS Rx (UDP 7000-7007):
 * calls and replies from a few seeds, mutated, through one long-lived
 * printer so the call tables replies are read by fill, wrap and collide.
 */
const be32 = (...ws) => Uint8Array.from(ws.flatMap((w) => [(w >>> 24) & 255, (w >>> 16) & 255, (w >>> 8) & 255, w & 255]));
const rxHeader = (call, type, flags) => concat(be32(1, 2, call, 1, 1), Uint8Array.of(type, flags, 0, 0, 0, 0, 0, 1));
const RPC_SEEDS = [
  // NFSv3 LOOKUP call (AUTH_NULL), GETATTR reply with attributes, v2 READ call, a denied reply.
  [2049, true, concat(be32(7, 0, 2, 100003, 3, 3, 0, 0, 0, 0, 8, 1, 2), be32(3, 0x61620000))],
  [2049, false, concat(be32(7, 1, 0, 0, 0, 0, 0, 1, 0o100644, 1, 0, 0, 0, 512), new Uint8Array(60))],
  [2049, true, concat(be32(8, 0, 2, 100003, 2, 6, 1, 8, 0, 0, 0, 0), new Uint8Array(32), be32(0, 8192, 0))],
  [2049, false, be32(9, 1, 1, 1, 5)],
  // Rx: fs fetch-status call, vldb get-entry-by-name reply, pt name-to-id call, an ack.
  [7000, true, concat(rxHeader(5, 1, 1), be32(132, 1, 2, 3))],
  [7003, false, concat(rxHeader(6, 1, 0), new Uint8Array(400))],
  [7002, true, concat(rxHeader(9, 1, 1), be32(504, 2), new Uint8Array(512))],
  [7000, false, concat(rxHeader(5, 2, 0), Uint8Array.of(0, 1, 0, 0), be32(3, 0, 9), Uint8Array.of(1, 5, 1, 1, 0, 1, 1))],
];
const RPC_VERBOSITY = [0, 1, 2, 3];
let rpcPrinters = null;

const rpcTarget = {
  name: 'rpc',
  kind: 'packet',
  gen(rng) {
    const [port, toServer, seed] = rng.pick(RPC_SEEDS);
    let payload = rng.chance(0.8) ? mutate(rng, seed, { maxLen: 4096 }) : seed;
    const other = rng.chance(0.8) ? 800 + rng.int(4) : rng.pick([2049, 7001, 53]);
    const ports = toServer ? { sport: other, dport: port } : { sport: port, dport: other };
    // Two hosts, so replies find (or miss) their calls by address.
    const pair = rng.chance(0.5) ? ['10.0.0.1', '10.0.0.2'] : ['10.0.0.2', '10.0.0.1'];
    let ip;
    if (port === 2049 && rng.chance(0.4)) {
      const mark = rng.chance(0.8) ? (0x80000000 | payload.length) >>> 0 : rng.int(0x7fffffff);
      ip = ipPacket({ src: pair[0], dst: pair[1], proto: IPPROTO.TCP, payload: tcp({ ...ports, flags: TCP.ACK | TCP.PSH, payload: concat(be32(mark), payload) }) });
    } else {
      ip = ipPacket({ src: pair[0], dst: pair[1], proto: IPPROTO.UDP, payload: udp({ ...ports, payload }) });
    }
    let bytes = ethernet({ payload: ip });
    if (rng.chance(0.2)) bytes = bytes.slice(0, 1 + rng.int(bytes.length));
    return { bytes, meta: { verbose: rng.pick(RPC_VERBOSITY) } };
  },
  run({ bytes, meta }) {
    rpcPrinters ??= RPC_VERBOSITY.map((verbose) => new PacketLinePrinter({ verbose, maxTcpConversations: 64 }));
    const out = rpcPrinters[meta.verbose].format(record(bytes, 1));
    invariant(out.endsWith('\n'), 'line without a newline');
    assertTerminalSafe(out, 'RPC line');
  },
};

/** SCTP (ForCES included), PIM, VRRP, OSPF and EIGRP payloads after IPv4 or IPv6, by protocol number. */
const IP_PROTO_SEEDS = [
  [132, fromHex('df351a30dcec2f8f00000000' + '000300200000000000020005000000150000000000010003000000000000000000000000' + '03000010000000010000000b00000000')],
  [132, fromHex('1a301a3000000000000000000100001400000001000100000000ffff00000001')],
  [103, fromHex('2000f6560001000200690013000400000001')],
  [112, fromHex('2101640100010dc2c0a8000170617373776f7264')],
  [112, fromHex('3180640102646d2e0a0000010a000002')],
  [89, fromHex('0201002cc0a87905000000000000000000000000000000000ffffff00000a120100000028c0a87905c0a87906')],
  [89, fromHex('0201003cc0a87905000000000002000001102030405060708090a0b0c0d0e0f0001020304050607080')],
  [88, fromHex('0205ee68000000000000000000000000000000010001000c010001000000000f')],
  // PGM SPM with options, DCCP request with options, an IPv6 mobility binding update with options.
  [113, fromHex('d625007b010047010af4409ad62500240001a2420051e8280051e9e7000100000af4409a00040008' + '0d04000080040000')],
  [33, fromHex('99fc13890800aaf301000008f4ae867e00000000200405022204010220040102')],
  [135, fromHex('3b01050000000003e880000e10010400000000')],
];

const ipProtocolsTarget = {
  name: 'ip-protocols',
  kind: 'packet',
  gen(rng) {
    const [proto, seed] = rng.pick(IP_PROTO_SEEDS);
    const payload = rng.chance(0.1) ? rng.bytes(rng.int(64)) : mutate(rng, seed, { maxLen: 2048 });
    const v6 = rng.chance(0.3);
    let bytes = ethernet({ payload: ipPacket({ src: v6 ? 'fe80::1' : '10.0.0.1', dst: v6 ? 'ff02::5' : '224.0.0.5', proto, payload }) });
    if (rng.chance(0.2)) bytes = bytes.slice(0, 1 + rng.int(bytes.length));
    return { bytes, meta: rng.pick(UDP_APP_META) };
  },
  run: linesTarget.run,
};

/** Payloads the TCP application printers read (SSH, OpenFlow, RESP, PPTP, LDP, BGP), by port; and MPTCP options. */
const TCP_APP_SEEDS = [
  [22, latin1('SSH-2.0-OpenSSH_8.2p1 Ubuntu-4ubuntu0.3\r\n')], [22, latin1('SSH-1.99-x\n')],
  [6633, fromHex('01040018000000180000232000000014000000000000000001120008000000 1a'.replace(/ /g, ''))],
  [6653, fromHex('0400001000000001000000010000000804050008000000020413002c00000003')],
  [6379, latin1('*3\r\n$3\r\nSET\r\n$1\r\na\r\n$-1\r\n+OK\r\n:12\r\n-ERR x\x1b\r\nPING\r\n*-1\r\n*0\r\n$99999999999\r\n')],
  [6379, latin1('*1\r\n'.repeat(200) + '+x\r\n')],
  [1723, fromHex('009c00011a2b3c4d00010000010000000000000100000001000008704d5346540000')],
  [646, fromHex('0001001cc0a80002000000010012fffffff903000a0000000a0000000000')], [179, new Uint8Array(19).fill(0xff)],
];
const TCP_APP_META = PRINTER_OPTIONS.map((_, o) => ({ lt: 1, o }));
const MPTCP_SEEDS = [fromHex('1e0c00819b59be3d695e66a7'), fromHex('1e082001d0bd7aef'), fromHex('1e10 30010a000201f8295862f645df19'.replace(/ /g, '')),
  fromHex('1e14 2005 0102030405060708 0000000a 0010 abcd'.replace(/ /g, '')), fromHex('1e0c1000 0102030405060708'.replace(/ /g, '')), fromHex('1e03 20'.replace(/ /g, ''))];

const tcpAppsTarget = {
  name: 'tcp-apps',
  kind: 'packet',
  gen(rng) {
    const [port, seed] = rng.pick(TCP_APP_SEEDS);
    const payload = rng.chance(0.1) ? rng.bytes(rng.int(64)) : mutate(rng, seed, { maxLen: 4096 });
    const other = rng.pick([1024 + rng.int(60000), 53, 23, 2049]);
    const options = rng.chance(0.3) ? mutate(rng, rng.pick(MPTCP_SEEDS), { maxLen: 40 }) : new Uint8Array(0);
    const flags = rng.pick([TCP.ACK | TCP.PSH, TCP.SYN, TCP.SYN | TCP.ACK, TCP.ACK]);
    const segment = tcp(rng.chance(0.5) ? { sport: other, dport: port, flags, options, payload } : { sport: port, dport: other, flags, options, payload });
    let bytes = ethernet({ payload: ipPacket({ proto: IPPROTO.TCP, payload: segment }) });
    if (rng.chance(0.2)) bytes = bytes.slice(0, 1 + rng.int(bytes.length));
    return { bytes, meta: rng.pick(TCP_APP_META) };
  },
  run: linesTarget.run,
};

const json = new PacketJsonFormatter();
const jsonTarget = {
  name: 'json',
  kind: 'packet',
  gen: genPacket,
  run({ bytes, meta }) {
    const out = json.format(decodePacket(record(bytes, meta.lt), decoded));
    invariant(out.endsWith('\n') && out.indexOf('\n') === out.length - 1, 'one JSON line per packet');
    let obj;
    try { obj = JSON.parse(out); } catch (e) { throw new InvariantError(`invalid JSON (${e.message}): ${out.slice(0, 300)}`); }
    invariant(obj.frame === 1 && obj.linktype === meta.lt, 'JSON frame/linktype');
    assertTerminalSafe(out, 'json', { tabs: false });
  },
};

// ---------------------------------------------------------------- TCP and ESP sequences

function randomAddress(rng, v6) {
  if (v6) { const a = rng.bytes(16); a[0] = 0xfd; return a; }
  return Uint8Array.of(10, rng.int(4), rng.int(4), 1 + rng.int(3));
}

function tcpOptions(rng, seq) {
  const parts = [];
  const k = rng.int(6);
  for (let i = 0; i < k; i++) {
    switch (rng.int(9)) {
      case 0: parts.push(Uint8Array.of(2, 4, rng.int(256), rng.int(256))); break; // MSS
      case 1: parts.push(Uint8Array.of(3, 3, rng.chance(0.8) ? rng.int(15) : rng.int(256))); break; // window scale
      case 2: parts.push(Uint8Array.of(4, 2)); break; // SACK permitted
      case 3: { // SACK blocks near the sequence space in use, or anywhere
        const n = 1 + rng.int(4);
        const b = new Uint8Array(2 + 8 * n); b[0] = 5; b[1] = rng.chance(0.9) ? b.length : rng.int(256);
        for (let j = 0; j < n; j++) {
          const l = rng.chance(0.7) ? (seq + rng.range(-5000, 50000)) >>> 0 : rng.u32();
          const r = rng.chance(0.8) ? (l + rng.int(3000)) >>> 0 : rng.u32();
          const dv = new DataView(b.buffer); dv.setUint32(2 + 8 * j, l); dv.setUint32(6 + 8 * j, r);
        }
        parts.push(b); break;
      }
      case 4: { const b = new Uint8Array(10); b[0] = 8; b[1] = 10; new DataView(b.buffer).setUint32(2, rng.u32()); parts.push(b); break; }
      case 5: parts.push(Uint8Array.of(1)); break;
      case 6: parts.push(Uint8Array.of(0)); break;
      case 7: parts.push(Uint8Array.of(rng.int(256), rng.int(42))); break; // unknown or bad length
      default: parts.push(Uint8Array.of(rng.int(256))); break;
    }
  }
  let o = concat(...parts);
  if (o.length > 40) o = o.slice(0, 40);
  return o;
}

/**
 * A conversation-shaped packet sequence: a few flows whose sequence numbers
 * mostly advance, but jump at random, wrap, go backwards, repeat (retransmit)
 * and carry every flag combination, mixed with mutated real TCP packets.
 */
function genTcpSequence(rng, seeds, maxPackets) {
  const n = 1 + (rng.chance(0.15) ? rng.int(maxPackets) : rng.smallish(60));
  const flows = [];
  const nf = 1 + rng.smallish(5);
  for (let i = 0; i < nf; i++) {
    const v6 = rng.chance(0.2);
    flows.push({
      a: randomAddress(rng, v6), b: randomAddress(rng, v6), pa: rng.chance(0.1) ? rng.int(3) : 1024 + rng.int(60000),
      pb: rng.pick([80, 443, 22, 4500, rng.int(65536)]), seq: [rng.chance(0.2) ? 0xffffffff - rng.int(100000) : rng.u32(), rng.u32()],
    });
  }
  let sec = 1_700_000_000 + rng.int(100000), nsec = 0;
  const packets = [];
  for (let i = 0; i < n; i++) {
    // Time: mostly forward in small steps, sometimes a pause past the idle timeout, sometimes backwards.
    const dt = rng.chance(0.9) ? rng.int(200_000_000) : rng.chance(0.5) ? rng.int(2000) * 1e9 : -rng.int(5e9);
    nsec += dt; sec += Math.floor(nsec / 1e9); nsec = ((nsec % 1e9) + 1e9) % 1e9; if (sec < 0) sec = 0;
    let ip;
    if (seeds.tcp.length > 0 && rng.chance(0.2)) {
      const seed = rng.pick(seeds.tcp);
      ip = rng.chance(0.3) ? seed : mutate(rng, seed, { fields: fieldsOf(seed, 101), maxLen: 4096 });
    } else {
      const f = rng.pick(flows);
      const dir = rng.int(2);
      const len = rng.chance(0.4) ? 0 : rng.chance(0.8) ? rng.int(1461) : rng.int(9000);
      let seq = f.seq[dir];
      switch (rng.int(10)) {
        case 0: seq = rng.u32(); break;
        case 1: seq = (seq - rng.int(20000)) >>> 0; break;
        case 2: seq = (seq + rng.int(1 << 30)) >>> 0; break;
        case 3: seq = (seq + 0x80000000) >>> 0; break;
        default: break;
      }
      f.seq[dir] = (seq + len) >>> 0;
      let flags = rng.chance(0.85) ? TCP.ACK | (len > 0 && rng.chance(0.5) ? TCP.PSH : 0) : 0;
      if (rng.chance(0.08)) flags |= TCP.SYN;
      if (rng.chance(0.05)) flags |= TCP.FIN;
      if (rng.chance(0.03)) flags |= TCP.RST;
      if (rng.chance(0.05)) flags = rng.int(256);
      const ackBase = f.seq[1 - dir];
      const ack = rng.chance(0.8) ? (ackBase - rng.int(3) * rng.int(1500)) >>> 0 : rng.u32();
      const win = rng.chance(0.1) ? 0 : rng.chance(0.8) ? rng.int(65536) : 65535;
      const payload = len <= 256 ? rng.bytes(len) : new Uint8Array(len);
      const seg = tcp({ sport: dir ? f.pb : f.pa, dport: dir ? f.pa : f.pb, seq, ack, flags, win, options: tcpOptions(rng, seq), payload });
      ip = ipPacket({ src: dir ? f.b : f.a, dst: dir ? f.a : f.b, proto: IPPROTO.TCP, payload: seg });
    }
    let bytes = ip, origLen = ip.length;
    if (rng.chance(0.1)) { bytes = ip.slice(0, rng.int(ip.length + 1)); } // short snapshot
    if (bytes.length === 0) bytes = ip.slice(0, 1);
    packets.push({ bytes, origLen: Math.max(origLen, bytes.length), tsSec: sec, tsNsec: nsec });
  }
  return pcapFile(packets, { linkType: 101 });
}

/** Hands every packet of an in-memory pcap to `onPacket` (no copies); ignores damage at the end. */
function feedPcap(bytes, onPacket) {
  const info = { name: 'fuzz', format: 'pcap', compressed: false, interfaces: [], statistics: [], packets: 0, bytesRead: 0 };
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const parser = new PcapReader(info);
  try {
    const pos = parser.parse(bytes, view, 0, bytes.length, 0, null);
    parser.parse(bytes, view, pos, bytes.length, 0, onPacket);
  } catch (e) {
    if (!(e instanceof CaptureFormatError)) throw e;
  }
  return info;
}

function checkReport(report, color) {
  const text = renderSummary(report, { color, width: 100 });
  assertTerminalSafe(text, 'analyze summary', { tabs: true, sgr: color });
  const j = JSON.stringify(report);
  invariant(typeof j === 'string', 'report not serialisable');
}

const tcpTarget = {
  name: 'tcp-analyzer',
  kind: 'file',
  gen(rng, seeds) {
    const bytes = genTcpSequence(rng, seeds, 400);
    const meta = rng.chance(0.6) ? FILE_META : {
      maxFlows: 1 + rng.int(8), idleTimeout: rng.pick([1, 30, 600]), closedLinger: rng.pick([0, 1, 30]),
      maxStreams: 1 + rng.int(8), maxEvents: rng.int(50), color: rng.chance(0.5),
    };
    return { bytes, meta };
  },
  run({ bytes, meta }) {
    const tcp = meta.maxFlows ? { maxFlows: meta.maxFlows, idleTimeout: meta.idleTimeout, closedLinger: meta.closedLinger, maxStreams: meta.maxStreams } : {};
    const session = new AnalysisSession({ options: { tcp }, maxEvents: meta.maxEvents ?? 1000 });
    const info = feedPcap(bytes, session.onPacket);
    const report = session.finish(info);
    checkReport(report, Boolean(meta.color));
  },
};

/**
 * IP fragments of a few datagrams (IPv4 and IPv6, offsets and lengths anything, overlapping, past
 * 65,535) or a flood of tiny ones: reassembly never throws, never holds more than its bounds, and
 * every datagram it gives back fits in 65,535 bytes plus its header.
 */
function genFragments(rng) {
  const packets = [];
  const flood = rng.chance(0.2);
  const n = flood ? 1500 + rng.int(1500) : 1 + rng.int(60);
  for (let i = 0; i < n; i++) {
    const v6 = rng.chance(0.3);
    const id = flood ? rng.int(4000) : rng.int(4);
    const len = flood ? 8 : rng.int(200);
    const offset = rng.chance(0.05) ? 65528 - rng.int(8) * 8 : rng.int(64) * 8;
    const more = rng.chance(0.7);
    const data = new Uint8Array(len).fill(rng.int(3));
    const proto = rng.pick([6, 17, 50]);
    const ip = v6
      ? ipv6({ src: '::1', dst: '::2', proto, ext: [ipv6Fragment({ offset, more, id })], payload: data })
      : ipv4({ src: '0.0.0.1', dst: '0.0.0.2', proto, id, df: false, more, fragmentOffset: offset, payload: data });
    const bytes = rng.chance(0.05) ? ip.slice(0, rng.int(ip.length) + 1) : ip;
    packets.push({ bytes, origLen: ip.length, tsSec: flood ? 0 : i * rng.pick([0, 1, 20]), tsNsec: 0 });
  }
  return pcapFile(packets, { linkType: 101 });
}

const reassemblyTarget = {
  name: 'ip-reassembly',
  kind: 'file',
  gen(rng) { return { bytes: genFragments(rng), meta: {} }; },
  run({ bytes }) {
    const r = new IpReassembler();
    const d = new DecodedPacket();
    feedPcap(bytes, (pkt) => {
      decodePacket(pkt, d);
      if ((d.layers & Layer.IpFragment) === 0) return;
      const whole = r.add(d);
      const now = r.inFlight;
      invariant(now.datagrams <= REASSEMBLY_LIMITS.maxDatagrams && now.bytes <= REASSEMBLY_LIMITS.maxBytes, `reassembly past its bounds: ${JSON.stringify(now)}`);
      if (whole !== null && whole !== d) invariant(whole.pkt.caplen <= 65535 + 40, `datagram of ${whole.pkt.caplen} bytes`);
    });
    r.finish();
    const session = new AnalysisSession({ maxEvents: 100 });
    checkReport(session.finish(feedPcap(bytes, session.onPacket)), false);
  },
};

const graphTarget = {
  name: 'graph',
  kind: 'file',
  gen(rng, seeds) {
    return {
      bytes: genTcpSequence(rng, seeds, 300),
      meta: { stream: rng.smallish(3), maxPoints: rng.pick([100, 150, 1000, 20000]), type: rng.pick(['sequence', 'throughput', 'rtt', 'window']),
        fromA: rng.chance(0.5), columns: rng.pick([1, 2, 20, 80, 200]), rows: rng.pick([1, 2, 5, 30]), color: rng.chance(0.5) },
    };
  },
  run({ bytes, meta }) {
    const collector = new TcpGraphCollector(meta.stream, meta.maxPoints);
    const session = new AnalysisSession({ analyzers: [defaultAnalyzers[0]], maxEvents: 0, options: { tcp: { observer: collector } } });
    const info = feedPcap(bytes, session.onPacket);
    session.finish(info);
    if (collector.flow === null) return;
    const model = buildModel(collector, meta.type, meta.fromA);
    assertSvgSafe(renderSvgGraph(model), `svg ${meta.type}`);
    const term = renderTerminalGraph(model, { columns: meta.columns, rows: meta.rows, color: meta.color });
    assertTerminalSafe(term, `terminal graph ${meta.type}`, { tabs: false, sgr: meta.color });
  },
};

let fixtureSecrets = null;
function espSecrets() {
  if (!fixtureSecrets) {
    try { fixtureSecrets = parseEspSecrets(fs.readFileSync(path.join(FIXTURES, 'esp-secrets.txt'), 'utf8'), 'esp-secrets.txt'); }
    catch { fixtureSecrets = []; }
  }
  return fixtureSecrets;
}

function genEspSequence(rng, seeds) {
  const n = 1 + rng.smallish(rng.chance(0.1) ? 500 : 80);
  const hosts = [Uint8Array.of(10, 1, 0, 1), Uint8Array.of(10, 2, 0, 1), Uint8Array.of(192, 168, 4, 78), Uint8Array.of(192, 168, 4, 79)];
  const sas = [];
  for (let i = 0, k = 1 + rng.smallish(6); i < k; i++) {
    sas.push({ spi: rng.pick([0x1001, 0x2001, 0xa128, 0, 1, 255, 256, rng.u32()]), seq: rng.pick([0, 1, 0xfffffff0, rng.u32()]),
      src: rng.pick(hosts), dst: rng.pick(hosts), udp: rng.chance(0.2) });
  }
  let sec = 1_700_000_000, nsec = 0;
  const packets = [];
  for (let i = 0; i < n; i++) {
    const dt = rng.chance(0.9) ? rng.int(500_000_000) : rng.chance(0.7) ? rng.int(40) * 1e9 : -rng.int(3e9);
    nsec += dt; sec += Math.floor(nsec / 1e9); nsec = ((nsec % 1e9) + 1e9) % 1e9;
    let ip;
    const roll = rng.int(10);
    if (roll < 3 && seeds.esp.length > 0) {
      const seed = rng.pick(seeds.esp);
      ip = rng.chance(0.5) ? seed : mutate(rng, seed, { fields: fieldsOf(seed, 101), maxLen: 4096 });
    } else if (roll < 5) {
      // Cleartext between IPsec peers (leaks), IKE, keepalives.
      const s = rng.pick(sas);
      const kind = rng.int(4);
      if (kind === 0) ip = ipPacket({ src: s.src, dst: s.dst, proto: IPPROTO.TCP, payload: tcp({ sport: 22, dport: 40000 + rng.int(100), seq: rng.u32(), payload: rng.bytes(rng.int(64)) }) });
      else if (kind === 1) ip = ipPacket({ src: s.src, dst: s.dst, proto: IPPROTO.UDP, payload: udp({ sport: 4500, dport: 4500, payload: rng.chance(0.5) ? Uint8Array.of(0xff) : concat(new Uint8Array(4), rng.bytes(20)) }) });
      else if (kind === 2) ip = ipPacket({ src: s.src, dst: s.dst, proto: IPPROTO.ICMP, payload: concat(Uint8Array.of(8, 0, 0, 0), rng.bytes(8)) });
      else ip = ipPacket({ src: s.src, dst: s.dst, proto: IPPROTO.AH, payload: ah({ nextHeader: IPPROTO.TCP, spi: s.spi, seq: s.seq++, icv: rng.bytes(12) }) });
    } else {
      const s = rng.pick(sas);
      switch (rng.int(8)) {
        case 0: s.seq = (s.seq + rng.int(1000)) >>> 0; break; // gap
        case 1: s.seq = (s.seq - rng.int(200)) >>> 0; break; // replay / out of order
        case 2: s.seq = rng.u32(); break;
        default: break;
      }
      const esp = espPacket({ spi: s.spi, seq: s.seq, payload: rng.bytes(rng.pick([0, 1, 8, 16, 28, 44, 60, 100, rng.int(1500)])) });
      s.seq = (s.seq + 1) >>> 0;
      ip = s.udp ? ipPacket({ src: s.src, dst: s.dst, proto: IPPROTO.UDP, payload: udp({ sport: 4500, dport: 4500, payload: esp }) })
        : ipPacket({ src: s.src, dst: s.dst, proto: IPPROTO.ESP, payload: esp });
    }
    let bytes = ip;
    if (rng.chance(0.05)) bytes = ip.slice(0, 1 + rng.int(ip.length));
    packets.push({ bytes, origLen: ip.length, tsSec: sec, tsNsec: nsec });
  }
  return pcapFile(packets, { linkType: 101 });
}

const espTarget = {
  name: 'esp-analyzer',
  kind: 'file',
  gen(rng, seeds) {
    return {
      bytes: genEspSequence(rng, seeds),
      meta: { keys: rng.chance(0.7), window: rng.pick([1, 32, 64, 4096, 65536]), maxSas: rng.pick([1, 2, 3, 100000]),
        silence: rng.pick([0.001, 1, 5]), perSa: rng.pick([0, 1, 100]), color: rng.chance(0.3), allowIcmp: rng.chance(0.5) },
    };
  },
  run({ bytes, meta }) {
    const esp = { replayWindow: meta.window, maxSas: meta.maxSas, silenceSeconds: meta.silence, maxEventsPerSa: meta.perSa,
      allowIcmp: meta.allowIcmp, secrets: meta.keys ? espSecrets() : [] };
    const session = new AnalysisSession({ options: { esp }, maxEvents: 500 });
    const info = feedPcap(bytes, session.onPacket);
    checkReport(session.finish(info), meta.color);
  },
};

// ---------------------------------------------------------------- ESP decryptor

/** [secret syntax, cipher for node, key bytes, IV bytes, block, icv, integrity digest or null] */
const ESP_ALGS = [
  ['null', null, 0, 0, 4, 12, 'hmac-sha1-96'],
  ['null', null, 0, 0, 4, 16, 'hmac-sha256-128'],
  ['3des-cbc', 'des-ede3-cbc', 24, 8, 8, 12, 'hmac-sha1-96'],
  ['3des-cbc-hmac96', 'des-ede3-cbc', 24, 8, 8, 12, null],
  ['aes128-cbc', 'aes-128-cbc', 16, 16, 16, 12, 'hmac-sha1-96'],
  ['aes192-cbc', 'aes-192-cbc', 24, 16, 16, 24, 'hmac-sha384-192'],
  ['aes256-cbc', 'aes-256-cbc', 32, 16, 16, 32, 'hmac-sha512-256'],
  ['aes-cbc', 'aes-128-cbc', 16, 16, 16, 0, null],
  ['aes128-cbc-hmac96', 'aes-128-cbc', 16, 16, 16, 12, null],
  ['aes128-gcm16', 'aes-128-gcm', 20, 8, 4, 16, 'gcm'],
  ['aes192-gcm16', 'aes-192-gcm', 28, 8, 4, 16, 'gcm'],
  ['aes256-gcm16', 'aes-256-gcm', 36, 8, 4, 16, 'gcm'],
  ['aes128-gcm8', 'aes-128-gcm', 20, 8, 4, 8, 'gcm'],
  ['aes256-gcm12', 'aes-256-gcm', 36, 8, 4, 12, 'gcm'],
];
const ALG_DIGEST = { 'hmac-md5-96': 'md5', 'hmac-sha1-96': 'sha1', 'hmac-sha256-128': 'sha256', 'hmac-sha384-192': 'sha384', 'hmac-sha512-256': 'sha512' };
const AUTH_KEY_LEN = { 'hmac-md5-96': 16, 'hmac-sha1-96': 20, 'hmac-sha256-128': 32, 'hmac-sha384-192': 48, 'hmac-sha512-256': 64 };

const hex = (b) => Buffer.from(b).toString('hex');

/** The secret of a decryptor input: everything derived from `meta.k` so a crash file reproduces it. */
function espSecretFor(meta) {
  const [name, , keyLen, , , , integ] = ESP_ALGS[meta.alg];
  const kr = new Rng(meta.k);
  const key = kr.bytes(keyLen);
  const authKey = integ && integ !== 'gcm' ? kr.bytes(AUTH_KEY_LEN[integ]) : null;
  const dst = meta.v6 ? 'fd00::2' : '10.0.0.2';
  const text = `0x${meta.spi.toString(16)}@${dst} ${name}:0x${hex(key)}${authKey ? ` ${integ}:0x${hex(authKey)}` : ''}`;
  return { key, authKey, text };
}

const decryptors = new Map();
const inner = new DecodedPacket();
const innerPrinter = new PacketLinePrinter({ verbose: 1, hexAscii: 1 });

const espDecryptTarget = {
  name: 'esp-decrypt',
  kind: 'packet',
  gen(rng, seeds) {
    const alg = rng.int(ESP_ALGS.length);
    const [, cipher, , ivLen, block, icvLen, integ] = ESP_ALGS[alg];
    const meta = { alg, k: rng.int(8), spi: rng.pick([0x1001, 0xdeadbeef, 1]), v6: rng.chance(0.3), udp: rng.chance(0.2), lt: 101 };
    const { key, authKey } = espSecretFor(meta);
    // Plaintext: a tunnelled datagram, a transport-mode segment, or noise; then RFC 4303 padding.
    let pt;
    let nh;
    const r = rng.int(4);
    if (r === 0 && seeds.ip.length) { pt = rng.pick(seeds.ip); nh = pt[0] >> 4 === 6 ? 41 : 4; }
    else if (r === 1) { pt = tcp({ seq: rng.u32(), payload: rng.bytes(rng.int(100)) }); nh = 6; }
    else if (r === 2) { pt = rng.bytes(rng.chance(0.02) ? 66000 + rng.int(3000) : rng.int(300)); nh = rng.pick([4, 41, 59, 17, rng.int(256)]); }
    else { pt = udp({ payload: rng.bytes(rng.int(64)) }); nh = 17; }
    let padLen = (block - ((pt.length + 2) % block)) % block;
    if (rng.chance(0.1)) padLen += block * rng.int(3);
    if (padLen > 255) padLen = padLen % block;
    const pad = Uint8Array.from({ length: padLen }, (_, i) => (rng.chance(0.95) ? i + 1 : rng.int(256)));
    const plain = concat(pt, pad, Uint8Array.of(rng.chance(0.95) ? padLen : rng.int(256), nh));
    const seq = rng.u32();
    const head = espPacket({ spi: meta.spi, seq });
    const iv = rng.bytes(ivLen);
    let ct, icv;
    if (cipher === null) {
      ct = plain;
    } else if (integ === 'gcm') {
      const salt = key.subarray(key.length - 4);
      const c = createCipheriv(cipher, key.subarray(0, key.length - 4), concat(salt, iv), { authTagLength: icvLen });
      c.setAAD(head);
      ct = concat(c.update(plain), c.final());
      icv = new Uint8Array(c.getAuthTag());
    } else {
      const c = createCipheriv(cipher, key, iv);
      c.setAutoPadding(false);
      ct = plain.length % block === 0 ? concat(c.update(plain), c.final()) : plain;
    }
    if (!icv) {
      const signed = concat(head, iv, ct);
      icv = authKey ? new Uint8Array(createHmac(ALG_DIGEST[integ], authKey).update(signed).digest()).subarray(0, icvLen) : rng.bytes(icvLen);
    }
    let esp = concat(head, iv, ct, icv);
    if (rng.chance(0.4)) esp = mutate(rng, esp, { fields: [{ at: esp.length - icvLen - 1, width: 1 }, { at: esp.length - icvLen - 2, width: 1 }, { at: 4, width: 4 }] });
    const src = meta.v6 ? 'fd00::1' : '10.0.0.1', dst = meta.v6 ? 'fd00::2' : '10.0.0.2';
    let ip = meta.udp ? ipPacket({ src, dst, proto: IPPROTO.UDP, payload: udp({ sport: 4500, dport: 4500, payload: esp }) })
      : ipPacket({ src, dst, proto: IPPROTO.ESP, payload: esp });
    // Larger than an IP length can say: IPv6 jumbogram-style zero length, IPv4 zero total length (TSO).
    if (ip.length > 65535 || rng.chance(0.05)) {
      if (meta.v6) { ip[4] = 0; ip[5] = 0; } else { ip[2] = 0; ip[3] = 0; }
    }
    return { bytes: ip, meta };
  },
  run({ bytes, meta }) {
    const key = `${meta.alg}/${meta.k}/${meta.spi}/${meta.v6}`;
    let dec = decryptors.get(key);
    if (!dec) {
      if (decryptors.size > 2000) decryptors.clear();
      dec = new EspDecryptor([parseEspSecret(espSecretFor(meta).text, 'fuzz')]);
      decryptors.set(key, dec);
    }
    const d = decodePacket(record(bytes, 101), decoded);
    if (!d.has(Layer.Esp)) return;
    const status = dec.decrypt(d);
    invariant(status >= 0 && status <= DecryptStatus.Dummy, `status ${status}`);
    if (status !== DecryptStatus.Ok) return;
    const p = dec.inner;
    invariant(p.offset >= 0 && p.caplen >= 0 && p.offset + p.caplen <= p.bytes.length, 'inner packet outside the buffer');
    decodePacket(p, inner);
    assertTerminalSafe(innerPrinter.format(p), 'decrypted packet line', { tabs: true });
  },
};

// ---------------------------------------------------------------- BPF

/** Opcodes libpcap emits (and a few it does not), for programs that get somewhere. */
const BPF_OPS = [
  0x00, 0x01, 0x20, 0x28, 0x30, 0x40, 0x48, 0x50, 0x60, 0x61, 0x80, 0x81, 0xb1, 0x02, 0x03,
  0x04, 0x0c, 0x14, 0x1c, 0x24, 0x2c, 0x34, 0x3c, 0x44, 0x4c, 0x54, 0x5c, 0x64, 0x6c, 0x74, 0x7c, 0x84, 0x94, 0x9c, 0xa4, 0xac,
  0x05, 0x15, 0x1d, 0x25, 0x2d, 0x35, 0x3d, 0x45, 0x4d, 0x06, 0x0e, 0x16, 0x07, 0x87,
];

const bpfTarget = {
  name: 'bpf-interp',
  kind: 'raw',
  gen(rng, seeds) {
    const n = 1 + rng.smallish(rng.chance(0.1) ? 2000 : 40);
    const insns = new Uint32Array(n * 4);
    for (let i = 0; i < n; i++) {
      const code = rng.chance(0.92) ? rng.pick(BPF_OPS) : rng.int(0x10000);
      insns[i * 4] = code;
      insns[i * 4 + 1] = rng.chance(0.9) ? rng.int(Math.max(1, n - i)) : rng.chance(0.5) ? rng.int(256) : rng.u32();
      insns[i * 4 + 2] = rng.chance(0.9) ? rng.int(Math.max(1, n - i)) : rng.chance(0.5) ? rng.int(256) : rng.u32();
      let k;
      switch (rng.int(6)) {
        case 0: k = rng.int(64); break;
        case 1: k = rng.int(16); break;
        case 2: k = rng.u32(); break;
        case 3: k = rng.pick([0xfffff000, 0xffffffff, 0x7fffffff, 0x80000000, 32, 31, 33]); break;
        case 4: k = (code === 0x05 && rng.chance(0.5)) ? (-(1 + rng.int(i + 1))) >>> 0 : rng.int(1600); break;
        default: k = rng.int(256);
      }
      insns[i * 4 + 3] = k;
    }
    if (rng.chance(0.7)) insns.set([0x06, 0, 0, rng.pick([0, 1, 262144])], (n - 1) * 4);
    const pk = genPacket(rng, seeds).bytes;
    const caplen = rng.chance(0.8) ? pk.length : rng.int(pk.length + 1);
    const wirelen = rng.chance(0.8) ? pk.length : rng.u32();
    const bytes = concat(new Uint8Array(insns.buffer), pk);
    return { bytes, meta: { n, caplen, wirelen } };
  },
  run({ bytes, meta }) {
    const insns = new Uint32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + meta.n * 16));
    const pkt = bytes.subarray(meta.n * 16);
    const prog = new BpfProgram(insns);
    const caplen = Math.min(meta.caplen, pkt.length);
    const a = prog.run(pkt, 0, caplen, meta.wirelen);
    invariant(Number.isInteger(a) && a >= 0 && a <= 0xffffffff, `result ${a}`);
    // Programs with backward jumps are interpreted already; the cross-checks would only run it again.
    if (!prog.translated) return;
    const b = prog.interpret(pkt, 0, caplen, meta.wirelen);
    invariant(a === b, `translated program returns ${a}, interpreter ${b}`);
    // A packet placed at an offset must give the same answer as at 0.
    const shifted = concat(new Uint8Array(7), pkt);
    invariant(prog.run(shifted, 7, caplen, meta.wirelen) === b, 'result depends on the packet offset');
  },
};

/** A libpcap expression from a small grammar: primitives, and/or/not, parentheses. */
function genExpression(rng, depth = 0) {
  if (depth < 3 && rng.chance(0.35)) {
    const op = rng.pick(['and', 'or', '&&', '||']);
    const l = genExpression(rng, depth + 1), r = genExpression(rng, depth + 1);
    return rng.chance(0.5) ? `(${l}) ${op} (${r})` : `${l} ${op} ${r}`;
  }
  if (rng.chance(0.1)) return `not ${genExpression(rng, depth + 1)}`;
  const port = rng.pick([22, 53, 80, 443, 4500, 0, 65535, rng.int(65536)]);
  const host = rng.pick(['10.0.0.1', '192.168.4.78', '10.2.0.1', '::1', 'fd00:2::1', '127.0.0.1']);
  const prims = [
    'tcp', 'udp', 'icmp', 'icmp6', 'ip', 'ip6', 'arp', 'esp', 'ah', 'vlan', `vlan ${rng.int(4095)}`,
    `host ${host}`, `src host ${host}`, `dst host ${host}`, `net 10.0.0.0/${rng.int(33)}`, `src net 192.168.0.0/16`,
    `port ${port}`, `src port ${port}`, `dst port ${port}`, `tcp port ${port}`, `udp dst port ${port}`,
    `portrange ${port}-${Math.min(65535, port + rng.int(100))}`, `less ${rng.int(2000)}`, `greater ${rng.int(2000)}`,
    `len > ${rng.int(1600)}`, `ip proto ${rng.int(256)}`, `ip6 protochain ${rng.pick([6, 17, 50, 58])}`,
    'tcp[tcpflags] & (tcp-syn|tcp-ack) != 0', `tcp[tcpflags] == ${rng.int(256)}`, `ip[0] & 0xf != 5`,
    `ip[${rng.int(60)}:${rng.pick([1, 2, 4])}] > ${rng.u32()}`, `udp[${rng.int(20)}] = ${rng.int(256)}`,
    'icmp[icmptype] == icmp-echo', 'ether broadcast', 'ether multicast', `ether host 00:01:02:03:04:05`,
    'ip multicast', 'ip broadcast', `ip[6:2] & 0x1fff != 0`, `tcp[((tcp[12:1] & 0xf0) >> 2):4] = 0x47455420`,
    `ip[2:2] - ((ip[0]&0xf)<<2) > ${rng.int(1500)}`, `ip6[6] == ${rng.int(256)}`, 'udp port 4500 and udp[8:4] != 0',
  ];
  return rng.pick(prims);
}

let compileFilter = null;
let filterAvailable = null;
async function loadFilter() {
  if (filterAvailable !== null) return filterAvailable;
  try {
    const m = await import('../../dist/source/bpf-filter.js');
    m.compileFilter('tcp', 1, 65535);
    compileFilter = m.compileFilter;
    filterAvailable = true;
  } catch {
    filterAvailable = false;
  }
  return filterAvailable;
}

const filterCache = new Map();
const bpfFilterTarget = {
  name: 'bpf-filter',
  kind: 'packet',
  async init() {
    if (!(await loadFilter())) return 'libpcap addon not built';
    return null;
  },
  gen(rng, seeds) {
    const { bytes, meta } = genPacket(rng, seeds);
    return { bytes, meta: { lt: meta.lt, expr: genExpression(rng), snaplen: rng.pick([65535, 262144, 96, 68]) } };
  },
  run({ bytes, meta }) {
    const key = `${meta.lt}|${meta.snaplen}|${meta.expr}`;
    let f = filterCache.get(key);
    if (f === undefined) {
      try {
        f = compileFilter(meta.expr, meta.lt, meta.snaplen);
      } catch (e) {
        if (e?.name !== 'FilterError') throw e;
        f = null;
      }
      if (filterCache.size > 256) filterCache.clear();
      filterCache.set(key, f);
    }
    if (!f) return;
    const r = record(bytes, meta.lt);
    const m = f.matches(r);
    invariant(typeof m === 'boolean', 'matches() not boolean');
    const snap = Math.min(r.caplen, f.snaplen);
    invariant((f.program.interpret(bytes, 0, snap, r.origLen) !== 0) === m, `translated and interpreted filter disagree on '${meta.expr}'`);
  },
};

export const TARGETS = [
  readerTarget, captureStreamTarget, decodeTarget, linesTarget, dnsTarget, tunnelLinesTarget, txtprotoTarget, jsonTarget, tcpTarget,
  udpAppsTarget, linkProtocolsTarget, rpcTarget, ipProtocolsTarget, tcpAppsTarget, espTarget, espDecryptTarget,
  graphTarget, bpfTarget, bpfFilterTarget, reassemblyTarget, wifiLinesTarget,
];

export function targetByName(name) {
  return TARGETS.find((t) => t.name === name);
}

export { loadSeeds };
