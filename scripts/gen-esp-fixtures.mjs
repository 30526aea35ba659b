#!/usr/bin/env node
/**
 * Crafts the ESP/AH fixtures: real encryption and real ICVs (node:crypto),
 * deterministic IVs so the files are reproducible, and one anomaly per file.
 * tcpdump -E and tshark (uat:esp_sa) can decrypt them with the keys in
 * `SAS` below; test/esp-*.test.js cross-checks that.
 *
 *   node scripts/gen-esp-fixtures.mjs [outdir] [NAME...]   (default: fixtures/, every fixture)
 *
 * With NAMEs (e.g. esp-esn-wrap) only those captures are written; the others
 * are still built first, so each file is the same as in a full run.
 *
 * Needs nothing built: test/helpers/ writes the packets and the pcap.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { IPPROTO, ah, ethernet, icmpEcho, ipv4, ipv6, sealEsp, tcp, udp } from '../test/helpers/packets.js';
import { pcapFile, stamp } from '../test/helpers/capture-files.js';

const here = dirname(fileURLToPath(import.meta.url));

// ---- keys ---------------------------------------------------------------

const hex = (s) => Buffer.from(s.replace(/\s+/g, ''), 'hex');
const K128 = hex('00112233445566778899aabbccddeeff');
const K128B = hex('0f1e2d3c4b5a69788796a5b4c3d2e1f0');
const K256 = hex('000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f');
const K3DES = hex('0123456789abcdef23456789abcdef01456789abcdef0123');
const SHA1KEY = hex('a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3');
const SHA1KEYB = hex('b0b1b2b3b4b5b6b7b8b9babbbcbdbebfc0c1c2c3');
const SHA256KEY = hex('c0c1c2c3c4c5c6c7c8c9cacbcccdcecfd0d1d2d3d4d5d6d7d8d9dadbdcdddedfe0');
const SALT = hex('cafebabe');

/**
 * cipher: null | 3des-cbc | aes-cbc | aes-gcm; integ: null | sha1-96 | sha256-128.
 * `secret` is the line in our -E syntax (tcpdump's, plus an integrity key);
 * `tcpdump` the line tcpdump 4.99 accepts (null when it cannot decrypt it).
 */
export const SAS = {};
function sa(name, spi, dst, cipher, key, integ, authKey) {
  const v = { name, spi, dst, cipher, key, integ, authKey, ...integrity(integ) };
  const spiHex = `0x${spi.toString(16).padStart(8, '0')}`;
  const k = `0x${key.toString('hex')}`;
  const a = authKey ? ` hmac-${integ}:0x${authKey.toString('hex')}` : '';
  const bits = cipher === 'null' ? '' : cipher === '3des-cbc' ? '' : String((key.length - (cipher === 'aes-gcm' ? 4 : 0)) * 8);
  if (cipher === 'aes-gcm') {
    v.secret = `${spiHex}@${dst} aes${bits}-gcm16:${k}`;
    v.tcpdump = null;
  } else {
    const name2 = cipher === 'null' ? 'null' : cipher === '3des-cbc' ? '3des-cbc' : `aes${bits}-cbc`;
    v.secret = `${spiHex}@${dst} ${name2}:${k}${a}`;
    v.tcpdump = integ === 'sha1-96' && cipher !== 'null' ? `${spiHex}@${dst} ${cipher === 'null' ? 'none' : name2}-hmac96:${k}` : null;
  }
  SAS[name] = v;
  return v;
}

const H78 = '192.168.4.78';
const H79 = '192.168.4.79';
const A = '10.1.0.1';
const B = '10.2.0.1';

