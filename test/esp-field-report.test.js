// The field report: an IPsec policy leak after an upgrade, seen from the wire. The top of the analysis must say so.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeCapture } from '../dist/analyze/index.js';
import { openCapture } from '../dist/index.js';
import { renderEspSummary } from '../dist/sink/report/esp.js';
import { fixture, fixtureSecrets } from './helpers/esp.js';

const analyze = async (esp = {}) => (await analyzeCapture(openCapture(fixture('esp-field-report.pcap')), { options: { esp } })).report;

test('the first findings explain the stall', async () => {
  const r = await analyze();
  const top = r.findings.slice(0, 8).map((f) => f.text);
  const line = (re) => {
    const i = top.findIndex((t) => re.test(t));
    assert.ok(i >= 0, `${re} in:\n${top.join('\n')}`);
    return i;
  };
  const leak = line(/^TCP in cleartext between IPsec peers: 192\.168\.4\.79 port 22 \(ssh\) → 192\.168\.4\.78 port 47256, 5 packets/);
  assert.equal(leak, 0, 'the leak is the headline');
  line(/RTO backoff 0\.88 s, 1\.75 s, 3\.50 s, 7\.01 s, and never ACKed/);
  line(/^Both ESP SAs between 192\.168\.4\.78 and 192\.168\.4\.79 .*fell silent for 27\.2 s/);
  line(/^ESP SA 0x027181f9 192\.168\.4\.78 → 192\.168\.4\.79: seq 0x21–0x23, 3 packets/);
  line(/^ESP SA 0x0961a360 192\.168\.4\.79 → 192\.168\.4\.78: seq 0x18–0x19, 2 packets/);
  line(/^Capture time went backwards once \(first at frame 3/);
  // The TCP analyzer's own RTO headline for the same segment.
  assert.ok(r.findings.some((f) => f.section === 'tcp' && /RTO backoff/.test(f.text)), 'tcp.rto_backoff headline present');
});

test('events: esp kinds with frame numbers, no negative intervals from the backwards timestamp', async () => {
  const r = await analyze();
  const esp = r.events.filter((e) => e.kind.startsWith('esp.'));
  assert.deepEqual(esp.map((e) => `${e.frame}:${e.kind}`),
    ['3:esp.time_backwards', '4:esp.cleartext', '9:esp.silence', '10:esp.silence']);
  for (const e of esp) for (const [k, v] of Object.entries(e)) if (typeof v === 'number' && k !== 'seq') assert.ok(v >= 0, `${e.kind}.${k} = ${v}`);
  const sas = r.esp.sas;
  assert.ok(sas.every((s) => s.lastTime >= s.firstTime));
  assert.ok(r.esp.jointSilences[0].seconds > 27.1 && r.esp.jointSilences[0].seconds < 27.2);
});

test('with keys, the inner connection is analysed too and nothing is printed about keys', async () => {
  const r = await analyze({ secrets: fixtureSecrets() });
  assert.equal(r.esp.decryption.verified, 5);
  const tcpFrames = r.events.filter((e) => e.kind === 'tcp.retransmission').map((e) => e.frame);
  assert.ok(tcpFrames.includes(9), 'the tunnelled resend at frame 9 is seen as a retransmission');
  const text = JSON.stringify(r) + renderEspSummary(r.esp).join('\n');
  for (const k of fixtureSecrets()) {
    if (k.key.length > 0) assert.ok(!text.includes(Buffer.from(k.key).toString('hex')), 'no key in the report');
    if (k.authKey) assert.ok(!text.includes(Buffer.from(k.authKey).toString('hex')));
  }
});

test('human ESP summary lines', async () => {
  const r = await analyze();
  const lines = renderEspSummary(r.esp);
  assert.equal(lines[0], 'IPsec: 2 SAs, 5 ESP and 0 AH packets');
  assert.ok(lines.some((l) => l.startsWith('Cleartext TCP 192.168.4.79:22 → 192.168.4.78:47256: 5 packets')));
});
