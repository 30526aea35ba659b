// Offline filters select exactly what `tcpdump -r FILE EXPR` selects, on
// corpus files of many link types (pcap and pcapng, both byte orders,
// nanosecond files), and the translated BPF agrees with the interpreter.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openCapture } from '../dist/source/capture-file.js';
import { BpfProgram } from '../dist/source/bpf-program.js';
import { CaptureFilter, FilterError, captureByteOrder, compileFilter } from '../dist/source/bpf-filter.js';
import { nativeAddonAvailable } from '../dist/source/native-addon.js';
import { UsageError } from '../dist/cli/errors.js';
import { corpusDir, missingCorpus } from './helpers/corpus.js';
import { skipOrFail } from './helpers/requirements.js';

const corpus = corpusDir('tcpdump-tests');
const hasTcpdump = spawnSync('sh', ['-c', 'command -v tcpdump']).status === 0;
const skipCorpus = !nativeAddonAvailable() ? 'the libpcap addon is not built (apt-get install -y libpcap-dev && npm rebuild)' :
  !hasTcpdump ? 'tcpdump is not installed' : missingCorpus('tcpdump-tests') ?? false;
const skipAddon = !nativeAddonAvailable() ? 'the libpcap addon is not built (apt-get install -y libpcap-dev && npm rebuild)' : false;
const tmp = mkdtempSync(join(tmpdir(), 'zsniff-filter-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

// [file, link type, expressions]
const cases = [
  ['tcp-handshake-nano.pcap', 'LINUX_SLL, nanosecond', ['tcp', 'tcp[tcpflags] & tcp-syn != 0', 'port 80', 'not tcp']],
  ['resp_3_malicious.pcap', 'LINUX_SLL', ['tcp and port 6379', 'greater 100', 'ip and not tcp']],
  ['pim-packet-assortment.pcap', 'Ethernet, packets longer than the snaplen', ['ip6', 'greater 200', 'net 10.0.0.0/8', 'pim']],
  ['of13_ericsson.pcapng', 'Ethernet, pcapng', ['tcp port 6633', 'tcp[((tcp[12:1] & 0xf0) >> 2):1] = 4', 'arp or icmp']],
  ['vsock-1.pcapng', 'VSOCK, pcapng', ['len > 100']],
  ['quic_vn.pcap', 'NULL (BSD loopback)', ['ip6', 'udp port 443', 'ip']],
  ['babel_rtt.pcap', 'RAW', ['ip6 and udp port 6696', 'ip']],
  ['mpls-traceroute.pcap', 'PPP', ['mpls', 'ip', 'icmp']],
  ['ieee802.11_exthdr.pcap', 'RADIOTAP', ['wlan type data', 'wlan type mgt', 'link[0] = 0']],
  ['HDLC.pcap', 'C_HDLC', ['ip', 'iso', 'greater 64']],
  ['ipv6_mobility_1.pcap', 'IPV6', ['ip6 proto 135', 'udp']],
  ['pptp.pcap', 'Ethernet, big-endian file', ['tcp port 1723', 'ip proto 47', 'not tcp']],
  ['bigtcp-ipv6-hbh.pcap', 'Ethernet, IPv6 hop-by-hop', ['ip6 protochain 6', 'ip6 proto 6']],
  ['802.1ad_QinQ.pcap', '802.1ad', ['vlan and vlan and ip', 'vlan 100', 'ip']],
];

function packetKey(p, snaplen) {
  const n = Math.min(p.caplen, snaplen);
  let h = 2166136261;
  for (let i = 0; i < n; i++) h = Math.imul(h ^ p.bytes[p.offset + i], 16777619) >>> 0;
  // tcpdump -w writes microseconds and 32-bit seconds.
  return `${p.tsSec % 4294967296}.${Math.floor(p.tsNsec / 1000)}/${n}/${p.origLen}/${h}`;
}

async function readKeys(path, filter) {
  const keys = [];
  const file = openCapture(path);
  const info = await file.ready();
  if (filter) for (const iface of info.interfaces) filter.addInterface(iface);
  let disagreements = 0;
  await file.run((p) => {
    let snaplen = 1 << 30;
    if (filter) {
      const f = filter.addInterface({ id: p.interfaceId, linkType: p.linkType, snaplen: info.interfaces[p.interfaceId]?.snaplen ?? 0 });
      snaplen = f.snaplen;
      const interpreted = f.program.interpret(p.bytes, p.offset, Math.min(p.caplen, f.snaplen), p.origLen) !== 0;
      if (interpreted !== filter.matches(p)) disagreements++;
      if (!interpreted) return;
    }
    keys.push(packetKey(p, snaplen));
  });
  return { keys, disagreements };
}

for (const [file, label, expressions] of cases) {
  test(`${file} (${label}): same packets as tcpdump -r`, async (t) => {
    if (skipCorpus) return skipOrFail(t, skipCorpus);
    const path = join(corpus, file);
    const byteOrder = captureByteOrder(readFileSync(path).subarray(0, 12));
    for (const expr of expressions) {
      const out = join(tmp, 'tcpdump.pcap');
      const r = spawnSync('tcpdump', ['-r', path, '-w', out, expr], { encoding: 'utf8' });
      const filter = new CaptureFilter(expr, { byteOrder });
      if (r.status !== 0) {
        // tcpdump refused the expression for this link type: so must we.
        await assert.rejects(readKeys(path, filter), FilterError, `${expr}: tcpdump said ${r.stderr}`);
        continue;
      }
      const theirs = (await readKeys(out)).keys;
      const ours = await readKeys(path, filter);
      assert.equal(ours.disagreements, 0, `${expr}: translated BPF and interpreter disagree`);
      assert.deepEqual(ours.keys, theirs, `${expr}: selection differs from tcpdump`);
    }
  });
}

test('a bad expression is a FilterError (a UsageError) with libpcap\'s message and the expression', (t) => {
  if (skipAddon) return skipOrFail(t, skipAddon);
  assert.throws(() => compileFilter('tcp and', 1, 262144), (err) => {
    assert.ok(err instanceof FilterError);
    assert.ok(err instanceof UsageError);
    assert.match(err.message, /syntax error/);
    assert.match(err.message, /'tcp and'/);
    return true;
  });
  assert.throws(() => compileFilter('ether host 1:2:3:4:5:6', 101, 65535), /'ether host 1:2:3:4:5:6'/);
});

test('classic BPF semantics: bounds, wire length, division by zero, MSH, scratch memory', () => {
  // [code, jt, jf, k] quadruples, assembled by hand.
  const prog = (...insns) => new BpfProgram(Uint32Array.from(insns.flat()));
  const both = (p, bytes, caplen, wirelen) => {
    const a = p.run(bytes, 0, caplen, wirelen);
    assert.equal(p.interpret(bytes, 0, caplen, wirelen), a);
    return a;
  };
  const bytes = Uint8Array.from([0x45, 0x01, 0x02, 0x03, 0xff, 0xfe, 0xfd, 0xfc]);
  // ld [4]; ret a  -> 0xfffefdfc unsigned
  assert.equal(both(prog([0x20, 0, 0, 4], [0x16, 0, 0, 0]), bytes, 8, 8), 0xfffefdfc);
  // the same load one byte past caplen rejects
  assert.equal(both(prog([0x20, 0, 0, 4], [0x16, 0, 0, 0]), bytes, 7, 8), 0);
  // ld len; ret a -> the wire length, not caplen
  assert.equal(both(prog([0x80, 0, 0, 0], [0x16, 0, 0, 0]), bytes, 8, 1500), 1500);
  // ldx #0; ld #7; div x; ret a -> rejected
  assert.equal(both(prog([0x01, 0, 0, 0], [0x00, 0, 0, 7], [0x3c, 0, 0, 0], [0x16, 0, 0, 0]), bytes, 8, 8), 0);
  // ldxb 4*([0]&0xf); txa; ret a -> 20
  assert.equal(both(prog([0xb1, 0, 0, 0], [0x87, 0, 0, 0], [0x16, 0, 0, 0]), bytes, 8, 8), 20);
  // ld #5; st M[3]; ld #0; ld M[3]; sub #6; ret a -> wraps to 0xffffffff
  assert.equal(both(prog([0x00, 0, 0, 5], [0x02, 0, 0, 3], [0x00, 0, 0, 0], [0x60, 0, 0, 3], [0x14, 0, 0, 6], [0x16, 0, 0, 0]), bytes, 8, 8), 0xffffffff);
  // ldb [0]; jgt #0x40 jt 0 jf 1; ret #1; ret #2  -> unsigned compare taken
  assert.equal(both(prog([0x30, 0, 0, 0], [0x25, 0, 1, 0x40], [0x06, 0, 0, 1], [0x06, 0, 0, 2]), bytes, 8, 8), 1);
  // ld [x + 2] with x large: out of bounds rejects
  assert.equal(both(prog([0x01, 0, 0, 0xfffffff0], [0x48, 0, 0, 2], [0x16, 0, 0, 0]), bytes, 8, 8), 0);
});
