// ESP decryption: tcpdump's conformance captures and keys, our fixtures cross-checked with tcpdump -E and tshark.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyzeEsp, corpus, fixture, fixtureSecrets, ofKind } from './helpers/esp.js';
import { skipOrFail } from './helpers/requirements.js';
import { missingCorpus } from './helpers/corpus.js';
import { parseEspSecrets, parseEspSecret, describeSecret, EspSecretsError, EspDecryptor, DecryptStatus } from '../dist/analyze/esp/index.js';
import { analyzeCapture } from '../dist/analyze/index.js';
import { openCapture, decodePacket, DecodedPacket } from '../dist/index.js';

const noCorpus = missingCorpus('tcpdump-tests');

const corpusSecrets = () => parseEspSecrets(readFileSync(corpus('esp-secrets.txt'), 'utf8'), 'esp-secrets.txt');

/** tcpdump's expected lines: "IP a > b: ESP(...), length n: IP x > y: ICMP echo request, id I, seq S, length L". */
function expectedInner(outFile) {
  return readFileSync(corpus(outFile), 'utf8').trim().split('\n').map((line) => {
    const inner = line.split(': IP ').slice(-1)[0];
    const m = /^(\S+) > (\S+): ICMP echo request, id (\d+), seq (\d+), length (\d+)$/.exec(inner);
    assert.ok(m, `parsed ${line}`);
    return { src: m[1], dst: m[2], id: Number(m[3]), seq: Number(m[4]), length: Number(m[5]) };
  });
}

/** The innermost ICMP packets we recovered, in the same shape. */
function recoveredIcmp(inner) {
  return inner.filter((p) => p.protocol === 1).map((p) => {
    const ihl = (p.bytes[0] & 0x0f) * 4;
    const icmp = p.bytes.subarray(ihl);
    assert.equal(icmp[0], 8, 'echo request');
    return { src: p.src, dst: p.dst, id: icmp.readUInt16BE(4), seq: icmp.readUInt16BE(6), length: p.bytes.length - ihl };
  });
}

test('esp1: 3DES with the key on the command line, as tcpdump -E', async (t) => {
  if (noCorpus) return skipOrFail(t, noCorpus);
  const secrets = parseEspSecrets('0x12345678@192.1.2.45 3des-cbc-hmac96:0x4043434545464649494a4a4c4c4f4f515152525454575758', '-E');
  const { inner, report } = await analyzeEsp(corpus('02-sunrise-sunset-esp.pcap'), { secrets }, { keepInner: true });
  assert.deepEqual(recoveredIcmp(inner), expectedInner('esp1.out'));
  assert.equal(report.decryption.unverified, 8, 'tcpdump syntax has no authentication key: ICV not checked');
  assert.equal(report.decryption.verified, 0);
});

test('esp2: ESP inside ESP, both decrypted (secrets file)', async (t) => {
  if (noCorpus) return skipOrFail(t, noCorpus);
  const { inner, report } = await analyzeEsp(corpus('08-sunrise-sunset-esp2.pcap'), { secrets: corpusSecrets() }, { keepInner: true });
  assert.deepEqual(recoveredIcmp(inner), expectedInner('esp2.out'));
  const middle = inner.filter((p) => p.protocol === 50);
  assert.equal(middle.length, 8);
  assert.ok(middle.every((p) => p.src === '192.1.2.23' && p.dst === '192.0.1.1'));
  assert.deepEqual(report.sas.map((s) => s.spi).sort(), ['0x12345678', '0xabcdabcd']);
  assert.equal(report.decryption.decrypted, 16);
});

test('esp5: AES-256-CBC', async (t) => {
  if (noCorpus) return skipOrFail(t, noCorpus);
  const { inner } = await analyzeEsp(corpus('08-sunrise-sunset-aes.pcap'), { secrets: corpusSecrets() }, { keepInner: true });
  assert.deepEqual(recoveredIcmp(inner), expectedInner('esp5.out'));
});

test('espudp1: ESP in UDP with a key that does not fit, same verdict per packet as tcpdump', async (t) => {
  if (noCorpus) return skipOrFail(t, noCorpus);
  // tcpdump: packets 1,3,4,5 "[|esp]" (pad length out of range); 2,6,7,8 garbage "ip-proto-N len".
  const expected = readFileSync(corpus('espudp1.out'), 'utf8').trim().split('\n').map((line) => {
    const m = /ip-proto-(\d+) (\d+)$/.exec(line);
    return m ? { nh: Number(m[1]), len: Number(m[2]) } : 'trailer';
  });
  const dec = new EspDecryptor(corpusSecrets());
  const d = new DecodedPacket();
  const got = [];
  await openCapture(corpus('espudp1.pcap')).run((pkt) => {
    decodePacket(pkt, d);
    const status = dec.decrypt(d);
    got.push(status === DecryptStatus.BadTrailer ? 'trailer' : { nh: dec.nextHeader, len: dec.payloadLength });
    if (status === DecryptStatus.Ok) assert.equal(dec.paddingValid, false);
  });
  assert.deepEqual(got, expected);
  // The analyzer keeps such unvouched plaintext away from the other analyzers.
  const { inner, report } = await analyzeEsp(corpus('espudp1.pcap'), { secrets: corpusSecrets() }, { keepInner: true });
  assert.equal(inner.length, 0);
  assert.equal(report.decryption.failed, 8);
});

