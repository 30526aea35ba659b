// Unit cases for the line printer's building blocks (the oracle test covers whole lines).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  ipv6Text, ipv4Text, TimestampFormatter, RelativeSequenceTable, hexAsciiLines, hexLines, asciiText,
  PacketLinePrinter, stripColor,
} from '../dist/index.js';
import { dec } from '../dist/sink/lines/text-tables.js';
import { IPPROTO, TCP_FLAGS, ethernet, ipv4, packetRecord as record, tcp, udp } from './helpers/packets.js';

const v6 = (s) => {
  // Expand an address written in full (8 groups) into bytes.
  const b = [];
  for (const g of s.split(':')) { const n = parseInt(g, 16); b.push(n >> 8, n & 0xff); }
  return Uint8Array.from(b);
};

test('IPv6 text follows tcpdump (longest zero run, first on a tie, embedded IPv4 forms)', () => {
  const cases = [
    ['0:0:0:0:0:0:0:1', '::1'],
    ['0:0:0:0:0:0:0:0', '::'],
    ['2001:db8:0:0:1:0:0:1', '2001:db8::1:0:0:1'],
    ['2001:db8:0:1:0:0:0:1', '2001:db8:0:1::1'],
    ['2001:0:0:1:0:0:0:0', '2001:0:0:1::'],
    ['fe80:0:0:0:0:0:0:1', 'fe80::1'],
    ['2001:db8:1:2:3:4:5:6', '2001:db8:1:2:3:4:5:6'],
    ['2001:db8:0:2:3:4:5:6', '2001:db8:0:2:3:4:5:6'],
    ['0:0:0:0:0:ffff:a00:1', '::ffff:10.0.0.1'],
    ['0:0:0:0:0:0:a00:1', '::10.0.0.1'],
    ['ff02:0:0:0:0:1:ff00:1', 'ff02::1:ff00:1'],
  ];
  for (const [full, want] of cases) assert.equal(ipv6Text(v6(full), 0), want, full);
  assert.equal(ipv4Text(Uint8Array.from([192, 168, 0, 255]), 0), '192.168.0.255');
});

test('timestamps: each -t mode, micro and nano precision', () => {
  const sec = 1700000000; // 2023-11-14 22:13:20 UTC
  const utc = (mode, nano) => new TimestampFormatter(mode, nano, false);
  assert.equal(utc(0).format(sec, 123456789), '22:13:20.123456 ');
  assert.equal(utc(0, true).format(sec, 123456789), '22:13:20.123456789 ');
  assert.equal(utc(1).format(sec, 5), '');
  assert.equal(utc(2).format(sec, 1000), '1700000000.000001 ');
  assert.equal(utc(4).format(sec, 0), '2023-11-14 22:13:20.000000 ');
  const delta = utc(3);
  assert.equal(delta.format(sec, 500_000_000), ' 00:00:00.000000 ');
  assert.equal(delta.format(sec + 3661, 400_000_000), ' 01:01:00.900000 ');
  assert.equal(delta.format(sec + 3660, 0), '-00:00:01.400000 ');
  const first = utc(5);
  first.format(sec, 0);
  first.format(sec + 1, 0);
  assert.equal(first.format(sec + 2, 250_000_000), ' 00:00:02.250000 ');
  // Fractions are joined from table pieces: every zero of the padding must survive.
  assert.equal(utc(0).format(sec, 5_000), '22:13:20.000005 ');
  assert.equal(utc(0).format(sec, 999_999_999), '22:13:20.999999 ');
  assert.equal(utc(0).format(sec, 100_000_000), '22:13:20.100000 ');
  assert.equal(utc(0, true).format(sec, 5), '22:13:20.000000005 ');
  assert.equal(utc(0, true).format(sec, 10_000), '22:13:20.000010000 ');
  assert.equal(utc(0, true).format(sec, 999_999_999), '22:13:20.999999999 ');
  // tcpdump refuses seconds whose 32-bit form has the top bit set.
  assert.equal(utc(0).format(0x80000000, 0), '[Error converting time] ');
});

