// The capture readers on hand-built files: every pcap and pcapng feature the
// corpus lacks (big-endian sections, tsresol forms, SPB/PB/ISB), damage of
// every kind, gzip, standard input, early stop and chunk boundaries.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { mkdtempSync, writeFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { gzipSync } from 'node:zlib';
import { Readable } from 'node:stream';
import { spawnSync, execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { openCapture, CaptureFormatError, splitPcapLinkTypeField } from '../dist/index.js';
import { TimestampScale, unitsPerSecondFromTsresol } from '../dist/source/timestamp.js';
import { skipOrFail } from './helpers/requirements.js';
import { epb, idb, isb, pb, pcapHeader, pcapRecord, pcapngBlock as block, shb, spb, u32, u64 } from './helpers/capture-files.js';

const dir = mkdtempSync(join(tmpdir(), 'zsniff-source-'));
after(() => rmSync(dir, { recursive: true, force: true }));
let fileNo = 0;
function tmpFile(bytes, name = `f${fileNo++}`) {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
}

function payload(n, seed = 0) { const b = Buffer.alloc(n); for (let i = 0; i < n; i++) b[i] = (i * 7 + seed) & 255; return b; }

/** Reads a file fully, keeping copies of what each packet looked like. */
async function collect(pathOrOpts, opts) {
  const cf = openCapture(pathOrOpts, opts);
  const packets = [];
  let error = null;
  try {
    await cf.run((p) => {
      packets.push({
        frame: p.frame, tsSec: p.tsSec, tsNsec: p.tsNsec, caplen: p.caplen, origLen: p.origLen,
        linkType: p.linkType, interfaceId: p.interfaceId, fileOffset: p.fileOffset,
        data: Buffer.from(p.bytes.subarray(p.offset, p.offset + p.caplen)),
      });
    });
  } catch (err) { error = err; }
  return { packets, error, info: cf.info };
}

const NS = 1_000_000_000n;
const T0 = 1_700_000_000n; // seconds; nanosecond tick counts of this size exceed 2^53

// ---- pcap -------------------------------------------------------------------

test('pcap: both byte orders, micro and nano, link type and FCS bits', async () => {
  for (const le of [true, false]) {
    for (const nano of [false, true]) {
      const frac = nano ? 123456789 : 123456;
      const bytes = Buffer.concat([
        pcapHeader({ le, nano, snaplen: 96, linkType: 0x30000071 }), // f bit + FCS len 1 word, LINUX_SLL
        pcapRecord(1700000000, frac, payload(60), { le, origLen: 1500 }),
        pcapRecord(1700000001, 0, payload(10, 3), { le }),
      ]);
      const { packets, error, info } = await collect(tmpFile(bytes));
      assert.equal(error, null);
      assert.equal(info.format, nano ? 'pcap-ns' : 'pcap');
      assert.deepEqual(info.interfaces[0], {
        id: 0, linkType: 113, snaplen: 96, tsUnitsPerSecond: nano ? 1e9 : 1e6, fcsBytes: 2,
      });
      assert.equal(packets.length, 2);
      assert.equal(packets[0].tsNsec, nano ? 123456789 : 123456000);
      assert.equal(packets[0].origLen, 1500);
      assert.equal(packets[0].linkType, 113);
      assert.equal(packets[0].fileOffset, 24);
      assert.deepEqual(packets[1].data, payload(10, 3));
      assert.equal(packets[1].frame, 2);
      assert.equal(packets[1].fileOffset, 24 + 16 + 60);
    }
  }
  assert.deepEqual(splitPcapLinkTypeField(0x00000001), { linkType: 1, fcsBytes: undefined });
  assert.deepEqual(splitPcapLinkTypeField(0x24000001), { linkType: 1, fcsBytes: 4 }); // libpcap's LT_FCS_DATALINK_EXT(2)
  assert.deepEqual(splitPcapLinkTypeField(0x50000069), { linkType: 105, fcsBytes: 4 }); // IETF: f + 2 words
});

test('pcap: truncated last record, truncated header, absurd caplen', async () => {
  const good = Buffer.concat([pcapHeader(), pcapRecord(1, 0, payload(100)), pcapRecord(2, 0, payload(50))]);
  const cutData = await collect(tmpFile(good.subarray(0, good.length - 20), 'cut-data.pcap'));
  assert.equal(cutData.packets.length, 1);
  assert.ok(cutData.error instanceof CaptureFormatError);
  assert.equal(cutData.error.frame, 2);
  assert.equal(cutData.error.fileOffset, 24 + 116);
  assert.match(cutData.error.message, /cut-data\.pcap: packet 2 at byte offset 140: truncated dump file; tried to read 50 captured bytes, only got 30/);

  const cutHeader = await collect(tmpFile(good.subarray(0, 24 + 116 + 7)));
  assert.equal(cutHeader.packets.length, 1);
  assert.match(cutHeader.error.reason, /tried to read 16 header bytes, only got 7/);

  const absurd = Buffer.concat([pcapHeader(), pcapRecord(1, 0, payload(8)), u32(1, true), u32(0, true), u32(300000, true), u32(300000, true)]);
  const a = await collect(tmpFile(absurd));
  assert.equal(a.packets.length, 1);
  assert.match(a.error.reason, /caplen 300000 is absurd/);
  // Above the snaplen but within libpcap's maximum: read whole, then cut to the
  // snaplen as libpcap does (so tcpdump and zsniff see the same bytes); the
  // next record is still found.
  const big = Buffer.concat([pcapHeader({ snaplen: 64 }), pcapRecord(1, 0, payload(200000)), pcapRecord(2, 0, payload(10))]);
  const got = await collect(tmpFile(big));
  assert.deepEqual(got.packets.map((p) => p.caplen), [64, 10]);

  const headerOnly = await collect(tmpFile(pcapHeader()));
  assert.equal(headerOnly.error, null);
  assert.equal(headerOnly.packets.length, 0);
  assert.equal(headerOnly.info.interfaces[0].linkType, 1);
});

test('not a capture: empty, too short, unknown magic, truncated file header', async () => {
  const empty = await collect(tmpFile(Buffer.alloc(0), 'empty.pcap'));
  assert.ok(empty.error instanceof CaptureFormatError);
  assert.match(empty.error.message, /empty\.pcap: packet 1 at byte offset 0: empty file/);
  assert.match((await collect(tmpFile(Buffer.from([0xd4, 0xc3])))).error.reason, /too short \(2 bytes\)/);
  const text = await collect(tmpFile(Buffer.from('hello world\n')));
  assert.equal(text.error.reason, 'not a pcap or pcapng file (magic 0x68656c6c)');
  assert.equal(text.error.fileOffset, 0);
  assert.match((await collect(tmpFile(pcapHeader().subarray(0, 10)))).error.reason, /truncated pcap file header: 10 of 24/);
  assert.throws(() => openCapture(join(dir, 'does-not-exist')), { code: 'ENOENT' });
  assert.throws(() => openCapture(dir), { code: 'EISDIR' });
});

// ---- pcapng -----------------------------------------------------------------

/** Two sections, big-endian then little-endian, every packet block kind and resolution. */
function richPcapng() {
  const be = false, le = true;
  return Buffer.concat([
    shb(be),
    idb(be, 1, 0, [[2, Buffer.from('eth0')], [3, Buffer.from('uplink\0')]]),      // µs default, snaplen 0 = unlimited
    idb(be, 101, 128, [[9, Buffer.from([9])], [14, u64(100, be)]]),              // ns, offset +100 s
    idb(be, 228, 64, [[9, Buffer.from([0x80 | 20])], [13, Buffer.from([4])]]),   // 2^-20 s ticks, FCS 4
    epb(be, 0, T0 * 1_000_000n + 123456n, payload(60)),
    epb(be, 1, T0 * NS + 999_999_999n, payload(61), 1000),
    epb(be, 2, (T0 << 20n) + (1n << 19n), payload(62)),                         // half a second
    block(4, Buffer.alloc(8), be),                                               // name resolution: skipped
    block(0x40000bad, Buffer.from('custom'), be),                                // unknown: skipped
    spb(be, payload(100), 300),                                                  // on interface 0, snaplen 0
    pb(be, 1, T0 * NS + 5n, payload(20)),
    isb(be, 0, T0 * 1_000_000n, [[4, u64(10, be)], [5, u64(2, be)], [8, u64(8, be)]]),
    shb(le),
    idb(le, 113, 40, [[9, Buffer.from([3])]]),                                  // milliseconds
    spb(le, payload(90), 90),                                                    // cut to snaplen 40
    epb(le, 0, T0 * 1000n + 7n, payload(33)),
  ]);
}

test('pcapng: sections in both byte orders, tsresol forms, tsoffset, SPB, PB, ISB, unknown blocks', async () => {
  const { packets, error, info } = await collect(tmpFile(richPcapng()));
  assert.equal(error, null);
  assert.equal(info.format, 'pcapng');
  assert.deepEqual(info.interfaces.map((i) => [i.id, i.linkType, i.snaplen, i.tsUnitsPerSecond, i.section, i.sectionInterfaceId]), [
    [0, 1, 0, 1e6, 0, 0], [1, 101, 128, 1e9, 0, 1], [2, 228, 64, 2 ** 20, 0, 2], [3, 113, 40, 1e3, 1, 0],
  ]);
  assert.equal(info.interfaces[0].name, 'eth0');
  assert.equal(info.interfaces[0].description, 'uplink');
  assert.equal(info.interfaces[2].fcsBytes, 4);
  const summary = packets.map((p) => [p.frame, p.interfaceId, p.linkType, p.tsSec, p.tsNsec, p.caplen, p.origLen]);
  const s = Number(T0);
  assert.deepEqual(summary, [
    [1, 0, 1, s, 123456000, 60, 60],
    [2, 1, 101, s + 100, 999999999, 61, 1000],
    [3, 2, 228, s, 500000000, 62, 62],
    [4, 0, 1, 0, 0, 100, 300],
    [5, 1, 101, s + 100, 5, 20, 20],
    [6, 3, 113, 0, 0, 40, 90],
    [7, 3, 113, s, 7000000, 33, 33],
  ]);
  assert.deepEqual(packets[1].data, payload(61));
  assert.deepEqual(packets[5].data, payload(90).subarray(0, 40));
  assert.deepEqual(info.statistics, [{ interfaceId: 0, tsSec: s, tsNsec: 0, received: 10n, dropped: 2n, delivered: 8n }]);
  assert.equal(info.packets, 7);
});

test('pcapng: tshark agrees on timestamps of a big-endian, multi-resolution file', (t) => {
  try { execFileSync('tshark', ['--version'], { stdio: 'ignore' }); } catch { return skipOrFail(t, 'tshark not installed (apt-get install -y tshark)'); }
  const be = false;
  const bytes = Buffer.concat([
    shb(be), idb(be, 1, 0), idb(be, 1, 0, [[9, Buffer.from([9])]]), idb(be, 1, 0, [[9, Buffer.from([0x80 | 30])]]),
    epb(be, 0, T0 * 1_000_000n + 1n, payload(60)),
    epb(be, 1, T0 * NS + 987654321n, payload(60)),
    epb(be, 2, (T0 << 30n) + 123456789n, payload(60)),
    epb(be, 1, 4_000_000_000n * NS + 1n, payload(60)),
  ]);
  const path = tmpFile(bytes, 'be.pcapng');
  const out = execFileSync('tshark', ['-r', path, '-T', 'fields', '-e', 'frame.time_epoch'], { stdio: ['ignore', 'pipe', 'ignore'] })
    .toString().trim().split('\n');
  return collect(path).then(({ packets, error }) => {
    assert.equal(error, null);
    assert.deepEqual(packets.map((p) => `${p.tsSec}.${String(p.tsNsec).padStart(9, '0')}`), out);
  });
});

test('pcapng: damaged blocks are errors naming packet and offset', async () => {
  const le = true;
  const head = Buffer.concat([shb(le), idb(le, 1, 0), epb(le, 0, 1n, payload(10))]);
  const cases = [
    [Buffer.concat([u32(6, le), u32(30, le), Buffer.alloc(22)]), /length 30, not a multiple of 4/],
    [Buffer.concat([u32(6, le), u32(8, le), Buffer.alloc(4)]), /length 8, less than the minimum of 12/],
    [Buffer.concat([u32(6, le), u32(0x2000000, le), Buffer.alloc(4)]), /absurdly large/],
    [(() => { const b = Buffer.from(epb(le, 0, 1n, payload(8))); b.writeUInt32LE(44, b.length - 4); return b; })(), /trailing length 44/],
    [epb(le, 5, 1n, payload(8)), /refers to interface 5, but the section has 1 Interface Description Block$/],
    [(() => { const b = Buffer.from(epb(le, 0, 1n, payload(8))); b.writeUInt32LE(100, 20); return b; })(), /captured length 100 does not fit/],
    [epb(le, 0, 1n, payload(40)).subarray(0, 50), /truncated pcapng file; tried to read a block of 72 bytes, only got 50/],
    [Buffer.from([6, 0, 0]), /tried to read a 12-byte block header, only got 3 bytes/],
  ];
  for (const [tail, reason] of cases) {
    const { packets, error } = await collect(tmpFile(Buffer.concat([head, tail]), 'damaged.pcapng'));
    assert.equal(packets.length, 1, String(reason));
    assert.ok(error instanceof CaptureFormatError, String(reason));
    assert.equal(error.frame, 2);
    assert.equal(error.fileOffset, head.length);
    assert.match(error.reason, reason);
    assert.match(error.message, new RegExp(`damaged\\.pcapng: packet 2 at byte offset ${head.length}: `));
  }
  const noShb = await collect(tmpFile(Buffer.concat([shb(le).subarray(0, 4), Buffer.from([28, 0, 0, 0]), Buffer.alloc(20)])));
  assert.ok(noShb.error instanceof CaptureFormatError);
});

test('TimestampScale converts exactly at every resolution', () => {
  const resolutions = [0, 3, 6, 9, 10, 12, 15, 0x80 | 0, 0x80 | 10, 0x80 | 20, 0x80 | 32, 0x80 | 40, 0x80 | 63];
  let seed = 12345;
  const rnd = () => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed; };
  for (const r of resolutions) {
    const units = unitsPerSecondFromTsresol(r);
    const scale = new TimestampScale(units, 0);
    const u = BigInt(units);
    for (let i = 0; i < 2000; i++) {
      const hi = i < 3 ? [0, 0xffffffff, 0x17a2b3c][i] : rnd() * 2 % 4294967296;
      const lo = (rnd() * 3) % 4294967296;
      const ticks = (BigInt(hi) << 32n) | BigInt(lo);
      scale.convert(hi, lo);
      const sec = ticks / u;
      if (sec >= 2n ** 53n) continue; // seconds beyond 2^53 are past any real clock and a double
      assert.equal(BigInt(scale.sec), sec, `tsresol ${r} ticks ${ticks}`);
      assert.equal(BigInt(scale.nsec), ((ticks - sec * u) * NS) / u, `tsresol ${r} ticks ${ticks}`);
    }
  }
});

