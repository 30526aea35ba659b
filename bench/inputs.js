// Deterministic bench inputs, written once into bench/out/ and reused:
//   bulk-lossy.pcap  a simulated bulk TCP transfer with ~1% loss seen at the
//                    sender: SACKed dup ACKs, fast retransmissions, RTO backoff
//   udp-flood.pcap   millions of 64-byte UDP frames over a thousand flows
//   big-1g.pcap      the bulk transfer grown to about 1 GB (for peak RSS)
//   many-pairs.pcap  32 such transfers between different hosts at once, about 250 MB
//                    (analyze --threads: the work spreads by host pair)
//   esp-heavy-N.pcap N packets, 90% ESP over 40 SAs (esp-bench, esp-instructions)
// Every byte follows from a seeded PRNG, so runs on different machines read
// the same files.
import { mkdirSync, existsSync, statSync, renameSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PcapWriter } from '../dist/sink/pcap-writer.js';
import { createPacketRecord } from '../dist/index.js';
import { openCaptures } from '../dist/source/capture-set.js';
import {
  IPPROTO, emitEthernet, emitIpv4, emitTcp, emitUdp, ethernet, ipPacket, ipv4Checksum, put16, put32, sealEsp, tcp,
} from '../test/helpers/packets.js';

export const OUT = join(dirname(fileURLToPath(import.meta.url)), 'out');

/** mulberry32: small, fast, and the same everywhere. */
function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const MAC_A = '02:00:00:00:00:0a';
const MAC_B = '02:00:00:00:00:0b';

/** Fills Ethernet + IPv4 headers at 0 for a datagram of `ipLen` bytes. */
function ethIp(b, srcMac, dstMac, src, dst, proto, ipLen, id) {
  emitEthernet(b, 0, { dst: dstMac, src: srcMac, type: 0x0800 });
  emitIpv4(b, 14, { src, dst, proto, totalLength: ipLen, id });
}

/** A min-heap of events ordered by time (then by insertion, for determinism). */
class EventQueue {
  constructor() { this.items = []; this.counter = 0; }
  push(time, ev) { ev.time = time; ev.order = this.counter++; const a = this.items; a.push(ev); let i = a.length - 1; while (i > 0) { const p = (i - 1) >> 1; if (less(a[p], a[i])) break; [a[p], a[i]] = [a[i], a[p]]; i = p; } }
  pop() { const a = this.items; const top = a[0]; const last = a.pop(); if (a.length) { a[0] = last; let i = 0; for (;;) { const l = 2 * i + 1, r = l + 1; let m = i; if (l < a.length && less(a[l], a[m])) m = l; if (r < a.length && less(a[r], a[m])) m = r; if (m === i) break; [a[m], a[i]] = [a[i], a[m]]; i = m; } } return top; }
  get size() { return this.items.length; }
}
function less(x, y) { return x.time < y.time || (x.time === y.time && x.order < y.order); }

/**
 * A sender-side capture of a bulk transfer: A sends `segments` full-size
 * segments to B through a path that drops `lossRate` of them after the capture
 * point. B acks every second segment, with SACK blocks for out-of-order data;
 * A fast-retransmits after three duplicate ACKs and falls back to an RTO with
 * exponential backoff when a retransmission is lost too.
 */