test('decimal text of 32-bit numbers equals String(n), including zeros inside', () => {
  for (const n of [0, 9, 65535, 65536, 99999, 100000, 100001, 1000000, 10000000, 100000000, 100010001,
    123456789, 2147483647, 2147483648, 4000000000, 4294967295]) assert.equal(dec(n), String(n));
  for (let i = 0; i < 20000; i++) {
    const n = Math.floor(Math.random() * 2 ** 32);
    assert.equal(dec(n), String(n));
  }
  // Outside the unsigned 32-bit range it falls back to String().
  assert.equal(dec(2 ** 40), String(2 ** 40));
  assert.equal(dec(-1), '-1');
});

test('IPv4 text stays right when cached addresses collide', () => {
  const seen = new Map();
  for (let i = 0; i < 5000; i++) {
    const b = Uint8Array.from([i & 0xff, (i * 7) & 0xff, (i >> 8) & 0xff, (i * 13) & 0xff]);
    const want = `${b[0]}.${b[1]}.${b[2]}.${b[3]}`;
    assert.equal(ipv4Text(b, 0), want);
    seen.set(want, b);
  }
  for (const [want, b] of seen) assert.equal(ipv4Text(b, 0), want);
});

test('relative sequence table: tcpdump rules, and bounded', () => {
  const t = new RelativeSequenceTable(4, 8);
  const b = Uint8Array.from([10, 0, 0, 1, 10, 0, 0, 2]);
  // Client (port 40000 > 80, so rev) sends SYN-ACK-less first ACK: recorded, printed absolute.
  let rev = t.relate(b, 0, 4, 4, 40000, 80, 1001, 5001, false);
  assert.equal(rev, true);
  assert.equal(t.found, false);
  rev = t.relate(b, 4, 0, 4, 80, 40000, 5001, 1101, false);
  assert.equal(rev, false);
  assert.equal(t.found, true);
  assert.equal(t.baseSeq, 5000);
  assert.equal(t.baseAck, 1001);
  // Many conversations: the table never holds more than its bound.
  for (let port = 1; port < 100; port++) t.relate(b, 0, 4, 4, 50000 + port, 80, 1, 1, false);
  assert.ok(t.size <= 4);
});

test('hex dumps have tcpdump\'s layout', () => {
  const bytes = Uint8Array.from([0x45, 0x00, 0x00, 0x54, 0x1b, 0x5b, 0x33, 0x31, 0x6d, 0x20, 0x41, 0x07, 0x08, 0x0d, 0x7f, 0x80, 0x41]);
  assert.equal(hexLines(bytes, 0, bytes.length, '\n\t'),
    '\n\t0x0000:  4500 0054 1b5b 3331 6d20 4107 080d 7f80\n\t0x0010:  41');
  assert.equal(hexAsciiLines(bytes, 0, bytes.length, '\n\t'),
    '\n\t0x0000:  4500 0054 1b5b 3331 6d20 4107 080d 7f80  E..T.[31m.A.....\n\t0x0010:  41                                       A');
  assert.equal(asciiText(Uint8Array.from([0x41, 0x0d, 0x0a, 0x42, 0x1b, 0x0d, 0x43, 0x0d]), 0, 8), '\nA\nB..C');
});

