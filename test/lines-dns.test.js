// DNS lines (src/sink/lines/dns.ts) on hand-built messages whose tcpdump lines
// are known: compression, every record type tcpdump names, flags and rcodes,
// EDNS, mDNS, DNS over TCP, broken names, and a hostile message that must stay fast.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PacketLinePrinter } from '../dist/index.js';
import { packetRecord as record } from './helpers/packets.js';
import { DNS_CASES, tcpdumpText } from './helpers/dns-cases.js';
import { assertTerminalSafe } from './helpers/terminal-safe.js';

const textOf = (line) => line.replace(/^IP (\(.*?\)\s+)?\S+ > \S+: /s, '').replace(/\n$/, '');

function recordOf(c) {
  const r = record(c.bytes);
  if (c.caplen !== undefined) r.caplen = c.caplen;
  return r;
}

for (const verbose of [0, 1, 2]) {
  test(`DNS lines equal tcpdump's at ${verbose ? '-' + 'v'.repeat(verbose) : 'default verbosity'}`, () => {
    const p = new PacketLinePrinter({ timestampMode: 1, verbose });
    for (const c of DNS_CASES) {
      const line = p.format(recordOf(c));
      if (c.hostile) continue;
      assert.equal(textOf(line), tcpdumpText(c.what, verbose), c.what);
    }
  });
}

test('many names re-walking one long name: bounded time, cut with [|domain], terminal-safe', () => {
  const c = DNS_CASES.find((x) => x.hostile);
  for (const verbose of [0, 2]) {
    const p = new PacketLinePrinter({ timestampMode: 1, verbose });
    const t0 = process.hrtime.bigint();
    const line = p.format(recordOf(c));
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    assert.ok(ms < 2000, `took ${ms} ms`);
    assert.ok(line.endsWith(' [|domain]\n'), line.slice(-80));
    assert.ok(line.length < 4 * 1024 * 1024);
    assertTerminalSafe(line, 'hostile DNS line');
  }
});

test('labels made of escape sequences never reach the terminal raw', () => {
  const c = DNS_CASES.find((x) => x.what.startsWith('control and high bytes'));
  const line = new PacketLinePrinter({ timestampMode: 1 }).format(recordOf(c));
  assert.ok(!line.includes('\x1b') && !line.includes('\x07') && !line.includes('\x9b'));
  assertTerminalSafe(line, 'DNS label line');
});
