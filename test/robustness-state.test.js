/**
 * Analyzer state stays bounded under adversarial traffic: a SYN flood from
 * a million distinct ports, a hundred thousand and more IPsec SPIs, and a
 * TCP connection whose sequence numbers jump around at random. Each capture
 * is generated with our PcapWriter and analysed by `zsniff analyze --json`
 * in a child process whose peak RSS (getrusage of the child, or VmHWM
 * polling without python3) must stay under PEAK_LIMIT; the measured values
 * are printed as test diagnostics so they can be quoted.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PcapWriter } from '../dist/index.js';
import { IPPROTO, TCP_FLAGS as TCP, espPacket, ipPacket, tcp } from './helpers/packets.js';
import { Rng } from './fuzz/mutate.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const ZSNIFF = path.join(here, '..', 'bin', 'zsniff.js');
/**
 * The README's promise: with the default bounds, `analyze` stays under 150 MB of peak RSS on any
 * capture. Measured here (see the diagnostics): 127 MB on the 1M-SYN flood with the default
 * --max-flows, 118 MB with --max-flows 20000, 119 MB on 120k SPIs, 115 MB on 400k segments with
 * random sequence numbers.
 */
const PEAK_LIMIT = 150 * 1024 * 1024;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'zsniff-state-'));
test.after(() => fs.rmSync(tmp, { recursive: true, force: true }));

const hasPython = spawnSync('python3', ['-c', 'import resource'], { stdio: 'ignore' }).status === 0;

/**
 * Runs zsniff with `args`; resolves with stdout, the exit code and the
 * child's peak RSS in bytes.
 */