test('one TCP line: flags, options, relative numbers', () => {
  const p = new PacketLinePrinter({ timestampMode: 1 });
  const opts = [2, 4, 0x05, 0xb4, 4, 2, 8, 10, 0, 0, 0, 1, 0, 0, 0, 0, 1, 3, 3, 7];
  const { SYN, ACK, PSH } = TCP_FLAGS;
  const frame = (segment, addresses = {}) => ethernet({ payload: ipv4({ ...addresses, proto: IPPROTO.TCP, payload: segment }) });
  const syn = record(frame(tcp({ sport: 40000, dport: 443, seq: 100, flags: SYN, options: opts })));
  assert.equal(p.format(syn), 'IP 10.0.0.1.40000 > 10.0.0.2.443: Flags [S], seq 100, win 65535, options [mss 1460,sackOK,TS val 1 ecr 0,nop,wscale 7], length 0\n');
  const synAck = record(frame(tcp({ sport: 443, dport: 40000, seq: 9000, ack: 101, flags: SYN | ACK }), { src: '10.0.0.2', dst: '10.0.0.1' }));
  assert.equal(p.format(synAck), 'IP 10.0.0.2.443 > 10.0.0.1.40000: Flags [S.], seq 9000, ack 101, win 65535, length 0\n');
  const data = record(frame(tcp({ sport: 40000, dport: 443, seq: 101, ack: 9001, flags: PSH | ACK, payload: new Uint8Array(100).fill(0x41) })));
  assert.equal(p.format(data), 'IP 10.0.0.1.40000 > 10.0.0.2.443: Flags [P.], seq 1:101, ack 1, win 65535, length 100\n');
  const whole = frame(tcp({ sport: 40000, dport: 443, seq: 101, ack: 9001, flags: ACK }));
  const cut = record(whole.slice(0, 14 + 20 + 10), { origLen: whole.length });
  assert.equal(p.format(cut), 'IP 10.0.0.1.40000 > 10.0.0.2.443:  [|tcp]\n');
});

test('one UDP line and the quiet form', () => {
  const pkt = record(ethernet({ payload: ipv4({ proto: IPPROTO.UDP, payload: udp({ sport: 5000, dport: 6000, payload: [1, 2, 3] }) }) }));
  assert.equal(new PacketLinePrinter({ timestampMode: 2 }).format(pkt), '1700000000.123456 IP 10.0.0.1.5000 > 10.0.0.2.6000: UDP, length 3\n');
  assert.equal(new PacketLinePrinter({ timestampMode: 1, link: true, quiet: true }).format(pkt),
    '02:00:00:00:00:01 > 02:00:00:00:00:02, IPv4, length 45: 10.0.0.1.5000 > 10.0.0.2.6000: UDP, length 3\n');
});

test('colour changes no text: stripping it gives the plain line', () => {
  const pkt = record(ethernet({ payload: ipv4({ proto: IPPROTO.TCP, payload: tcp({ sport: 40000, dport: 443, flags: TCP_FLAGS.RST }) }) }));
  const plain = new PacketLinePrinter({}).format(pkt);
  const coloured = new PacketLinePrinter({ palette: {
    timestamp: (t) => `\x1b[2m${t}\x1b[22m`, endpoint: (t) => `\x1b[36m${t}\x1b[39m`,
    tcpFlags: (t) => `\x1b[31m${t}\x1b[39m`, ipsec: (t) => t, problem: (t) => t,
  } }).format(pkt);
  assert.notEqual(coloured, plain);
  assert.equal(stripColor(coloured), plain);
});

test('tunnels: nesting far past any real stack ends the line, quickly', () => {
  let inner = ipv4({ proto: IPPROTO.TCP, payload: tcp({ sport: 1234, dport: 5678, seq: 1000, flags: TCP_FLAGS.SYN }) });
  for (let i = 0; i < 2000; i++) inner = ipv4({ proto: IPPROTO.IPIP, payload: inner });
  const printer = new PacketLinePrinter({ timestampMode: 1 });
  const started = process.hrtime.bigint();
  const line = printer.format(record(ethernet({ type: 0x0800, payload: inner })));
  assert.ok(Number(process.hrtime.bigint() - started) < 200e6, 'bounded work');
  assert.match(line, / \[\|nesting\]\n$/);
  assert.equal(line.split('IP ').length - 1, 33, 'the outer header and 32 nested ones');
});