export function writeBulkTransfer(path, { segments, lossRate = 0.01, seed = 7, pair = 0 }) {
  const rand = prng(seed);
  const writer = new PcapWriter(path, { linkType: 1, snaplen: 262144 });
  const frame = new Uint8Array(1600);
  const rec = { frame: 0, tsSec: 0, tsNsec: 0, caplen: 0, origLen: 0, linkType: 1, interfaceId: 0, bytes: frame, offset: 0, fileOffset: 0 };
  // `pair` moves both hosts (and the client port), so transfers written apart can be merged.
  const A = 0x0a010001 + pair * 256, B = 0x0a020002 + pair * 256, AP = 43210 + pair, BP = 5201;
  const MSS = 1448, ISS_A = 1000000, ISS_B = 5000000, OWD = 0.0005, GAP = 12e-6, RTO_MIN = 0.2;
  const T0 = 1700000000;
  let ipIdA = 1, ipIdB = 1, tsA = 1000, tsB = 9000;
  let packets = 0;

  function emit(time, fromA, seq, ack, flags, payload, sack, synOpts) {
    const optLen = synOpts ? 20 : 12 + (sack.length ? 2 + 8 * sack.length + 2 : 0);
    const tcpLen = 20 + optLen;
    const ipLen = 20 + tcpLen + payload;
    ethIp(frame, fromA ? MAC_A : MAC_B, fromA ? MAC_B : MAC_A, fromA ? A : B, fromA ? B : A, 6, ipLen, fromA ? ipIdA++ : ipIdB++);
    let o = emitTcp(frame, 34, { sport: fromA ? AP : BP, dport: fromA ? BP : AP, seq, ack, flags, win: fromA ? 502 : 3000, headerLength: tcpLen });
    const tsv = Math.floor(time * 1000);
    if (synOpts) {
      frame[o++] = 2; frame[o++] = 4; put16(frame, o, MSS); o += 2;
      frame[o++] = 4; frame[o++] = 2;
      frame[o++] = 8; frame[o++] = 10; put32(frame, o, tsv); put32(frame, o + 4, 0); o += 8;
      frame[o++] = 1; frame[o++] = 3; frame[o++] = 3; frame[o++] = 7;
    } else {
      frame[o++] = 1; frame[o++] = 1; frame[o++] = 8; frame[o++] = 10;
      put32(frame, o, (fromA ? tsA : tsB) + tsv); put32(frame, o + 4, (fromA ? tsB : tsA) + tsv); o += 8;
      if (sack.length) {
        frame[o++] = 1; frame[o++] = 1; frame[o++] = 5; frame[o++] = 2 + 8 * sack.length;
        for (const [l, r] of sack) { put32(frame, o, l >>> 0); put32(frame, o + 4, r >>> 0); o += 8; }
      }
    }
    for (let i = 0; i < payload; i++) frame[o + i] = (seq + i) & 0xff;
    const total = 14 + ipLen;
    const whole = T0 + time;
    rec.tsSec = Math.floor(whole);
    rec.tsNsec = Math.round((whole - rec.tsSec) * 1e6) * 1000;
    if (rec.tsNsec >= 1e9) { rec.tsSec++; rec.tsNsec -= 1e9; }
    rec.caplen = rec.origLen = total;
    rec.frame = ++packets;
    writer.writePacket(rec);
  }

  const q = new EventQueue();
  // Handshake, then data.
  emit(0, true, ISS_A, 0, 0x02, 0, [], true);
  emit(2 * OWD, false, ISS_B, ISS_A + 1, 0x12, 0, [], true);
  emit(2 * OWD + 1e-5, true, ISS_A + 1, ISS_B + 1, 0x10, 0, [], false);

  const base = ISS_A + 1;
  const end = base + segments * MSS;
  let sndNxt = base, sndUna = base, now = 2 * OWD + 2e-5, cwnd = 64;
  let dupAcks = 0, recoverPoint = -1, rto = RTO_MIN, rtoDeadline = Infinity, rtoArmed = false;
  // Receiver state.
  let rcvNxt = base; const ooo = new Map(); let unackedSegs = 0;

  const send = (seq, at, retrans) => {
    const len = Math.min(MSS, end - seq);
    const flags = seq + len >= end ? 0x19 : 0x18;
    emit(at, true, seq, ISS_B + 1, flags, len, [], false);
    const dropped = rand() < (retrans ? lossRate * 3 : lossRate);
    if (!dropped) q.push(at + OWD, { kind: 'arrive', seq, len });
    if (!rtoArmed) { rtoArmed = true; rtoDeadline = at + rto; q.push(rtoDeadline, { kind: 'rto', deadline: rtoDeadline }); }
  };
  const sackBlocks = () => {
    const keys = [...ooo.keys()].sort((x, y) => x - y);
    const blocks = [];
    for (const k of keys) {
      const last = blocks[blocks.length - 1];
      if (last && last[1] === k) last[1] = k + ooo.get(k); else blocks.push([k, k + ooo.get(k)]);
    }
    return blocks.slice(-3).reverse();
  };

  q.push(now, { kind: 'pump' });
  while (q.size) {
    const ev = q.pop();
    now = ev.time;
    if (ev.kind === 'pump') {
      if (sndNxt < end && (sndNxt - sndUna) / MSS < cwnd) { send(sndNxt, now, false); sndNxt = Math.min(end, sndNxt + MSS); q.push(now + GAP, { kind: 'pump' }); }
      else if (sndNxt < end) q.push(now + GAP * 4, { kind: 'pump' });
    } else if (ev.kind === 'arrive') {
      if (ev.seq === rcvNxt) {
        rcvNxt += ev.len;
        while (ooo.has(rcvNxt)) { const l = ooo.get(rcvNxt); ooo.delete(rcvNxt); rcvNxt += l; }
        unackedSegs++;
        if (unackedSegs >= 2 || ooo.size || rcvNxt >= end) { unackedSegs = 0; q.push(now + 1e-5, { kind: 'ackSent', ack: rcvNxt, sack: sackBlocks() }); }
      } else if (ev.seq > rcvNxt) {
        ooo.set(ev.seq, ev.len);
        q.push(now + 1e-5, { kind: 'ackSent', ack: rcvNxt, sack: sackBlocks() });
      } else {
        // Already had it: a D-SACK would go here; a plain duplicate ACK is enough.
        q.push(now + 1e-5, { kind: 'ackSent', ack: rcvNxt, sack: [[ev.seq, ev.seq + ev.len]] });
      }
    } else if (ev.kind === 'ackSent') {
      q.push(now + OWD, { kind: 'ackArrive', ack: ev.ack, sack: ev.sack });
    } else if (ev.kind === 'ackArrive') {
      emit(now, false, ISS_B + 1, ev.ack, 0x10, 0, ev.sack, false);
      if (ev.ack > sndUna) {
        sndUna = ev.ack; dupAcks = 0; rto = RTO_MIN;
        rtoArmed = sndUna < sndNxt;
        if (rtoArmed) { rtoDeadline = now + rto; q.push(rtoDeadline, { kind: 'rto', deadline: rtoDeadline }); }
        if (sndUna >= recoverPoint) recoverPoint = -1;
        if (sndUna >= end) { emit(now + 1e-4, true, end, ISS_B + 1, 0x11, 0, [], false); emit(now + 1e-4 + 2 * OWD, false, ISS_B + 1, end + 1, 0x11, 0, [], false); emit(now + 2e-4 + 2 * OWD, true, end + 1, ISS_B + 2, 0x10, 0, [], false); break; }
      } else if (ev.ack === sndUna && sndUna < sndNxt) {
        dupAcks++;
        if (dupAcks === 3 && recoverPoint < 0) { recoverPoint = sndNxt; send(sndUna, now + 1e-6, true); }
      }
    } else if (ev.kind === 'rto') {
      if (!rtoArmed || ev.deadline !== rtoDeadline || sndUna >= end) continue;
      send(sndUna, now, true);
      rto = Math.min(rto * 2, 60);
      rtoDeadline = now + rto; q.push(rtoDeadline, { kind: 'rto', deadline: rtoDeadline });
    }
  }
  return writer.close().then(() => packets);
}

