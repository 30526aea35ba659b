// Radiotap, IEEE 802.11, Prism and AVS lines against tcpdump 4.99.3's text for hand-built frames
// (every radiotap field, namespace switches, FCS and padding flags, each frame type, truncations),
// and the exact-scope judgement of what a data frame carries.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PacketLinePrinter, outOfScopeReason, decodePacket, DecodedPacket } from '../dist/index.js';
import { WIFI_CASES } from './helpers/wifi-cases.js';
import { concat, ipv4, udp, IPPROTO } from './helpers/packets.js';
import { data, radiotap, field, snap } from './helpers/wifi.js';

const record = (bytes, linkType, origLen = bytes.length) => ({
  frame: 1, tsSec: 0, tsNsec: 0, caplen: bytes.length, origLen, linkType, interfaceId: 0, bytes, offset: 0, fileOffset: 0,
});

test('wireless lines equal tcpdump -nn -t', () => {
  const printer = new PacketLinePrinter({ timestampMode: 1 });
  for (const [lt, bytes, want] of WIFI_CASES) assert.equal(printer.format(record(bytes, lt)), want + '\n', want);
});

test('-e shows the 802.11 addresses, -v the frame control flags and duration', () => {
  const [, beacon] = WIFI_CASES[0];
  const e = new PacketLinePrinter({ timestampMode: 1, link: true }).format(record(beacon, 127));
  assert.match(e, / antenna 1 BSSID:cc:dd:ee:ff:00:01 DA:00:11:22:33:44:55 SA:66:77:88:99:aa:bb Beacon \(/);
  const ev = new PacketLinePrinter({ timestampMode: 1, link: true, verbose: 1 }).format(record(beacon, 127));
  assert.match(ev, / antenna 1 314us BSSID:/);
});

test('a captured FCS is not printed as payload, and -x starts after the radiotap and 802.11 headers', () => {
  const payload = Uint8Array.of(0xde, 0xad);
  const frame = concat(radiotap([field.flags(0x10)]), data(0, 0, [0x10, 0x20, 0x03, ...payload]), Uint8Array.of(9, 9, 9, 9));
  const line = new PacketLinePrinter({ timestampMode: 1 }).format(record(frame, 127));
  assert.equal(line.slice(line.indexOf('length')), 'length 5\n\t0x0000:  1020 03de ad                             .....\n');
  const hex = new PacketLinePrinter({ timestampMode: 1, hex: 1 }).format(record(frame, 127));
  assert.equal(hex.slice(hex.indexOf('\n')), '\n\t0x0000:  dead 0909 0909\n');
});

test('exact scope: management and control frames are exact, a data frame by what its LLC carries', () => {
  const d = new DecodedPacket();
  const reason = (bytes, lt) => outOfScopeReason(decodePacket(record(bytes, lt), d));
  for (const [lt, bytes] of WIFI_CASES) {
    if (lt !== 105) continue;
    const r = reason(bytes, lt);
    assert.ok(r === null || /SNAP|Cisco/.test(r), String(r));
  }
  // IP is judged as it would be in a raw IP capture, whichever port the other printers cover.
  for (const port of [53, 3784, 6696, 9999]) {
    const dgram = ipv4({ src: '10.0.0.1', dst: '10.0.0.2', proto: IPPROTO.UDP, payload: udp({ sport: 40000, dport: port, payload: new Uint8Array(24) }) });
    const raw = reason(dgram, 101);
    assert.equal(reason(concat(radiotap([field.rate(2)]), data(0, 1, snap(0x0800, dgram))), 127), raw);
    assert.equal(reason(concat(radiotap([field.flags(0x10)]), data(8, 2, snap(0x0800, dgram)), Uint8Array.of(1, 2, 3, 4)), 127), raw);
  }
});

test('exact scope: behind PPI, the frame is judged as a capture of the link type PPI names', () => {
  const d = new DecodedPacket();
  const ppi = (lt, inner) => concat(Uint8Array.of(0, 0, 8, 0, lt, 0, 0, 0), inner);
  const frame = data(0, 1, snap(0x0800, ipv4({ src: '10.0.0.1', dst: '10.0.0.2', proto: IPPROTO.UDP, payload: udp({ sport: 40000, dport: 6696, payload: new Uint8Array(8) }) })));
  assert.equal(outOfScopeReason(decodePacket(record(ppi(105, frame), 192), d)), outOfScopeReason(decodePacket(record(frame, 105), d)));
  assert.equal(outOfScopeReason(decodePacket(record(ppi(147, frame), 192), d)), 'PPI link type 147');
});