test('tunnels: GRE key and sequence, the payload after them; ERSPAN left as tcpdump 4.99 leaves it', () => {
  const printer = new PacketLinePrinter({ timestampMode: 1 });
  const inner = ipv4({ proto: IPPROTO.TCP, src: '192.0.2.1', dst: '192.0.2.2', payload: tcp({ sport: 1234, dport: 80, seq: 1000, flags: TCP_FLAGS.SYN }) });
  const gre = [0x30, 0, 0x08, 0, 0, 0, 0, 0x4d, 0, 0, 0, 5, ...inner];
  assert.equal(printer.format(record(ethernet({ type: 0x0800, payload: ipv4({ proto: IPPROTO.GRE, payload: Uint8Array.from(gre) }) }))),
    'IP 10.0.0.1 > 10.0.0.2: GREv0, key=0x4d, seq 5, length ' + gre.length + ': IP 192.0.2.1.1234 > 192.0.2.2.80: Flags [S], seq 1000, win 65535, length 0\n');
  const erspan = [0x10, 0, 0x88, 0xbe, 0, 0, 0, 9, ...inner];
  assert.equal(printer.format(record(ethernet({ type: 0x0800, payload: ipv4({ proto: IPPROTO.GRE, payload: Uint8Array.from(erspan) }) }))),
    'IP 10.0.0.1 > 10.0.0.2: GREv0, seq 9, length ' + erspan.length + ': gre-proto-0x88be\n');
});

test('UDP applications: tcpdump picks the dissector by its port order, and -q turns them off', () => {
  const line = (sport, dport, payload, o = {}) => new PacketLinePrinter({ timestampMode: 1, ...o })
    .format(record(ethernet({ type: 0x0800, payload: ipv4({ id: 1, proto: 17, payload: udp({ sport, dport, payload: Uint8Array.from(payload) }) }) }))).replace(/^IP \S+ > \S+: /, '');
  const ntp = [0x23, ...new Array(47).fill(0)];
  assert.equal(line(40000, 123, ntp), 'NTPv4, Client, length 48\n');
  assert.equal(line(40000, 123, ntp, { quiet: true }), 'UDP, length 48\n');
  // 69 (TFTP) is checked before 123 (NTP), 53 (DNS) before both.
  assert.equal(line(69, 123, [0, 4, 0, 7]), 'TFTP, length 4, ACK block 7\n');
  assert.equal(line(53, 123, ntp), '8960 [0q] (48)\n');
});

test('wire text in UDP applications shows as tcpdump M-/^ forms, never raw controls', () => {
  const line = (dport, payload, verbose = 0) => new PacketLinePrinter({ timestampMode: 1, verbose })
    .format(record(ethernet({ type: 0x0800, payload: ipv4({ id: 1, proto: 17, payload: udp({ sport: 40000, dport, payload: Uint8Array.from(payload) }) }) }))).replace(/^[^]*?10\.0\.0\.2\.\d+: /, '');
  const bytes = (s) => [...Buffer.from(s, 'latin1')];
  assert.equal(line(69, [0, 1, ...bytes('a\x1b[2J\x9b\x7f'), 0, ...bytes('octet'), 0]),
    'TFTP, length 16, RRQ "a^[[2JM-^[^?" octet\n');
  assert.equal(line(514, bytes('<30>x\x07\x1b]52;c;aGk=\x07'), 1),
    'SYSLOG, length: 18\n\tFacility daemon (3), Severity info (6)\n\tMsg: x^G^[]52;c;aGk=^G\n');
  // SNMP strings print quoted only when every byte is printable, else as hex.
  const snmp = (community) => [0x30, 0x0b + community.length, 2, 1, 0, 4, community.length, ...community,
    0xa0, 0x06, 2, 1, 1, 2, 1, 0, 2, 1, 0].slice(0, 13 + community.length);
  assert.match(line(161, snmp(bytes('pub\x1b'))), /^ C=70_75_62_1b /);
  assert.match(line(161, snmp(bytes('private'))), /^ C="private" /);
});

