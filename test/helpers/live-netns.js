// Helpers for the live capture tests: a pair of network namespaces joined by
// a veth pair (names unique to this process), commands run inside them, and
// zsniff/tcpdump captures started and stopped like a user would.
// This file holds no tests itself.
import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { missingAddon } from './requirements.js';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const zsniffBin = join(root, 'bin', 'zsniff.js');

/** Why live tests cannot run here, or undefined when they can (tests hand it to skipOrFail). */
export function liveSkipReason() {
  if (typeof process.getuid === 'function' && process.getuid() !== 0) {
    return 'live capture tests need root (network namespaces and raw sockets): run npm test as root';
  }
  for (const tool of ['ip', 'tcpdump', 'tc', 'sysctl']) {
    if (spawnSync('sh', ['-c', `command -v ${tool}`]).status !== 0) return `live capture tests need ${tool}`;
  }
  const addon = missingAddon();
  if (addon) return `live capture tests need ${addon}`;
  const probe = `zsprobe${process.pid}`;
  const r = spawnSync('ip', ['netns', 'add', probe], { encoding: 'utf8' });
  if (r.status !== 0) return `cannot create network namespaces here: ${r.stderr.trim()}`;
  spawnSync('ip', ['netns', 'del', probe]);
  return undefined;
}

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', ...opts });
  if (r.status !== 0 && !opts.allowFail) {
    throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}): ${r.stderr}`);
  }
  return r;
}

/**
 * Namespaces `a` and `b` with veth ends `devA` (10.77.0.1) and `devB`
 * (10.77.0.2). IPv6 is off so that only the test's own traffic appears.
 */
export class NetnsPair {
  constructor(tag = '') {
    const id = `${process.pid % 100000}${tag}`;
    this.a = `zs${id}a`;
    this.b = `zs${id}b`;
    this.devA = `zs${id}va`;
    this.devB = `zs${id}vb`;
    this.addrA = '10.77.0.1';
    this.addrB = '10.77.0.2';
    this.created = false;
  }

  create({ rate } = {}) {
    this.created = true;
    run('ip', ['netns', 'add', this.a]);
    run('ip', ['netns', 'add', this.b]);
    for (const ns of [this.a, this.b]) {
      run('ip', ['netns', 'exec', ns, 'sysctl', '-q', '-w', 'net.ipv6.conf.all.disable_ipv6=1']);
      run('ip', ['netns', 'exec', ns, 'sysctl', '-q', '-w', 'net.ipv6.conf.default.disable_ipv6=1']);
    }
    run('ip', ['link', 'add', this.devA, 'netns', this.a, 'type', 'veth', 'peer', 'name', this.devB, 'netns', this.b]);
    run('ip', ['-n', this.a, 'addr', 'add', `${this.addrA}/24`, 'dev', this.devA]);
    run('ip', ['-n', this.b, 'addr', 'add', `${this.addrB}/24`, 'dev', this.devB]);
    for (const [ns, dev] of [[this.a, this.devA], [this.b, this.devB]]) {
      run('ip', ['-n', ns, 'link', 'set', 'lo', 'up']);
      run('ip', ['-n', ns, 'link', 'set', dev, 'up']);
    }
    if (rate) {
      // A small token bucket on the sender: real queue drops, so TCP retransmits.
      run('ip', ['netns', 'exec', this.a, 'tc', 'qdisc', 'add', 'dev', this.devA, 'root', 'tbf',
        'rate', rate, 'burst', '10kb', 'limit', '15kb']);
    }
    // Let ARP settle so that the first test packet is not an ARP exchange of unknown timing.
    run('ip', ['netns', 'exec', this.a, 'ip', 'neigh', 'replace', this.addrB, 'lladdr',
      this.mac(this.b, this.devB), 'dev', this.devA, 'nud', 'permanent']);
    run('ip', ['netns', 'exec', this.b, 'ip', 'neigh', 'replace', this.addrA, 'lladdr',
      this.mac(this.a, this.devA), 'dev', this.devB, 'nud', 'permanent']);
  }

  mac(ns, dev) {
    const r = run('ip', ['-n', ns, '-o', 'link', 'show', dev]);
    const m = /link\/ether ([0-9a-f:]{17})/.exec(r.stdout);
    if (!m) throw new Error(`no MAC for ${dev}: ${r.stdout}`);
    return m[1];
  }

  qdiscDrops() {
    const r = run('ip', ['netns', 'exec', this.a, 'tc', '-s', 'qdisc', 'show', 'dev', this.devA], { allowFail: true });
    const m = /dropped (\d+)/.exec(r.stdout ?? '');
    return m ? Number(m[1]) : 0;
  }

  destroy() {
    if (!this.created) return;
    spawnSync('ip', ['netns', 'del', this.a]);
    spawnSync('ip', ['netns', 'del', this.b]);
    this.created = false;
  }
}

/** Spawns `cmd args` inside namespace `ns`. */
export function spawnIn(ns, cmd, args, opts = {}) {
  return spawn('ip', ['netns', 'exec', ns, cmd, ...args], { stdio: ['ignore', 'pipe', 'pipe'], ...opts });
}

/**
 * A running capture process (zsniff or tcpdump) with its stderr collected;
 * `ready` resolves when it prints its "listening on" line.
 */
export class CaptureProcess {
  constructor(ns, cmd, args, opts = {}) {
    this.child = spawnIn(ns, cmd, args, opts);
    this.stderr = '';
    this.stdout = Buffer.alloc(0);
    this.exited = new Promise((resolve) => {
      this.child.on('exit', (code, signal) => resolve({ code, signal }));
    });
    this.ready = new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${cmd} did not start listening: ${this.stderr}`)), 15000);
      this.child.stderr.on('data', (d) => {
        this.stderr += d.toString();
        if (/listening on/.test(this.stderr)) {
          clearTimeout(timer);
          resolve();
        }
      });
      this.child.on('exit', () => {
        clearTimeout(timer);
        if (!/listening on/.test(this.stderr)) reject(new Error(`${cmd} exited before listening: ${this.stderr}`));
      });
    });
    if (this.child.stdout && opts.collectStdout !== false) {
      this.child.stdout.on('data', (d) => { this.stdout = Buffer.concat([this.stdout, d]); });
    }
  }

  /** Sends `signal` to the capture itself (not to `ip netns exec`, which exec'd into it). */
  signal(sig = 'SIGINT') {
    try { this.child.kill(sig); } catch { /* already gone */ }
  }

  async stop(sig = 'SIGINT', timeoutMs = 10000) {
    this.signal(sig);
    const timer = setTimeout(() => this.signal('SIGKILL'), timeoutMs);
    const r = await this.exited;
    clearTimeout(timer);
    return r;
  }
}

