// capture when things go wrong (issue #7): the disk fills under -w, the
// interface is deleted mid-capture, the consumer falls behind the traffic;
// and -Z, which drops root once the interface is open.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NetnsPair, liveSkipReason, sleep, spawnIn, startUdpTrickle, tcpdump, tcpdumpRead, zsniff } from './helpers/live-netns.js';
import { skipOrFail } from './helpers/requirements.js';

const skip = liveSkipReason();
const dir = mkdtempSync(join(tmpdir(), 'zsniff-faults-'));
const nets = [];
const children = [];
let mounted;

after(() => {
  for (const c of children) { try { c.kill?.('SIGKILL'); c.signal?.('SIGKILL'); } catch { /* gone */ } }
  if (mounted) spawnSync('umount', ['-l', mounted]);
  for (const n of nets) n.destroy();
  rmSync(dir, { recursive: true, force: true });
});

function pair(tag) {
  const n = new NetnsPair(tag);
  nets.push(n);
  n.create();
  return n;
}

function statLine(stderr, what) {
  const m = new RegExp(`^([\\d,]+) packets ${what}`, 'm').exec(stderr);
  return m ? Number(m[1].replace(/,/g, '')) : undefined;
}

/** Sends exactly `count` UDP datagrams of `size` bytes from `ns`, in quick bursts; resolves with the count sent. */
function sendUdp(ns, addr, port, count, size) {
  const code = `const s = require('dgram').createSocket('udp4'); const b = Buffer.alloc(${size}, 0x62);
    let sent = 0, done = 0, failed = 0;
    const burst = () => { for (let i = 0; i < 64 && sent < ${count}; i++, sent++) s.send(b, ${port}, '${addr}', (e) => { if (e) failed++; if (++done === ${count}) { console.log(done - failed); process.exit(0); } }); if (sent < ${count}) setTimeout(burst, 1); };
    burst();`;
  const child = spawnIn(ns, process.execPath, ['-e', code]);
  children.push(child);
  let out = '';
  child.stdout.on('data', (d) => { out += d; });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error('UDP sender timed out')); }, 30000);
    child.on('exit', (c) => { clearTimeout(timer); if (c === 0) resolve(Number(out.trim())); else reject(new Error(`UDP sender exited ${c}`)); });
  });
}

test('the disk fills under -w: a clear error, a valid file up to there, the packets not written counted, exit 2', async (t) => {
  if (skip) return skipOrFail(t, skip);
  const net = pair('f');
  const fs = join(dir, 'small');
  mkdirSync(fs);
  const m = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=256k', 'tmpfs', fs], { encoding: 'utf8' });
  assert.equal(m.status, 0, m.stderr);
  mounted = fs;
  try {
    const file = join(fs, 'out.pcap');
    const cap = zsniff(net.b, ['capture', '-i', net.devB, '-w', file, 'udp']);
    children.push(cap);
    await cap.ready;
    await sendUdp(net.a, net.addrB, 9, 2000, 1000);
    const timer = setTimeout(() => cap.signal('SIGINT'), 8000);
    const { code } = await cap.exited;
    clearTimeout(timer);
    assert.equal(code, 2, cap.stderr);
    assert.match(cap.stderr, new RegExp(`zsniff: ${file}: no space left on device: writing stopped there; the file holds every packet before it, and [\\d,]+ packets were not written`));
    const inFile = tcpdumpRead(file).length;
    assert.ok(inFile > 50, `${inFile} packets in the file`);
    assert.ok(statSync(file).size <= 256 * 1024);
    const notWritten = statLine(cap.stderr, 'not written \\(the output failed\\)');
    assert.ok(notWritten > 0, cap.stderr);
    assert.equal(inFile + notWritten, statLine(cap.stderr, 'captured'));
    assert.match(cap.stderr, new RegExp(`were not written$`, 'm'));
    assert.ok(cap.stderr.includes(`and ${notWritten.toLocaleString('en-US')} packets were not written`));
  } finally {
    spawnSync('umount', ['-l', fs]);
    mounted = undefined;
  }
});