/** `count` 64-byte Ethernet/IPv4/UDP frames, 1 µs apart, over 1024 flows. */
export function writeUdpFlood(path, { count, seed = 11 }) {
  const rand = prng(seed);
  const writer = new PcapWriter(path, { linkType: 1, snaplen: 262144 });
  const frame = new Uint8Array(64);
  const rec = { frame: 0, tsSec: 0, tsNsec: 0, caplen: 64, origLen: 64, linkType: 1, interfaceId: 0, bytes: frame, offset: 0, fileOffset: 0 };
  ethIp(frame, MAC_A, MAC_B, 0x0a000001, 0x0a000002, 17, 50, 0);
  const T0 = 1700000000;
  for (let i = 0; i < count; i++) {
    // Patched in place: IP ID, the last byte of the source address, the source port, a counter.
    put16(frame, 18, i & 0xffff);
    frame[29] = 1 + (i & 0x3);
    ipv4Checksum(frame, 14);
    emitUdp(frame, 34, { sport: 10000 + (i & 0x3ff), dport: 9, length: 30 }); // 8 + 22 bytes of payload
    put32(frame, 42, i);
    frame[46] = (rand() * 256) | 0;
    rec.tsSec = T0 + Math.floor(i / 1e6);
    rec.tsNsec = (i % 1e6) * 1000;
    rec.frame = i + 1;
    writer.writePacket(rec);
  }
  return writer.close().then(() => count);
}

/** `pairs` bulk transfers between different hosts, running at once, merged by time into one file. */
export async function writeManyTransfers(path, { pairs, segments }) {
  const parts = [];
  for (let pair = 0; pair < pairs; pair++) {
    const part = `${path}.part${pair}`;
    await writeBulkTransfer(part, { segments, seed: 100 + pair, pair });
    parts.push(part);
  }
  const capture = openCaptures(parts);
  await capture.ready();
  const writer = new PcapWriter(path, { linkType: 1, snaplen: 262144 });
  let packets = 0;
  await capture.run((pkt) => { packets++; writer.writePacket(pkt); });
  await writer.close();
  for (const part of parts) rmSync(part);
  return packets;
}