// The field report's two SAs (transport mode between the two hosts).
const FR_OUT = sa('field-78-79', 0x027181f9, H79, 'aes-cbc', K128, 'sha1-96', SHA1KEY);
const FR_IN = sa('field-79-78', 0x0961a360, H78, 'aes-cbc', K128B, 'sha1-96', SHA1KEYB);
// Generic SAs for the anomaly fixtures.
const AB = sa('a-b', 0x00001001, B, 'aes-cbc', K128, 'sha1-96', SHA1KEY);
const BA = sa('b-a', 0x00002001, A, 'aes-cbc', K128B, 'sha1-96', SHA1KEYB);
const AB2 = sa('a-b-rekeyed', 0x00001002, B, 'aes-cbc', K128, 'sha1-96', SHA1KEY);
const BA2 = sa('b-a-rekeyed', 0x00002002, A, 'aes-cbc', K128B, 'sha1-96', SHA1KEYB);
const GCM128 = sa('gcm128', 0x0000a128, B, 'aes-gcm', Buffer.concat([K128, SALT]), null, null);
const GCM256 = sa('gcm256', 0x0000a256, B, 'aes-gcm', Buffer.concat([K256, SALT]), null, null);
const CBC256 = sa('cbc256-sha1', 0x0000c256, B, 'aes-cbc', K256, 'sha1-96', SHA1KEY);
const CBCSHA256 = sa('cbc128-sha256', 0x0000d128, B, 'aes-cbc', K128, 'sha256-128', SHA256KEY);
const TDES = sa('3des-sha1', 0x00003de5, B, '3des-cbc', K3DES, 'sha1-96', SHA1KEY);
const NULLSHA = sa('null-sha1', 0x00000f00, B, 'null', Buffer.alloc(0), 'sha1-96', SHA1KEY);
const V6 = sa('ipv6', 0x00006001, 'fd00:2::1', 'aes-cbc', K128, 'sha1-96', SHA1KEY);
const V6R = sa('ipv6-rev', 0x00006002, 'fd00:1::1', 'aes-cbc', K128B, 'sha1-96', SHA1KEYB);
const NATT = sa('natt', 0x00004500, '203.0.113.9', 'aes-gcm', Buffer.concat([K128, SALT]), null, null);
const NATTR = sa('natt-rev', 0x00004501, '198.51.100.7', 'aes-gcm', Buffer.concat([K128B, SALT]), null, null);

/** Our -E syntax for every SA above (what `--esp-secrets fixtures/esp-secrets.txt` reads). */
export function secretsText() {
  return `# Keys for the generated fixtures/esp-*.pcap (scripts/gen-esp-fixtures.mjs).\n` +
    Object.values(SAS).map((s) => `${s.secret}  # ${s.name}`).join('\n') + '\n';
}

/** tcpdump 4.99 -E lines (ICV length only, no integrity key; no GCM). */
export function tcpdumpSecretsText() {
  return Object.values(SAS).filter((s) => s.tcpdump).map((s) => s.tcpdump).join('\n') + '\n';
}

/** tshark uat:esp_sa records (Wireshark 4.0 field order). */
export function tsharkEspSaRecords() {
  // Enumerated UAT fields hold Wireshark's display names (packet-ipsec.c value strings).
  const enc = { 'null': 'NULL', '3des-cbc': 'TripleDES-CBC [RFC2451]', 'aes-cbc': 'AES-CBC [RFC3602]',
    'aes-gcm': 'AES-GCM with 16 octet ICV [RFC4106]' };
  const auth = { null: 'NULL', 'sha1-96': 'HMAC-SHA-1-96 [RFC2404]', 'sha256-128': 'HMAC-SHA-256-128 [RFC4868]' };
  return Object.values(SAS).map((s) => {
    const v6 = s.dst.includes(':');
    const spi = `0x${s.spi.toString(16).padStart(8, '0')}`;
    return `"${v6 ? 'IPv6' : 'IPv4'}","*","${s.dst}","${spi}","${enc[s.cipher]}","0x${s.key.toString('hex')}","${auth[s.integ]}","${s.authKey ? '0x' + s.authKey.toString('hex') : ''}"`;
  });
}

// ---- packet building ----------------------------------------------------

