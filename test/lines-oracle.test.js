// tcpdump is the oracle: for every capture of the shared tcpdump corpus and
// our fixtures, `zsniff read -nn FILE FLAGS` must print what
// `tcpdump -nn -r FILE FLAGS` prints, packet by packet, for every packet the
// line printer claims to render exactly (outOfScopeReason: link types,
// network and transport protocols we print, and not the application ports
// of TCPDUMP_TCP_APP_PORTS / TCPDUMP_UDP_APP_PORTS, whose payload tcpdump
// dissects, unless linesPrintUdpApp / linesPrintTcpApp say we reproduce that
// dissector, as for DNS). Match figures are printed per flag set.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { execFileSync } from 'node:child_process';
import {
  compareFile, haveTcpdump, mapLimit, repoRoot, zsniffCli, zsniffPackets, tcpdumpPackets,
} from './helpers/oracle.js';
import { corpusDir, missingCorpus } from './helpers/corpus.js';
import { skipOrFail } from './helpers/requirements.js';

const corpus = corpusDir('tcpdump-tests');
const fixturesDir = path.join(repoRoot, 'fixtures');

/**
 * Files left out on purpose, with the reason. Everything else in the corpus
 * is compared; packets out of scope inside a file are skipped by
 * outOfScopeReason, and the reason is counted.
 */
const EXCLUDED_FILES = new Map([
  // Fractions of a second >= 1 s in the record header: PacketRecord carries a
  // normalised timestamp, tcpdump prints the raw fraction ("10.1000000").
  ['timestamp_invalid_micro.pcap', 'invalid timestamp fraction'],
  ['timestamp_invalid_nano.pcap', 'invalid timestamp fraction'],
]);

const FLAG_SETS = [
  [], ['-e'], ['-q'], ['-t'], ['-tt'], ['-ttt'], ['-tttt'], ['-ttttt'],
  ['-v'], ['-vv'], ['-x'], ['-xx'], ['-X'], ['-XX'], ['-e', '-q'], ['-e', '-v'],
];

function captureFiles(dir) {
  return fs.readdirSync(dir).filter((f) => /\.pcap(ng)?(\.gz)?$/.test(f)).sort().map((f) => path.join(dir, f));
}

function summarise(results) {
  const total = { files: 0, inScope: 0, matched: 0, outOfScope: {}, mismatches: [], countMismatches: [] };
  for (const r of results) {
    if (!r) continue;
    total.files++;
    if (r.countMismatch) total.countMismatches.push(`${path.basename(r.file)}: zsniff ${r.countMismatch[0]} packets, tcpdump ${r.countMismatch[1]}`);
    total.inScope += r.inScope;
    total.matched += r.matched;
    for (const [k, v] of Object.entries(r.outOfScope)) total.outOfScope[k] = (total.outOfScope[k] ?? 0) + v;
    for (const m of r.mismatches) total.mismatches.push({ file: path.basename(r.file), ...m });
  }
  return total;
}

function report(label, total) {
  const pct = total.inScope ? (100 * total.matched / total.inScope) : 100;
  console.log(`# lines oracle ${label}: ${total.matched}/${total.inScope} in-scope packets identical (${pct.toFixed(2)}%) in ${total.files} files`);
  for (const m of total.mismatches.slice(0, 15)) {
    console.log(`#   ${m.file} #${m.frame}\n#     tcpdump: ${JSON.stringify(m.tcpdump)}\n#     zsniff:  ${JSON.stringify(m.zsniff)}`);
  }
  if (total.mismatches.length > 15) console.log(`#   ... ${total.mismatches.length - 15} more`);
  return pct;
}

const skip = haveTcpdump() ? false : 'tcpdump is not installed (apt-get install -y tcpdump)';

test('fixtures: every packet of the loopback captures is identical to tcpdump, under every flag set', async (t) => {
  if (skip) return skipOrFail(t, skip);
  const files = captureFiles(fixturesDir).filter((f) => path.basename(f).startsWith('lo-'));
  assert.ok(files.length >= 4, 'the lo-*.pcap fixtures are present');
  for (const flags of FLAG_SETS) {
    const results = await mapLimit(files, 4, (f) => compareFile(f, flags));
    const total = summarise(results);
    report(`fixtures/lo-* [${flags.join(' ') || 'default'}]`, total);
    assert.deepEqual(total.mismatches, []);
    for (const r of results) {
      assert.equal(r.countMismatch, null, `${r.file}: packet counts`);
      assert.equal(r.inScope, r.packets, `${r.file}: every packet in scope (${JSON.stringify(r.outOfScope)})`);
    }
  }
});

