/**
 * A one-line progress bar on stderr for long files. It is drawn only when
 * stderr is a terminal, and redrawn at most a few times a second; the caller
 * ticks it every few thousand packets so the hot path pays one counter.
 */
import { isTerminal } from './terminal.js';

export class ProgressBar {
  private lastDraw = 0;
  private drawn = false;
  private readonly started = Date.now();

  constructor(
    private readonly total: number,
    private readonly label: string,
    private readonly stream: NodeJS.WriteStream = process.stderr,
  ) {}

  /** Whether a bar makes sense: a terminal on stderr and a file big enough to wait for. */
  static wanted(totalBytes: number | undefined): boolean {
    return totalBytes !== undefined && totalBytes >= 16 * 1024 * 1024 && isTerminal(2);
  }

  update(done: number, packets: number): void {
    const now = Date.now();
    if (now - this.lastDraw < 200) return;
    this.lastDraw = now;
    const fraction = this.total > 0 ? Math.min(1, done / this.total) : 0;
    const width = Math.max(10, Math.min(40, (this.stream.columns || 80) - 60));
    const filled = Math.round(fraction * width);
    const seconds = (now - this.started) / 1000;
    const rate = seconds > 0 ? done / seconds / 1e6 : 0;
    const line = `${this.label} [${'#'.repeat(filled)}${' '.repeat(width - filled)}] ` +
      `${(fraction * 100).toFixed(0).padStart(3)}%  ${packets} packets  ${rate.toFixed(0)} MB/s`;
    this.stream.write(`\r${line}\x1b[K`);
    this.drawn = true;
  }

  /** Erases the bar so that later messages start on a clean line. */
  clear(): void {
    if (this.drawn) this.stream.write('\r\x1b[K');
    this.drawn = false;
  }
}
