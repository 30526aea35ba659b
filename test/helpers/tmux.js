// A terminal for tests of full-screen commands: a tmux server of its own
// (socket named after the process), one window of a given size running a
// shell command; keys are sent with send-keys and the screen is read with
// capture-pane, as a user would see it. This file holds no tests itself.
import { spawnSync } from 'node:child_process';

export class TmuxTerminal {
  constructor(tag, columns = 120, rows = 30) {
    this.socket = `zsniff-test-${process.pid}-${tag}`;
    this.columns = columns;
    this.rows = rows;
  }

  tmux(...args) {
    const r = spawnSync('tmux', ['-L', this.socket, ...args], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`tmux ${args.join(' ')}: ${r.stderr}`);
    return r.stdout;
  }

  /** Starts `command` (a shell command line) with `env` added; the pane stays after it exits. */
  start(command, env = {}) {
    const vars = Object.entries(env).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(' ');
    this.tmux('-f', '/dev/null', 'new-session', '-d', '-x', String(this.columns), '-y', String(this.rows), `${vars} sh -c ${JSON.stringify(command)}`.trim());
    this.tmux('set-option', '-g', 'remain-on-exit', 'on');
  }

  keys(...keys) { this.tmux('send-keys', ...keys); }

  /** The visible screen as text (`escapes`: with colour and attribute sequences). */
  screen(escapes = false) { return this.tmux('capture-pane', '-p', ...(escapes ? ['-e'] : [])); }

  /** The screen and the scrollback above it. */
  all() { return this.tmux('capture-pane', '-p', '-S', '-500'); }

  /** tmux's view of the terminal's modes: alternate screen on, cursor shown. */
  modes() {
    const [alt, cursor] = this.tmux('display-message', '-p', '#{alternate_on} #{cursor_flag}').trim().split(' ');
    return { alternateScreen: alt === '1', cursorVisible: cursor === '1' };
  }

  panePid() { return Number(this.tmux('display-message', '-p', '#{pane_pid}').trim()); }

  async waitFor(test, timeoutMs = 15000, what = String(test), read = () => this.screen()) {
    const until = Date.now() + timeoutMs;
    let text = '';
    for (;;) {
      text = read();
      if (typeof test === 'function' ? test(text) : test.test(text)) return text;
      if (Date.now() > until) throw new Error(`timed out waiting for ${what}; the screen:\n${text}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  kill() { spawnSync('tmux', ['-L', this.socket, 'kill-server'], { stdio: 'ignore' }); }
}