/** RPC and Rx payloads over UDP between 10.0.0.1 and 10.0.0.2 (or the other way), lines without the addresses. */
const words = (...ws) => ws.flatMap((w) => [(w >>> 24) & 255, (w >>> 16) & 255, (w >>> 8) & 255, w & 255]);
const udpLine = (printer, sport, dport, payload, back = false) => printer.format(record(ethernet({ type: 0x0800,
  payload: ipv4({ id: 1, proto: 17, src: back ? '10.0.0.2' : '10.0.0.1', dst: back ? '10.0.0.1' : '10.0.0.2',
    payload: udp({ sport, dport, payload: Uint8Array.from(payload) }) }) }))).replace(/^IP \S+ > \S+: /, '');

test('NFS: a reply is read by the call it answers, from the server it went to, among the last 64 calls', () => {
  const printer = new PacketLinePrinter({ timestampMode: 1 });
  // Too short for any server's layout; tcpdump cuts the name "Unknown" to the handle's words (2).
  const fh = [0, 0, 0, 8, 1, 2, 3, 4, 5, 6, 7, 8];
  const name = [0, 0, 0, 6, ...Buffer.from('a\x1b[2J\x9b', 'latin1'), 0, 0];
  const call = (xid, proc, args) => words(xid, 0, 2, 100003, 3, proc, 0, 0, 0, 0).concat(args);
  const reply = (xid, results) => words(xid, 1, 0, 0, 0, 0).concat(results);
  const lookup = call(7, 3, [...fh, ...name]);
  assert.equal(udpLine(printer, 800, 2049, lookup), `NFS request xid 7 ${lookup.length} lookup fh Un/0102030405060708 "a^[[2JM-^["\n`);
  const found = reply(7, [...words(0), ...fh, ...words(0)]);
  assert.equal(udpLine(printer, 2049, 800, found, true), `NFS reply xid 7 reply ok ${found.length} lookup fh Un/0102030405060708\n`);
  // The same id from a host the call did not go to is not its reply.
  assert.equal(udpLine(printer, 2049, 800, found), `NFS reply xid 7 reply ok ${found.length}\n`);
  const error = reply(7, words(2));
  assert.equal(udpLine(printer, 2049, 800, error, true), `NFS reply xid 7 reply ok ${error.length} lookup ERROR: No such file or directory\n`);
  for (let xid = 100; xid < 164; xid++) udpLine(printer, 800, 2049, call(xid, 0, []));
  assert.equal(udpLine(printer, 2049, 800, found, true), `NFS reply xid 7 reply ok ${found.length}\n`);
  assert.equal(udpLine(printer, 2049, 800, reply(100, []), true), 'NFS reply xid 100 reply ok 24 null\n');
});

test('AFS Rx: calls by service port, replies by the call cache, hostile counts bounded by the capture', () => {
  const printer = new PacketLinePrinter({ timestampMode: 1 });
  const header = (call, type, flags, service = 1) => words(1, 2, call, 1, 1).concat([type, flags, 0, 0, 0, 0, 0, service]);
  const fetchStatus = header(5, 1, 1).concat(words(132, 1, 2, 3));
  assert.equal(udpLine(printer, 7001, 7000, fetchStatus), ' rx data fs call fetch-status fid 1/2/3 (44)\n');
  assert.equal(udpLine(printer, 7000, 7001, header(5, 4, 0).concat(words(102)), true), ' rx abort fs reply fetch-status error no such vnode (32)\n');
  assert.equal(udpLine(printer, 7000, 7001, header(6, 1, 0).concat(words(0)), true), ' rx data (32)\n');
  const nameToId = header(9, 1, 1).concat(words(504, 0xffffffff), new Array(64 * 4).fill(0x41));
  assert.equal(udpLine(printer, 7001, 7002, nameToId), ' rx data pt call name-to-id "' + 'A'.repeat(64) + '" [|pt] (' + nameToId.length + ')\n');
  const ack = header(5, 2, 0).concat([0, 1, 0, 0], words(3, 0, 9), [1, 5, 1, 1, 0, 1, 1]);
  assert.equal(udpLine(printer, 7000, 7001, ack, true), ` rx ack first 3 serial 9 reason ack requested acked 3-4,6-7 nacked 5 (${ack.length})\n`);
});