function runMeasured(args) {
  return new Promise((resolve, reject) => {
    const cmd = hasPython
      ? ['python3', ['-c', 'import resource,subprocess,sys\n' +
          'r = subprocess.run(sys.argv[1:])\n' +
          'sys.stderr.write("\\nPEAK_RSS_KB=%d\\n" % resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n' +
          'sys.exit(r.returncode)', process.execPath, ZSNIFF, ...args]]
      : [process.execPath, [ZSNIFF, ...args]];
    const child = spawn(cmd[0], cmd[1], { stdio: ['ignore', 'pipe', 'pipe'] });
    const out = [], err = [];
    let hwm = 0;
    const poll = hasPython ? null : setInterval(() => {
      try {
        const m = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${child.pid}/status`, 'utf8'));
        if (m) hwm = Math.max(hwm, Number(m[1]) * 1024);
      } catch { /* exited */ }
    }, 20);
    child.stdout.on('data', (c) => out.push(c));
    child.stderr.on('data', (c) => err.push(c));
    child.on('error', reject);
    child.on('close', (code) => {
      if (poll) clearInterval(poll);
      const stderr = Buffer.concat(err).toString();
      const m = /PEAK_RSS_KB=(\d+)/.exec(stderr);
      resolve({ code, stdout: Buffer.concat(out).toString(), stderr, peak: m ? Number(m[1]) * 1024 : hwm });
    });
  });
}

function record(bytes, tsSec, tsNsec = 0) {
  return { frame: 0, tsSec, tsNsec, caplen: bytes.length, origLen: bytes.length, linkType: 101, interfaceId: 0, bytes, offset: 0, fileOffset: 0 };
}

const mb = (n) => `${(n / 1048576).toFixed(0)} MB`;

const N_SYN = 1_000_000;
let synFlood = null;
/** The 1M-SYN capture, written once for the two tests that read it. */
function synFloodCapture() {
  synFlood ??= writeSynFlood();
  return synFlood;
}

async function writeSynFlood() {
  const file = path.join(tmp, 'syn-flood.pcap');
  const w = new PcapWriter(file, { linkType: 101 });
  const tpl = ipPacket({ src: '10.0.0.0', dst: '192.0.2.1', proto: IPPROTO.TCP,
    payload: tcp({ sport: 1, dport: 443, seq: 0, flags: TCP.SYN, win: 64240, options: Uint8Array.of(2, 4, 5, 180, 4, 2, 1, 3, 3, 7) }) });
  const rec = record(tpl, 1_700_000_000);
  const N = N_SYN;
  for (let i = 0; i < N; i++) {
    // 16 source addresses x 62,500 ports: a million distinct 4-tuples.
    tpl[15] = 1 + (i & 15);
    const port = 1024 + (i >>> 4);
    tpl[20] = port >> 8; tpl[21] = port & 255;
    tpl[24] = i >>> 24; tpl[25] = (i >>> 16) & 255; tpl[26] = (i >>> 8) & 255; tpl[27] = i & 255;
    rec.tsSec = 1_700_000_000 + Math.floor(i / 100_000); rec.tsNsec = (i % 100_000) * 10_000;
    w.writePacket(rec);
  }
  await w.close();
  return file;
}


test('1,000,000 SYNs from distinct ports: the flow table caps and says what it evicted', { timeout: 120_000 }, async (t) => {
  const file = await synFloodCapture();
  const N = N_SYN;
  const r = await runMeasured(['analyze', file, '--json', '--color', 'never']);
  assert.equal(r.code, 0, r.stderr);
  const report = JSON.parse(r.stdout);
  const ft = report.tcp.flowTable;
  t.diagnostic(`1M SYNs, default --max-flows ${ft.maxFlows}: peak RSS ${mb(r.peak)}; flow table peak ${ft.peak}, evicted ${ft.evicted} (open ${ft.evictedOpen}); ` +
    `${report.tcp.streams.length} stream summaries kept of ${report.tcp.streamsTotal}; ${report.events.length} events kept, ${report.eventsOmitted} omitted`);
  assert.equal(report.capture.packets, N);
  assert.ok(ft.peak <= ft.maxFlows);
  assert.ok(ft.evicted >= N - ft.maxFlows, 'evictions counted');
  assert.ok(report.findings.some((f) => /evicted/.test(f.text)), 'the eviction is a finding');
  assert.ok(report.tcp.streams.length <= 10_000, 'stream summaries capped');
  // Without the flow-table cap this would be ~1 GB (a million flows at ~1 KB each).
  assert.ok(r.peak > 0 && r.peak < PEAK_LIMIT, `peak RSS ${mb(r.peak)} over ${mb(PEAK_LIMIT)}`);
});

test('1,000,000 SYNs with --max-flows 20000: peak RSS under the bound', { timeout: 120_000 }, async (t) => {
  const file = await synFloodCapture();
  // The documented way to bound memory on such a capture.
  const small = await runMeasured(['analyze', file, '--json', '--color', 'never', '--max-flows', '20000', '--max-streams', '1000']);
  assert.equal(small.code, 0, small.stderr);
  const sr = JSON.parse(small.stdout);
  t.diagnostic(`1M SYNs, --max-flows 20000: peak RSS ${mb(small.peak)}; evicted ${sr.tcp.flowTable.evicted}`);
  assert.equal(sr.tcp.flowTable.peak, 20_000);
  assert.ok(small.peak > 0 && small.peak < PEAK_LIMIT, `peak RSS ${mb(small.peak)} over ${mb(PEAK_LIMIT)}`);
});

test('120,000 SPIs (more than the SA table holds): SAs are evicted, counted and reported', { timeout: 120_000 }, async (t) => {
  const file = path.join(tmp, 'spis.pcap');
  const w = new PcapWriter(file, { linkType: 101 });
  const N = 120_000;
  const body = new Uint8Array(64);
  const tpl = ipPacket({ src: '10.1.0.0', dst: '10.2.0.0', proto: IPPROTO.ESP, payload: espPacket({ spi: 0, seq: 1, payload: body }) });
  const rec = record(tpl, 1_700_000_000);
  for (let round = 0; round < 2; round++) {
    for (let i = 0; i < N; i++) {
      const spi = 0x10000 + i;
      // Distinct host pairs too, so the pair table is tested with the SA table.
      tpl[14] = (i >>> 8) & 255; tpl[15] = i & 255; tpl[18] = (i >>> 16) & 255; tpl[19] = (i >>> 4) & 255;
      tpl[20] = spi >>> 24; tpl[21] = (spi >>> 16) & 255; tpl[22] = (spi >>> 8) & 255; tpl[23] = spi & 255;
      tpl[27] = 1 + round;
      rec.tsSec = 1_700_000_000 + round * 10 + Math.floor(i / 20_000);
      w.writePacket(rec);
    }
  }
  await w.close();
  const r = await runMeasured(['analyze', file, '--json', '--color', 'never']);
  assert.equal(r.code, 0, r.stderr);
  const report = JSON.parse(r.stdout);
  const esp = report.esp;
  t.diagnostic(`120k SPIs x2: peak RSS ${mb(r.peak)}; SAs in report ${esp.sas?.length ?? '?'}, evicted ${JSON.stringify(esp.evicted)}; ` +
    `${report.events.length} events kept, ${report.eventsOmitted} omitted`);
  assert.equal(report.capture.packets, 2 * N);
  assert.ok(esp.evicted.sas > 0, 'SAs beyond the cap were evicted');
  assert.ok(r.peak > 0 && r.peak < PEAK_LIMIT, `peak RSS ${mb(r.peak)} over ${mb(PEAK_LIMIT)}`);
  const summary = await runMeasured(['analyze', file, '--color', 'never']);
  assert.match(summary.stdout, /SA table capped at \d+: \d+ least recently active SAs evicted/);
});

test('TCP sequence numbers jumping at random: per-connection state stays bounded', { timeout: 120_000 }, async (t) => {
  const file = path.join(tmp, 'seq-jumps.pcap');
  const w = new PcapWriter(file, { linkType: 101 });
  const rng = new Rng(7);
  const N = 400_000;
  const a = '10.0.0.1', b = '10.0.0.2';
  const syn = ipPacket({ src: a, dst: b, proto: IPPROTO.TCP, payload: tcp({ sport: 40000, dport: 80, seq: 1, flags: TCP.SYN, options: Uint8Array.of(4, 2, 3, 3, 7, 1) }) });
  const synack = ipPacket({ src: b, dst: a, proto: IPPROTO.TCP, payload: tcp({ sport: 80, dport: 40000, seq: 9, ack: 2, flags: TCP.SYN | TCP.ACK, options: Uint8Array.of(4, 2, 3, 3, 7, 1) }) });
  w.writePacket(record(syn, 1_700_000_000));
  w.writePacket(record(synack, 1_700_000_000, 1000));
  const payload = new Uint8Array(1200);
  // Data one way with a SACK option the other way: both sides' sequence spaces are random.
  const data = ipPacket({ src: a, dst: b, proto: IPPROTO.TCP, payload: tcp({ sport: 40000, dport: 80, seq: 2, ack: 10, flags: TCP.ACK, payload }) });
  const sackOpt = new Uint8Array(36); sackOpt[0] = 1; sackOpt[1] = 1; sackOpt[2] = 5; sackOpt[3] = 34;
  const ack = ipPacket({ src: b, dst: a, proto: IPPROTO.TCP, payload: tcp({ sport: 80, dport: 40000, seq: 10, ack: 2, flags: TCP.ACK, options: sackOpt }) });
  const dv = new DataView(data.buffer), av = new DataView(ack.buffer);
  const rd = record(data, 0), ra = record(ack, 0);
  for (let i = 0; i < N; i++) {
    const sec = 1_700_000_001 + Math.floor(i / 10_000), nsec = (i % 10_000) * 100_000;
    if (i % 3 !== 2) {
      dv.setUint32(24, rng.u32());
      dv.setUint32(28, rng.chance(0.5) ? 10 : rng.u32());
      rd.caplen = rd.origLen = 40 + rng.int(1201);
      rd.tsSec = sec; rd.tsNsec = nsec;
      w.writePacket(rd);
    } else {
      av.setUint32(24, rng.u32()); av.setUint32(28, rng.u32());
      for (let k = 0; k < 8; k++) av.setUint32(40 + 4 + 4 * k, rng.u32());
      ra.tsSec = sec; ra.tsNsec = nsec;
      w.writePacket(ra);
    }
  }
  await w.close();
  const r = await runMeasured(['analyze', file, '--json', '--color', 'never']);
  assert.equal(r.code, 0, r.stderr);
  const report = JSON.parse(r.stdout);
  const counts = Object.entries(report.tcp.counts).filter(([, v]) => v > 0).map(([k, v]) => `${k} ${v}`).join(', ');
  t.diagnostic(`random sequence numbers, ${N} segments: peak RSS ${mb(r.peak)}; ${report.events.length} events kept, ${report.eventsOmitted} omitted; counts: ${counts}`);
  assert.equal(report.capture.packets, N + 2);
  assert.ok(report.events.length <= 100_000, 'events kept are capped');
  assert.ok(r.peak > 0 && r.peak < PEAK_LIMIT, `peak RSS ${mb(r.peak)} over ${mb(PEAK_LIMIT)}`);
});
