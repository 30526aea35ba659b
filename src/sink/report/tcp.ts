/**
 * The TCP part of the human summary: the streams table (most troubled
 * first), the count of each expert flag, and the worst events with their
 * frame numbers. Plain text; the caller colours through `TextStyle`.
 */
import type { AnalysisEvent } from '../../analyze/analyzer.js';
import { TCP_EVENT_KINDS, TCP_FLAG_LABEL, type TcpEventKind } from '../../analyze/tcp/flags.js';
import type { TcpSectionReport } from '../../analyze/tcp/tcp-analyzer.js';
import { formatBytes, formatSeconds } from '../../analyze/units.js';
import type { TcpStreamReport } from '../../analyze/tcp/stream-report.js';
import type { TextStyle } from './style.js';

/** How bad each kind is, for choosing the "worst events" list. */
const SEVERITY: Partial<Record<TcpEventKind, number>> = {
  'tcp.rto_backoff': 10,
  'tcp.zero_window': 7,
  'tcp.retransmission': 6,
  'tcp.lost_segment': 5,
  'tcp.ack_lost_segment': 5,
  'tcp.fast_retransmission': 4,
  'tcp.spurious_retransmission': 4,
  'tcp.window_full': 3,
  'tcp.out_of_order': 3,
  'tcp.reused_ports': 2,
  'tcp.zero_window_probe': 2,
  'tcp.duplicate_ack': 1,
};

interface TcpSummaryOptions {
  /** Rows of the streams table (default 15). */
  maxStreams?: number;
  /** Lines of worst events (default 12). */
  maxEvents?: number;
  /** Terminal width to fit (default 100). */
  width?: number;
}

export function renderTcpSummary(r: TcpSectionReport, events: readonly AnalysisEvent[], st: TextStyle,
  opts: TcpSummaryOptions = {}): string[] {
  const out: string[] = [];
  if (r.packets === 0) return out;
  const e = r.ended;
  out.push(st.heading(`TCP: ${r.streamsTotal} stream${r.streamsTotal === 1 ? '' : 's'}, ${r.packets} packets`) +
    st.dim(` (closed by FIN ${e.fin}, reset ${e.rst}, half-closed ${e['half-closed']}, still open ${e.open})`));
  out.push(...streamsTable(r, st, opts.maxStreams ?? 15));
  out.push(...flagCounts(r, st));
  out.push(...worstEvents(events, st, opts.maxEvents ?? 12));
  const ft = r.flowTable;
  if (ft.evicted > 0) {
    out.push(st.warn(`Flow table limit ${ft.maxFlows} reached: ${ft.evicted} flows evicted early (${ft.evictedOpen} still open); ` +
      'their later packets were counted as new streams. Use --max-flows to raise the limit.'));
  }
  if (ft.retiredIdle > 0 || ft.retiredClosed > 0) {
    out.push(st.dim(`Flow table: peak ${ft.peak} flows; ${ft.retiredClosed} closed and ${ft.retiredIdle} idle flows retired while reading.`));
  }
  if (r.streamsOmitted > 0) out.push(st.dim(`${r.streamsOmitted} quiet streams are left out of the report; the most troubled ones are kept.`));
  if (r.loneFirstFragments > 0) {
    out.push(st.dim(`${r.loneFirstFragments} TCP segments were analysed from their first IP fragment alone (the capture cut the fragments short, so they could not be reassembled): their length is what that fragment carries, as in Wireshark.`));
  }
  return out;
}

