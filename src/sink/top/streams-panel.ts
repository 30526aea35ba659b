/**
 * The streams table of `zsniff top`: the TCP section of the report as it
 * stands (the same summaries `analyze` prints, so the numbers agree), with
 * each direction's rate since the previous refresh, sorted by trouble or by
 * the key the user chose, cut to the terminal's width.
 */
import type { TcpStreamReport } from '../../analyze/tcp/stream-report.js';
import { endedText, endpoints, retransmittedShare, retransText, rttText, streamRtt, troubleText } from '../report/tcp.js';
import { TextRow, type Paint } from './text-row.js';

export const SORT_KEYS = ['trouble', 'rate', 'bytes', 'retrans', 'rtt', 'stream'] as const;
export type SortKey = typeof SORT_KEYS[number];

export interface StreamRow {
  report: TcpStreamReport;
  /** Payload bytes per second of capture time since the previous refresh, each way. */
  rateAToB: number;
  rateBToA: number;
}

/** Per-stream byte counts of the previous refresh, for the rates. */
export class StreamRates {
  private previous = new Map<number, number[]>();
  private previousTime = NaN;

  rows(streams: readonly TcpStreamReport[], captureTime: number): StreamRow[] {
    const dt = captureTime - this.previousTime;
    const next = new Map<number, number[]>();
    const rows: StreamRow[] = [];
    for (const s of streams) {
      const before = this.previous.get(s.stream);
      const a = s.aToB.bytes, b = s.bToA.bytes;
      next.set(s.stream, [a, b]);
      const ok = before !== undefined && dt > 0;
      rows.push({ report: s, rateAToB: ok ? (a - before[0]!) / dt : 0, rateBToA: ok ? (b - before[1]!) / dt : 0 });
    }
    // A refresh with no new packets keeps the last rates' time base, so rates fall to 0 only when time moves.
    if (!(dt <= 0)) { this.previous = next; this.previousTime = captureTime; }
    return rows;
  }
}

const BY: Record<SortKey, (x: StreamRow) => number> = {
  trouble: (x) => x.report.trouble,
  rate: (x) => x.rateAToB + x.rateBToA,
  bytes: (x) => x.report.aToB.bytes + x.report.bToA.bytes,
  retrans: (x) => retransmittedShare(x.report) ?? 0,
  rtt: (x) => streamRtt(x.report) ?? -1,
  stream: (x) => -x.report.stream,
};

/** Highest first; ties in stream order (the oldest first), as analyze's table. */
export function sortRows(rows: StreamRow[], key: SortKey): StreamRow[] {
  const by = BY[key];
  return rows.sort((x, y) => by(y) - by(x) || x.report.stream - y.report.stream);
}

/** Whether a row matches a text filter (endpoints, state and trouble, case-insensitive). */
export function rowMatchesText(row: StreamRow, text: string): boolean {
  const s = row.report;
  return `${s.stream} ${endpoints(s)} ${endedText(s)} ${troubleText(s)}`.toLowerCase().includes(text.toLowerCase());
}

/** Bytes per second, short: 0, 812B, 12.4k, 1.50M, 2.10G. */
export function rateText(bps: number): string {
  if (bps < 0.5) return '0';
  if (bps >= 1e9) return `${(bps / 1e9).toFixed(2)}G`;
  if (bps >= 1e6) return `${(bps / 1e6).toFixed(2)}M`;
  if (bps >= 1e3) return `${(bps / 1e3).toFixed(1)}k`;
  return `${Math.round(bps)}B`;
}

interface TableStyle { dim: Paint; warn: Paint; bad: Paint; selected: Paint }

const HEAD = ['#', 'endpoints', 'state', 'a>b/s', 'b>a/s', 'rtt', 'retr', 'trouble'];
const FIXED = [4, 0, 8, 6, 6, 7, 6];

/** The table's lines: a heading, then `height - 1` rows from `first`, the selected one marked. */
export function renderStreamTable(rows: readonly StreamRow[], selected: number, first: number, columns: number,
  height: number, st: TableStyle): string[] {
  const cells = (r: StreamRow): string[] => {
    const s = r.report;
    return [String(s.stream), endpoints(s), endedText(s), rateText(r.rateAToB), rateText(r.rateBToA), rttText(s), retransText(s), troubleText(s)];
  };
  const visible = rows.slice(first, first + Math.max(0, height - 1));
  const shown = visible.map(cells);
  const fixed = FIXED.reduce((a, b) => a + b, 0) + HEAD.length - 1;
  const longest = Math.max(9, ...shown.map((c) => c[1]!.length));
  // Endpoints get what they need unless that leaves the trouble column under 14 columns.
  const endpointWidth = Math.max(9, Math.min(longest, columns - fixed - 14));
  const widths = [...FIXED];
  widths[1] = endpointWidth;
  const line = (c: string[]): string => c.map((v, i) => {
    if (i === 7) return v;
    const w = widths[i]!;
    const cut = v.length > w ? v.slice(0, w) : v;
    return i === 1 || i === 2 ? cut.padEnd(w) : cut.padStart(w);
  }).join(' ');
  const out = [new TextRow().add(line(HEAD), st.dim).render(columns)];
  for (let i = 0; i < visible.length; i++) {
    const text = line(shown[i]!);
    const trouble = visible[i]!.report.trouble;
    const paint = first + i === selected ? st.selected : trouble >= 20 ? st.bad : trouble > 0 ? st.warn : undefined;
    out.push(new TextRow().add(first + i === selected ? text.padEnd(columns) : text, paint).render(columns));
  }
  return out;
}
