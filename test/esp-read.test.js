// `zsniff read --esp-secrets / -E`: decrypted ESP printed as tcpdump -E prints it. The oracles are
// tcpdump's own expected outputs for its ESP conformance captures (esp1.out, esp2.out, esp5.out,
// espudp1.out: "--number -tttt" lines, in UTC) and, when it is installed, tcpdump itself.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { corpus, fixture } from './helpers/esp.js';
import { haveTcpdump } from './helpers/oracle.js';
import { skipOrFail } from './helpers/requirements.js';
import { missingCorpus } from './helpers/corpus.js';
import { assertBytesTerminalSafe } from './helpers/terminal-safe.js';

const noCorpus = missingCorpus('tcpdump-tests');

const BIN = fileURLToPath(new URL('../bin/zsniff.js', import.meta.url));
const CORPUS_SECRETS = corpus('esp-secrets.txt');
/** tcpdump's esp1 key (TESTLIST: -E on the command line; a 3DES key's parity bits do not matter). */
const ESP1_KEY = '0x12345678@192.1.2.45 3des-cbc-hmac96:0x4043434545464649494a4a4c4c4f4f515152525454575758';

function zsniff(...args) {
  const env = { ...process.env, TZ: 'UTC', NO_COLOR: '1' };
  delete env.FORCE_COLOR;
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', maxBuffer: 64 << 20, env });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

function tcpdump(...args) {
  const r = spawnSync('tcpdump', ['-nn', ...args], { encoding: 'latin1', env: { ...process.env, TZ: 'UTC' } });
  return r.stdout;
}

/** An expected-output file of tcpdump's test suite without the frame numbers "    1  ". */
function expectedLines(outFile) {
  return readFileSync(corpus(outFile), 'utf8').trimEnd().split('\n').map((l) => l.replace(/^ *\d+ {2}/, ''));
}

const lines = (text) => text.trimEnd().split('\n');

/** Every key of the given secrets texts, as the hex after "0x". */
function keyHex(...texts) {
  return texts.flatMap((t) => [...t.matchAll(/:0x([0-9a-f]{16,})/gi)].map((m) => m[1].toLowerCase()));
}

function assertNoKeys(output, ...secretTexts) {
  const lower = output.toLowerCase();
  for (const k of keyHex(...secretTexts)) assert.ok(!lower.includes(k.slice(0, 16)), 'no key material in the output');
}

test('esp1: 3DES tunnel, key given with -E: the lines of tcpdump -E (esp1.out)', (t) => {
  if (noCorpus) return skipOrFail(t, noCorpus);
  const r = zsniff('read', '-tttt', corpus('02-sunrise-sunset-esp.pcap'), '-E', ESP1_KEY);
  assert.equal(r.code, 0, r.err);
  assert.equal(r.err, '');
  assert.deepEqual(lines(r.out), expectedLines('esp1.out'));
});

test('esp2: ESP inside ESP, both opened, keys from --esp-secrets (esp2.out)', (t) => {
  if (noCorpus) return skipOrFail(t, noCorpus);
  const r = zsniff('read', '-tttt', corpus('08-sunrise-sunset-esp2.pcap'), '--esp-secrets', CORPUS_SECRETS);
  assert.equal(r.code, 0, r.err);
  const expected = expectedLines('esp2.out');
  assert.ok(expected.every((l) => (l.match(/ESP\(/g) ?? []).length === 2 && l.includes('ICMP echo request')), 'the oracle has two layers');
  assert.deepEqual(lines(r.out), expected);
  // tcpdump's own spelling of a key file (-E 'file NAME') gives the same.
  assert.equal(zsniff('read', '-tttt', corpus('08-sunrise-sunset-esp2.pcap'), '-E', `file ${CORPUS_SECRETS}`).out, r.out);
});

test('esp5: AES-256-CBC (esp5.out)', (t) => {
  if (noCorpus) return skipOrFail(t, noCorpus);
  const r = zsniff('read', '-tttt', corpus('08-sunrise-sunset-aes.pcap'), '--esp-secrets', CORPUS_SECRETS);
  assert.equal(r.code, 0, r.err);
  assert.deepEqual(lines(r.out), expectedLines('esp5.out'));
});

test('espudp1: ESP in UDP 4500 with a key that does not fit: "[|esp]" or garbage, exactly as tcpdump (espudp1.out)', (t) => {
  if (noCorpus) return skipOrFail(t, noCorpus);
  const r = zsniff('read', '-tttt', corpus('espudp1.pcap'), '-E', `file ${CORPUS_SECRETS}`);
  assert.equal(r.code, 0, r.err);
  const expected = expectedLines('espudp1.out');
  assert.ok(expected.some((l) => l.endsWith('[|esp]')) && expected.some((l) => /: {2}ip-proto-\d+ \d+$/.test(l)));
  assert.deepEqual(lines(r.out), expected);
});

test('without keys nothing changes: the ESP line ends after its length', (t) => {
  if (noCorpus) return skipOrFail(t, noCorpus);
  const keyless = zsniff('read', '-tttt', corpus('02-sunrise-sunset-esp.pcap'));
  assert.equal(keyless.code, 0, keyless.err);
  assert.deepEqual(lines(keyless.out), expectedLines('esp1.out').map((l) => l.replace(/(, length \d+): IP .*$/, '$1')));
});

test('ICV failure with a wrong integrity key: the outer ESP line only, exit 0, no key printed', () => {
  const file = fixture('esp-field-report.pcap');
  const keyless = zsniff('read', file);
  const right = '0x027181f9@192.168.4.79 aes128-cbc:0x00112233445566778899aabbccddeeff hmac-sha1-96:0xa0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3';
  const wrong = right.replace('a0a1a2a3', 'deadbeef');
  const good = zsniff('read', file, '-E', right);
  assert.equal(good.code, 0, good.err);
  // With the right key, the SA's packets show the TCP inside (transport mode: ports only, as tcpdump).
  const opened = lines(good.out).filter((l) => /ESP\(spi=0x027181f9,seq=0x[0-9a-f]+\), length \d+: 47256 > 22: Flags \[P\.\]/.test(l));
  assert.equal(opened.length, 3, good.out);
  const bad = zsniff('read', file, '-E', wrong);
  assert.equal(bad.code, 0, bad.err);
  assert.equal(bad.err, '');
  assert.equal(bad.out, keyless.out, 'every ICV failure prints as if there were no key');
  assertNoKeys(good.out + good.err + bad.out + bad.err, right, wrong);

  // The generated ICV-failure fixture: frames 4 and 5 fail (GCM tag, HMAC-SHA-256-128), the others open.
  const r = zsniff('read', fixture('esp-auth-failed.pcap'), '--esp-secrets', fixture('esp-secrets.txt'));
  assert.equal(r.code, 0, r.err);
  const opens = lines(r.out).map((l) => /: IP 10\.1\.0\.1 > 10\.2\.0\.1: ICMP echo request/.test(l));
  assert.deepEqual(opens, [true, true, true, false, false, true, true, true]);
  assertNoKeys(r.out, readFileSync(fixture('esp-secrets.txt'), 'utf8'));
});

test('a bad secrets file: exit 2 before any packet, one line naming file and line, never the key', () => {
  const dir = mkdtempSync(join(tmpdir(), 'zsniff-esp-read-'));
  try {
    const file = join(dir, 'keys.txt');
    writeFileSync(file, '# fine\n0x1@10.2.0.1 aes128-cbc:0x00112233445566778899aabbccddeeff 0xfeedfacefeedfacefeedfacefeedface\n');
    const r = zsniff('read', fixture('esp-field-report.pcap'), '--esp-secrets', file);
    assert.equal(r.code, 2);
    assert.equal(r.out, '');
    assert.match(r.err, new RegExp(`^zsniff: ESP secrets: ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:2: `));
    assert.equal(r.err.split('\n').length, 2, r.err);
    assert.ok(!/feedface|00112233/.test(r.err), r.err);

    const e = zsniff('read', fixture('esp-field-report.pcap'), '-E', '0x1@10.2.0.1 aes128-cbc:0x0011223344');
    assert.equal(e.code, 2);
    assert.equal(e.out, '');
    assert.match(e.err, /^zsniff: ESP secrets: -E #1: /);
    assert.ok(!/0011223344/.test(e.err), e.err);

    const missing = zsniff('read', fixture('esp-field-report.pcap'), '--esp-secrets', join(dir, 'nope.txt'));
    assert.equal(missing.code, 2);
    assert.match(missing.err, /nope\.txt/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('--json: the plaintext\'s fields under "decrypted", nested for ESP in ESP; the status in "esp"; no keys', (t) => {
  if (noCorpus) return skipOrFail(t, noCorpus);
  const r = zsniff('read', corpus('08-sunrise-sunset-esp2.pcap'), '--json', '--esp-secrets', CORPUS_SECRETS);
  assert.equal(r.code, 0, r.err);
  const packets = lines(r.out).map((l) => JSON.parse(l));
  assert.equal(packets.length, 8);
  packets.forEach((p, i) => {
    assert.equal(p.esp.spi, 0x12345678);
    assert.equal(p.esp.decryption, 'decrypted');
    assert.equal(p.decrypted.next_header, 4);
    assert.equal(p.decrypted.ip.dst, '192.0.1.1');
    assert.equal(p.decrypted.esp.spi, 0xabcdabcd);
    assert.equal(p.decrypted.esp.decryption, 'decrypted');
    const innermost = p.decrypted.decrypted;
    assert.deepEqual([innermost.ip.src, innermost.ip.dst, innermost.icmp.type, innermost.icmp.seq], ['192.0.2.1', '192.0.1.1', 8, (i + 5) * 256]);
    assert.equal(innermost.truncated, false);
  });
  assertNoKeys(r.out, readFileSync(CORPUS_SECRETS, 'utf8'));

  const failed = lines(zsniff('read', fixture('esp-auth-failed.pcap'), '--json', '--esp-secrets', fixture('esp-secrets.txt')).out)
    .map((l) => JSON.parse(l));
  assert.deepEqual(failed.map((p) => p.esp.decryption),
    ['decrypted', 'decrypted', 'decrypted', 'ICV check failed', 'ICV check failed', 'decrypted', 'decrypted', 'decrypted']);
  assert.deepEqual(failed.map((p) => p.decrypted?.icv_verified ?? null), [true, true, true, null, null, true, true, true]);
  // Without keys the objects are as before: no decryption status, no "decrypted".
  const plain = JSON.parse(lines(zsniff('read', fixture('esp-auth-failed.pcap'), '--json').out)[0]);
  assert.deepEqual(Object.keys(plain.esp), ['spi', 'seq', 'length', 'in_udp']);
  assert.equal('decrypted' in plain, false);
});

test('hostile payloads inside the tunnel: decrypted output stays terminal-safe', () => {
  const file = fixture('hostile-terminal-esp.pcap');
  const keys = fixture('hostile-terminal-esp.keys');
  const opened = zsniff('read', file, '--esp-secrets', keys);
  assert.equal(opened.code, 0, opened.err);
  assert.ok(lines(opened.out).filter((l) => /ESP\(spi=0x[0-9a-f]{8},seq=0x[0-9a-f]+\), length \d+: \d+ > \d+: Flags/.test(l)).length >= 10, opened.out);
  for (const flags of [[], ['-v'], ['-e', '-vv'], ['-X'], ['-A'], ['--json']]) {
    const r = spawnSync(process.execPath, [BIN, 'read', file, '--esp-secrets', keys, '--color', 'never', ...flags]);
    assert.equal(r.status, 0, String(r.stderr));
    assertBytesTerminalSafe(r.stdout, `read --esp-secrets ${flags.join(' ')}`, { tabs: !flags.includes('--json') });
  }
});

/** Captures and keys (tcpdump's key syntax) where every packet is printed exactly, inner packets included. */
const ORACLE_CASES = [
  [corpus('02-sunrise-sunset-esp.pcap'), ESP1_KEY],
  [corpus('08-sunrise-sunset-esp2.pcap'), `file ${CORPUS_SECRETS}`],
  [corpus('08-sunrise-sunset-aes.pcap'), `file ${CORPUS_SECRETS}`],
  [corpus('espudp1.pcap'), `file ${CORPUS_SECRETS}`],
  [corpus('esp_truncated.pcap'), `file ${CORPUS_SECRETS}`],
  // Wrong keys: tcpdump checks no ICV, so it prints "[|esp]" or whatever the cipher produced.
  [corpus('02-sunrise-sunset-esp.pcap'), '0x12345678@192.1.2.45 3des-cbc-hmac96:0x0102030405060708090a0b0c0d0e0f101112131415161718'],
  [fixture('esp-field-report.pcap'), `file ${fixture('esp-secrets.tcpdump.txt')}`],
  [fixture('esp-tunnel-retransmission.pcap'), `file ${fixture('esp-secrets.tcpdump.txt')}`],
  [fixture('esp-rekey.pcap'), `file ${fixture('esp-secrets.tcpdump.txt')}`],
];
const FLAG_SETS = [[], ['-v'], ['-vv'], ['-e'], ['-q'], ['-x'], ['-X'], ['-S'], ['-tt'], ['-e', '-v']];
/** Inner HTTP, which tcpdump dissects and zsniff does not, is left out of these by -q: IPv6 and every cipher tcpdump knows. */
const QUIET_CASES = [
  [fixture('esp-ipv6.pcap'), `file ${fixture('esp-secrets.tcpdump.txt')}`],
  [fixture('esp-ciphers.pcap'), `file ${fixture('esp-secrets.tcpdump.txt')}`],
];
const QUIET_FLAG_SETS = [['-q'], ['-q', '-v'], ['-q', '-x']];

test('tcpdump -E is the oracle: identical output for every capture and flag set', (t) => {
  if (!haveTcpdump()) return skipOrFail(t, 'tcpdump is not installed');
  if (noCorpus) return skipOrFail(t, noCorpus);
  let compared = 0, opened = 0;
  const runs = [...ORACLE_CASES.flatMap((c) => FLAG_SETS.map((f) => [...c, f])), ...QUIET_CASES.flatMap((c) => QUIET_FLAG_SETS.map((f) => [...c, f]))];
  for (const [file, key, flags] of runs) {
    const theirs = tcpdump('-r', file, '-E', key, ...flags);
    const ours = zsniff('read', '-nn', file, '-E', key, ...flags);
    assert.equal(ours.code, 0, ours.err);
    assert.equal(ours.out, theirs, `${file} -E ... ${flags.join(' ')}`);
    compared += lines(theirs).length;
    opened += lines(theirs).filter((l) => /ESP\(.*\), length \d+: /.test(l)).length;
  }
  assert.ok(opened > 200, `${opened} decrypted lines compared of ${compared}`);
});