function streamsTable(r: TcpSectionReport, st: TextStyle, maxRows: number): string[] {
  const rows = r.streams.slice().sort((x, y) => y.trouble - x.trouble || x.stream - y.stream).slice(0, maxRows);
  if (rows.length === 0) return [];
  const header = ['#', 'endpoints', 'pkts', 'bytes a>b / b>a', 'retrans', 'rtt med', 'ended', 'trouble'];
  const cells = rows.map((s) => [
    String(s.stream),
    endpoints(s),
    String(s.packets),
    `${formatBytes(s.aToB.bytes)} / ${formatBytes(s.bToA.bytes)}`,
    retransText(s),
    rttText(s),
    endedText(s),
    troubleText(s),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (c: string[]): string => c.map((v, i) => (i === 1 || i === 6 || i === 7 ? v.padEnd(widths[i]!) : v.padStart(widths[i]!))).join('  ').trimEnd();
  const out = [st.dim(`  ${line(header)}`)];
  for (let i = 0; i < rows.length; i++) {
    const text = `  ${line(cells[i]!)}`;
    out.push(rows[i]!.trouble >= 20 ? st.bad(text) : rows[i]!.trouble > 0 ? st.warn(text) : text);
  }
  if (r.streams.length > rows.length) out.push(st.dim(`  ... ${r.streams.length - rows.length} more streams (--json lists them all)`));
  return out;
}

export function endpoints(s: TcpStreamReport): string {
  const arrow = s.client === 'b' ? '<-' : '->';
  return `${s.a} ${arrow} ${s.b}`;
}

/** Retransmitted payload bytes over all payload bytes, both ways; null without payload. */
export function retransmittedShare(s: TcpStreamReport): number | null {
  const bytes = s.aToB.bytes + s.bToA.bytes;
  if (bytes === 0) return null;
  return (s.aToB.retransmittedBytes + s.bToA.retransmittedBytes) / bytes;
}

export function retransText(s: TcpStreamReport): string {
  const share = retransmittedShare(s);
  if (share === null) return '-';
  return `${(share * 100).toFixed(share > 0 && share < 0.001 ? 2 : 1)}%`;
}

/** The median RTT of the direction with more samples, else the handshake's; null when neither is known. */
export function streamRtt(s: TcpStreamReport): number | null {
  const rtts = [s.aToB.rtt, s.bToA.rtt].filter((x) => x !== null);
  if (rtts.length > 0) return rtts.reduce((x, y) => (y!.samples > x!.samples ? y : x))!.median;
  return s.handshakeRtt;
}

export function rttText(s: TcpStreamReport): string {
  const rtt = streamRtt(s);
  return rtt !== null ? formatSeconds(rtt) : '-';
}

export function endedText(s: TcpStreamReport): string {
  if (s.ended === 'open') return 'open';
  const by = s.endedBy === null ? '' : ` by ${s.endedBy}`;
  return s.ended === 'rst' ? `RST${by}` : s.ended === 'fin' ? `FIN${by}` : `half-closed${by}`;
}

export function troubleText(s: TcpStreamReport): string {
  const parts: string[] = [];
  const c = s.counts;
  const add = (k: TcpEventKind, label: string): void => { if (c[k]) parts.push(`${c[k]} ${label}`); };
  add('tcp.rto_backoff', 'backoff');
  add('tcp.retransmission', 'retr');
  add('tcp.lost_segment', 'lost');
  add('tcp.zero_window', 'zero-win');
  add('tcp.duplicate_ack', 'dup-ack');
  add('tcp.out_of_order', 'ooo');
  if (s.longestStall && s.longestStall.seconds >= 0.5) parts.push(`stall ${formatSeconds(s.longestStall.seconds)}`);
  return parts.length > 0 ? parts.slice(0, 4).join(', ') : '-';
}

function flagCounts(r: TcpSectionReport, st: TextStyle): string[] {
  const kinds = TCP_EVENT_KINDS.filter((k) => r.counts[k] > 0);
  if (kinds.length === 0) return [st.good('No TCP expert flags: no retransmissions, losses or window problems seen.')];
  const out = [st.heading('TCP expert flags (as tshark names them):')];
  const width = Math.max(...kinds.map((k) => TCP_FLAG_LABEL[k].length));
  for (const k of kinds) {
    const sev = SEVERITY[k] ?? 0;
    const text = `  ${TCP_FLAG_LABEL[k].padEnd(width)}  ${String(r.counts[k]).padStart(8)}`;
    out.push(sev >= 5 ? st.bad(text) : sev >= 2 ? st.warn(text) : text);
  }
  return out;
}

function worstEvents(events: readonly AnalysisEvent[], st: TextStyle, max: number): string[] {
  // A fast or spurious retransmission is also reported as a retransmission (as tshark does); show it once.
  const specific = new Set<number>();
  for (const ev of events) if (ev.kind === 'tcp.fast_retransmission' || ev.kind === 'tcp.spurious_retransmission') specific.add(ev.frame);
  const tcp = events.filter((ev) => ev.kind.startsWith('tcp.') && (SEVERITY[ev.kind as TcpEventKind] ?? 0) >= 3 &&
    !(ev.kind === 'tcp.retransmission' && specific.has(ev.frame)));
  if (tcp.length === 0) return [];
  // Worst kinds first; within a kind, the earliest frames (where trouble started).
  const picked = tcp
    .map((ev, i) => ({ ev, i }))
    .sort((x, y) => (SEVERITY[y.ev.kind as TcpEventKind]! - SEVERITY[x.ev.kind as TcpEventKind]!) || x.i - y.i);
  const perKind = new Map<string, number>();
  const out = [st.heading('Worst events (frame numbers as in tshark/Wireshark):')];
  let shown = 0;
  for (const { ev } of picked) {
    const n = perKind.get(ev.kind) ?? 0;
    if (n >= 3) continue;
    perKind.set(ev.kind, n + 1);
    out.push(`  ${st.frame(`frame ${ev.frame}`)}  ${describeEvent(ev)}`);
    if (++shown >= max) break;
  }
  return out;
}

function describeEvent(ev: AnalysisEvent): string {
  const label = TCP_FLAG_LABEL[ev.kind as TcpEventKind] ?? ev.kind;
  const where = `stream ${String(ev.stream)} ${String(ev.src)} -> ${String(ev.dst)}`;
  if (ev.kind === 'tcp.rto_backoff') {
    const iv = (ev.intervals as number[]).map((v) => formatSeconds(v)).join(', ');
    return `${label}: ${where} seq ${String(ev.seq)} resent ${String(ev.retransmissions)} times after ${iv}`;
  }
  const len = typeof ev.len === 'number' && ev.len > 0 ? ` len ${ev.len}` : '';
  return `${label}: ${where} seq ${String(ev.seq)}${len}`;
}
