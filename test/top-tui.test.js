// zsniff top driven in a real terminal (tmux): on a capture with a clean
// stream first and a lossy one second, the lossy one rises to the top, its
// numbers are analyze's, Enter shows its graph, w writes a pcap tcpdump
// reads, q restores the terminal and prints analyze's summary; Ctrl-C and
// SIGTERM restore the terminal too; without a terminal top refuses.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { bin, fixtures, root } from './helpers/cli.js';
import { pcapFile, readPcapRecords } from './helpers/capture-files.js';
import { haveCommand, skipOrFail } from './helpers/requirements.js';
import { TmuxTerminal } from './helpers/tmux.js';
import { assertRowsMatchAnalyze, tableRows } from './helpers/top-screen.js';

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'zsniff-top-'));
process.on('exit', () => fs.rmSync(scratch, { recursive: true, force: true }));

/** A clean loopback transfer moved to a second before the lossy tcp-reorder transfer: stream 0 clean, stream 1 lossy. */
function mixedCapture() {
  const lossy = readPcapRecords(path.join(fixtures, 'tcp-reorder.pcap'));
  const clean = readPcapRecords(path.join(fixtures, 'lo-tcp-transfer.pcap'));
  const shift = lossy[0].tsSec - 1 - clean[0].tsSec;
  const file = path.join(scratch, 'mixed.pcap');
  fs.writeFileSync(file, pcapFile([...clean.map((p) => ({ ...p, tsSec: p.tsSec + shift })), ...lossy]));
  return file;
}

function requirements(t) {
  if (!haveCommand('tmux')) return skipOrFail(t, 'zsniff top tests need tmux');
  if (!haveCommand('tcpdump')) return skipOrFail(t, 'zsniff top tests need tcpdump');
  return true;
}