test('802.3 frames: LLC payloads are as long as the length field says, not the frame', () => {
  const p = new PacketLinePrinter({});
  // A config BPDU whose 802.3 length (20) is too short for it: invalid, whatever follows in the frame.
  const bpdu = [0x42, 0x42, 0x03, 0, 0, 0, 0, 0, 0x80, 0x01, 0, 0x19, 0x06, 0xea, 0xb8, 0x80, 0, 0, 0, 0, 0x80, 0x01, 0, 0x19, 0x06, 0xea, 0xb8, 0x80, 0x80, 0x05, 0, 0, 0x14, 0, 0x02, 0, 0x0f, 0, 0, 0];
  const frame = ethernet({ type: 20, payload: Uint8Array.from(bpdu) });
  assert.equal(p.format(record(frame)).slice(16), 'STP 802.1d, Config (invalid)\n');
  frame[13] = bpdu.length;
  assert.equal(p.format(record(frame)).slice(16), 'STP 802.1d, Config, Flags [none], bridge-id 8001.00:19:06:ea:b8:80.8005, length 37\n');
});

test('PTP management messages: tcpdump reads all four trailing fields from one byte', () => {
  const p = new PacketLinePrinter({});
  const msg = new Uint8Array(54);
  msg[0] = 0x0d; msg[1] = 2; msg[3] = 54; msg[32] = 4;
  msg[34] = 0x12; msg[43] = 7;
  const line = p.format(record(ethernet({ type: 0x88f7, payload: msg }))).slice(16);
  assert.ok(line.endsWith(', port identity : 0x1200000000000000, port id : 7, , start boundary hops  18, , boundary hops  18, , flags  0x12, , reserved  0x12\n'), line);
});

