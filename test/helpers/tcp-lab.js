// A small network lab for TCP tests: network namespaces joined by veth
// pairs, a router in the middle, tbf queues that drop under load (netem is
// not available), tcpdump capturing, and node client/server processes.
// Every address is inside the namespaces the lab creates; everything is
// removed on close.
//
//   A (10.77.1.1) --a0/ra-- R (10.77.1.254 | 10.77.2.254) --rb/b0-- B (10.77.2.1)
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

export const ADDR = { A: '10.77.1.1', B: '10.77.2.1', R_A: '10.77.1.254', R_B: '10.77.2.254' };

/** Why the lab cannot run here, or null when it can. */
export function labUnavailable() {
  if (process.getuid && process.getuid() !== 0) return 'not root (network namespaces need root)';
  for (const cmd of ['ip', 'tc', 'tcpdump']) {
    try { execFileSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }); } catch { return `${cmd} not installed`; }
  }
  try {
    execFileSync('ip', ['netns', 'add', `zslabprobe${process.pid}`], { stdio: 'ignore' });
    execFileSync('ip', ['netns', 'del', `zslabprobe${process.pid}`], { stdio: 'ignore' });
  } catch { return 'cannot create network namespaces'; }
  return null;
}

function sh(args, opts = {}) {
  return execFileSync(args[0], args.slice(1), { stdio: ['ignore', 'pipe', 'pipe'], ...opts }).toString();
}

export class Lab {
  constructor(tag) {
    const id = `${tag}${process.pid % 10000}`;
    this.ns = { A: `zsA${id}`, R: `zsR${id}`, B: `zsB${id}` };
    this.children = [];
  }

  up() {
    const { A, R, B } = this.ns;
    for (const n of [A, R, B]) sh(['ip', 'netns', 'add', n]);
    sh(['ip', 'link', 'add', 'a0', 'netns', A, 'type', 'veth', 'peer', 'name', 'ra', 'netns', R]);
    sh(['ip', 'link', 'add', 'b0', 'netns', B, 'type', 'veth', 'peer', 'name', 'rb', 'netns', R]);
    const cmds = [
      [A, 'addr', 'add', `${ADDR.A}/24`, 'dev', 'a0'], [R, 'addr', 'add', `${ADDR.R_A}/24`, 'dev', 'ra'],
      [R, 'addr', 'add', `${ADDR.R_B}/24`, 'dev', 'rb'], [B, 'addr', 'add', `${ADDR.B}/24`, 'dev', 'b0'],
      [A, 'link', 'set', 'a0', 'up'], [R, 'link', 'set', 'ra', 'up'], [R, 'link', 'set', 'rb', 'up'], [B, 'link', 'set', 'b0', 'up'],
      [A, 'link', 'set', 'lo', 'up'], [B, 'link', 'set', 'lo', 'up'], [R, 'link', 'set', 'lo', 'up'],
      [A, 'route', 'add', 'default', 'via', ADDR.R_A], [B, 'route', 'add', 'default', 'via', ADDR.R_B],
    ];
    for (const [n, ...rest] of cmds) sh(['ip', '-n', n, ...rest]);
    sh(['ip', 'netns', 'exec', R, 'sysctl', '-qw', 'net.ipv4.ip_forward=1']);
    // Segmentation offload would hand tcpdump 64 kB "segments" no wire ever carries (and not
    // every machine has ethtool): one segment per packet, as on a real link.
    for (const [n, dev] of [[A, 'a0'], [R, 'ra'], [R, 'rb'], [B, 'b0']]) {
      sh(['ip', '-n', n, 'link', 'set', 'dev', dev, 'gso_max_segs', '1', 'gso_max_size', '1500']);
    }
    return this;
  }

  /** A rate limit with a short queue on `dev` (a0, ra, rb, b0): it drops when the queue overflows. */
  tbf(dev, rate = '20mbit', limit = 20000, burst = '32kbit') {
    const n = dev === 'a0' ? this.ns.A : dev === 'b0' ? this.ns.B : this.ns.R;
    sh(['ip', 'netns', 'exec', n, 'tc', 'qdisc', 'add', 'dev', dev, 'root', 'tbf', 'rate', rate, 'burst', burst, 'limit', String(limit)]);
  }

