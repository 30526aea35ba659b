// `zsniff analyze` end to end for IPsec: what a person sees first, keys from the command line, and bad keys.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fixture } from './helpers/esp.js';

const BIN = fileURLToPath(new URL('../bin/zsniff.js', import.meta.url));
const SECRETS = fixture('esp-secrets.txt');

function zsniff(...args) {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '' } });
  return { code: r.status, out: r.stdout, err: r.stderr, lines: r.stdout.split('\n') };
}

/** Every key in the fixtures' secrets file, as hex and as the raw text after the colon. */
function keyTexts() {
  const out = [];
  for (const line of readFileSync(SECRETS, 'utf8').split('\n')) {
    for (const m of line.replace(/#.*/, '').matchAll(/:(0x)?([0-9a-f]{8,})/gi)) out.push(m[2].toLowerCase());
  }
  return out;
}

function assertNoKeys(text) {
  const lower = text.toLowerCase();
  for (const k of keyTexts()) assert.ok(!lower.includes(k.slice(0, 16)), 'no key material in the output');
}

test('field report: the first lines say what happened', () => {
  const r = zsniff('analyze', fixture('esp-field-report.pcap'), '--color', 'never');
  assert.equal(r.code, 0, r.err);
  assert.match(r.lines[0], /^.*esp-field-report\.pcap: 10 packets over 27\.16 s/);
  assert.equal(r.lines[1], 'Findings:');
  const top = r.lines.slice(2, 10).join('\n');
  assert.match(r.lines[2], /^!! TCP in cleartext between IPsec peers: 192\.168\.4\.79 port 22 \(ssh\) → 192\.168\.4\.78 port 47256/);
  assert.match(r.lines[3], /retransmitted with RTO backoff 0\.88 s, 1\.75 s, 3\.50 s, 7\.01 s, and never ACKed/);
  assert.match(top, /Both ESP SAs between 192\.168\.4\.78 and 192\.168\.4\.79 \(0x0961a360, 0x027181f9\) fell silent for 27\.2 s/);
  assert.match(top, /ESP SA 0x027181f9 192\.168\.4\.78 → 192\.168\.4\.79: seq 0x21–0x23/);
  assert.match(top, /ESP SA 0x0961a360 192\.168\.4\.79 → 192\.168\.4\.78: seq 0x18–0x19/);
  assert.match(top, /Capture time went backwards once \(first at frame 3/);
  // One line about the backwards clock, not one from the capture summary and another from ESP.
  const findings = r.lines.slice(1, r.lines.indexOf(''));
  assert.equal(findings.filter((l) => /backwards|earlier than the packet before/.test(l)).length, 1, r.out);
  assert.ok(r.lines.includes('IPsec: 2 SAs, 5 ESP and 0 AH packets'), 'the ESP section under its heading');
});

test('--esp-secrets: the retransmission inside the tunnel is found', () => {
  const plain = zsniff('analyze', fixture('esp-tunnel-retransmission.pcap'), '--json');
  assert.equal(plain.code, 0, plain.err);
  assert.deepEqual(JSON.parse(plain.out).events.filter((e) => e.kind === 'tcp.retransmission'), [], 'opaque without keys');

  const r = zsniff('analyze', fixture('esp-tunnel-retransmission.pcap'), '--esp-secrets', SECRETS, '--color', 'never');
  assert.equal(r.code, 0, r.err);
  assert.match(r.lines.slice(2, 6).join('\n'), /RTO backoff: stream 0 172\.16\.1\.10:41000 -> 172\.16\.2\.20:8080 resent one segment 2 times/);
  assert.ok(r.lines.some((l) => /^Decryption: 6 of 6 ESP packets decrypted \(6 ICV verified/.test(l)), r.out);
  assertNoKeys(r.out + r.err);

  const j = zsniff('analyze', fixture('esp-tunnel-retransmission.pcap'), '-E', `file ${SECRETS}`, '--json');
  assert.equal(j.code, 0, j.err);
  const report = JSON.parse(j.out);
  assert.deepEqual(report.events.filter((e) => e.kind === 'tcp.retransmission').map((e) => e.frame), [4, 5]);
  assertNoKeys(j.out);
});

test('-E with the SA on the command line, repeated', () => {
  // The tunnel's two SAs: AES-GCM one way, AES-CBC + HMAC-SHA1 back.
  const lines = readFileSync(SECRETS, 'utf8').split('\n').filter((l) => /# (gcm128|b-a)$/.test(l)).map((l) => l.replace(/#.*/, '').trim());
  assert.equal(lines.length, 2);
  const r = zsniff('analyze', fixture('esp-tunnel-retransmission.pcap'), '-E', lines[0], '-E', lines[1], '--json');
  assert.equal(r.code, 0, r.err);
  const report = JSON.parse(r.out);
  assert.equal(report.esp.decryption.verified, 6);
  assert.deepEqual(report.esp.decryption.keys.length, 2);
  assertNoKeys(r.out);
});

test('a bad secrets line: one line naming file and line, exit 2, no key echoed', () => {
  const dir = mkdtempSync(join(tmpdir(), 'zsniff-esp-'));
  try {
    const file = join(dir, 'keys.txt');
    writeFileSync(file, '# ok so far\n0x1@10.2.0.1 aes128-cbc:0x00112233445566778899aabbccddeeff 0xfeedfacefeedfacefeedfacefeedface\n');
    const r = zsniff('analyze', fixture('esp-field-report.pcap'), '--esp-secrets', file);
    assert.equal(r.code, 2);
    assert.equal(r.out, '');
    assert.equal(r.err, `zsniff: ESP secrets: ${file}:2: expected integrity:key (hmac-md5-96, hmac-sha1-96, hmac-sha256-128, hmac-sha384-192, hmac-sha512-256) after the cipher key\n`);
    assert.ok(!/feedface|00112233/.test(r.err));

    for (const bad of ['0x1@10.2.0.1 aes128-cbc:0x0011223344', '0x1@10.2.0.1 s3cr3t-passphrase', '0x1@10.2.0.1 aes128-cbc:0x00112233445566778899aabbccddeeff hmac-sha1-96:0xabcdef extra-s3cr3t']) {
      const e = zsniff('analyze', fixture('esp-field-report.pcap'), '-E', bad);
      assert.equal(e.code, 2, bad);
      assert.equal(e.err.split('\n').length, 2, e.err);
      assert.match(e.err, /^zsniff: ESP secrets: -E #1: /);
      assert.ok(!/0011223344|s3cr3t|abcdef/.test(e.err), e.err);
    }
    const missing = zsniff('analyze', fixture('esp-field-report.pcap'), '--esp-secrets', join(dir, 'nope.txt'));
    assert.equal(missing.code, 2);
    assert.equal(missing.err, `zsniff: ESP secrets: ${join(dir, 'nope.txt')}: no such file\n`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('--replay-window and --no-esp-allow-icmp reach the analysis', () => {
  const w64 = JSON.parse(zsniff('analyze', fixture('esp-outside-window.pcap'), '--json').out).esp;
  assert.equal(w64.findings['esp.outside_replay_window'], 1);
  const w128 = JSON.parse(zsniff('analyze', fixture('esp-outside-window.pcap'), '--json', '--replay-window', '128').out).esp;
  assert.equal(w128.options.replayWindow, 128);
  assert.equal(w128.findings['esp.outside_replay_window'], undefined);
  assert.equal(w128.findings['esp.out_of_order'], 1);

  const allow = JSON.parse(zsniff('analyze', fixture('esp-cleartext.pcap'), '--json').out).esp;
  const strict = JSON.parse(zsniff('analyze', fixture('esp-cleartext.pcap'), '--json', '--no-esp-allow-icmp').out).esp;
  assert.equal(allow.cleartext.length, 2);
  assert.equal(strict.cleartext.length, 3);
  assert.equal(strict.options.allowIcmp, false);

  const bad = zsniff('analyze', fixture('esp-cleartext.pcap'), '--replay-window', '0');
  assert.equal(bad.code, 2);
  assert.match(bad.err, /^zsniff: --replay-window takes a whole number of packets from 1 to 65536, not '0'\n$/);
});

test('--no-esp leaves IPsec out, and refuses a --fail-on rule that needs it', () => {
  const withEsp = JSON.parse(zsniff('analyze', fixture('esp-field-report.pcap'), '--json').out);
  const without = zsniff('analyze', fixture('esp-field-report.pcap'), '--json', '--no-esp');
  assert.equal(without.code, 0);
  const report = JSON.parse(without.out);
  assert.ok(withEsp.esp, 'the ESP section is there by default');
  assert.equal(report.esp, undefined, 'no ESP section');
  assert.ok(report.events.every((e) => !/^(esp|ah)\./.test(e.kind)), 'no IPsec events');
  assert.deepEqual(report.tcp.counts, withEsp.tcp.counts, 'the TCP analysis is unchanged');

  const gate = zsniff('analyze', fixture('esp-field-report.pcap'), '--no-esp', '--fail-on', 'esp.cleartext > 0');
  assert.equal(gate.code, 2);
  assert.match(gate.err, /^zsniff: --fail-on 'esp\.cleartext > 0' needs the IPsec analysis, which --no-esp turns off\n$/);
});