test('every cipher of the fixtures decrypts with a verified ICV', async () => {
  const { inner, report } = await analyzeEsp(fixture('esp-ciphers.pcap'), { secrets: fixtureSecrets() }, { keepInner: true });
  assert.equal(report.decryption.decrypted, 14);
  assert.equal(report.decryption.verified, 14);
  const names = inner.map((p) => /GET \/(\S+)/.exec(p.bytes.toString('latin1'))[1]);
  assert.deepEqual(names, ['null-sha1', '3des-sha1', 'a-b', 'cbc256-sha1', 'cbc128-sha256', 'gcm128', 'gcm256'].flatMap((n) => [n, n]));
  assert.ok(inner.every((p) => p.src === '10.1.0.1' && p.dst === '10.2.0.1' && p.tcp.dport === 80));
});

test('transport mode: the inner TCP gets the outer addresses (field report, IPv6 fixture)', async () => {
  const fr = await analyzeEsp(fixture('esp-field-report.pcap'), { secrets: fixtureSecrets() }, { keepInner: true });
  assert.deepEqual(fr.inner.map((p) => [p.frame, p.src, p.tcp.sport, p.tcp.len]), [
    [1, '192.168.4.78', 47256, 20], [2, '192.168.4.79', 22, 20], [3, '192.168.4.78', 47256, 20],
    [9, '192.168.4.79', 22, 40], [10, '192.168.4.78', 47256, 20],
  ]);
  const v6 = await analyzeEsp(fixture('esp-ipv6.pcap'), { secrets: fixtureSecrets() }, { keepInner: true });
  assert.equal(v6.inner.length, 8);
  assert.ok(v6.inner.every((p) => p.version === 6 && p.protocol === 6));
});

test('ICV failures are esp.auth_failed findings (GCM and HMAC-SHA-256-128)', async () => {
  const { events, report } = await analyzeEsp(fixture('esp-auth-failed.pcap'), { secrets: fixtureSecrets() });
  assert.deepEqual(ofKind(events, 'esp.auth_failed').map((e) => [e.frame, e.spi]), [[4, '0x0000d128'], [5, '0x0000a128']]);
  assert.equal(report.decryption.authFailed, 2);
  assert.equal(report.decryption.verified, 6);
  for (const e of events) assert.ok(!JSON.stringify(e).includes('00112233445566778899aabbccddeeff'), 'no key in events');
  // Without the authentication key the corruption cannot be seen: said so, not hidden.
  const noAuth = parseEspSecrets('0x0000d128@10.2.0.1 aes128-cbc-hmac-sha256-128:0x00112233445566778899aabbccddeeff');
  const r2 = await analyzeEsp(fixture('esp-auth-failed.pcap'), { secrets: noAuth });
  assert.equal(ofKind(r2.events, 'esp.auth_failed').length, 0);
  assert.equal(r2.report.decryption.unverified, 4);
});

test('decrypted inner packets reach TCP analysis with the outer frame numbers', async () => {
  const run = async (secrets) => (await analyzeCapture(openCapture(fixture('esp-tunnel-retransmission.pcap')),
    { options: { esp: { secrets } } })).report;
  const plain = await run([]);
  assert.equal(plain.events.filter((e) => e.kind.startsWith('tcp.')).length, 0);
  const keyed = await run(fixtureSecrets());
  const retrans = keyed.events.filter((e) => e.kind === 'tcp.retransmission').map((e) => e.frame);
  assert.deepEqual(retrans, [4, 5]);
});

test('secrets syntax: tcpdump forms, integrity keys, GCM, errors without key material', () => {
  const s = parseEspSecrets('# comment\n0x1@1.2.3.4 aes128-cbc-hmac96:0x00112233445566778899aabbccddeeff, 0x2@::1 aes-gcm16:0x' + '11'.repeat(20) + '\n' +
    '0x3@10.0.0.1 aes256-cbc:0x' + '22'.repeat(32) + ' hmac-sha256-128:0x' + '33'.repeat(32) + '\n' +
    '3des-cbc-hmac96:0x' + '44'.repeat(24), 'f');
  assert.equal(s.length, 4);
  assert.deepEqual([s[0].cipher, s[0].icvLength, s[0].integrity], ['aes-cbc', 12, null]);
  assert.deepEqual([s[1].cipher, s[1].key.length, s[1].salt.length, s[1].icvLength, s[1].destinationBytes.length], ['aes-gcm', 16, 4, 16, 16]);
  assert.equal(s[2].integrity.name, 'hmac-sha256-128');
  assert.equal(s[3].spi, null, 'no spi@dst: any SA');
  assert.equal(parseEspSecret('0x5@1.2.3.4 3des-cbc-hmac96:abcdefghijklmnopqrstuvwx', 'x').key.length, 24, 'ASCII key as tcpdump');
  for (const bad of ['0x1@1.2.3.4 aes128-cbc:0x0011', '0x1@nowhere aes128-cbc:0x' + '00'.repeat(16), '0x1@1.2.3.4 rot13:0x00',
    '0x1@1.2.3.4 aes128-gcm16:0x' + '55'.repeat(20) + ' hmac-sha1-96:0x00']) {
    assert.throws(() => parseEspSecret(bad, 'line 1'), (e) => e instanceof EspSecretsError && !e.message.includes('5555') && !e.message.includes('0011'));
  }
  assert.ok(!describeSecret(s[2]).includes('2222'));
});