/** Makes the inputs that are missing; returns their paths. */
export async function ensureInputs({ flood = 6_000_000, bulk = 115_000, big = true, many = false } = {}) {
  mkdirSync(OUT, { recursive: true });
  const want = [
    ['bulk-lossy.pcap', (p) => writeBulkTransfer(p, { segments: bulk })],
    ['udp-flood.pcap', (p) => writeUdpFlood(p, { count: flood })],
  ];
  if (big) want.push(['big-1g.pcap', (p) => writeBulkTransfer(p, { segments: 680_000, seed: 9 })]);
  if (many) want.push(['many-pairs.pcap', (p) => writeManyTransfers(p, { pairs: 32, segments: 5_000 })]);
  const paths = {};
  for (const [name, make] of want) {
    const path = join(OUT, name);
    if (!existsSync(path)) {
      process.stderr.write(`bench: generating ${name}...\n`);
      await make(`${path}.tmp`);
      renameSync(`${path}.tmp`, path);
    }
    paths[name.replace(/\.pcap$/, '')] = path;
  }
  return paths;
}

if (process.argv[1] && process.argv[1].endsWith('inputs.js')) {
  const paths = await ensureInputs();
  for (const [k, p] of Object.entries(paths)) console.log(k, p, `${(statSync(p).size / 1e6).toFixed(0)} MB`);
}

/**
 * An IPsec-heavy capture: 90% ESP over 40 SAs between 20 host pairs (a gap
 * now and then, a late packet now and then), 10% cleartext TCP between two
 * other hosts. One encrypted template per SA; the sequence number is patched
 * per packet (nothing here checks ICVs).
 */
export async function writeEspHeavy(path, PACKETS) {
  const w = new PcapWriter(path, { linkType: 1 });
  const rec = createPacketRecord();
  const sa = { name: 'bench', spi: 0, cipher: 'aes-gcm', key: new Uint8Array(20).fill(7) };
  let id = 0x1000;
  const frameOf = (src, dst, proto, payload) =>
    ethernet({ dst: '02:00:00:00:0b:01', src: '02:00:00:00:0a:01', payload: ipPacket({ src, dst, proto, payload, id: id++ }) });
  const templates = [];
  for (let i = 0; i < 40; i++) {
    const pair = i >> 1;
    const a = `10.${pair}.0.1`;
    const b = `10.${pair}.1.1`;
    const [src, dst] = i & 1 ? [b, a] : [a, b];
    const segment = tcp({ src, dst, sport: 1000, dport: 80, seq: 1, ack: 1, flags: 'PA', win: 500, payload: new Uint8Array(1000) });
    const inner = ipPacket({ src, dst, proto: IPPROTO.TCP, payload: segment, id: id++ });
    const esp = sealEsp({ sa: { ...sa, spi: 0xc0000000 + i }, seq: 1, payload: inner, nextHeader: IPPROTO.IPIP });
    templates.push({ frame: frameOf(src, dst, IPPROTO.ESP, esp), seq: 0 });
  }
  const clear = frameOf('172.16.0.1', '172.16.0.2', IPPROTO.TCP,
    tcp({ src: '172.16.0.1', dst: '172.16.0.2', sport: 5555, dport: 443, seq: 1, ack: 1, flags: 'A', win: 500 }));
  const seqAt = 14 + 20 + 4;
  let t = 1_700_000_000;
  for (let n = 0; n < PACKETS; n++) {
    t += 20e-6;
    let bytes;
    if (n % 10 === 9) bytes = clear;
    else {
      const tpl = templates[n % 40];
      tpl.seq++;
      let seq = tpl.seq;
      if (n % 100_003 === 0) seq += 5; // a gap now and then
      if (n % 50_021 === 0 && seq > 2) seq -= 2; // and a late one
      put32(tpl.frame, seqAt, seq);
      bytes = tpl.frame;
    }
    rec.frame = n + 1;
    rec.tsSec = Math.floor(t);
    rec.tsNsec = Math.floor((t - rec.tsSec) * 1e9);
    rec.bytes = bytes; rec.offset = 0; rec.caplen = bytes.length; rec.origLen = bytes.length;
    w.writePacket(rec);
  }
  await w.close();
}