// ---- gzip, stdin, streaming ---------------------------------------------------

function manyPackets(count) {
  const parts = [pcapHeader({ snaplen: 262144 })];
  for (let i = 0; i < count; i++) parts.push(pcapRecord(1000 + i, i % 1000000, payload(1 + ((i * 131) % 1600), i)));
  return Buffer.concat(parts);
}
const digest = (packets) => createHash('sha256').update(Buffer.concat(packets.flatMap((p) =>
  [Buffer.from(`${p.frame} ${p.tsSec} ${p.tsNsec} ${p.caplen} ${p.fileOffset};`), p.data]))).digest('hex');

test('records straddling chunk boundaries, gzip by magic, stdin streams: all read identically', async () => {
  const plain = manyPackets(3000); // ~2.4 MB: many chunk boundaries at 64 KiB
  const path = tmpFile(plain, 'many.pcap');
  const reference = await collect(path);
  assert.equal(reference.packets.length, 3000);
  const want = digest(reference.packets);
  assert.equal(digest((await collect(path, { chunkSize: 64 * 1024 })).packets), want);

  const gz = tmpFile(gzipSync(plain), 'many.pcap.bin'); // no .gz suffix: detected by magic
  const g = await collect(gz, { chunkSize: 64 * 1024 });
  assert.equal(g.error, null);
  assert.equal(g.info.compressed, true);
  assert.equal(digest(g.packets), want);

  // Standard input, fed in awkward slices (1 byte, then 7, 4093...).
  const slices = [];
  for (let at = 0, k = 1; at < plain.length; k = (k * 7 + 3) % 9000 + 1) { slices.push(plain.subarray(at, at + k)); at += k; }
  const s = await collect('-', { stdin: Readable.from(slices), chunkSize: 64 * 1024 });
  assert.equal(s.error, null);
  assert.equal(digest(s.packets), want);
  const sg = await collect('-', { stdin: Readable.from([gzipSync(plain)]) });
  assert.equal(digest(sg.packets), want);

  // A damaged gzip: packets before the damage, then a CaptureFormatError.
  const compressed = gzipSync(plain);
  const cut = compressed.subarray(0, compressed.length >> 1);
  const c = await collect(tmpFile(cut));
  assert.ok(c.packets.length > 100 && c.packets.length < 3000, `${c.packets.length} packets`);
  assert.ok(c.error instanceof CaptureFormatError, String(c.error));
  assert.match(c.error.reason, /gzip/);
});

