// JSON lines: valid JSON for every packet of the corpus, keys in the
// documented order, the CLI equal to the library, and field values equal to
// tshark's for the fixtures.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { execFileSync, spawnSync } from 'node:child_process';
import { DecodedPacket, decodePacket, openCapture, PacketJsonFormatter } from '../dist/index.js';
import { repoRoot, zsniffBin } from './helpers/oracle.js';
import { corpusDir, missingCorpus } from './helpers/corpus.js';
import { noteOrFail, skipOrFail } from './helpers/requirements.js';

const KEY_ORDER = ['frame', 'time', 'ts_sec', 'ts_nsec', 'caplen', 'len', 'linktype', 'eth', 'sll', 'vlan',
  'loopback', 'llc', 'arp', 'ip', 'ipv6', 'fragment', 'ah', 'tcp', 'udp', 'icmp', 'icmp6', 'esp',
  'nat_keepalive', 'ike', 'truncated', 'malformed', 'stop', 'tunnels', 'inner'];

async function jsonOf(file) {
  const f = new PacketJsonFormatter();
  const d = new DecodedPacket();
  const lines = [];
  try {
    await openCapture(file).run((pkt) => { lines.push(f.format(decodePacket(pkt, d))); });
  } catch { /* a damaged tail: the packets before it count */ }
  return lines;
}

test('every corpus and fixture packet gives one valid JSON object with keys in the documented order', async (t) => {
  const missing = missingCorpus('tcpdump-tests');
  if (missing) noteOrFail(t, `fixtures only: ${missing}`);
  const dirs = [path.join(repoRoot, 'fixtures'), missing ? null : corpusDir('tcpdump-tests')].filter(Boolean);
  let n = 0;
  for (const dir of dirs) {
    for (const name of fs.readdirSync(dir).filter((f) => /\.pcap(ng)?$/.test(f))) {
      for (const line of await jsonOf(path.join(dir, name))) {
        assert.ok(line.endsWith('}\n') && !line.slice(0, -1).includes('\n'), `${name}: one line`);
        let obj;
        try { obj = JSON.parse(line); } catch (e) { assert.fail(`${name}: ${e.message}: ${line.slice(0, 300)}`); }
        const keys = Object.keys(obj);
        const positions = keys.map((k) => KEY_ORDER.indexOf(k));
        assert.ok(positions.every((p) => p >= 0), `${name}: unknown key in ${keys}`);
        assert.deepEqual(positions, [...positions].sort((a, b) => a - b), `${name}: key order ${keys}`);
        assert.equal(typeof obj.truncated, 'boolean');
        n++;
      }
    }
  }
  assert.ok(n > 1000, `${n} packets`);
});

test('the CLI --json prints the library\'s lines', async () => {
  const file = path.join(repoRoot, 'fixtures', 'lo-tcp-transfer.pcap');
  const cli = execFileSync(process.execPath, [zsniffBin, 'read', file, '--json'], { encoding: 'utf8' });
  assert.equal(cli, (await jsonOf(file)).join(''));
});

const haveTshark = spawnSync('tshark', ['--version']).status === 0;