  exec(node, args, opts = {}) {
    return sh(['ip', 'netns', 'exec', this.ns[node], ...args], opts);
  }

  sysctl(node, setting) { this.exec(node, ['sysctl', '-qw', setting]); }

  /** Starts tcpdump in `node` on `dev`; returns a function that stops it (resolves once the file is complete). */
  async capture(node, dev, file, snaplen = 200) {
    const p = spawn('ip', ['netns', 'exec', this.ns[node], 'tcpdump', '-i', dev, '-s', String(snaplen), '-U', '-w', file, 'tcp'],
      { stdio: ['ignore', 'ignore', 'pipe'] });
    this.children.push(p);
    let err = '';
    p.stderr.on('data', (d) => { err += d; });
    for (let i = 0; i < 100 && !err.includes('listening'); i++) await sleep(30);
    // "listening" is printed a moment before the capture socket sees traffic.
    await sleep(400);
    return async () => {
      await sleep(300);
      p.kill('SIGINT');
      await new Promise((resolve) => p.once('exit', resolve));
      const dropped = /(\d+) packets dropped by kernel/.exec(err);
      if (dropped && +dropped[1] > 0) throw new Error(`tcpdump dropped ${dropped[1]} packets: the capture is incomplete`);
      if (!existsSync(file) || statSync(file).size < 24) throw new Error(`tcpdump wrote no capture: ${err}`);
      return file;
    };
  }

  /** Runs a node script inside `node`; resolves with its stdout. */
  run(node, script, { background = false, timeoutMs = 60000 } = {}) {
    const p = spawn('ip', ['netns', 'exec', this.ns[node], process.execPath, '--input-type=module', '-e', script],
      { stdio: ['ignore', 'pipe', 'pipe'] });
    this.children.push(p);
    let out = '', err = '';
    p.stdout.on('data', (d) => { out += d; });
    p.stderr.on('data', (d) => { err += d; });
    const done = new Promise((resolve, reject) => {
      const timer = setTimeout(() => { p.kill('SIGKILL'); reject(new Error(`lab script timed out in ${node}: ${err}`)); }, timeoutMs);
      p.once('exit', (code) => {
        clearTimeout(timer);
        if (code === 0 || background) resolve(out); else reject(new Error(`lab script in ${node} exited ${code}: ${err}`));
      });
    });
    if (background) { done.catch(() => {}); return { done, kill: () => p.kill('SIGKILL') }; }
    return done;
  }

  down() {
    for (const c of this.children) { try { c.kill('SIGKILL'); } catch { /* gone */ } }
    for (const n of Object.values(this.ns)) { try { sh(['ip', 'netns', 'del', n]); } catch { /* gone */ } }
  }
}

/** A server on B:port that reads everything, then answers `reply` bytes and closes (per connection). */
export function sinkServer(port, { reply = 0, readDelayMs = 0, connections = 1 } = {}) {
  return `
import net from 'node:net';
let left = ${connections};
const srv = net.createServer((c) => {
  ${readDelayMs ? `c.pause(); setTimeout(() => c.resume(), ${readDelayMs});` : ''}
  c.on('data', () => {});
  c.on('end', () => { c.end(Buffer.alloc(${reply}, 120)); });
  c.on('close', () => { if (--left === 0) srv.close(); });
  c.on('error', () => {});
});
srv.listen(${port}, '${ADDR.B}', () => console.log('listening'));
`;
}

/** A client in A sending `bytes` to B:port on `parallel` connections, then reading the reply until close. */
export function bulkClient(port, bytes, { parallel = 1, localPort = 0, startDelayMs = 0 } = {}) {
  return `
import net from 'node:net';
const one = (i) => new Promise((resolve, reject) => {
  const s = net.connect({ host: '${ADDR.B}', port: ${port}${localPort ? `, localPort: ${localPort} + i` : ''} }, () => {
    setTimeout(() => s.end(Buffer.alloc(${bytes}, 121)), ${startDelayMs});
  });
  s.on('data', () => {});
  s.on('close', resolve);
  s.on('error', reject);
});
await Promise.all(Array.from({ length: ${parallel} }, (_, i) => one(i)));
`;
}