export function zsniff(ns, args, opts) {
  return new CaptureProcess(ns, process.execPath, [zsniffBin, ...args], opts);
}

export function tcpdump(ns, args, opts) {
  return new CaptureProcess(ns, 'tcpdump', args, opts);
}

/** A TCP sink in namespace `ns`, listening on addr:port; resolves once listening. */
export async function startTcpSink(ns, addr, port) {
  const code = `const s = require('net').createServer((c) => c.resume()); s.listen(${port}, '${addr}', () => console.log('up'));`;
  const child = spawnIn(ns, process.execPath, ['-e', code]);
  await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('TCP sink did not start')), 10000);
    child.stdout.on('data', () => { clearTimeout(timer); resolve(); });
    child.on('exit', (c) => { clearTimeout(timer); reject(new Error(`TCP sink exited (${c})`)); });
  });
  return child;
}

/** Sends `bytes` over one TCP connection from namespace `ns`; resolves when the peer acknowledged all. */
export function sendTcp(ns, addr, port, bytes) {
  const code = `const c = require('net').connect(${port}, '${addr}', () => {
    const chunk = Buffer.alloc(65536, 0x5a); let left = ${bytes};
    const pump = () => { while (left > 0) { const n = Math.min(left, chunk.length); left -= n; if (!c.write(chunk.subarray(0, n))) return c.once('drain', pump); } c.end(); };
    pump(); });
    c.on('close', () => process.exit(0)); c.on('error', (e) => { console.error(e.message); process.exit(1); });`;
  const child = spawnIn(ns, process.execPath, ['-e', code]);
  let err = '';
  child.stderr.on('data', (d) => { err += d; });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error('TCP sender timed out')); }, 30000);
    child.on('exit', (c) => { clearTimeout(timer); if (c === 0) resolve(); else reject(new Error(`TCP sender failed: ${err}`)); });
  });
}

/** `tcpdump -r FILE -nn -tt [EXPR]` lines (the reading banner dropped). */
export function tcpdumpRead(file, expr) {
  // -S: absolute sequence numbers, so that files split by rotation compare equal.
  const args = ['-r', file, '-nn', '-tt', '-S'];
  if (expr) args.push(expr);
  const r = spawnSync('tcpdump', args, { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`tcpdump -r ${file} failed: ${r.stderr}`);
  return r.stdout.split('\n').filter((l) => l.length > 0);
}

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Asserts that two `tcpdump -r -tt` listings hold the same packets in the
 * same order. Timestamps may differ by a few microseconds: when the driver
 * does not stamp packets, each packet socket reads the clock itself.
 */
export function assertSamePackets(assert, ours, theirs, label = '') {
  const strip = (l) => l.replace(/^\d+\.\d+ /, '');
  assert.deepEqual(ours.map(strip), theirs.map(strip), `${label}: packets differ`);
  for (let i = 0; i < ours.length; i++) {
    const a = parseFloat(ours[i]);
    const b = parseFloat(theirs[i]);
    assert.ok(Math.abs(a - b) < 0.005, `${label}: packet ${i + 1} time ${a} vs ${b}`);
  }
}

/** Sends a small UDP datagram every `intervalMs` from namespace `ns` until killed or `maxMs` passed. */
export function startUdpTrickle(ns, addr, port, intervalMs = 5, maxMs = 20000) {
  const code = `const s = require('dgram').createSocket('udp4'); const b = Buffer.alloc(64, 0x61); let n = 0;
    const t = setInterval(() => s.send(b, ${port}, '${addr}', () => {}), ${intervalMs});
    setTimeout(() => process.exit(0), ${maxMs});`;
  return spawnIn(ns, process.execPath, ['-e', code]);
}

/** Runs zsniff to completion in `ns` (or outside namespaces when ns is undefined). */
export function runZsniff(ns, args, opts = {}) {
  const cmd = ns ? ['ip', ['netns', 'exec', ns, process.execPath, zsniffBin, ...args]] : [process.execPath, [zsniffBin, ...args]];
  return spawnSync(cmd[0], cmd[1], { encoding: 'utf8', timeout: 20000, ...opts });
}