/** What sealEsp needs of an integrity algorithm ('sha1-96'): the HMAC digest and the ICV length. */
function integrity(integ) {
  if (!integ) return {};
  const [digest, bits] = integ.split('-');
  return { digest, icvLength: Number(bits) / 8 };
}

// IPv4 IDs count on across the fixtures (so each file depends on those built before it: see writeAll).
let ipId = 0x1000;
function ip(src, dst, proto, payload, { id } = {}) {
  if (src.includes(':')) return ipv6({ src, dst, proto, payload });
  return ipv4({ src, dst, proto, payload, id: id ?? (ipId++ & 0xffff) });
}

const MAC_A = '02:00:00:00:0a:01';
const MAC_B = '02:00:00:00:0b:01';
const ether = (payload) => ethernet({ dst: MAC_B, src: MAC_A, payload });

/** ICMP echo request (type 8) or reply (type 0) number `seq` of the fixtures' pings. */
const ping = (seq, type = 8) => icmpEcho({ type, id: 0x77, seq, data: new Uint8Array(32).fill(0x61) });

// ---- capture files ------------------------------------------------------

/** Collects packets (time in float seconds) and writes them as a microsecond pcap. */
export class Capture {
  constructor() { this.packets = []; }
  add(time, frame) {
    this.packets.push({ time, frame });
    return this;
  }
  /** ESP in IPv4/IPv6 between src and dst (Ethernet). */
  esp(time, src, dst, s, seq, inner, nh, opts) {
    return this.add(time, ether(ip(src, dst, IPPROTO.ESP, sealEsp({ sa: s, seq, payload: inner, nextHeader: nh, ...opts }))));
  }
  write(path) {
    writeFileSync(path, pcapFile(this.packets.map((p) => ({ ...stamp(p.time), bytes: p.frame }))));
    return path;
  }
}

/** Transport-mode inner TCP (next header 6) between two hosts. */
function innerTcp(src, dst, sport, dport, seq, ack, flags, win, len) {
  return tcp({ src, dst, sport, dport, seq, ack, flags, win, payload: Buffer.alloc(len, 0x5a) });
}

/** 15:15:47 on an arbitrary day (UTC): the field report's clock. */
const FR_T0 = Date.UTC(2024, 2, 14, 15, 15, 0) / 1000;

/**
 * The field report: one host's outbound policy stopped matching; its SSH
 * reply goes out in cleartext, the peer drops it, and it is retransmitted
 * with RTO backoff until the tunnel carries it 27 s later.
 */
export function fieldReport() {
  const c = new Capture();
  const t = (s) => FR_T0 + s;
  const CLI = 47256;
  const SSH = 22;
  const cSeq = 1601271378;
  const sSeq = 2541002418;
  c.esp(t(47.396925), H78, H79, FR_OUT, 0x21, innerTcp(H78, H79, CLI, SSH, cSeq, sSeq, 'PA', 1002, 20), 6, { length: 84 });
  c.esp(t(47.397391), H79, H78, FR_IN, 0x18, innerTcp(H79, H78, SSH, CLI, sSeq, cSeq + 20, 'PA', 91, 20), 6, { length: 84 });
  // Captured after the packet above but stamped earlier (a capture on two queues).
  c.esp(t(47.397025), H78, H79, FR_OUT, 0x22, innerTcp(H78, H79, CLI, SSH, cSeq + 20, sSeq + 20, 'PA', 1002, 20), 6, { length: 84 });
  const leaked = tcp({ src: H79, dst: H78, sport: SSH, dport: CLI, seq: sSeq + 20, ack: cSeq + 40, flags: 'PA', win: 91, payload: Buffer.alloc(20, 0x42) });
  for (const s of [47.404166, 48.279375, 50.031487, 53.535710, 60.544154]) c.add(t(s), ether(ip(H79, H78, 6, leaked, { id: 0x2b00 })));
  c.esp(t(74.561064), H79, H78, FR_IN, 0x19, innerTcp(H79, H78, SSH, CLI, sSeq + 20, cSeq + 40, 'PA', 91, 40), 6, { length: 100 });
  c.esp(t(74.561218), H78, H79, FR_OUT, 0x23, innerTcp(H78, H79, CLI, SSH, cSeq + 40, sSeq + 60, 'PA', 1002, 20), 6, { length: 84 });
  return c;
}