/** Waits until a background server printed its "listening" line. */
export async function waitListening(lab, node, port) {
  for (let i = 0; i < 100; i++) {
    try {
      const ss = lab.exec(node, ['ss', '-ltn']);
      if (ss.includes(`:${port}`)) return;
    } catch { /* ss missing: fall back to a fixed wait */ await sleep(500); return; }
    await sleep(30);
  }
  throw new Error(`server on ${node}:${port} did not start`);
}

/**
 * Scenarios: each makes one capture in `dir` and returns its path. They are
 * the real-traffic side of the oracle test and the source of the small
 * fixtures/tcp-*.pcap files.
 */
export const scenarios = {
  /** Bulk A->B, queue drops on A's egress, captured at B: gaps, retransmissions, dup ACKs. */
  async 'loss-at-receiver'(lab, file, { bytes = 3_000_000, snaplen = 200 } = {}) {
    lab.tbf('a0', '20mbit');
    return transfer(lab, file, { bytes, captureAt: ['B', 'b0'], snaplen });
  },
  /** Bulk A->B, drops after the capture point (R->B), captured at A: the sender's view. */
  async 'loss-at-sender'(lab, file, { bytes = 3_000_000, snaplen = 200 } = {}) {
    lab.tbf('rb', '20mbit');
    return transfer(lab, file, { bytes, captureAt: ['A', 'a0'], snaplen });
  },
  /** Both directions busy and both queues dropping, captured at B: ACK loss gives spurious retransmissions. */
  async 'loss-both-ways'(lab, file, { bytes = 2_000_000, snaplen = 200 } = {}) {
    lab.tbf('ra', '10mbit');
    lab.tbf('rb', '10mbit');
    return transfer(lab, file, { bytes, reply: bytes, captureAt: ['B', 'b0'], snaplen });
  },
  /** Reverse direction: B sends the bulk data, drops on R->A, captured at B (sender side). */
  async 'loss-reverse'(lab, file, { bytes = 2_500_000, snaplen = 200 } = {}) {
    lab.tbf('ra', '20mbit');
    return transfer(lab, file, { bytes: 1000, reply: bytes, captureAt: ['B', 'b0'], snaplen });
  },
  /** Four parallel streams through one dropping queue, captured at A. */
  async 'parallel'(lab, file, { bytes = 800_000, snaplen = 200 } = {}) {
    lab.tbf('rb', '20mbit', 15000);
    return transfer(lab, file, { bytes, parallel: 4, captureAt: ['A', 'a0'], snaplen });
  },
  /**
   * Reordering without netem: packets with an odd IP ID wait in a slower
   * queue on R->B, so they arrive a little after their successors; the
   * capture starts after the handshake, so Wireshark's 3 ms out-of-order
   * threshold applies.
   */
  async 'reorder'(lab, file, { bytes = 1_500_000, snaplen = 200 } = {}) {
    lab.tbf('a0', '40mbit', 30000);
    const tc = (...args) => lab.exec('R', ['tc', ...args]);
    tc('qdisc', 'add', 'dev', 'rb', 'root', 'handle', '1:', 'htb', 'default', '10', 'r2q', '1000');
    tc('class', 'add', 'dev', 'rb', 'parent', '1:', 'classid', '1:10', 'htb', 'rate', '1gbit');
    tc('class', 'add', 'dev', 'rb', 'parent', '1:', 'classid', '1:20', 'htb', 'rate', '25mbit', 'ceil', '25mbit');
    tc('qdisc', 'add', 'dev', 'rb', 'parent', '1:20', 'bfifo', 'limit', '6000');
    tc('filter', 'add', 'dev', 'rb', 'parent', '1:', 'protocol', 'ip', 'u32', 'match', 'u16', '0x0001', '0x0001', 'at', '4', 'flowid', '1:20');
    return transfer(lab, file, { bytes, captureAt: ['B', 'b0'], snaplen, captureAfterConnect: true });
  },
  /** The receiver stops reading: zero windows, probes, window updates. */
  async 'zero-window'(lab, file, { bytes = 600_000, snaplen = 200 } = {}) {
    lab.sysctl('B', 'net.ipv4.tcp_rmem=4096 8192 16384');
    return transfer(lab, file, { bytes, readDelayMs: 1500, captureAt: ['A', 'a0'], snaplen });
  },
  /** A path that goes black mid-connection: one segment resent with exponential backoff. */
  async 'rto-backoff'(lab, file, { snaplen = 200 } = {}) {
    const port = 5003;
    const srv = lab.run('B', sinkServer(port), { background: true });
    await waitListening(lab, 'B', port);
    const stop = await lab.capture('A', 'a0', file, snaplen);
    const client = lab.run('A', `
import net from 'node:net';
const s = net.connect({ host: '${ADDR.B}', port: ${port} }, () => {
  s.write(Buffer.alloc(1000, 1));
  setTimeout(() => s.end(Buffer.alloc(1000, 2)), 800);
});
s.on('data', () => {}); s.on('error', () => {}); s.on('close', () => process.exit(0));
`);
    await sleep(500);
    lab.exec('R', ['ip', 'route', 'add', 'blackhole', `${ADDR.B}/32`]);
    await sleep(2200);
    lab.exec('R', ['ip', 'route', 'del', 'blackhole', `${ADDR.B}/32`]);
    await client;
    await srv.done;
    return stop();
  },
  /** Keep-alives on an idle connection, a refused connection (RST), and a port reused with a new ISN. */
  async 'keepalive-reset-reuse'(lab, file, { snaplen = 200 } = {}) {
    lab.sysctl('A', 'net.ipv4.tcp_keepalive_intvl=1');
    const port = 5004;
    const srv = lab.run('B', `
import net from 'node:net';
let n = 0;
const srv = net.createServer((c) => {
  n++;
  if (n === 1) { c.on('data', () => {}); c.on('end', () => c.end()); }
  else c.once('data', () => c.end('bye'));
  c.on('error', () => {});
  c.on('close', () => { if (n === 3) srv.close(); });
});
srv.listen(${port}, '${ADDR.B}');
`, { background: true });
    await waitListening(lab, 'B', port);
    const stop = await lab.capture('A', 'a0', file, snaplen);
    await lab.run('A', `
import net from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
const idle = net.connect({ host: '${ADDR.B}', port: ${port} });
idle.setKeepAlive(true, 1000);
idle.on('data', () => {});
await new Promise((r) => idle.once('connect', r));
idle.write('hello');
await sleep(3600);
idle.end();
await new Promise((r) => idle.once('close', r));
await new Promise((r) => { const s = net.connect({ host: '${ADDR.B}', port: ${port + 1} }); s.on('error', r); s.on('close', r); });
for (let i = 0; i < 2; i++) {
  const s = net.connect({ host: '${ADDR.B}', port: ${port}, localPort: 40404 });
  s.on('connect', () => s.write('again'));
  s.on('data', () => {});
  s.on('end', () => s.end());
  await new Promise((r, j) => { s.on('close', r); s.on('error', j); });
  await sleep(200);
}
`);
    await srv.done;
    return stop();
  },
};

async function transfer(lab, file, { bytes, reply = 0, parallel = 1, readDelayMs = 0, captureAt, snaplen, captureAfterConnect = false }) {
  const port = 5001;
  const srv = lab.run('B', sinkServer(port, { reply, readDelayMs, connections: parallel }), { background: true });
  await waitListening(lab, 'B', port);
  let stop;
  if (captureAfterConnect) {
    const client = lab.run('A', bulkClient(port, bytes, { parallel, startDelayMs: 700 }));
    await sleep(300);
    stop = await lab.capture(captureAt[0], captureAt[1], file, snaplen);
    await client;
  } else {
    stop = await lab.capture(captureAt[0], captureAt[1], file, snaplen);
    await lab.run('A', bulkClient(port, bytes, { parallel }));
  }
  await srv.done;
  return stop();
}