const have = (cmd) => { try { execFileSync(cmd, ['--version'], { stdio: 'ignore' }); return true; } catch { return false; } };

test('cross-check: tshark decrypts the fixtures with the same keys and finds every ICV good', async (t) => {
  if (!have('tshark')) return skipOrFail(t, 'tshark is not installed');
  const { tsharkEspSaRecords } = await import('../scripts/gen-esp-fixtures.mjs');
  const home = mkdtempSync(join(tmpdir(), 'zsniff-tshark-'));
  try {
    const conf = join(home, '.config', 'wireshark');
    execFileSync('mkdir', ['-p', conf]);
    writeFileSync(join(conf, 'esp_sa'), tsharkEspSaRecords().join('\n') + '\n');
    const fields = (file, ...f) => execFileSync('tshark', ['-r', fixture(file), '-o', 'esp.enable_encryption_decode:TRUE',
      '-o', 'esp.enable_authentication_check:TRUE', '-T', 'fields', ...f.flatMap((x) => ['-e', x])],
    { env: { ...process.env, HOME: home }, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim().split('\n').map((l) => l.split('\t'));
    const rows = fields('esp-ciphers.pcap', 'esp.icv_good', 'tcp.dstport');
    assert.equal(rows.length, 14);
    assert.ok(rows.every(([good, port]) => good === '1' && port === '80'), JSON.stringify(rows));
    const bad = fields('esp-auth-failed.pcap', 'frame.number', 'esp.icv_bad').filter(([, b]) => b === '1').map(([f]) => Number(f));
    assert.deepEqual(bad, [4, 5]);
    const fr = fields('esp-field-report.pcap', 'frame.number', 'esp.icv_good', 'tcp.srcport', 'tcp.len').filter(([, g]) => g === '1');
    const ours = await analyzeEsp(fixture('esp-field-report.pcap'), { secrets: fixtureSecrets() }, { keepInner: true });
    assert.deepEqual(fr.map(([f, , p, l]) => [Number(f), Number(p), Number(l)]), ours.inner.map((p) => [p.frame, p.tcp.sport, p.tcp.len]));
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
});

test('cross-check: tcpdump -E recovers the same inner TCP as we do', async (t) => {
  if (!have('tcpdump')) return skipOrFail(t, 'tcpdump is not installed');
  const out = execFileSync('tcpdump', ['-nr', fixture('esp-field-report.pcap'), '-E', `file ${fixture('esp-secrets.tcpdump.txt')}`],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim().split('\n');
  const inner = out.filter((l) => l.includes('ESP(')).map((l) => {
    const m = /length \d+: (\d+) > (\d+): Flags \[P\.\], seq (\d+):(\d+)/.exec(l);
    return [Number(m[1]), Number(m[2]), Number(m[4]) - Number(m[3])];
  });
  const ours = await analyzeEsp(fixture('esp-field-report.pcap'), { secrets: fixtureSecrets() }, { keepInner: true });
  assert.deepEqual(inner, ours.inner.map((p) => [p.tcp.sport, p.tcp.dport, p.tcp.len]));
});

test('inner packets printed by the line printer read as tcpdump -E prints them (esp1, esp5)', async (t) => {
  if (noCorpus) return skipOrFail(t, noCorpus);
  const { PacketLinePrinter } = await import('../dist/index.js');
  const { EspAnalyzer } = await import('../dist/analyze/esp/index.js');
  for (const [file, out, secrets] of [
    ['02-sunrise-sunset-esp.pcap', 'esp1.out', parseEspSecrets('0x12345678@192.1.2.45 3des-cbc-hmac96:0x4043434545464649494a4a4c4c4f4f515152525454575758')],
    ['08-sunrise-sunset-aes.pcap', 'esp5.out', corpusSecrets()],
  ]) {
    const printer = new PacketLinePrinter({ timestampMode: 1 });
    const lines = [];
    const a = new EspAnalyzer({ secrets });
    a.onInnerPacket = (inner) => lines.push(printer.format(inner.pkt).trim());
    const d = new DecodedPacket();
    await openCapture(corpus(file)).run((pkt) => { a.onPacket(decodePacket(pkt, d)); });
    const expected = readFileSync(corpus(out), 'utf8').trim().split('\n').map((l) => `IP ${l.split(': IP ').slice(-1)[0]}`);
    assert.deepEqual(lines, expected);
  }
});