const T0 = Date.UTC(2024, 0, 1) / 1000;

/** Traffic on SA `s` (A->B) with the given sequence numbers, 10 ms apart, and replies on BA. */
function conversation(seqs, { fwd = AB, rev = BA, src = A, dst = B, start = T0, step = 0.01, replies = true } = {}) {
  const c = new Capture();
  let t = start;
  let r = 1;
  for (const seq of seqs) {
    c.esp(t, src, dst, fwd, seq, ip(src, dst, 1, ping(seq & 0xffff)), 4);
    if (replies) c.esp(t + 0.002, dst, src, rev, r++, ip(dst, src, 1, ping(seq & 0xffff, 0)), 4);
    t += step;
  }
  return c;
}

const range = (a, b) => Array.from({ length: b - a + 1 }, (_, i) => a + i);

/**
 * SAs with extended sequence numbers, left out of SAS (so of esp-secrets.txt):
 * their ICVs cover the high 32 bits, which zsniff's decryptor does not add.
 */
const ESN_AB = { name: 'a-b-esn', spi: 0x00001e5a, dst: B, cipher: 'aes-cbc', key: K128, integ: 'sha1-96', authKey: SHA1KEY, ...integrity('sha1-96') };
const ESN_BA = { name: 'b-a-esn', spi: 0x00002e5a, dst: A, cipher: 'aes-cbc', key: K128B, integ: 'sha1-96', authKey: SHA1KEYB, ...integrity('sha1-96') };

/** ESN traffic A->B whose 64-bit counter goes from `from` for `count` packets, and replies B->A from 1. */
function esnConversation(from, count) {
  const c = new Capture();
  let t = T0;
  for (let i = 0n; i < BigInt(count); i++) {
    const n = from + i;
    const low = Number(n & 0xffffffffn);
    const r = Number(i) + 1;
    const data = ip(A, B, 1, ping(low & 0xffff));
    c.add(t, ether(ip(A, B, 50, sealEsp({ sa: ESN_AB, seq: low, payload: data, nextHeader: 4, seqHigh: Number(n >> 32n) }))));
    const reply = ip(B, A, 1, ping(low & 0xffff, 0));
    c.add(t + 0.002, ether(ip(B, A, 50, sealEsp({ sa: ESN_BA, seq: r, payload: reply, nextHeader: 4, seqHigh: 0 }))));
    t += 0.01;
  }
  return c;
}

