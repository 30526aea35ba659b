#!/usr/bin/env node
/**
 * IP fragments for the reassembly fixtures (fixtures/frag-*.pcap). The traffic is real: the
 * loopback TCP transfers (fixtures/lo-tcp-transfer.pcap, lo-tcp6-transfer.pcap, segments of up to
 * 6.5 kB) and the crafted ESP captures, cut into fragments as a router with a smaller MTU would,
 * each fragment a frame of its own stamped a few microseconds after the one before.
 *
 *   frag-tcp.pcap     IPv4 at MTU 1500: in order, one datagram's fragments in reverse, one with a
 *                     fragment sent twice (same bytes), a segment retransmitted (fragmented again),
 *                     and one datagram whose middle fragment is lost (never completes)
 *   frag-tcp6.pcap    IPv6 at MTU 1280 (Fragment header), one datagram out of order
 *   frag-esp.pcap     ESP (esp-sequence-gap.pcap) and ESP in UDP (esp-natt.pcap) at MTU 68
 *   frag-hostile.pcap overlaps with different data, two last fragments that disagree, a datagram
 *                     past 65,535 bytes (ping of death), then a clean one
 *
 *   node scripts/gen-fragment-fixtures.mjs [outdir]     (default: fixtures/)
 *
 * Byte-for-byte reproducible; IPv4 header checksums are correct.
 */
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { concat, ethernet, ETHERTYPE, icmpEcho, ipv4, ipv4Checksum, put16, put32 } from '../test/helpers/packets.js';
import { pcapFile, readPcapRecords } from '../test/helpers/capture-files.js';

const here = dirname(fileURLToPath(import.meta.url));
const fixtures = join(here, '..', 'fixtures');
const outDir = process.argv[2] ?? fixtures;
const ETH = 14;

/** A capture's frames with their times in µs. */
const readPcap = (file) => readPcapRecords(file).map((r) => ({ t: r.tsSec * 1e6 + r.tsNsec / 1000, bytes: r.bytes }));

/**
 * The IPv4 datagram in Ethernet frame `frame` as fragments of at most `mtu` bytes:
 * [{ offset, bytes (a whole frame) }] in order. `id` replaces the IP identification.
 */
function fragment4(frame, mtu, id) {
  const ip = frame.subarray(ETH);
  const hl = (ip[0] & 15) * 4;
  const total = (ip[2] << 8) | ip[3];
  const payload = ip.subarray(hl, total);
  const step = Math.floor((mtu - hl) / 8) * 8;
  const out = [];
  for (let off = 0; off < payload.length; off += step) {
    const part = payload.subarray(off, Math.min(off + step, payload.length));
    out.push({ offset: off, bytes: frag4Frame(frame, ip.subarray(0, hl), id, off, off + part.length < payload.length, part) });
  }
  return out;
}

/** One IPv4 fragment frame: the datagram's link and IP header with this fragment's fields. */
function frag4Frame(frame, header, id, offset, more, part) {
  const h = Uint8Array.from(header);
  put16(h, 2, h.length + part.length);
  put16(h, 4, id);
  put16(h, 6, (more ? 0x2000 : 0) | (offset / 8));
  ipv4Checksum(h, 0);
  return concat(frame.subarray(0, ETH), h, part);
}

/** The IPv6 datagram in `frame` as fragments (a Fragment header after the fixed header). */
function fragment6(frame, mtu, id) {
  const ip = frame.subarray(ETH);
  const payload = ip.subarray(40, 40 + ((ip[4] << 8) | ip[5]));
  const step = Math.floor((mtu - 48) / 8) * 8;
  const out = [];
  for (let off = 0; off < payload.length; off += step) {
    const part = payload.subarray(off, Math.min(off + step, payload.length));
    const h = Uint8Array.from(ip.subarray(0, 40));
    const fh = new Uint8Array(8);
    fh[0] = ip[6];
    put16(fh, 2, off | (off + part.length < payload.length ? 1 : 0));
    put32(fh, 4, id);
    h[6] = 44;
    put16(h, 4, 8 + part.length);
    out.push({ offset: off, bytes: concat(frame.subarray(0, ETH), h, fh, part) });
  }
  return out;
}

