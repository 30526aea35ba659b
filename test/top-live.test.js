// zsniff top on a live interface, in a real terminal (tmux), against TCP
// between two network namespaces: a small clean transfer, then a large one
// through a token bucket that drops. The lossy stream rises to the top with
// the numbers `zsniff analyze` gives for a pcap written by a capture running
// beside it, and q prints the same summary as analyze of that pcap.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NetnsPair, liveSkipReason, runZsniff, sendTcp, sleep, startTcpSink, zsniff, zsniffBin } from './helpers/live-netns.js';
import { haveCommand, skipOrFail } from './helpers/requirements.js';
import { TmuxTerminal } from './helpers/tmux.js';
import { assertRowsMatchAnalyze, tableRows } from './helpers/top-screen.js';

const skip = liveSkipReason() ?? (haveCommand('tmux') ? undefined : 'zsniff top tests need tmux');
const dir = mkdtempSync(join(tmpdir(), 'zsniff-top-live-'));
const net = new NetnsPair('t');
const cleanup = [];
after(() => {
  for (const c of cleanup) c();
  net.destroy();
  rmSync(dir, { recursive: true, force: true });
});

test('top -i: the lossy stream rises to the top with analyze\'s numbers; q prints analyze\'s summary', async (t) => {
  if (skip) return skipOrFail(t, skip);
  net.create({ rate: '10mbit' });
  const term = new TmuxTerminal('live', 160, 30);
  cleanup.push(() => term.kill());
  const beside = zsniff(net.b, ['capture', '-i', net.devB, '-w', join(dir, 'live.pcap'), 'tcp']);
  cleanup.push(() => beside.signal('SIGKILL'));
  await beside.ready;
  term.start(`ip netns exec ${net.b} ${process.execPath} ${zsniffBin} top -i ${net.devB} --color never tcp; echo EXIT=$?; sleep 30`);
  await term.waitFor(/\(live\)/, 15000, 'the live view');
  const sink = await startTcpSink(net.b, net.addrB, 5005);
  cleanup.push(() => sink.kill('SIGKILL'));
  await sendTcp(net.a, net.addrB, 5005, 4000);
  await sleep(300);
  await sendTcp(net.a, net.addrB, 5005, 1_500_000);
  assert.ok(net.qdiscDrops() > 0, 'the token bucket should have dropped packets');
  await sleep(1500);
  await beside.stop('SIGINT');

  const screen = await term.waitFor((s) => tableRows(s).length === 2, 10000, 'both streams');
  const rows = tableRows(screen);
  assert.match(rows[0], /^\s+1 10\.77\.0\.1:\d+ -> 10\.77\.0\.2:5005 .*retr/, `the lossy stream is first:\n${screen}`);
  assert.match(rows[1], /^\s+0 10\.77\.0\.1:\d+ -> 10\.77\.0\.2:5005 /);
  assert.match(screen, /drops kernel 0 iface 0 ring 0/);
  const analyzed = runZsniff(undefined, ['analyze', '--color', 'never', join(dir, 'live.pcap')]);
  assert.equal(analyzed.status, 0, analyzed.stderr);
  assertRowsMatchAnalyze(rows, analyzed.stdout, 20e-6);

  term.keys('Enter');
  await term.waitFor(/stream 1 10\.77\.0\.1:\d+ -> 10\.77\.0\.2:5005: time-sequence/, 5000, 'the graph');
  term.keys('q');
  const all = await term.waitFor(/EXIT=\d+/, 10000, 'the exit', () => term.all());
  assert.match(all, /EXIT=0/);
  assert.deepEqual(term.modes(), { alternateScreen: false, cursorVisible: true });
  // Analyze's expert flag counts for the same packets.
  const flags = (text) => text.slice(text.indexOf('TCP expert flags'), text.indexOf('Worst events')).replace(/\s+/g, ' ').trim();
  assert.equal(flags(all.replace(/\n(?=\S)/g, '\n')), flags(analyzed.stdout));
  assert.match(all, /packets dropped by ring/);
});