test("'-' reads the real standard input of a process (pipe)", () => {
  const plain = manyPackets(500);
  const script = `import { openCapture } from ${JSON.stringify(new URL('../dist/index.js', import.meta.url).href)};
    let n = 0; const info = await openCapture('-').run(() => { n++; });
    console.log(n, info.format, info.compressed);`;
  for (const input of [plain, gzipSync(plain)]) {
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { input });
    assert.equal(r.stderr.toString(), '');
    assert.equal(r.stdout.toString().trim(), `500 pcap ${input === plain ? 'false' : 'true'}`);
  }
});

test('a pcapng block larger than the chunk grows the buffer; early stop reads little', async () => {
  const le = true;
  const huge = payload(3 * 1024 * 1024 + 5);
  const bytes = Buffer.concat([shb(le), idb(le, 1, 0), epb(le, 0, 1n, payload(10)), epb(le, 0, 2n, huge), epb(le, 0, 3n, payload(10))]);
  const r = await collect(tmpFile(bytes), { chunkSize: 64 * 1024 });
  assert.equal(r.error, null);
  assert.deepEqual(r.packets.map((p) => p.caplen), [10, huge.length, 10]);
  assert.ok(r.packets[1].data.equals(huge));

  const path = tmpFile(manyPackets(40000), 'stop.pcap'); // ~32 MB
  const cf = openCapture(path, { chunkSize: 1024 * 1024 });
  let seen = 0;
  const info = await cf.run(() => ++seen < 5);
  assert.equal(seen, 5);
  assert.equal(info.packets, 5);
  assert.ok(cf.bytesConsumed() <= 2 * 1024 * 1024, `read ${cf.bytesConsumed()} of ${statSync(path).size} bytes`);
  assert.equal(cf.sizeBytes, statSync(path).size);
});

test('ready() describes the capture before any packet; packets() yields copies', async () => {
  const cf = openCapture(tmpFile(richPcapng()));
  const info = await cf.ready();
  assert.equal(info.format, 'pcapng');
  assert.equal(info.interfaces.length, 3); // the second section's interface is not known yet
  assert.equal(info.packets, 0);
  const kept = [];
  for await (const p of cf.packets()) kept.push(p);
  assert.equal(kept.length, 7);
  assert.equal(new Set(kept.map((p) => p.bytes)).size, 7, 'each packet has its own bytes');
  assert.deepEqual(Buffer.from(kept[1].bytes), payload(61));

  // The iterator hands on the packets before damage, then throws.
  const damaged = Buffer.concat([pcapHeader(), pcapRecord(1, 0, payload(10)), pcapRecord(2, 0, payload(10)).subarray(0, 20)]);
  const got = [];
  await assert.rejects(async () => { for await (const p of openCapture(tmpFile(damaged)).packets()) got.push(p); },
    CaptureFormatError);
  assert.equal(got.length, 1);
});