test('fixtures: every in-scope packet of every fixture is identical to tcpdump', async (t) => {
  if (skip) return skipOrFail(t, skip);
  const files = captureFiles(fixturesDir);
  assert.ok(files.length >= 20, `fixtures found: ${files.length}`);
  for (const flags of [[], ['-e'], ['-v'], ['-q']]) {
    const total = summarise(await mapLimit(files, 4, (f) => compareFile(f, flags)));
    report(`fixtures/* [${flags.join(' ') || 'default'}]`, total);
    // Lines are compared only up to the shorter side: a packet zsniff or tcpdump left out is a failure here.
    assert.deepEqual(total.countMismatches, [], 'packet counts differ from tcpdump');
    assert.equal(total.files, files.length);
    assert.ok(total.inScope > 1000, `in-scope packets compared: ${total.inScope}`);
    assert.deepEqual(total.mismatches, []);
  }
});

test('the CLI prints exactly the library lines, and exactly tcpdump for the loopback fixtures', async (t) => {
  if (skip) return skipOrFail(t, skip);
  for (const name of ['lo-tcp-transfer.pcap', 'lo-tcp6-transfer.pcap', 'lo-udp-unreachable.pcap']) {
    const file = path.join(fixturesDir, name);
    for (const flags of [[], ['-e'], ['-tt'], ['-X']]) {
      const cli = zsniffCli(file, flags);
      const lib = await zsniffPackets(file, flags);
      assert.equal(cli, lib.texts.map((t) => t + '\n').join(''), `${name} ${flags.join(' ')}: CLI = library`);
      const theirs = await tcpdumpPackets(file, flags);
      assert.equal(cli, theirs.packets.map((t) => t + '\n').join(''), `${name} ${flags.join(' ')}: CLI = tcpdump`);
    }
  }
});

test('tcpdump corpus: >= 99% of in-scope packets identical, for every flag set', async (t) => {
  if (skip || missingCorpus('tcpdump-tests')) return skipOrFail(t, skip || missingCorpus('tcpdump-tests'));
  const files = captureFiles(corpus).filter((f) => !EXCLUDED_FILES.has(path.basename(f)));
  const figures = {};
  for (const flags of FLAG_SETS) {
    // Our side first (fast): only files with in-scope packets need tcpdump.
    const ours = await mapLimit(files, 8, (f) => zsniffPackets(f, flags));
    const wanted = files.map((f, i) => ({ f, ours: ours[i] })).filter((x) => x.ours.reasons.some((r) => r === null));
    const results = await mapLimit(wanted, 6, (x) => compareFile(x.f, flags, x.ours));
    const total = summarise(results);
    const label = flags.join(' ') || 'default';
    figures[label] = report(`corpus [${label}]`, total);
    const reasons = Object.entries(total.outOfScope).sort((a, b) => b[1] - a[1]).slice(0, 8);
    console.log(`#   out of scope (top): ${reasons.map(([k, v]) => `${k}: ${v}`).join('; ')}`);
    assert.ok(total.inScope > 1000, `enough in-scope packets compared (${total.inScope})`);
    assert.deepEqual(total.countMismatches, [], `${label}: packet counts differ from tcpdump`);
    assert.ok(figures[label] >= 99, `${label}: ${figures[label].toFixed(2)}% identical`);
  }
  console.log(`# lines oracle summary: ${JSON.stringify(Object.fromEntries(Object.entries(figures).map(([k, v]) => [k, Number(v.toFixed(2))])))}`);
});

test('local time of day follows the zone, across a daylight-saving change, as tcpdump', async (t) => {
  if (skip) return skipOrFail(t, skip);
  const { PcapWriter } = await import('../dist/index.js');
  const { IPPROTO, ethernet, ipv4, packetRecord: record, udp } = await import('./helpers/packets.js');
  const datagram = (sport, dport, payload) => ethernet({ payload: ipv4({ proto: IPPROTO.UDP, payload: udp({ sport, dport, payload }) }) });
  const os = await import('node:os');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zsniff-tz-'));
  try {
    const file = path.join(dir, 'dst.pcap');
    const w = new PcapWriter(file, { linkType: 1 });
    // 2023-03-12 06:59:58 UTC .. 07:00:02: New York moves from EST to EDT at 07:00 UTC.
    for (let s = 0; s < 5; s++) {
      w.writePacket(record(datagram(1000 + s, 2000, [s]), { tsSec: 1678604398 + s, tsNsec: s * 200_000_000 }));
    }
    // And one packet in 2106, past 32-bit seconds.
    w.writePacket(record(datagram(1, 2, [0]), { tsSec: 2 ** 32 + 5, tsNsec: 0 }));
    await w.close();
    for (const tz of ['America/New_York', 'Asia/Kolkata', 'Australia/Lord_Howe', 'UTC']) {
      for (const flags of [[], ['-tttt'], ['-tt']]) {
        const env = { ...process.env, TZ: tz, NO_COLOR: '1' };
        const ours = execFileSync(process.execPath, [path.join(repoRoot, 'bin', 'zsniff.js'), 'read', file, ...flags], { env, encoding: 'latin1' });
        const theirs = execFileSync('tcpdump', ['-nn', '-r', file, ...flags], { env, encoding: 'latin1', stdio: ['ignore', 'pipe', 'ignore'] });
        assert.equal(ours, theirs, `${tz} ${flags.join(' ')}`);
      }
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
