// The capture command's edges: its error messages, a closed output pipe,
// -G with -W, listing interfaces, and running without the native addon.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  NetnsPair, liveSkipReason, runZsniff, spawnIn, startUdpTrickle, tcpdumpRead, zsniffBin,
} from './helpers/live-netns.js';
import { haveCommand, skipOrFail } from './helpers/requirements.js';
import { IPPROTO, ethernet, ipv4, udp, utf8 } from './helpers/packets.js';
import { pcapFile } from './helpers/capture-files.js';

const skip = liveSkipReason();
const net = new NetnsPair('e');
const dir = mkdtempSync(join(tmpdir(), 'zsniff-cli-'));
// A one-packet pcap of our own for `read` (an Ethernet frame carrying a UDP datagram).
const smallPcap = join(dir, 'one.pcap');
function writeSmallPcap() {
  const datagram = udp({ sport: 54321, dport: 9999, payload: utf8('hi!\n\n') });
  const frame = ethernet({ dst: 'ff:ff:ff:ff:ff:ff', payload: ipv4({ src: '10.77.0.1', dst: '10.77.0.2', proto: IPPROTO.UDP, id: 1, df: false, payload: datagram }) });
  writeFileSync(smallPcap, pcapFile([{ tsSec: 1700000000, bytes: frame }]));
}
let trickle;

before(() => {
  if (skip) return;
  net.create();
  trickle = startUdpTrickle(net.a, net.addrB, 9999, 5, 60000);
});

after(() => {
  trickle?.kill('SIGKILL');
  net.destroy();
  rmSync(dir, { recursive: true, force: true });
});

const oneLine = (s) => s.trim().split('\n').filter((l) => l.length > 0);

test('an unknown interface: one line naming it and the interfaces there are, exit 2', (t) => {
  if (skip) return skipOrFail(t, skip);
  const r = runZsniff(net.b, ['capture', '-i', 'nosuch0']);
  assert.equal(r.status, 2);
  const lines = oneLine(r.stderr);
  assert.equal(lines.length, 1, r.stderr);
  assert.match(lines[0], /no such interface 'nosuch0'/);
  assert.match(lines[0], new RegExp(net.devB));
});

test('a bad filter: libpcap\'s message with the expression, exit 2', (t) => {
  if (skip) return skipOrFail(t, skip);
  const r = runZsniff(net.b, ['capture', '-i', net.devB, 'tcp', 'and']);
  assert.equal(r.status, 2);
  assert.equal(oneLine(r.stderr).length, 1, r.stderr);
  assert.match(r.stderr, /syntax error/);
  assert.match(r.stderr, /'tcp and'/);
});

test('no capture permission: says so and how to fix it, exit 2', (t) => {
  if (skip) return skipOrFail(t, skip);
  if (!haveCommand('setpriv')) return skipOrFail(t, 'setpriv is not installed (apt-get install -y util-linux)');
  const r = spawnSync('setpriv', ['--reuid=nobody', '--regid=nogroup', '--clear-groups', '--inh-caps=-all',
    process.execPath, zsniffBin, 'capture', '-i', 'lo'], { encoding: 'utf8', timeout: 20000 });
  assert.equal(r.status, 2, r.stderr);
  assert.equal(oneLine(r.stderr).length, 1, r.stderr);
  assert.match(r.stderr, /not permitted/);
  assert.match(r.stderr, /setcap cap_net_raw,cap_net_admin=eip/);
});

test('without the addon: capture says what to install; read without a filter still works', (t) => {
  if (skip) return skipOrFail(t, skip);
  const env = { ...process.env, ZSNIFF_NATIVE_ADDON: join(dir, 'missing.node') };
  const r = runZsniff(undefined, ['capture', '-i', 'lo'], { env });
  assert.equal(r.status, 2);
  assert.match(r.stderr, /apt-get install -y libpcap-dev && npm rebuild/);
  writeSmallPcap();
  const read = runZsniff(undefined, ['read', smallPcap], { env });
  assert.equal(read.status, 0, read.stderr);
  assert.ok(oneLine(read.stdout).length > 0);
});

test('printing into a pipe that closes: capture stops, statistics, exit 0', async (t) => {
  if (skip) return skipOrFail(t, skip);
  const child = spawnIn(net.b, process.execPath, [zsniffBin, 'capture', '-i', net.devB, '--immediate', 'udp']);
  let stderr = '';
  child.stderr.on('data', (d) => { stderr += d; });
  let seen = '';
  await new Promise((resolve) => {
    child.stdout.on('data', (d) => {
      seen += d;
      if (oneLine(seen).length >= 3) { child.stdout.destroy(); resolve(); }
    });
  });
  const code = await new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 10000);
    child.on('exit', (c) => { clearTimeout(timer); resolve(c); });
  });
  assert.equal(code, 0, stderr);
  assert.match(stderr, /packets captured/);
});

test('-w - into a reader that stops early: exit 0, and the reader got valid pcap', (t) => {
  if (skip) return skipOrFail(t, skip);
  const r = spawnSync('sh', ['-c',
    `ip netns exec ${net.b} ${process.execPath} ${zsniffBin} capture -i ${net.devB} --immediate -w - udp | tcpdump -r - -c 5 -nn`],
  { encoding: 'utf8', timeout: 20000 });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(oneLine(r.stdout).length, 5, r.stdout);
  assert.match(r.stderr, /packets captured/);
});

test('-G with -W stops by itself after W files', (t) => {
  if (skip) return skipOrFail(t, skip);
  const r = runZsniff(net.b, ['capture', '-i', net.devB, '-w', join(dir, 'g-%s.pcap'), '-G', '1', '-W', '2', 'udp']);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stderr, /maximum file limit reached: 2/);
  const files = readdirSync(dir).filter((f) => f.startsWith('g-'));
  assert.equal(files.length, 2, files.join(' '));
  for (const f of files) assert.ok(tcpdumpRead(join(dir, f)).length > 0);
});

test('interfaces (and capture -D) list devices with addresses and flags', (t) => {
  if (skip) return skipOrFail(t, skip);
  const r = runZsniff(net.b, ['interfaces']);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, new RegExp(`\\d+\\.${net.devB} \\[Up, Running`));
  assert.match(r.stdout, new RegExp(`inet  ${net.addrB.replace(/\./g, '\\.')}  netmask 255\\.255\\.255\\.0`));
  const d = runZsniff(net.b, ['capture', '-D']);
  assert.equal(d.stdout, r.stdout);
  const json = runZsniff(net.b, ['interfaces', '--json']);
  const devs = oneLine(json.stdout).map((l) => JSON.parse(l));
  const veth = devs.find((x) => x.name === net.devB);
  assert.ok(veth.addresses.some((a) => a.family === 'inet' && a.address === net.addrB));
  assert.ok(veth.flagWords.includes('Up'));
});

test('capture --help shows examples', () => {
  const r = runZsniff(undefined, ['capture', '--help']);
  assert.equal(r.status, 0);
  assert.match(r.stdout, /Examples:/);
  assert.match(r.stdout, /-C 100 -W 10/);
});
