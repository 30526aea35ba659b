/**
 * A graph in the terminal, drawn with asciichart: series are resampled onto
 * one column per time slice, each is plotted on the same axes, and the
 * plots are overlaid with a colour per series; retransmissions are marked
 * on top in their own colour.
 */
import asciichart from 'asciichart';
import { Chalk } from 'chalk';
import type { GraphModel, Series } from './model.js';

interface TerminalGraphOptions {
  columns: number;
  rows: number;
  color: boolean;
}

const LABEL_WIDTH = 10;
type Paint = (s: string) => string;

/** One value per column: max (bars, marks), last (step) or mean (line); empty columns carry the last value. */
function resample(s: Series, columns: number, tMax: number): (number | null)[] {
  const out: (number | null)[] = new Array<number | null>(columns).fill(null);
  const sums = new Array<number>(columns).fill(0);
  const counts = new Array<number>(columns).fill(0);
  for (let i = 0; i < s.t.length; i++) {
    const c = Math.min(columns - 1, Math.max(0, Math.floor((s.t[i]! / tMax) * columns)));
    const v = s.style === 'bars' || s.style === 'marks' ? (s.top ? s.top[i]! : s.v[i]!) : s.v[i]!;
    if (s.style === 'line') { sums[c]! += v; counts[c]!++; out[c] = sums[c]! / counts[c]!; }
    else if (s.style === 'step') out[c] = v;
    else out[c] = out[c] === null ? v : Math.max(out[c]!, v);
  }
  return out;
}

function carried(values: (number | null)[]): number[] {
  const first = values.find((v) => v !== null) ?? 0;
  let last = first;
  return values.map((v) => (v === null ? last : (last = v)));
}

export function renderTerminalGraph(m: GraphModel, opts: TerminalGraphOptions): string {
  const chalk = new Chalk({ level: opts.color ? 1 : 0 });
  const paint: Record<Series['color'], Paint> = {
    data: (s) => chalk.cyan(s), ack: (s) => chalk.green(s), window: (s) => chalk.yellow(s), retrans: (s) => chalk.red.bold(s),
    lost: (s) => chalk.magenta(s), sack: (s) => chalk.blue(s), ooo: (s) => chalk.magenta(s),
  };
  const lines: string[] = [chalk.bold(m.title)];
  if (m.empty) return `${lines[0]}\n${m.empty}\n`;
  // Labels and axis take 2 * LABEL_WIDTH columns; keep one spare so no line wraps.
  const columns = Math.max(20, Math.min(400, opts.columns - 2 * LABEL_WIDTH - 1));
  const height = Math.max(6, Math.min(60, opts.rows - 6));
  // The terminal shows data, ACKs and marks; the window line and SACK blocks are for the SVG.
  const shown = m.series.filter((s) => m.type !== 'sequence' || (s.color !== 'window' && s.color !== 'sack'));
  const lineSeries = shown.filter((s) => s.style !== 'marks' && s.t.length > 0);
  const markSeries = shown.filter((s) => s.style === 'marks' && s.t.length > 0);
  const sampled = lineSeries.map((s) => carried(resample(s, columns, m.tMax)));
  let min = Infinity, max = -Infinity;
  for (const arr of sampled) for (const v of arr) { if (v < min) min = v; if (v > max) max = v; }
  for (const s of markSeries) for (let i = 0; i < s.v.length; i++) { min = Math.min(min, s.v[i]!); max = Math.max(max, s.top?.[i] ?? s.v[i]!); }
  if (!Number.isFinite(min)) return `${lines[0]}\nnothing to draw\n`;
  if (max === min) max = min + 1;
  const offset = LABEL_WIDTH + 1;
  const cfg = { min, max, height, offset, format: (x: number) => m.yFormat(x).padStart(LABEL_WIDTH).slice(-LABEL_WIDTH) };
  // Each series alone on identical axes, then merged cell by cell (later series under earlier ones).
  const grids = sampled.map((arr) => asciichart.plot(arr, cfg).split('\n').map((l) => Array.from(l)));
  const base = grids[0]!;
  const dataStart = offset + LABEL_WIDTH - 1;
  const cells: string[][] = base.map((row) => row.slice());
  for (let r = 0; r < cells.length; r++) {
    for (let c = dataStart; c < cells[r]!.length; c++) {
      let chosen: string | null = null;
      for (let k = 0; k < grids.length && chosen === null; k++) {
        const ch = grids[k]![r]?.[c];
        if (ch !== undefined && ch !== ' ') chosen = paint[lineSeries[k]!.color](ch);
      }
      cells[r]![c] = chosen ?? ' ';
    }
  }
  // Marks: the row asciichart would use for the value, in the column of the time.
  const ratio = height / (max - min);
  const min2 = Math.round(min * ratio);
  const rows = Math.abs(Math.round(max * ratio) - min2);
  for (const s of markSeries) {
    const glyph = s.color === 'retrans' ? 'R' : s.color === 'lost' ? 'L' : 'O';
    for (let i = 0; i < s.t.length; i++) {
      const col = Math.min(columns - 1, Math.floor((s.t[i]! / m.tMax) * columns));
      const row = rows - (Math.round(s.v[i]! * ratio) - min2);
      const cell = dataStart + col;
      if (cells[row] && cell < cells[row]!.length) cells[row]![cell] = paint[s.color](glyph);
    }
  }
  for (const row of cells) lines.push(row.join('').trimEnd());
  lines.push(timeAxis(m.tMax, columns, dataStart));
  const legend = [...lineSeries, ...markSeries].map((s) => {
    const g = s.style === 'marks' ? (s.color === 'retrans' ? 'R' : s.color === 'lost' ? 'L' : 'O') : '──';
    return `${paint[s.color](g)} ${s.name}`;
  });
  let row = ' '.repeat(dataStart);
  let rowWidth = dataStart;
  for (let i = 0; i < legend.length; i++) {
    const item = [...lineSeries, ...markSeries][i]!;
    const w = item.name.length + 6;
    if (rowWidth + w > opts.columns && rowWidth > dataStart) { lines.push(row.trimEnd()); row = ' '.repeat(dataStart); rowWidth = dataStart; }
    row += `${legend[i]}   `;
    rowWidth += w;
  }
  lines.push(row.trimEnd());
  lines.push(chalk.dim(`${' '.repeat(dataStart)}y: ${m.yLabel}; x: seconds since the stream's first packet`));
  return `${lines.join('\n')}\n`;
}

function timeAxis(tMax: number, columns: number, indent: number): string {
  const ticks = Math.max(2, Math.min(8, Math.floor(columns / 12)));
  const chars = new Array<string>(columns + 12).fill(' ');
  for (let k = 0; k <= ticks; k++) {
    const col = Math.round((k / ticks) * (columns - 1));
    const t = (k / ticks) * tMax;
    const label = tMax >= 10 ? `${t.toFixed(0)}s` : tMax >= 1 ? `${t.toFixed(1)}s` : `${(t * 1000).toFixed(0)}ms`;
    const start = Math.max(0, Math.min(col - Math.floor(label.length / 2), columns + 12 - label.length));
    for (let i = 0; i < label.length; i++) chars[start + i] = label[i]!;
  }
  return `${' '.repeat(indent)}${chars.join('').trimEnd()}`;
}
