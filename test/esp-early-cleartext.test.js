// EarlyCleartext keeps flows between hosts that are not (yet) IPsec peers,
// and hands a pair's flows over when the pair starts IPsec. Its entries in
// use are kept in a list, so handing over looks only at them: these tests
// check that the list stays right through many hand-overs and replacements.
import test from 'node:test';
import assert from 'node:assert/strict';
import { IPPROTO, ethernet, ipPacket, tcp, udp } from './helpers/packets.js';
import { EarlyCleartext, EARLY_FLOWS } from '../dist/analyze/esp/early-cleartext.js';
import { decodePacket, DecodedPacket, createPacketRecord } from '../dist/index.js';

function decoded(frame, bytes) {
  const rec = createPacketRecord();
  rec.bytes = bytes; rec.offset = 0; rec.caplen = bytes.length; rec.origLen = bytes.length;
  rec.frame = frame; rec.linkType = 1; rec.tsSec = 1_700_000_000 + frame; rec.tsNsec = 0;
  return decodePacket(rec, new DecodedPacket());
}

const hostsOf = (pair) => [`10.${pair >> 8}.${pair & 0xff}.1`, `10.${pair >> 8}.${pair & 0xff}.2`];

/** A packet of flow `port` between the two hosts of `pair`. */
function flowPacket(pair, port, reverse, frame) {
  const [a, b] = hostsOf(pair);
  const [src, dst] = reverse ? [b, a] : [a, b];
  const [proto, payload] = port % 3 === 0 ? [IPPROTO.UDP, udp({ src, dst, sport: port, dport: 53, payload: new Uint8Array(8) })]
    : [IPPROTO.TCP, tcp({ src, dst, sport: port, dport: 22, seq: 1, ack: 1, flags: 'A', win: 100 })];
  return decoded(frame, ethernet({ payload: ipPacket({ src, dst, proto, payload }) }));
}

function note(early, d) {
  early.record(d, d.pkt, d.pkt.tsSec);
}

test('handing over a pair takes exactly its flows, in entry order, and keeps the rest', () => {
  const early = new EarlyCleartext();
  let frame = 0;
  // 60 host pairs, 5 flows each (both directions).
  for (let pair = 0; pair < 60; pair++) {
    for (let port = 1000; port < 1005; port++) note(early, flowPacket(pair, port, port % 2 === 1, ++frame));
  }
  assert.equal(early.inUse + early.replaced, 300, 'every flow is in the table or counted as replaced');
  const keptBefore = early.inUse;
  let handed = 0;
  for (const pair of [7, 0, 59, 33, 7]) {
    const taken = [];
    early.takeBetween(flowPacket(pair, 4000, false, ++frame), (e) => {
      const k = early.keyOf(e, new Uint8Array(16), new Uint8Array(16));
      taken.push({ e, port: k.srcPort === 22 || k.srcPort === 53 ? k.dstPort : k.srcPort });
    });
    assert.deepEqual(taken.map((t) => t.e), taken.map((t) => t.e).slice().sort((x, y) => x - y), 'entries come in order');
    if (pair === 7 && handed > 0) assert.equal(taken.length, 0, 'a pair handed over once has nothing left');
    else assert.ok(taken.length <= 5 && taken.length >= 1, `pair ${pair}: ${taken.length} flows`);
    handed += taken.length;
    assert.equal(early.inUse, keptBefore - handed);
  }
  // What is left can still be handed over, and new flows can take the freed entries.
  for (let port = 2000; port < 2100; port++) note(early, flowPacket(100 + port, port, false, ++frame));
  let rest = 0;
  for (let pair = 0; pair < 60; pair++) early.takeBetween(flowPacket(pair, 4000, false, ++frame), () => { rest++; });
  for (let port = 2000; port < 2100; port++) early.takeBetween(flowPacket(100 + port, 4000, false, ++frame), () => { rest++; });
  assert.equal(early.inUse, 0, 'all handed over');
  assert.ok(rest > 0 && rest + handed <= 400);
});

test('a table full of flows hands over and refills without losing track', () => {
  const early = new EarlyCleartext();
  let frame = 0;
  const pairs = Math.ceil((EARLY_FLOWS * 2) / 4);
  for (let pair = 0; pair < pairs; pair++) {
    for (let port = 1; port <= 4; port++) note(early, flowPacket(pair, port, false, ++frame));
  }
  assert.ok(early.inUse <= EARLY_FLOWS);
  assert.equal(early.inUse + early.replaced, pairs * 4);
  let taken = 0;
  for (let pair = 0; pair < pairs; pair += 2) early.takeBetween(flowPacket(pair, 9, true, ++frame), () => { taken++; });
  const left = early.inUse;
  let after = 0;
  for (let pair = 1; pair < pairs; pair += 2) early.takeBetween(flowPacket(pair, 9, true, ++frame), () => { after++; });
  assert.equal(after, left, 'the other half hands over every flow still kept');
  assert.equal(early.inUse, 0);
  assert.equal(taken + after + early.replaced, pairs * 4);
});
