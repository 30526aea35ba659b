// The pcap and pcapng writers: what they write reads back the same in our
// reader and in tcpdump, and write errors surface clearly.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { mkdtempSync, readFileSync, statSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { execFileSync, spawnSync } from 'node:child_process';
import { PassThrough } from 'node:stream';
import { openCapture, PcapWriter, PcapngWriter, createPacketRecord } from '../dist/index.js';
import { corpusDir, missingCorpus } from './helpers/corpus.js';
import { noteOrFail, skipOrFail } from './helpers/requirements.js';

const CORPUS = corpusDir('tcpdump-tests');
const noCorpus = missingCorpus('tcpdump-tests');
const root = fileURLToPath(new URL('..', import.meta.url));
const BIN = join(root, 'bin', 'zsniff.js');
const fixture = (name) => join(root, 'fixtures', name);
const dir = mkdtempSync(join(tmpdir(), 'zsniff-writer-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function haveTcpdump() {
  try { execFileSync('tcpdump', ['--version'], { stdio: 'ignore' }); return true; } catch { return false; }
}

/** tcpdump's view of a file, timestamps at the given precision. */
function tcpdump(path, precision = 'micro') {
  return execFileSync('tcpdump', ['-r', path, '-nn', '-tt', '-v', `--time-stamp-precision=${precision}`],
    { stdio: ['ignore', 'pipe', 'ignore'], maxBuffer: 64 * 1024 * 1024 }).toString();
}

async function readBack(path) {
  const out = [];
  const info = await openCapture(path).run((p) => {
    out.push([p.tsSec, p.tsNsec, p.caplen, p.origLen, p.linkType, Buffer.from(p.bytes.subarray(p.offset, p.offset + p.caplen)).toString('hex')]);
  });
  return { packets: out, info };
}

/** Copies `src` through a writer, returning what our reader made of the source. */
async function copyThrough(src, makeWriter) {
  const cf = openCapture(src);
  const info = await cf.ready();
  const writer = makeWriter(info.interfaces[0].linkType, info.interfaces[0].snaplen);
  await cf.run((p) => { writer.writePacket(p); });
  await writer.close();
  return writer;
}

/** Corpus captures: both pcap byte orders and resolutions, pcapng, 2106 timestamps, several link types. */
const SAMPLES = ['tcp-handshake-nano.pcap', 'isup.pcap', 'of13_ericsson.pcapng', 'ipv6-bad-version.pcap',
  'time_2106.pcap', 'dns-badcookie.pcap', 'mpls-traceroute.pcap'];
const samples = noCorpus ? [] : SAMPLES;

const writers = {
  micro: (path) => (linkType, snaplen) => new PcapWriter(path, { linkType, snaplen: snaplen || 262144 }),
  nano: (path) => (linkType, snaplen) => new PcapWriter(path, { linkType, snaplen: snaplen || 262144, nanosecond: true }),
  ng: (path) => () => new PcapngWriter(path),
};

/** The pcap header's magic, read as little-endian (our writer writes host order, little-endian here). */
const pcapMagic = (path) => readFileSync(path).readUInt32LE(0);

test('pcap (µs), pcap (ns) and pcapng output read back identically in our reader and in tcpdump', async (t) => {
  if (noCorpus) return skipOrFail(t, noCorpus);
  for (const f of samples) assert.ok(existsSync(join(CORPUS, f)), `corpus sample ${f} is missing`);
  assert.equal(samples.length, SAMPLES.length);
  const tcp = haveTcpdump();
  if (!tcp) noteOrFail(t, 'tcpdump not installed: comparing with our reader only (apt-get install -y tcpdump)');
  let identicalToSource = 0;
  for (const f of samples) {
    const src = join(CORPUS, f);
    const original = await readBack(src);
    assert.ok(original.packets.length > 0, `${f}: no packets read`);
    const outputs = {
      micro: join(dir, `${f}.us.pcap`), nano: join(dir, `${f}.ns.pcap`), ng: join(dir, `${f}.pcapng`),
    };
    for (const [kind, path] of Object.entries(outputs)) {
      const w = await copyThrough(src, writers[kind](path));
      assert.equal(w.packetsWritten, original.packets.length, `${f}: ${kind} writer counted every packet`);
      assert.equal(statSync(path).size, w.bytesWritten, `${f}: ${kind} file holds every byte written`);
      // What we wrote, read back and written again, is the same file byte for byte.
      const again = join(dir, `${f}.${kind}.again`);
      await copyThrough(path, writers[kind](again));
      assert.ok(readFileSync(again).equals(readFileSync(path)), `${f}: ${kind} copy of the copy differs`);
    }
    // A pcap source in our byte order and resolution is copied byte for byte.
    for (const [kind, magic] of [['micro', 0xa1b2c3d4], ['nano', 0xa1b23c4d]]) {
      if (f.endsWith('.pcap') && pcapMagic(src) === magic) {
        assert.ok(readFileSync(outputs[kind]).equals(readFileSync(src)), `${f}: ${kind} copy differs from the source`);
        identicalToSource++;
      }
    }

    const nano = await readBack(outputs.nano);
    const ng = await readBack(outputs.ng);
    const micro = await readBack(outputs.micro);
    assert.deepEqual(nano.packets, original.packets, `${f}: nanosecond pcap`);
    assert.deepEqual(ng.packets, original.packets, `${f}: pcapng`);
    const truncated = original.packets.map(([s, ns, ...rest]) => [s, ns - (ns % 1000), ...rest]);
    assert.deepEqual(micro.packets, truncated, `${f}: microsecond pcap truncates nanoseconds`);
    assert.equal(ng.info.interfaces[0].tsUnitsPerSecond, 1e9);
    assert.equal(nano.info.format, 'pcap-ns');

    if (tcp) {
      const expected = tcpdump(src);
      assert.ok(expected.length > 0, `${f}: tcpdump printed nothing for the source`);
      assert.equal(tcpdump(outputs.micro), expected, `${f}: tcpdump on microsecond copy`);
      assert.equal(tcpdump(outputs.nano), expected, `${f}: tcpdump on nanosecond copy`);
      assert.equal(tcpdump(outputs.ng), expected, `${f}: tcpdump on pcapng copy`);
      assert.equal(tcpdump(outputs.nano, 'nano'), tcpdump(src, 'nano'), `${f}: tcpdump nanoseconds`);
      assert.equal(tcpdump(outputs.ng, 'nano'), tcpdump(src, 'nano'), `${f}: tcpdump nanoseconds (pcapng)`);
    }
  }
  assert.ok(identicalToSource >= 5, `${identicalToSource} copies compared byte for byte with their source`);
});

test('pcapng writer: one interface per link type, declared or seen, with correct padding', async () => {
  const path = join(dir, 'multi.pcapng');
  const w = new PcapngWriter(path, { linkTypes: [113], snaplen: 100 });
  const rec = createPacketRecord();
  rec.bytes = Buffer.alloc(300, 0xab);
  const sizes = [[1, 1], [101, 2], [1, 3], [113, 4], [101, 150]];
  for (const [lt, n] of sizes) {
    rec.linkType = lt; rec.caplen = n; rec.origLen = n + 1000; rec.offset = 5;
    rec.tsSec = 4000000000; rec.tsNsec = 999999999; // beyond 2^53 ns: the split must be exact
    w.writePacket(rec);
  }
  await w.close();
  const { packets, info } = await readBack(path);
  assert.deepEqual(info.interfaces.map((i) => [i.linkType, i.snaplen]), [[113, 100], [1, 100], [101, 100]]);
  assert.deepEqual(packets.map((p) => [p[4], p[2], p[3], p[0], p[1]]), [
    [1, 1, 1001, 4000000000, 999999999], [101, 2, 1002, 4000000000, 999999999], [1, 3, 1003, 4000000000, 999999999],
    [113, 4, 1004, 4000000000, 999999999], [101, 100, 1150, 4000000000, 999999999], // cut to the snaplen
  ]);
  assert.equal(statSync(path).size % 4, 0);
});

test('a Writable output gets the same bytes as a file', async (t) => {
  if (noCorpus) return skipOrFail(t, noCorpus);
  const src = join(CORPUS, 'isup.pcap');
  const cf = openCapture(src);
  const { linkType, snaplen } = (await cf.ready()).interfaces[0];
  const viaPackets = join(dir, 'packets.pcap');
  const w1 = new PcapWriter(viaPackets, { linkType, snaplen });
  await cf.run((p) => { w1.writePacket(p); });
  await w1.close();

  const file = readFileSync(viaPackets);
  assert.ok(file.length > 24 + 16, 'packets were written');

  const stream = new PassThrough();
  const chunks = [];
  stream.on('data', (c) => chunks.push(c));
  const w3 = new PcapWriter(stream, { linkType, snaplen, bufferSize: 64 * 1024 });
  await openCapture(src).run((p) => { w3.writePacket(p); });
  await w3.close();
  assert.ok(Buffer.concat(chunks).equals(file));
});

test('a full disk is reported as a clear error, not swallowed', async (t) => {
  if (!existsSync('/dev/full')) return skipOrFail(t, 'no /dev/full on this system');
  const enospc = (err) => err.code === 'ENOSPC' && err.path === '/dev/full' && /no space left/i.test(err.message);
  const w = new PcapWriter('/dev/full', { linkType: 1, bufferSize: 64 * 1024 });
  const rec = createPacketRecord();
  rec.bytes = Buffer.alloc(1500);
  rec.caplen = rec.origLen = 1500;
  // 64 KiB hold 43 records of 1516 bytes (after the 24-byte header): the 44th needs a flush, which fails.
  let accepted = 0;
  assert.throws(() => { for (let i = 0; i < 1000; i++) { w.writePacket(rec); accepted++; } }, enospc);
  assert.equal(accepted, 43, 'the write that failed is the first flush');
  assert.equal(w.packetsWritten, 43, 'the packet that failed is not counted');
  // The writer stays failed: every later call reports the same error instead of accepting data.
  assert.throws(() => w.writePacket(rec), enospc);
  await assert.rejects(w.flush(), enospc);
  await assert.rejects(w.close(), enospc);
  await assert.rejects(w.close(), enospc, 'a second close does not succeed either');

  // Nothing reaches the device before close: the error comes from close, for pcapng too.
  const small = new PcapngWriter('/dev/full');
  small.writePacket(rec);
  await assert.rejects(small.close(), enospc);

  // The CLI: one line naming the file and the error, exit 2, nothing on stdout, no summary claiming packets written.
  for (const extra of [[], ['--print']]) {
    const r = spawnSync(process.execPath, [BIN, 'read', fixture('lo-tcp-transfer.pcap'), '-w', '/dev/full', ...extra],
      { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
    assert.equal(r.status, 2, `-w /dev/full ${extra.join(' ')}: exit ${r.status}`);
    assert.equal(r.stderr, 'zsniff: /dev/full: no space left on device\n');
    if (extra.length === 0) assert.equal(r.stdout, '');
    else assert.ok(!/written|saved/i.test(r.stdout), r.stdout.slice(-300));
  }
});
