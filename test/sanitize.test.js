// Bytes from the wire never reach the terminal as control characters or
// escape sequences: not in hex/ASCII dumps, not in -A output, not in RST text,
// not with colour on. Hostile packets are also compared with tcpdump.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { execFileSync } from 'node:child_process';
import {
  bytesToSafeText, sanitizeForTerminal, isTerminalSafe, PacketLinePrinter, PcapWriter, openCapture,
} from '../dist/index.js';
import { IPPROTO, TCP_FLAGS, ethernet, ipv4, latin1, packetRecord as record, tcp, udp } from './helpers/packets.js';
import { haveTcpdump, tcpdumpPackets, zsniffPackets, zsniffBin, repoRoot } from './helpers/oracle.js';
import { corpusDir, missingCorpus } from './helpers/corpus.js';
import { skipOrFail } from './helpers/requirements.js';

const HOSTILE = [
  '\x1b[2J\x1b[H',                   // clear screen, cursor home
  '\x1b]52;c;cm0gLXJmIH4K\x07',       // OSC 52: write the clipboard
  '\x1b]0;owned\x1b\\',               // OSC 0: window title, ST-terminated
  'abc\x08\x08\x08xyz',               // backspaces over text
  'fake\rline',                       // carriage return
  '\x9b31m\x9d0;t\x9c',               // C1 CSI / OSC / ST (8-bit)
  '\xff\xfe\xc3\x28\xe2\x82',         // invalid UTF-8
  '\x07\x7f\x00\x1b',                 // BEL, DEL, NUL, ESC
].join('');

test('sanitize helpers escape every control character', () => {
  assert.equal(bytesToSafeText(Uint8Array.from([0x41, 0x1b, 0x5b, 0x9b, 0x5c, 0x0a, 0xff])), 'A\\x1b[\\x9b\\\\\\x0a\\xff');
  assert.equal(sanitizeForTerminal('ok text'), 'ok text');
  assert.equal(sanitizeForTerminal('a\x1b]52;c;x\x07b'), 'a\\x1b]52;c;x\\x07b');
  assert.equal(sanitizeForTerminal('\u009b31m\u2028\ud800'), '\\x9b31m\\u2028\\ud800');
  assert.equal(sanitizeForTerminal('caf\u00e9 \u{1f600}'), 'caf\u00e9 \u{1f600}');
  assert.ok(isTerminalSafe('line\n\tnext'));
  assert.ok(!isTerminalSafe('x\x1by'));
  assert.ok(!isTerminalSafe('x\ry'));
  assert.ok(!isTerminalSafe('x\u0085y'));
  assert.ok(!isTerminalSafe('a\nb', false));
});

function hostilePackets() {
  const payload = latin1(HOSTILE);
  const { ACK, PSH, RST } = TCP_FLAGS;
  const frame = (proto, transport) => record(ethernet({ payload: ipv4({ proto, payload: transport }) }));
  return [
    frame(IPPROTO.TCP, tcp({ sport: 40000, dport: 9999, seq: 1, ack: 1, flags: PSH | ACK, payload })),
    // RST carrying text: tcpdump -v shows it.
    frame(IPPROTO.TCP, tcp({ sport: 9999, dport: 40000, seq: 1, ack: 1, flags: RST | ACK, payload })),
    frame(IPPROTO.UDP, udp({ sport: 5555, dport: 6666, payload })),
    // An unknown ethertype: its payload is dumped by default.
    record(ethernet({ type: 0x88b5, payload })),
  ];
}

const MODES = [
  {}, { verbose: 1 }, { verbose: 2 }, { hex: 1 }, { hex: 2 }, { hexAscii: 1 }, { hexAscii: 2 }, { ascii: 1 }, { ascii: 2 },
  { link: true, verbose: 1, hexAscii: 2 },
];

test('hostile payloads produce terminal-safe lines in every mode', () => {
  for (const mode of MODES) {
    const p = new PacketLinePrinter(mode);
    for (const pkt of hostilePackets()) {
      const line = p.format(pkt);
      assert.ok(isTerminalSafe(line), `${JSON.stringify(mode)}: ${JSON.stringify(line)}`);
    }
  }
});

test('hostile payloads: our lines equal tcpdump\'s, and the CLI emits only colour escapes', async (t) => {
  if (!haveTcpdump()) return skipOrFail(t, 'no tcpdump (apt-get install -y tcpdump)');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zsniff-sanitize-'));
  try {
    const file = path.join(dir, 'hostile.pcap');
    const w = new PcapWriter(file, { linkType: 1 });
    for (const pkt of hostilePackets()) w.writePacket(pkt);
    await w.close();
    for (const flags of [[], ['-v'], ['-x'], ['-X'], ['-XX'], ['-e']]) {
      const ours = await zsniffPackets(file, flags);
      const theirs = await tcpdumpPackets(file, flags);
      assert.deepEqual(ours.texts, theirs.packets, flags.join(' '));
    }
    for (const flags of [['-X'], ['-v'], ['-XX', '-e']]) {
      const out = execFileSync(process.execPath, [zsniffBin, 'read', file, '--color', 'always', ...flags],
        { encoding: 'latin1', cwd: repoRoot, env: { ...process.env, TZ: 'UTC' } });
      assert.ok(out.includes('\x1b['), 'coloured');
      const withoutColour = out.replace(/\x1b\[[0-9;]*m/g, '');
      assert.ok(isTerminalSafe(withoutColour), JSON.stringify(withoutColour));
    }
    // -A mode (not among tcpdump's comparable flags in our CLI yet) through the library.
    let text = '';
    const p = new PacketLinePrinter({ ascii: 1 });
    await openCapture(file).run((pkt) => { text += p.format(pkt); });
    assert.ok(isTerminalSafe(text));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('every packet of the shared corpus prints terminal-safe text with -v -X and with -A', async (t) => {
  if (missingCorpus('tcpdump-tests')) return skipOrFail(t, missingCorpus('tcpdump-tests'));
  const corpus = corpusDir('tcpdump-tests');
  const files = fs.readdirSync(corpus).filter((f) => /\.pcap(ng)?$/.test(f));
  const printers = [new PacketLinePrinter({ verbose: 1, hexAscii: 1 }), new PacketLinePrinter({ ascii: 2, link: true })];
  let packets = 0;
  for (const f of files) {
    try {
      await openCapture(path.join(corpus, f)).run((pkt) => {
        for (const p of printers) {
          const line = p.format(pkt);
          if (!isTerminalSafe(line)) assert.fail(`${f} frame ${pkt.frame}: ${JSON.stringify(line)}`);
        }
        packets++;
      });
    } catch (e) {
      if (e instanceof assert.AssertionError) throw e;
      // Damaged files end with an error after their good packets; those were checked.
    }
  }
  assert.ok(packets > 5000, `${packets} packets checked`);
});