test('TCP applications: SSH banners, RESP items, MPTCP options as tcpdump prints them; hostile input stays fast', () => {
  const { ACK, PSH, SYN } = TCP_FLAGS;
  const line = (dport, payload, o = {}) => new PacketLinePrinter({ timestampMode: 1 })
    .format(record(ethernet({ payload: ipv4({ proto: IPPROTO.TCP, payload: tcp({ sport: 40000, dport, flags: o.flags ?? (ACK | PSH), options: o.options, payload: Uint8Array.from(Buffer.from(payload, 'latin1')) }) }) })))
    .replace(/^[^]*?, length \d+/, '');
  assert.equal(line(22, 'SSH-2.0-OpenSSH_8.2p1\r\n'), ': SSH: SSH-2.0-OpenSSH_8.2p1\n');
  // No line end in the segment, a lone CR, or a control byte: tcpdump prints nothing.
  assert.equal(line(22, 'SSH-2.0-x'), '\n');
  assert.equal(line(22, 'SSH-2.0-x\rz\n'), '\n');
  assert.equal(line(22, 'SSH-2.0-\x1b[2J\n'), '\n');
  assert.equal(line(6379, '*2\r\n$3\r\nGET\r\n$-1\r\n+O\x1bK\r\n'), ': RESP "GET" null "O^[K"\n');
  assert.equal(line(6379, 'PING'), ': RESP [|resp]\n');
  const nested = '*1\r\n'.repeat(5000) + ':1\r\n';
  const t0 = process.hrtime.bigint();
  assert.equal(line(6379, nested), ': RESP "1"\n');
  assert.ok(process.hrtime.bigint() - t0 < 200_000_000n);
  const mptcp = (options, flags) => line(9999, '', { options, flags }).length === 0 ? '' : new PacketLinePrinter({ timestampMode: 1 })
    .format(record(ethernet({ payload: ipv4({ proto: IPPROTO.TCP, payload: tcp({ sport: 1, dport: 9999, flags, options }) }) }))).replace(/^[^]*options \[/, '[');
  assert.equal(mptcp([30, 12, 0x00, 0x81, 1, 2, 3, 4, 5, 6, 7, 8], SYN), '[mptcp 12 capable v0 csum {0x102030405060708}], length 0\n');
  assert.equal(mptcp([30, 8, 0x20, 0x01, 0xd0, 0xbd, 0x7a, 0xef], ACK), '[mptcp 8 dss ack 3502078703], length 0\n');
  assert.equal(mptcp([30, 3, 0x20, 0], SYN), '[mptcp 3 dss[bad opt]\n');
});

test('IKEv1 lines mark initiator and responder from the first exchange seen, as tcpdump\'s cookie cache does', () => {
  const p = new PacketLinePrinter({ timestampMode: 1 });
  const ike = (src, dst, responderCookie, messageId) => {
    const h = new Uint8Array(28);
    h.set([1, 2, 3, 4, 5, 6, 7, 8], 0);
    h.set(responderCookie, 8);
    h[16] = 1; h[17] = 0x10; h[18] = 2; // SA payload next, version 1.0, identity protection
    h[23] = messageId; h[27] = 28;
    return record(ethernet({ payload: ipv4({ src, dst, proto: IPPROTO.UDP, payload: udp({ sport: 500, dport: 500, payload: h }) }) }));
  };
  const zero = [0, 0, 0, 0, 0, 0, 0, 0], set = [9, 9, 9, 9, 9, 9, 9, 9];
  assert.match(p.format(ike('10.0.0.1', '10.0.0.2', zero, 0)), /isakmp: phase 1 I ident\n$/);
  assert.match(p.format(ike('10.0.0.2', '10.0.0.1', set, 0)), /isakmp: phase 1 R ident\n$/);
  assert.match(p.format(ike('10.0.0.3', '10.0.0.1', set, 5)), /isakmp: phase 2\/others \? ident\n$/);
  // A new printer starts with an empty cache: a responder cookie without its request is "?".
  assert.match(new PacketLinePrinter({ timestampMode: 1 }).format(ike('10.0.0.2', '10.0.0.1', set, 0)), /isakmp: phase 1 \? ident\n$/);
});

test('routing protocols over UDP: Babel carries omitted prefix bytes, BFD times wrap as in 32 bits, BCM-LI comes before BFD', () => {
  const line = (sport, dport, payload, verbose = 0) => new PacketLinePrinter({ timestampMode: 1, verbose })
    .format(record(ethernet({ payload: ipv4({ id: 1, proto: IPPROTO.UDP, payload: udp({ sport, dport, payload: Uint8Array.from(Buffer.from(payload, 'hex')) }) }) })))
    .replace(/^[^]*?10\.0\.0\.2\.\d+: /, '');
  // The second Update omits 6 prefix bytes: they come from the first, which set the prefix flag.
  const babel = '2a020022' + '0812028040000190000101002001' + '0db80001000208' + '0c02004006019000020100' + '0003';
  assert.equal(line(40000, 6696, babel), 'babel 2 (34) update/prefix update\n');
  assert.equal(line(40000, 6696, babel, 1), 'babel 2 (34)\n\tUpdate/prefix 2001:db8:1:2::/64 metric 256 seqno 1 interval 4.00s' +
    '\n\tUpdate 2001:db8:1:3::/64 metric 256 seqno 2 interval 4.00s\n');
  // Multiplier 255 times 0x20000000 us overflows 32 bits in tcpdump; so it does here.
  assert.match(line(40000, 3784, '20c0ff180000000100000002200000000000000000000000', 1), /Detection Timer Multiplier: 255 \(3758096 ms Detection time\)/);
  assert.equal(line(49152, 3784, '20c0031889860b19457f745100061a8000061a8000061a80'),
    'BCM-LI-SHIM: direction unused, pkt-type unknown, pkt-subtype untagged, li-id 792\n');
  assert.equal(line(40000, 3784, '20c0031889860b19457f745100061a8000061a8000061a80'), 'BFDv1, Control, State Up, Flags: [none], length: 24\n');
});
