// zsniff top's screen on a terminal that stops reading (scrolled back, XOFF,
// a stalled ssh): a frame that cannot be written whole within the screen's
// patience is dropped, and the next frame repaints every row, not only the
// rows that changed since the dropped one. Driven through a FIFO whose reader
// this test controls, so "the terminal is full" is real EAGAIN from the kernel.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { TerminalScreen } from '../dist/sink/top/screen.js';

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'zsniff-screen-'));
process.on('exit', () => fs.rmSync(scratch, { recursive: true, force: true }));

/** Everything the reader end holds now. */
function drain(fd) {
  const chunks = [];
  const buf = Buffer.alloc(65536);
  for (;;) {
    let n;
    try { n = fs.readSync(fd, buf, 0, buf.length); } catch (err) { if (err.code === 'EAGAIN') break; throw err; }
    if (n === 0) break;
    chunks.push(Buffer.from(buf.subarray(0, n)));
  }
  return Buffer.concat(chunks).toString('latin1');
}

test('a frame dropped on a full terminal is followed by a whole repaint', (t) => {
  const fifo = path.join(scratch, 'tty');
  const made = spawnSync('mkfifo', [fifo]);
  if (made.status !== 0) throw new Error(`mkfifo failed: ${made.stderr}`);
  const reader = fs.openSync(fifo, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
  const writer = fs.openSync(fifo, fs.constants.O_WRONLY | fs.constants.O_NONBLOCK);
  t.after(() => { fs.closeSync(writer); fs.closeSync(reader); });

  const output = { fd: writer, columns: 200, rows: 40 };
  const screen = new TerminalScreen({ isTTY: false }, output, 100);
  screen.enter();
  const rows = Array.from({ length: 40 }, (_, i) => `row ${String(i).padStart(2, '0')} `.padEnd(190, '.'));
  screen.draw(rows);
  assert.match(drain(reader), /row 39/, 'the first frame is drawn whole');

  // The terminal stops reading: fill the pipe, then change one row.
  const junk = Buffer.alloc(4096, 0x20);
  for (;;) {
    try { fs.writeSync(writer, junk); } catch (err) { if (err.code === 'EAGAIN') break; throw err; }
  }
  const changed = [...rows];
  changed[5] = 'row 05 changed'.padEnd(190, '*');
  const started = Date.now();
  screen.draw(changed);
  const waited = Date.now() - started;
  assert.ok(waited >= 90, `the screen waited ${waited} ms for the terminal, not its 100 ms patience`);

  // It reads again: every row is drawn, not just the one that changed since the dropped frame.
  drain(reader);
  screen.draw(changed);
  const repaint = drain(reader);
  for (const i of [0, 5, 20, 39]) assert.match(repaint, new RegExp(`row ${String(i).padStart(2, '0')}`), `row ${i} repainted`);
  assert.match(repaint, /row 05 changed/);
  screen.leave();
});