export const FIXTURES = {
  'esp-field-report': fieldReport,
  'esp-sequence-gap': () => conversation([1, 2, 3, 6, 7, 8]),
  'esp-replay': () => conversation([1, 2, 3, 4, 5, 3, 6]),
  'esp-out-of-order': () => conversation([1, 2, 4, 3, 5, 6]),
  'esp-outside-window': () => conversation([...range(1, 9), ...range(11, 100), 10], { replies: false }),
  'esp-sequence-restart': () => conversation([...range(1, 8), ...range(1, 4)]),
  'esp-sequence-zero': () => conversation([0, 1, 2, 3]),
  'esp-reserved-spi': () => {
    const c = new Capture();
    const low = { ...AB, spi: 0x00000005, name: 'reserved-5' };
    const zero = { ...BA, spi: 0, name: 'reserved-0' };
    for (let i = 1; i <= 3; i++) {
      c.esp(T0 + i, A, B, low, i, ip(A, B, 1, ping(i)), 4);
      c.esp(T0 + i + 0.1, B, A, zero, i, ip(B, A, 1, ping(i, 0)), 4);
    }
    return c;
  },
  'esp-esn': () => conversation([0xfffffffd, 0xfffffffe, 0xffffffff, 0x1, 0x2]),
  'esp-rekey': () => {
    const c = new Capture();
    // Old SAs carry traffic 0..2.0 s; new SAs start at 1.0 s; the old outbound SA keeps sending until 2.0 s.
    for (let i = 0; i < 10; i++) c.esp(T0 + i * 0.2, A, B, AB, i + 1, ip(A, B, 1, ping(i)), 4);
    for (let i = 0; i < 5; i++) c.esp(T0 + i * 0.2 + 0.01, B, A, BA, i + 1, ip(B, A, 1, ping(i, 0)), 4);
    for (let i = 0; i < 10; i++) c.esp(T0 + 1.0 + i * 0.2 + 0.05, A, B, AB2, i + 1, ip(A, B, 1, ping(100 + i)), 4);
    for (let i = 0; i < 10; i++) c.esp(T0 + 1.0 + i * 0.2 + 0.06, B, A, BA2, i + 1, ip(B, A, 1, ping(100 + i, 0)), 4);
    c.packets.sort((x, y) => x.time - y.time);
    return c;
  },
  'esp-one-way': () => conversation(range(1, 6), { replies: false }),
  'esp-cleartext': () => {
    const c = conversation([1, 2, 3]);
    const t = T0 + 1;
    // Expected in the clear: IKE, a NAT keepalive, ICMP.
    c.add(t, ether(ip(A, B, 17, udp({ src: A, dst: B, sport: 500, dport: 500, payload: Buffer.alloc(28, 1) }))));
    c.add(t + 0.1, ether(ip(A, B, 17, udp({ src: A, dst: B, sport: 4500, dport: 4500, payload: Buffer.from([0xff]) }))));
    c.add(t + 0.2, ether(ip(A, B, 1, ping(99))));
    // Leaks: a TCP connection attempt and a DNS query.
    c.add(t + 0.3, ether(ip(A, B, 6, tcp({ src: A, dst: B, sport: 40000, dport: 443, seq: 1000, ack: 0, flags: 'S', win: 64240 }))));
    c.add(t + 1.3, ether(ip(A, B, 6, tcp({ src: A, dst: B, sport: 40000, dport: 443, seq: 1000, ack: 0, flags: 'S', win: 64240 }))));
    c.add(t + 0.4, ether(ip(B, A, 17, udp({ src: B, dst: A, sport: 53000, dport: 53, payload: Buffer.alloc(30, 2) }))));
    c.packets.sort((x, y) => x.time - y.time);
    return c;
  },
  'esp-cleartext-before-sa': () => {
    // The hosts talk in the clear first and only later bring up their SAs
    // (no policy held the first packets back): those packets are leaks too.
    const c = new Capture();
    const t = T0;
    c.add(t, ether(ip(A, B, 6, tcp({ src: A, dst: B, sport: 40001, dport: 22, seq: 5000, ack: 0, flags: 'S', win: 64240 }))));
    c.add(t + 0.001, ether(ip(B, A, 6, tcp({ src: B, dst: A, sport: 22, dport: 40001, seq: 9000, ack: 5001, flags: 'SA', win: 65160 }))));
    c.add(t + 0.002, ether(ip(A, B, 6, tcp({ src: A, dst: B, sport: 40001, dport: 22, seq: 5001, ack: 9001, flags: 'PA', win: 502, payload: Buffer.alloc(30, 0x41) }))));
    c.add(t + 0.003, ether(ip(A, B, 1, ping(7))));
    // IKE sets the SAs up; it is never a leak.
    c.add(t + 0.5, ether(ip(A, B, 17, udp({ src: A, dst: B, sport: 500, dport: 500, payload: Buffer.alloc(28, 1) }))));
    // Cleartext between two hosts that never use IPsec: not a leak.
    c.add(t + 0.6, ether(ip('192.0.2.10', '192.0.2.20', 6, tcp({ src: '192.0.2.10', dst: '192.0.2.20', sport: 33000, dport: 80, seq: 1, ack: 0, flags: 'S', win: 64240 }))));
    for (const p of conversation([1, 2, 3], { start: t + 1 }).packets) c.add(p.time, p.frame);
    return c;
  },
  'esp-silence': () => {
    const c = new Capture();
    // SA a-b goes quiet for 20 s while b-a and cleartext keep flowing; b-a never pauses.
    let seq = 1;
    for (let i = 0; i < 30; i++) {
      const t = T0 + i;
      if (i < 5 || i > 24) c.esp(t, A, B, AB, seq++, ip(A, B, 1, ping(i)), 4);
      c.esp(t + 0.5, B, A, BA, i + 1, ip(B, A, 1, ping(i, 0)), 4);
    }
    return c;
  },
  'esp-auth-failed': () => {
    const c = new Capture();
    for (let i = 1; i <= 4; i++) {
      c.esp(T0 + i, A, B, GCM128, i, ip(A, B, 1, ping(i)), 4, { corruptIcv: i === 3 });
      c.esp(T0 + i + 0.1, A, B, CBCSHA256, i, ip(A, B, 1, ping(i)), 4, { corruptIcv: i === 2 });
    }
    return c;
  },
  'esp-ipv6': () => {
    const c = new Capture();
    const X = 'fd00:1::1';
    const Y = 'fd00:2::1';
    [1, 2, 5, 6].forEach((seq, i) => {
      c.esp(T0 + i, X, Y, V6, seq, ip(X, Y, 6, tcp({ src: X, dst: Y, sport: 5000, dport: 80, seq: 1000 + i * 10, ack: 1, flags: 'PA', win: 500, payload: Buffer.alloc(10) })), 41);
      c.esp(T0 + i + 0.1, Y, X, V6R, i + 1, ip(Y, X, 6, tcp({ src: Y, dst: X, sport: 80, dport: 5000, seq: 1, ack: 1010 + i * 10, flags: 'A', win: 500 })), 41);
    });
    return c;
  },
  'esp-natt': () => {
    const c = new Capture();
    const I = '198.51.100.7';
    const R = '203.0.113.9';
    const natt = (t, src, dst, sport, dport, payload) => c.add(t, ether(ip(src, dst, 17, udp({ src, dst, sport, dport, payload, checksum: false }))));
    natt(T0, I, R, 4500, 4500, Buffer.concat([Buffer.alloc(4), Buffer.alloc(40, 7)]));
    [1, 2, 3, 3, 4].forEach((seq, i) => {
      natt(T0 + 1 + i, I, R, 4500, 4500, sealEsp({ sa: NATT, seq, payload: ip(I, R, 1, ping(seq)), nextHeader: 4 }));
      natt(T0 + 1.1 + i, R, I, 4500, 4500, sealEsp({ sa: NATTR, seq: i + 1, payload: ip(R, I, 1, ping(seq, 0)), nextHeader: 4 }));
    });
    natt(T0 + 7, I, R, 4500, 4500, Buffer.from([0xff]));
    return c;
  },
  'esp-ah-sequence': () => {
    const c = new Capture();
    [1, 2, 3, 5, 6, 6, 7].forEach((seq, i) => {
      c.add(T0 + i, ether(ip(A, B, 51, ah({ spi: 0x0000ab01, seq, nextHeader: 1, payload: ping(seq) }))));
      c.add(T0 + i + 0.1, ether(ip(B, A, 51, ah({ spi: 0x0000ab02, seq: i + 1, nextHeader: 1, payload: ping(seq, 0) }))));
    });
    return c;
  },
  'esp-ciphers': () => {
    const c = new Capture();
    let t = T0;
    for (const s of [NULLSHA, TDES, AB, CBC256, CBCSHA256, GCM128, GCM256]) {
      for (let i = 1; i <= 2; i++) {
        c.esp(t, A, B, s, i, ip(A, B, 6, tcp({ src: A, dst: B, sport: 33000 + i, dport: 80, seq: 5000 * i, ack: 7, flags: 'PA', win: 1024, payload: Buffer.from(`GET /${s.name} HTTP/1.1\r\n\r\n`) })), 4);
        t += 0.01;
      }
    }
    return c;
  },
  'esp-tunnel-retransmission': () => {
    // Tunnel mode; the inner TCP segment is retransmitted twice (RTO), only visible after decryption.
    const c = new Capture();
    const X = '172.16.1.10';
    const Y = '172.16.2.20';
    const seg = tcp({ src: X, dst: Y, sport: 41000, dport: 8080, seq: 70000, ack: 9000, flags: 'PA', win: 2048, payload: Buffer.alloc(100, 0x33) });
    let seq = 1;
    c.esp(T0, A, B, GCM128, seq++, ip(X, Y, 6, tcp({ src: X, dst: Y, sport: 41000, dport: 8080, seq: 69900, ack: 9000, flags: 'PA', win: 2048, payload: Buffer.alloc(100, 0x32) })), 4);
    c.esp(T0 + 0.01, B, A, BA, 1, ip(Y, X, 6, tcp({ src: Y, dst: X, sport: 8080, dport: 41000, seq: 9000, ack: 70000, flags: 'A', win: 2048 })), 4);
    for (const dt of [0.02, 0.25, 0.65]) c.esp(T0 + dt, A, B, GCM128, seq++, ip(X, Y, 6, seg), 4);
    c.esp(T0 + 0.66, B, A, BA, 2, ip(Y, X, 6, tcp({ src: Y, dst: X, sport: 8080, dport: 41000, seq: 9000, ack: 70100, flags: 'A', win: 2048 })), 4);
    return c;
  },
  // Sequence-number rules (RFC 4303 3.3.3, 3.4.3, Appendix A2); test/esp-sequence.test.js.
  // 0 first, then the counter from 1 past a window's length: only esp.sequence_zero, and 0 starts nothing.
  'esp-sequence-zero-first': () => conversation([0, ...range(1, 70)]),
  // A stale copy of packet 1 amid a counter that goes on: outside the window, not a restart.
  'esp-stale-low': () => conversation([...range(1, 100), 1, ...range(101, 110)]),
  // The counter starts again at 1 (left of the window) and goes on from there: a restart.
  'esp-restart-continues': () => conversation([...range(1, 100), ...range(1, 20)]),
  // An ESN SA whose 64-bit counter passes 2^32: 0xfffffffc..0xffffffff, 0, 1, ... (low 32 bits sent).
  'esp-esn-wrap': () => esnConversation(0xfffffffcn, 10),
};

