/**
 * The full-screen terminal under `zsniff top`: the alternate screen, raw
 * keys, a hidden cursor, and frames drawn as a diff against the previous one
 * (only rows that changed are rewritten, all in one write, inside a
 * synchronized-update bracket that terminals without it ignore), so a
 * refresh never flickers and costs output only for what moved.
 *
 * Leaving restores the terminal whatever ended the program: `leave` is
 * idempotent and synchronous, so it is safe in exit, signal and crash handlers.
 */
import { writeAllSync } from '../fd-write.js';

const ESC = '\x1b[';
const ENTER = `${ESC}?1049h${ESC}?25l${ESC}2J${ESC}H`;
const LEAVE = `${ESC}0m${ESC}?1049l${ESC}?25h`;
const SYNC_BEGIN = `${ESC}?2026h`;
const SYNC_END = `${ESC}?2026l`;

interface ScreenSize { columns: number; rows: number }

/** How long a frame may wait for a terminal that is not reading (scrolled back, XOFF) before it is dropped. */
const WRITE_PATIENCE_MS = 2000;

export class TerminalScreen {
  private previous: string[] = [];
  private active = false;
  /** Bytes written by `draw`, for the view's cost report. */
  bytesWritten = 0;

  constructor(
    private readonly input: NodeJS.ReadStream,
    private readonly output: NodeJS.WriteStream,
    private readonly patienceMs = WRITE_PATIENCE_MS,
  ) {}

  get size(): ScreenSize {
    return { columns: Math.max(20, this.output.columns || 80), rows: Math.max(5, this.output.rows || 24) };
  }

  enter(): void {
    if (this.active) return;
    this.active = true;
    if (this.input.isTTY) this.input.setRawMode(true);
    this.writeNow(ENTER);
    this.previous = [];
  }

  /** Restores the terminal; safe to call at any time and more than once. */
  leave(): void {
    if (!this.active) return;
    this.active = false;
    try { if (this.input.isTTY) this.input.setRawMode(false); } catch { /* the terminal may be gone */ }
    this.writeNow(LEAVE);
  }

  /** Forgets what is on the screen, so the next frame is drawn whole (after a resize). */
  invalidate(): void {
    this.previous = [];
    if (this.active) this.writeNow(`${ESC}2J`);
  }

  /** Draws a frame: one string per row, already fitted to the width (styles included). */
  draw(lines: readonly string[]): void {
    if (!this.active) return;
    const rows = this.size.rows;
    let out = '';
    for (let r = 0; r < rows; r++) {
      const line = lines[r] ?? '';
      if (this.previous[r] === line) continue;
      out += `${ESC}${r + 1};1H${line}${ESC}0m${ESC}K`;
    }
    this.previous = lines.slice(0, rows);
    if (out === '') return;
    const frame = `${SYNC_BEGIN}${out}${SYNC_END}`;
    this.bytesWritten += frame.length;
    // A frame cut short left some rows old (and maybe a sequence unfinished): the next one is drawn whole.
    if (!this.writeNow(frame)) this.previous = [];
  }

  /**
   * Written synchronously: a frame is never interleaved with a later one, and an exit handler's write
   * is not lost. False when not all of it got out (the terminal stopped reading, or is gone).
   */
  private writeNow(text: string): boolean {
    const fd = (this.output as unknown as { fd?: number }).fd;
    if (typeof fd !== 'number') { this.output.write(text); return true; }
    const bytes = Buffer.from(text, 'utf8');
    try {
      writeAllSync(fd, bytes, 0, bytes.length, '-', this.patienceMs);
      return true;
    } catch {
      return false;
    }
  }
}
