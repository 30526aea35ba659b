// One contender of run.js, in the terminal run.js opened: draws the frames
// of FRAMES (JSON: one array of screen lines per update) at 5 a second and
// writes what each update cost to RESULT.
//
// node contender.js NAME FRAMES RESULT LIBRARY-PREFIX
import { createRequire } from 'node:module';
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const [name, framesFile, resultFile, prefix] = process.argv.slice(2);
const frames = JSON.parse(readFileSync(framesFile, 'utf8'));
const INTERVAL_MS = 200;
/** How long after a draw its cost is still counted: libraries that defer their writes (a tick, a throttle) get it all. */
const SETTLE_MS = 100;
const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const required = prefix === '-' ? null : createRequire(join(prefix, 'package.json'));

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
/** Bytes this process has written (every write here goes to the terminal). */
const written = () => Number(/wchar: (\d+)/.exec(readFileSync('/proc/self/io', 'utf8'))[1]);
const cpuMs = (c) => (c.user + c.system) / 1000;

/** Each contender: set up, draw one frame (lines), restore the terminal. */
const CONTENDERS = {
  async ours() {
    const { TerminalScreen } = await import(pathToFileURL(join(root, 'dist', 'sink', 'top', 'screen.js')));
    const screen = new TerminalScreen(process.stdin, process.stdout);
    screen.enter();
    return { draw: (lines) => screen.draw(lines), end: () => screen.leave() };
  },
  async ink() { return ink({}, 0); },
  // Ink clears the terminal and writes every line whenever its output fills the terminal, incremental or not:
  // this one leaves out the last line (the keys) so that it can write only the lines that changed.
  async 'ink-incremental'() { return ink({ incrementalRendering: true }, 1); },
  async blessed() { return blessed(required('blessed')); },
  async 'neo-blessed'() { return blessed(required('neo-blessed')); },
  async 'terminal-kit'() {
    const termkit = required('terminal-kit');
    const term = termkit.terminal;
    term.fullscreen(true);
    term.hideCursor();
    const buffer = new termkit.ScreenBuffer({ dst: term, width: term.width, height: term.height });
    return {
      draw: (lines) => {
        buffer.fill({ char: ' ' });
        for (let r = 0; r < lines.length; r++) buffer.put({ x: 0, y: r, markup: 'ansi', wrap: false, newLine: false }, lines[r]);
        buffer.draw({ delta: true });
      },
      end: () => { term.hideCursor(false); term.fullscreen(false); },
    };
  },
};

async function ink(options, spare) {
  const React = required('react');
  const { render, Box, Text } = await import(pathToFileURL(required.resolve('ink')));
  const h = React.createElement;
  const View = ({ lines }) => h(Box, { flexDirection: 'column' },
    lines.slice(0, lines.length - spare).map((line, i) => h(Text, { key: i, wrap: 'truncate' }, line)));
  let instance = null;
  return {
    draw: (lines) => {
      if (instance === null) instance = render(h(View, { lines }), { exitOnCtrlC: false, patchConsole: false, ...options });
      else instance.rerender(h(View, { lines }));
    },
    end: () => instance?.unmount(),
  };
}

function blessed(lib) {
  const screen = lib.screen({ smartCSR: true, warnings: false });
  const box = lib.box({ top: 0, left: 0, width: '100%', height: '100%', tags: false, wrap: false });
  screen.append(box);
  return {
    draw: (lines) => { box.setContent(lines.join('\n')); screen.render(); },
    end: () => screen.destroy(),
  };
}

const contender = await CONTENDERS[name]();
const setupCpuMs = cpuMs(process.cpuUsage());
const updates = [];
const start = performance.now();
for (let u = 0; u < frames.length; u++) {
  const bytes0 = written();
  const cpu0 = process.cpuUsage();
  contender.draw(frames[u]);
  await sleep(SETTLE_MS);
  updates.push({ cpuMs: cpuMs(process.cpuUsage(cpu0)), bytes: written() - bytes0 });
  await sleep(start + (u + 1) * INTERVAL_MS - performance.now());
}
const processCpuMs = cpuMs(process.cpuUsage());
const rssMiB = process.memoryUsage().rss / 2 ** 20;
writeFileSync(`${resultFile}.tmp`, JSON.stringify({ name, setupCpuMs, processCpuMs, rssMiB, updates }));
// run.js reads the screen once the result is there: the last frame stays up meanwhile.
renameSync(`${resultFile}.tmp`, resultFile);
await sleep(1500);
contender.end();
process.exit(0);