/** tshark -T fields as rows of strings. */
function tshark(file, fields) {
  const out = execFileSync('tshark', ['-r', file, '-T', 'fields', ...fields.flatMap((f) => ['-e', f])],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  return out.split('\n').filter((l) => l !== '').map((l) => l.split('\t'));
}

test('fields agree with tshark (addresses, IP, TCP, UDP, ICMP, ESP)', async (t) => {
  if (!haveTshark) return skipOrFail(t, 'no tshark (apt-get install -y tshark)');
  const cases = [
    ['lo-tcp-transfer.pcap', ['ip.src', 'ip.dst', 'ip.ttl', 'ip.id', 'tcp.srcport', 'tcp.dstport', 'tcp.seq_raw', 'tcp.ack_raw', 'tcp.window_size_value', 'tcp.len', 'tcp.flags', 'tcp.options.mss_val', 'tcp.options.wscale.shift']],
    ['lo-tcp6-transfer.pcap', ['ipv6.src', 'ipv6.dst', 'ipv6.hlim', 'tcp.srcport', 'tcp.dstport', 'tcp.seq_raw', 'tcp.ack_raw', 'tcp.window_size_value', 'tcp.len', 'tcp.flags', 'tcp.options.mss_val', 'tcp.options.wscale.shift']],
    ['lo-udp-unreachable.pcap', ['udp.srcport', 'udp.dstport', 'udp.length', 'icmp.type', 'icmp.code', 'icmpv6.type']],
    ['lo-ping.pcap', ['icmp.type', 'icmp.ident', 'icmp.seq', 'icmpv6.type', 'icmpv6.echo.identifier', 'icmpv6.echo.sequence_number']],
    ['esp-natt.pcap', ['ip.src', 'udp.srcport', 'udp.length', 'esp.spi', 'esp.sequence']],
  ];
  for (const [name, fields] of cases) {
    const file = path.join(repoRoot, 'fixtures', name);
    const rows = tshark(file, fields);
    const ours = (await jsonOf(file)).map((l) => JSON.parse(l));
    assert.equal(ours.length, rows.length, name);
    ours.forEach((o, i) => {
      const row = Object.fromEntries(fields.map((f, k) => [f, rows[i][k]]));
      const check = (field, value) => {
        const t = row[field];
        if (t === undefined || t === '') return;
        const want = /^0x/.test(t) ? Number(t) : /^[0-9]+$/.test(t) ? Number(t) : t;
        assert.equal(value, want, `${name} frame ${i + 1} ${field}`);
      };
      check('ip.src', o.ip?.src); check('ip.dst', o.ip?.dst); check('ip.ttl', o.ip?.ttl); check('ip.id', o.ip?.id);
      check('ipv6.src', o.ipv6?.src); check('ipv6.dst', o.ipv6?.dst); check('ipv6.hlim', o.ipv6?.hlim);
      check('tcp.srcport', o.tcp?.sport); check('tcp.dstport', o.tcp?.dport);
      check('tcp.seq_raw', o.tcp?.seq); check('tcp.ack_raw', o.tcp?.ack);
      check('tcp.window_size_value', o.tcp?.win); check('tcp.len', o.tcp?.payload_len);
      check('tcp.flags', o.tcp?.flag_bits);
      check('tcp.options.mss_val', o.tcp?.options.find((x) => x.kind === 2)?.value);
      check('tcp.options.wscale.shift', o.tcp?.options.find((x) => x.kind === 3)?.value);
      // tshark also dissects the datagram an ICMP error quotes; we do not, so compare UDP on UDP packets only.
      if (o.udp) { check('udp.srcport', o.udp.sport); check('udp.dstport', o.udp.dport); check('udp.length', o.udp.len); }
      if (o.icmp) { check('icmp.type', o.icmp.type); check('icmp.code', o.icmp.code); check('icmp.ident', o.icmp.id); check('icmp.seq', o.icmp.seq); }
      if (o.icmp6) { check('icmpv6.type', o.icmp6.type); check('icmpv6.echo.identifier', o.icmp6.id); check('icmpv6.echo.sequence_number', o.icmp6.seq); }
      check('esp.spi', o.esp?.spi); check('esp.sequence', o.esp?.seq);
    });
  }
});

test('read --json: the outer packet as before, then the tunnels and the innermost packet', () => {
  const read = (name) => execFileSync(process.execPath, [zsniffBin, 'read', '--json', path.join(repoRoot, 'fixtures', name)], { encoding: 'utf8' })
    .trim().split('\n').map((l) => JSON.parse(l));
  const expected = {
    'tunnel-vxlan.pcap': [['vxlan', 4242]], 'tunnel-gre.pcap': [['gre', 77]], 'tunnel-geneve.pcap': [['geneve', 99]],
    'tunnel-mpls.pcap': [['mpls', undefined]], 'tunnel-pppoe.pcap': [['pppoe', undefined]], 'tunnel-erspan3.pcap': [['erspan', undefined]],
  };
  for (const [name, levels] of Object.entries(expected)) {
    const first = read(name)[0];
    assert.deepEqual(first.tunnels.map((t) => [t.kind, t.vni]), levels, name);
    assert.equal(first.inner.ip.src, '10.77.1.1', name);
    assert.equal(first.inner.tcp.dport, 5001, name);
    assert.equal(first.tcp, undefined, `${name}: the outer packet's own fields stay outer`);
  }
  for (const p of read('lo-tcp-transfer.pcap')) assert.equal(p.tunnels, undefined, 'no tunnel keys outside tunnels');
});