test('top on a capture: lossy stream on top with analyze\'s numbers, graph, pcap, q prints the summary', async (t) => {
  if (requirements(t) !== true) return;
  const file = mixedCapture();
  const out = path.join(scratch, 'w');
  fs.mkdirSync(out);
  const term = new TmuxTerminal('file', 160, 32);
  t.after(() => term.kill());
  term.start(`cd ${root} && node ${bin} top --fast ${file} --write-dir ${out}; echo EXIT=$?; stty -a > ${out}/stty.txt; sleep 30`);
  const screen = await term.waitFor(/end of file/, 20000, 'the end of the replay');
  assert.deepEqual(term.modes(), { alternateScreen: true, cursorVisible: false });
  const rows = tableRows(screen);
  assert.equal(rows.length, 2, screen);
  assert.match(rows[0], /^\s+1 10\.77\.1\.1:33286 -> 10\.77\.2\.1:5001/, 'the lossy stream is first');
  assert.match(rows[1], /^\s+0 127\.0\.0\.1:/);

  // The same columns as analyze's table, from the same analysis.
  const analyzed = spawnSync(process.execPath, [bin, 'analyze', '--color', 'never', file], { encoding: 'utf8' }).stdout;
  assertRowsMatchAnalyze(rows, analyzed);
  // The findings line: analyze's first finding, in analyze's words.
  const firstFinding = analyzed.split('\n')[analyzed.split('\n').indexOf('Findings:') + 1];
  const findingLine = screen.split('\n').at(-3);
  assert.ok(findingLine.startsWith(firstFinding.slice(0, 60)), `${findingLine}\nvs analyze's\n${firstFinding}`);

  term.keys('Enter');
  const graph = await term.waitFor(/time-sequence \(Stevens\)/, 5000, 'the graph');
  assert.match(graph, /stream 1 10\.77\.1\.1:33286 -> 10\.77\.2\.1:5001/);
  term.keys('t');
  await term.waitFor(/stream 1 .*: throughput/, 5000, 'the throughput graph');
  term.keys('Escape');
  await term.waitFor(/# endpoints/, 5000, 'the table again');

  term.keys('w');
  const wrote = await term.waitFor(/wrote \d+ packets of stream 1 to /, 5000, 'the pcap written');
  const n = Number(/wrote (\d+) packets/.exec(wrote)[1]);
  const written = path.join(out, 'stream-1.pcap');
  const r = spawnSync('tcpdump', ['-nn', '-r', written], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const lines = r.stdout.trim().split('\n');
  assert.equal(lines.length, n);
  assert.equal(n, 1537);
  assert.ok(lines.every((l) => l.includes('10.77.1.1.33286')), 'only the stream\'s packets');

  term.keys('q');
  const after = await term.waitFor(/EXIT=\d+/, 10000, 'the exit', () => term.all());
  assert.match(after, /EXIT=0/);
  assert.match(after, /Findings:/);
  assert.match(after, /TCP: 2 streams, 1557 packets/);
  assert.deepEqual(term.modes(), { alternateScreen: false, cursorVisible: true });
  await term.waitFor(() => fs.existsSync(path.join(out, 'stty.txt')), 5000, 'stty');
  const stty = fs.readFileSync(path.join(out, 'stty.txt'), 'utf8');
  assert.match(stty, /(^|\s)icanon(\s|$)/, 'canonical mode restored');
  assert.match(stty, /(^|\s)echo(\s|$)/, 'echo restored');
});

test('top: sort, pause, filter and help keys; 80x24 and NO_COLOR', async (t) => {
  if (requirements(t) !== true) return;
  const file = mixedCapture();
  const term = new TmuxTerminal('keys', 80, 24);
  t.after(() => term.kill());
  term.start(`cd ${root} && node ${bin} top --fast ${file}; echo EXIT=$?; sleep 30`, { NO_COLOR: '1' });
  const screen = await term.waitFor(/end of file/, 20000, 'the end of the replay');
  assert.ok(screen.split('\n').every((l) => l.length <= 80));
  // NO_COLOR: no colour sequences (38/31-37 foreground, 41-47 background); inverse video marks the selection.
  assert.doesNotMatch(term.screen(true), /\x1b\[(3[0-7]|9[0-7]|4[0-7])m/);
  term.keys('s');
  await term.waitFor(/sorted by rate/, 5000, 'sort by rate');
  term.keys('?');
  await term.waitFor(/zsniff top: keys/, 5000, 'the help');
  term.keys('x');
  term.keys('/', 'port 5001', 'Enter');
  const filtered = await term.waitFor(/BPF filter 'port 5001'/, 5000, 'the BPF filter');
  assert.equal(tableRows(filtered).length, 1);
  term.keys('/', 'C-u');
  term.keys('BSpace', 'BSpace', 'BSpace', 'BSpace', 'BSpace', 'BSpace', 'BSpace', 'BSpace', 'BSpace', '127.0', 'Enter');
  const text = await term.waitFor(/text filter '127\.0'/, 5000, 'the text filter');
  assert.match(tableRows(text)[0] ?? '', /127\.0\.0\.1/);
  term.keys('p');
  await term.waitFor(/PAUSED/, 5000, 'paused');
  term.keys('C-c');
  const after = await term.waitFor(/EXIT=\d+/, 10000, 'the exit', () => term.all());
  assert.match(after, /EXIT=0/);
  assert.match(after, /TCP: 2 streams/);
  assert.deepEqual(term.modes(), { alternateScreen: false, cursorVisible: true });
});

test('top: SIGTERM while replaying restores the terminal and prints the summary', async (t) => {
  if (requirements(t) !== true) return;
  const term = new TmuxTerminal('term', 100, 30);
  t.after(() => term.kill());
  // At its own pace the keep-alive capture lasts 3 s: SIGTERM comes before its end.
  term.start(`cd ${root} && node ${bin} top ${path.join(fixtures, 'tcp-keepalive-reset-reuse.pcap')}; echo EXIT=$?; sleep 30`);
  await term.waitFor(/own pace/, 10000, 'the view');
  const child = spawnSync('ps', ['-o', 'pid=', '--ppid', String(term.panePid())], { encoding: 'utf8' }).stdout.trim();
  process.kill(Number(child), 'SIGTERM');
  const after = await term.waitFor(/EXIT=\d+/, 10000, 'the exit', () => term.all());
  assert.match(after, /EXIT=0/);
  assert.match(after, /Findings|TCP: /);
  assert.doesNotMatch(after, /end of file/);
  assert.deepEqual(term.modes(), { alternateScreen: false, cursorVisible: true });
});

test('top refuses without a terminal, pointing to capture --analyze and --events', () => {
  const r = spawnSync(process.execPath, [bin, 'top', path.join(fixtures, 'tcp-reorder.pcap')], { encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] });
  assert.equal(r.status, 2);
  assert.match(r.stderr, /needs a terminal/);
  assert.match(r.stderr, /capture -i IF --analyze/);
  assert.match(r.stderr, /--events/);
  assert.equal(r.stdout, '');
});