/** A capture with `count` SPIs (one packet each) for the bounded-memory test. */
export function manySpis(count) {
  const c = new Capture();
  const inner = ip(A, B, 1, ping(1));
  for (let i = 0; i < count; i++) {
    const s = { ...AB, spi: 0x10000 + i, name: 'many' };
    c.add(T0 + i * 1e-4, ether(ip(A, B, 50, sealEsp({ sa: s, seq: 1, payload: inner, nextHeader: 4 }))));
  }
  return c;
}

/** Writes the fixtures (only those in `names`, when given) and the key files into `dir`. */
export async function writeAll(dir, names = []) {
  for (const n of names) if (!(n in FIXTURES)) throw new Error(`no fixture named ${n}`);
  mkdirSync(dir, { recursive: true });
  const written = [];
  for (const [name, make] of Object.entries(FIXTURES)) {
    // Built even when not written: IP IDs count on across the fixtures.
    const capture = make();
    if (names.length === 0 || names.includes(name)) written.push(await capture.write(join(dir, `${name}.pcap`)));
  }
  writeFileSync(join(dir, 'esp-secrets.txt'), secretsText());
  writeFileSync(join(dir, 'esp-secrets.tcpdump.txt'), tcpdumpSecretsText());
  return written;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const dir = process.argv[2] ?? join(here, '..', 'fixtures');
  for (const f of await writeAll(dir, process.argv.slice(3))) console.log(f);
}