test('the interface is deleted mid-capture: clean stop, valid file, statistics, a clear message, exit 2', async (t) => {
  if (skip) return skipOrFail(t, skip);
  const net = pair('g');
  const file = join(dir, 'gone.pcap');
  const trickle = startUdpTrickle(net.a, net.addrB, 9999, 5, 20000);
  children.push(trickle);
  const cap = zsniff(net.b, ['capture', '-i', net.devB, '-w', file, 'udp']);
  children.push(cap);
  await cap.ready;
  await sleep(700);
  const del = spawnSync('ip', ['-n', net.b, 'link', 'del', net.devB], { encoding: 'utf8' });
  assert.equal(del.status, 0, del.stderr);
  const timer = setTimeout(() => cap.signal('SIGKILL'), 10000);
  const { code, signal } = await cap.exited;
  clearTimeout(timer);
  trickle.kill('SIGKILL');
  assert.equal(signal, null, `zsniff did not stop by itself: ${cap.stderr}`);
  assert.equal(code, 2, cap.stderr);
  assert.match(cap.stderr, new RegExp(`zsniff: ${net.devB}: the interface went away \\(deleted or down\\): .+; capture stopped, [\\d,]+ packets were captured before it`));
  const captured = statLine(cap.stderr, 'captured');
  assert.ok(captured > 20, cap.stderr);
  assert.equal(tcpdumpRead(file).length, captured);
});

test('a consumer slower than the traffic: the ring fills, and the ring drops are exactly what the file lacks', async (t) => {
  if (skip) return skipOrFail(t, skip);
  const net = pair('h');
  const ours = join(dir, 'slow.pcap');
  const theirs = join(dir, 'slow-tcpdump.pcap');
  const cap = zsniff(net.b, ['capture', '-i', net.devB, '-w', ours, '--ring', '1', '-B', '32768',
    '--debug-consumer-delay-ms', '150', 'udp']);
  const td = tcpdump(net.b, ['-i', net.devB, '-w', theirs, '-B', '65536', 'udp']);
  children.push(cap, td);
  await Promise.all([cap.ready, td.ready]);
  const sent = await sendUdp(net.a, net.addrB, 9, 20000, 1000);
  await sleep(1300);
  const [r] = await Promise.all([cap.stop('SIGINT', 20000), td.stop('SIGINT')]);
  assert.equal(r.code, 0, cap.stderr);
  assert.equal(statLine(td.stderr, 'dropped by kernel'), 0, td.stderr);
  const inFile = tcpdumpRead(ours).length;
  const reference = tcpdumpRead(theirs).length;
  assert.equal(reference, sent, 'tcpdump saw every datagram sent');
  const ringDrops = statLine(cap.stderr, 'dropped by ring');
  const kernelDrops = statLine(cap.stderr, 'dropped by kernel');
  assert.ok(ringDrops > 1000, `expected the 1 MiB ring to overflow: ${cap.stderr}`);
  assert.equal(statLine(cap.stderr, 'captured'), inFile);
  assert.equal(inFile + ringDrops + kernelDrops, reference, cap.stderr);
});

test('-Z nobody: root is dropped once the interface is open; the capture and its file are nobody\'s', async (t) => {
  if (skip) return skipOrFail(t, skip);
  const net = pair('u');
  const out = join(dir, 'z');
  mkdirSync(out);
  chmodSync(dir, 0o755);
  chmodSync(out, 0o777);
  const file = join(out, 'nobody.pcap');
  const trickle = startUdpTrickle(net.a, net.addrB, 9999, 5, 20000);
  children.push(trickle);
  const cap = zsniff(net.b, ['capture', '-i', net.devB, '-Z', 'nobody', '-w', file, 'udp']);
  children.push(cap);
  await cap.ready;
  await sleep(500);
  const status = readFileSync(`/proc/${cap.child.pid}/status`, 'utf8');
  const nobody = spawnSync('id', ['-u', 'nobody'], { encoding: 'utf8' }).stdout.trim();
  assert.match(status, new RegExp(`^Uid:\\t${nobody}\\t${nobody}\\t${nobody}\\t${nobody}$`, 'm'));
  assert.match(status, /^CapEff:\t0+$/m);
  const r = await cap.stop('SIGINT');
  trickle.kill('SIGKILL');
  assert.equal(r.code, 0, cap.stderr);
  assert.equal(statSync(file).uid, Number(nobody));
  assert.ok(tcpdumpRead(file).length > 20);
  assert.equal(tcpdumpRead(file).length, statLine(cap.stderr, 'captured'));
});