/** Frames with times (µs) to a pcap: each list of fragments gets 3 µs steps after its frame's time. */
class Capture {
  frames = [];
  add(t, bytes) { this.frames.push({ t, bytes }); }
  addAll(t, list) { list.forEach((f, i) => this.add(t + 3 * i, f.bytes ?? f)); }
  write(name) {
    const packets = this.frames.map((f) => ({ tsSec: Math.floor(f.t / 1e6), tsNsec: (f.t % 1e6) * 1000, bytes: f.bytes }));
    writeFileSync(join(outDir, name), pcapFile(packets, { linkType: 1 }));
  }
}

function fragTcp() {
  const src = readPcap(join(fixtures, 'lo-tcp-transfer.pcap'));
  const c = new Capture();
  let id = 0x4000;
  src.forEach((f, i) => {
    if (f.bytes.length <= ETH + 1500) { c.add(f.t, f.bytes); return; }
    const frags = fragment4(f.bytes, 1500, id++);
    if (i === 9) frags.reverse();
    if (i === 11) frags.splice(2, 0, frags[1]);
    if (i === 15) frags.splice(1, 1);
    c.addAll(f.t, frags);
    // The 6,500-byte segment again 200 ms later: a retransmission, fragmented with a new ID.
    if (i === 15) c.addAll(f.t + 200, fragment4(f.bytes, 1500, id++));
  });
  c.frames.sort((x, y) => x.t - y.t);
  c.write('frag-tcp.pcap');
}

function fragTcp6() {
  const src = readPcap(join(fixtures, 'lo-tcp6-transfer.pcap'));
  const c = new Capture();
  let id = 0x6000;
  src.forEach((f, i) => {
    if (f.bytes.length <= ETH + 1280) { c.add(f.t, f.bytes); return; }
    const frags = fragment6(f.bytes, 1280, id++);
    if (i === 9) frags.push(frags.shift());
    c.addAll(f.t, frags);
  });
  c.write('frag-tcp6.pcap');
}

function fragEsp() {
  const c = new Capture();
  let id = 0x5000;
  for (const name of ['esp-sequence-gap.pcap', 'esp-natt.pcap']) {
    const frames = readPcap(join(fixtures, name));
    // The second capture starts a second after the first ends, whatever its own clock said.
    const base = c.frames.length ? c.frames[c.frames.length - 1].t + 1e6 - frames[0].t : 0;
    for (const f of frames) {
      if (f.bytes.length <= ETH + 68) c.add(base + f.t, f.bytes);
      else c.addAll(base + f.t, fragment4(f.bytes, 68, id++));
    }
  }
  c.write('frag-esp.pcap');
}

function fragHostile() {
  const c = new Capture();
  const ping = (id, data) => ethernet({ type: ETHERTYPE.IPV4, payload: ipv4({ src: '192.0.2.1', dst: '192.0.2.2', proto: 1, id, df: false, payload: icmpEcho({ id: 7, seq: id, data }) }) });
  const data = Uint8Array.from({ length: 64 }, (_, i) => i);
  let t = 1_000_000;
  // Fragment 2 again over bytes 16..31, with different data.
  const a = fragment4(ping(1, data), 20 + 24, 1);
  const changed = Uint8Array.from(a[1].bytes);
  changed[ETH + 20] ^= 0xff;
  c.addAll(t, [a[0], a[1], { bytes: changed }, ...a.slice(2)]);
  // Two last fragments: one ends the datagram at 72 bytes, the other at 56.
  t += 1000;
  const b = fragment4(ping(2, data), 20 + 24, 2);
  const early = frag4Frame(b[0].bytes, b[0].bytes.subarray(ETH, ETH + 20), 2, 48, false, new Uint8Array(8));
  c.addAll(t, [b[0], b[2], { bytes: early }, b[1]]);
  // A fragment at offset 65,528 with 16 bytes: past 65,535 (ping of death).
  t += 1000;
  const d = fragment4(ping(3, data), 20 + 24, 3);
  const past = frag4Frame(d[0].bytes, d[0].bytes.subarray(ETH, ETH + 20), 3, 65528, false, new Uint8Array(16));
  c.addAll(t, [d[0], { bytes: past }]);
  // And a clean one.
  t += 1000;
  c.addAll(t, fragment4(ping(4, data), 20 + 24, 4));
  c.write('frag-hostile.pcap');
}

fragTcp();
fragTcp6();
fragEsp();
fragHostile();
