/**
 * Nothing from a packet reaches the terminal as a control sequence. The
 * fixtures/hostile-terminal-* captures (scripts/gen-hostile-fixtures.mjs)
 * put CSI and OSC sequences (OSC 52 clipboard writes, titles, hyperlinks),
 * DCS, device-status queries, backspaces, CR, BEL, C1 controls raw and as
 * UTF-8, and invalid UTF-8 into payloads, app-protocol ports, DNS labels,
 * MAC and ARP addresses, ESP SPIs, and pcapng interface names and comments.
 * Every command's output must be valid UTF-8 without ESC, C0 (other than
 * newline and tab) or C1; with --color always the only ESCs are our SGR codes.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PacketLinePrinter, readCapture } from '../dist/index.js';
import { assertBytesTerminalSafe, assertSvgSafe } from './helpers/terminal-safe.js';
import { ESP_KEYS, HOSTILE, writeHostileFixtures } from '../scripts/gen-hostile-fixtures.mjs';
import { header, name, rr, udpDns } from './helpers/dns-cases.js';
import { ethernet, ipv4, latin1, packetRecord as record, tcp, udp } from './helpers/packets.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.join(here, '..');
const ZSNIFF = path.join(ROOT, 'bin', 'zsniff.js');
const FIX = path.join(ROOT, 'fixtures');
const NAMES = ['hostile-terminal-tcp.pcap', 'hostile-terminal-udp.pcap', 'hostile-terminal-link.pcap', 'hostile-terminal-esp.pcap', 'hostile-terminal-names.pcapng'];
const fixtures = NAMES.map((n) => path.join(FIX, n));
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'zsniff-terminal-'));
test.after(() => fs.rmSync(tmp, { recursive: true, force: true }));
const keys = path.join(tmp, 'keys.txt');
fs.writeFileSync(keys, ESP_KEYS);

function zsniff(args) {
  const r = spawnSync(process.execPath, [ZSNIFF, ...args], {
    encoding: 'buffer', maxBuffer: 64 * 1024 * 1024, env: { ...process.env, FORCE_COLOR: undefined, NO_COLOR: undefined },
  });
  return r;
}

/** ESC only as `ESC [ digits/semicolons m`; nothing else a terminal would act on. */
function assertOnlySgr(buf, what) {
  const s = buf.toString('utf8');
  // eslint-disable-next-line no-control-regex
  const escs = s.match(/\x1b/g)?.length ?? 0;
  // eslint-disable-next-line no-control-regex
  const sgr = s.match(/\x1b\[[0-9;]*m/g)?.length ?? 0;
  assert.equal(escs, sgr, `${what}: an ESC that is not an SGR colour code`);
  assertBytesTerminalSafe(buf, what, { tabs: true, sgr: true });
}

test('the committed hostile fixtures are what the generator writes', async () => {
  const fresh = await writeHostileFixtures(path.join(tmp, 'fresh'));
  for (const n of NAMES) {
    const committed = fs.readFileSync(path.join(FIX, n));
    const made = fs.readFileSync(path.join(tmp, 'fresh', n));
    assert.ok(committed.equals(made), `${n} differs from scripts/gen-hostile-fixtures.mjs output`);
  }
  assert.ok(Object.keys(fresh).length === NAMES.length);
});

const READ_VARIANTS = [[], ['-v'], ['-vvv'], ['-e'], ['-x'], ['-xx'], ['-X'], ['-XX'], ['-q'], ['-tttt', '-e', '-v'], ['-n', '-X', '-vv', '-e']];

test('DNS: labels, TXT strings and record names made of escape sequences are printed escaped', () => {
  // The fixture's DNS query: its labels are a CSI colour code and an OSC 52 clipboard write.
  const r = zsniff(['read', fixtures[1], '--color', 'never']);
  const line = r.stdout.toString('utf8').split('\n').find((l) => l.includes('.53: 4660+'));
  assert.ok(line && line.endsWith('A? ^[[31mevil.^[]52;c;AAAA^G. (40)'), `DNS query dissected and escaped: ${line}`);
  const evil = [0x1b, 0x5b, 0x32, 0x4a, 0x9b, 0x48, 0x07, 0x08, 0x0d, 0xc2, 0x9b];
  const msg = [...header(1, 0x8180, 1, 3, 0, 0), ...name('x.test'), 0, 16, 0, 1,
    ...rr([evil.length, ...evil, 0xc0, 12], 5, 1, 1, [evil.length, ...evil, 0]),
    ...rr([0xc0, 12], 16, 1, 1, [evil.length, ...evil]),
    ...rr([0xc0, 12], 33, 1, 1, [0, 0, 0, 0, 0, 80, evil.length, ...evil, 0])];
  for (const verbose of [0, 1, 2, 3]) {
    const out = new PacketLinePrinter({ verbose }).format(record(udpDns(msg, 53, 40000)));
    assert.ok(out.includes('TXT "^[[2JM-^[H^G^H^MM-BM-^["'), out);
    assertBytesTerminalSafe(Buffer.from(out, 'utf8'), `DNS response -v${verbose}`);
  }
});


test('zsniff read: every print option, colour off', () => {
  for (const f of fixtures) {
    for (const v of READ_VARIANTS) {
      const r = zsniff(['read', f, '--color', 'never', ...v]);
      assert.equal(r.status, 0, `${path.basename(f)} ${v.join(' ')}: ${r.stderr}`);
      assert.ok(r.stdout.length > 0);
      assertBytesTerminalSafe(r.stdout, `read ${path.basename(f)} ${v.join(' ')} (stdout)`);
      assertBytesTerminalSafe(r.stderr, `read ${path.basename(f)} ${v.join(' ')} (stderr)`);
    }
  }
});

test('zsniff read --color always: the only escapes are our SGR codes', () => {
  for (const f of fixtures) {
    for (const v of [['-X', '-v', '-e'], ['-vvv'], ['-A'].filter(() => false)]) {
      const r = zsniff(['read', f, '--color', 'always', ...v]);
      assert.equal(r.status, 0, String(r.stderr));
      assert.ok(r.stdout.includes(0x1b), 'colour is on');
      assertOnlySgr(r.stdout, `read --color always ${path.basename(f)} ${v.join(' ')}`);
    }
  }
});

test('zsniff read --json: valid JSON lines, no raw control characters', () => {
  for (const f of fixtures) {
    const r = zsniff(['read', f, '--json']);
    assert.equal(r.status, 0, String(r.stderr));
    assertBytesTerminalSafe(r.stdout, `read --json ${path.basename(f)}`, { tabs: false });
    for (const line of r.stdout.toString('utf8').trimEnd().split('\n')) JSON.parse(line);
  }
});

test('-A and -AA (library printer; the CLI has no -A yet): payload bytes shown as text are filtered', async () => {
  for (const f of fixtures) {
    const printers = [1, 2].map((ascii) => new PacketLinePrinter({ ascii, verbose: 1 }));
    let out = '';
    await readCapture(f, (p) => { for (const pr of printers) out += pr.format(p); });
    assert.ok(out.includes('YOUR TERMINAL IS MINE') || !f.includes('tcp'), 'payload text is shown');
    assertBytesTerminalSafe(Buffer.from(out, 'utf8'), `-A ${path.basename(f)}`);
  }
});

test('text protocols (HTTP, SMTP, FTP, RTSP, WHOIS, SIP) show header lines, never hostile bytes in them', () => {
  const printers = [0, 1, 3].map((verbose) => new PacketLinePrinter({ verbose }));
  const tcpIp = (port, payload) => ipv4({ proto: 6, payload: tcp({ sport: 40000, dport: port, seq: 1, ack: 1, flags: 0x18, payload: Uint8Array.from(payload) }) });
  const udpIp = (port, payload) => ipv4({ proto: 17, payload: udp({ sport: 40000, dport: port, payload: Uint8Array.from(payload) }) });
  const bytesOf = (t) => [...latin1(t)];
  let out = '', shown = 0;
  for (const h of HOSTILE) {
    const hostile = [...h];
    // A clean first line, so the printer goes on to the hostile ones (-v), and hostile bytes inside a first line.
    const payloads = [
      [...bytesOf('HTTP/1.1 200 OK\r\nServer: ok\tfine\r\nX: '), ...hostile, ...bytesOf('\r\nAfter: x\r\n')],
      [...bytesOf('GET /'), ...hostile, ...bytesOf(' HTTP/1.1\r\n')],
      [...bytesOf('220 ready '), ...hostile],
    ];
    for (const p of payloads) {
      for (const ip of [tcpIp(80, p), tcpIp(25, p), tcpIp(21, p), tcpIp(554, p), tcpIp(43, p), udpIp(5060, p)]) {
        for (const pr of printers) {
          const line = pr.format(record(ethernet({ type: 0x0800, payload: ip })));
          if (/: (HTTP|SMTP|FTP|RTSP|WHOIS|SIP)(: |, length: \d+\n\t)/.test(line)) shown++;
          out += line;
        }
      }
    }
  }
  assert.ok(shown > 0 && out.includes('\tServer: ok\tfine\n'), 'clean header lines are shown');
  assertBytesTerminalSafe(Buffer.from(out, 'utf8'), 'text protocol lines', { tabs: true });
});

test('zsniff analyze: summary (plain and coloured), --json and --events', () => {
  for (const f of fixtures) {
    const extra = f.includes('esp') ? ['--esp-secrets', keys] : [];
    const plain = zsniff(['analyze', f, '--color', 'never', ...extra]);
    assert.equal(plain.status, 0, String(plain.stderr));
    assertBytesTerminalSafe(plain.stdout, `analyze ${path.basename(f)}`);
    assertBytesTerminalSafe(plain.stderr, `analyze ${path.basename(f)} (stderr)`);
    const colour = zsniff(['analyze', f, '--color', 'always', ...extra]);
    assertOnlySgr(colour.stdout, `analyze --color always ${path.basename(f)}`);
    const json = zsniff(['analyze', f, '--json', ...extra]);
    assertBytesTerminalSafe(json.stdout, `analyze --json ${path.basename(f)}`, { tabs: false });
    JSON.parse(json.stdout.toString('utf8'));
    const events = zsniff(['analyze', f, '--events', ...extra]);
    assertBytesTerminalSafe(events.stdout, `analyze --events ${path.basename(f)}`, { tabs: false });
    assertBytesTerminalSafe(events.stderr, `analyze --events ${path.basename(f)} (stderr)`);
  }
  // The TCP fixture does produce findings (retransmissions) and the ESP one decrypts and leaks.
  const tcp = zsniff(['analyze', fixtures[0], '--json']);
  assert.ok(JSON.parse(tcp.stdout.toString()).tcp.counts['tcp.retransmission'] > 0);
  const esp = JSON.parse(zsniff(['analyze', fixtures[3], '--json', '--esp-secrets', keys]).stdout.toString());
  assert.ok(esp.esp, 'ESP section present');
});

test('zsniff graph: terminal graphs (plain and coloured) and SVG for every type', () => {
  const f = fixtures[0];
  for (const type of ['sequence', 'throughput', 'rtt', 'window']) {
    for (const stream of ['0', '3']) {
      const plain = zsniff(['graph', f, '--stream', stream, '--type', type, '--color', 'never']);
      assert.equal(plain.status, 0, String(plain.stderr));
      assertBytesTerminalSafe(plain.stdout, `graph ${type}`);
      const colour = zsniff(['graph', f, '--stream', stream, '--type', type, '--color', 'always']);
      assertOnlySgr(colour.stdout, `graph --color always ${type}`);
      const svg = path.join(tmp, `g-${type}-${stream}.svg`);
      const r = zsniff(['graph', f, '--stream', stream, '--type', type, '--svg', svg]);
      assert.equal(r.status, 0, String(r.stderr));
      assertBytesTerminalSafe(r.stderr, 'graph --svg (stderr)');
      assertSvgSafe(fs.readFileSync(svg, 'utf8'), `svg ${type}`);
    }
  }
});
