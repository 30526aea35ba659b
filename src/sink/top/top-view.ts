/**
 * What `zsniff top` shows, as lines for the screen: a header (source,
 * rates, drops, elapsed time), the streams table, the IPsec panel, the most
 * serious finding, and a line of keys; or the selected stream's graph; or
 * the help. It holds the view's state (selection, sort, filter, mode) and
 * turns keys into changes of it; the command owns the capture and the timers.
 */
import type { AnalysisReport, Finding } from '../../analyze/report.js';
import type { TcpSectionReport } from '../../analyze/tcp/tcp-analyzer.js';
import type { EspReport } from '../../analyze/esp/report.js';
import { formatBytes } from '../../analyze/units.js';
import { createTextStyle, type TextStyle } from '../report/style.js';
import { findingLevel } from '../report/summary.js';
import { buildModel, type GraphType } from '../graph/model.js';
import { renderTerminalGraph } from '../graph/terminal.js';
import type { PacketFilter } from '../../source/bpf-filter.js';
import type { PacketRecord } from '../../source/packet-record.js';
import { renderIpsecPanel, SaRates } from './ipsec-panel.js';
import { PER_STREAM_BYTES, PER_STREAM_PACKETS, TOTAL_BYTES } from './packet-history.js';
import { renderStreamTable, rowMatchesText, SORT_KEYS, sortRows, StreamRates, type SortKey, type StreamRow } from './streams-panel.js';
import type { StreamWatch } from './stream-watch.js';
import { TextRow } from './text-row.js';
import { Chalk } from 'chalk';

export interface SourceStatus {
  /** Interface or file name. */
  name: string;
  live: boolean;
  /** File replay: 'own pace' or 'fast'; the capture ended (end of file, or interface gone). */
  pace?: string;
  ended: boolean;
  packets: number;
  bytes: number;
  drops?: { kernel: number; interface: number; ring: number };
  elapsedSeconds: number;
}

const GRAPH_TYPES: GraphType[] = ['sequence', 'throughput', 'rtt', 'window'];
/** Seconds a drop counter stays red after it grew. */
const DROP_ALERT_SECONDS = 5;

type ViewAction = 'quit' | 'write' | 'filter' | undefined;

export class TopView {
  mode: 'table' | 'graph' | 'help' | 'filter-input' = 'table';
  paused = false;
  sort: SortKey = 'trouble';
  filterText = '';
  /** A BPF filter the user typed (streams whose first kept packet it matches). */
  filterBpf: PacketFilter | null = null;
  input = '';
  message = '';
  private rows: StreamRow[] = [];
  private all: StreamRow[] = [];
  private selectedStream = -1;
  private selected = 0;
  private followTop = true;
  private first = 0;
  private graphType = 0;
  private graphReverse = false;
  private report: AnalysisReport | null = null;
  private captureTime = 0;
  private readonly rates = new StreamRates();
  private readonly saRates = new SaRates();
  private saRateValues = new Map<string, number>();
  private readonly st: TextStyle;
  private readonly inverse: (t: string) => string;
  private status: SourceStatus | null = null;
  private lastRateAt = NaN;
  private lastPackets = 0;
  private lastBytes = 0;
  private pps = 0;
  private bps = 0;
  private lastDrops = [0, 0, 0];
  private dropGrewAt = [-Infinity, -Infinity, -Infinity];
  /** Wall seconds of the latest status, for how long a drop counter stays red. */
  private now = 0;

  constructor(private readonly color: boolean, private readonly watch: StreamWatch,
    private readonly firstPacket: (stream: number) => PacketRecord | undefined) {
    this.st = createTextStyle(color);
    const c = new Chalk({ level: 1 });
    // Without colour the selected row is still shown: inverse video is not a colour (NO_COLOR allows it).
    this.inverse = (t) => c.inverse(t);
  }

  /** New analysis results (skipped while paused: the view freezes, the capture goes on). */
  update(report: AnalysisReport, captureTime: number): void {
    if (this.paused) return;
    this.report = report;
    this.captureTime = captureTime;
    const tcp = report.tcp as TcpSectionReport | undefined;
    this.all = this.rates.rows(tcp?.streams ?? [], captureTime);
    const esp = report.esp as EspReport | undefined;
    if (esp) this.saRateValues = this.saRates.update(esp.sas, captureTime);
    this.applyOrder();
  }

  /** Header counters; rates are per second of wall time between calls. */
  updateStatus(s: SourceStatus, nowSeconds: number): void {
    const dt = nowSeconds - this.lastRateAt;
    if (!(dt < 0.5)) {
      if (dt > 0) { this.pps = (s.packets - this.lastPackets) / dt; this.bps = (s.bytes - this.lastBytes) / dt; }
      this.lastRateAt = nowSeconds; this.lastPackets = s.packets; this.lastBytes = s.bytes;
    }
    if (s.drops) {
      const d = [s.drops.kernel, s.drops.interface, s.drops.ring];
      for (let i = 0; i < 3; i++) if (d[i]! > this.lastDrops[i]!) { this.dropGrewAt[i] = nowSeconds; this.lastDrops[i] = d[i]!; }
    }
    this.status = s;
    this.now = nowSeconds;
  }

  private applyOrder(): void {
    let rows = this.all;
    if (this.filterText !== '') rows = rows.filter((r) => rowMatchesText(r, this.filterText));
    if (this.filterBpf !== null) {
      const f = this.filterBpf;
      rows = rows.filter((r) => { const p = this.firstPacket(r.report.stream); return p !== undefined && f.matches(p); });
    }
    this.rows = sortRows(rows.slice(), this.sort);
    // Until the user moves, the cursor stays on the first row (the stream in most trouble); after, on its stream.
    const at = this.followTop ? 0 : this.rows.findIndex((r) => r.report.stream === this.selectedStream);
    this.selected = at >= 0 ? at : Math.min(this.selected, Math.max(0, this.rows.length - 1));
    this.selectedStream = this.rows[this.selected]?.report.stream ?? -1;
  }

  /** The stream under the cursor, or -1. */
  get selectedStreamId(): number { return this.selectedStream; }

  private move(by: number): void {
    if (this.rows.length === 0) return;
    this.selected = Math.max(0, Math.min(this.rows.length - 1, this.selected + by));
    this.followTop = this.selected === 0;
    this.selectedStream = this.rows[this.selected]!.report.stream;
  }

  /** Handles one key (names from `readKeys`); returns what the command must do, if anything. */
  key(k: string): ViewAction {
    if (this.mode === 'filter-input') {
      if (k === 'enter') { this.mode = 'table'; return 'filter'; }
      if (k === 'escape') { this.mode = 'table'; this.input = ''; return undefined; }
      if (k === 'backspace') { this.input = this.input.slice(0, -1); return undefined; }
      if (k.length === 1) this.input += k;
      return undefined;
    }
    if (k === 'q' || k === 'ctrl-c') return 'quit';
    if (this.mode === 'help') { this.mode = 'table'; return undefined; }
    if (k === '?') { this.mode = 'help'; return undefined; }
    if (k === 'p') { this.paused = !this.paused; this.message = this.paused ? 'paused: the capture goes on, the view is frozen (p resumes)' : ''; return undefined; }
    if (k === 'w') return 'write';
    if (this.mode === 'graph') {
      if (k === 't') this.graphType = (this.graphType + 1) % GRAPH_TYPES.length;
      else if (k === 'r') this.graphReverse = !this.graphReverse;
      else if (k === 'enter' || k === 'escape' || k === 'backspace') this.mode = 'table';
      return undefined;
    }
    switch (k) {
      case 'up': case 'k': this.move(-1); break;
      case 'down': case 'j': this.move(1); break;
      case 'pageup': this.move(-10); break;
      case 'pagedown': this.move(10); break;
      case 'home': case 'g': this.move(-this.rows.length); break;
      case 'end': case 'G': this.move(this.rows.length); break;
      case 'enter': if (this.selectedStream >= 0) { this.mode = 'graph'; this.graphReverse = false; } break;
      case 's': this.sort = SORT_KEYS[(SORT_KEYS.indexOf(this.sort) + 1) % SORT_KEYS.length]!; this.applyOrder(); this.message = `sorted by ${this.sort}`; break;
      case '/': this.mode = 'filter-input'; this.input = this.filterBpf?.expression ?? this.filterText; break;
      case 'escape': this.filterText = ''; this.filterBpf = null; this.applyOrder(); this.message = 'filter cleared'; break;
      default: break;
    }
    return undefined;
  }

  /** Sets the filter: a BPF program when the text compiled as one, else text to find in the rows. */
  setFilter(text: string, bpf: PacketFilter | null): void {
    this.filterText = bpf === null ? text : '';
    this.filterBpf = bpf;
    this.applyOrder();
    this.message = text === '' ? 'filter cleared' : bpf ? `BPF filter: ${text}` : `text filter: ${text}`;
  }

  frame(columns: number, rows: number): string[] {
    if (this.mode === 'help') return this.helpFrame(columns, rows);
    if (this.mode === 'graph') return this.graphFrame(columns, rows);
    const out = this.header(columns);
    const esp = this.report?.esp as EspReport | undefined;
    const room = rows - out.length - 2;
    let ipsec: string[] = [];
    if (esp && (esp.saCount > 0 || esp.cleartext.length > 0)) {
      const want = 2 + esp.saCount + Math.min(2, esp.cleartext.length);
      // The table keeps the rows it needs (at least 4 lines, at most two thirds); the panel has the rest.
      const tableNeeds = Math.min(Math.max(4, this.rows.length + 2), Math.ceil((room * 2) / 3));
      ipsec = renderIpsecPanel(esp, this.saRateValues, this.captureTime, columns, Math.min(want, Math.max(4, room - tableNeeds)), this.st);
    }
    const tableHeight = Math.max(2, room - ipsec.length);
    if (this.selected < this.first) this.first = this.selected;
    if (this.selected >= this.first + tableHeight - 1) this.first = this.selected - tableHeight + 2;
    this.first = Math.max(0, Math.min(this.first, Math.max(0, this.rows.length - tableHeight + 1)));
    const table = renderStreamTable(this.rows, this.selected, this.first, columns, tableHeight,
      { dim: this.st.dim, warn: this.st.warn, bad: this.st.bad, selected: this.inverse });
    if (this.rows.length === 0) table.push(this.all.length === 0 ? '  no TCP stream yet' : '  no stream matches the filter (Esc clears it)');
    while (table.length < tableHeight) table.push('');
    out.push(...table.slice(0, tableHeight), ...ipsec);
    while (out.length < rows - 2) out.push('');
    out.length = rows - 2;
    out.push(this.findingLine(columns), this.footer(columns));
    return out;
  }

  private header(columns: number): string[] {
    const s = this.status;
    const st = this.st;
    // Most important first, so that a narrow terminal cuts only the least.
    const row = new TextRow();
    if (s) {
      row.add(s.live ? `${s.name} (live)` : `${s.name} (${s.pace ?? 'replay'})`, st.heading);
      if (s.ended) row.add(s.live ? '  capture ended' : '  end of file', st.heading);
      if (this.paused) row.add('  PAUSED', this.alert);
      row.add(`  ${clock(s.elapsedSeconds)}  ${s.packets} pkts  ${rate(this.pps)} pkt/s  ${formatBytes(Math.round(this.bps), 1)}/s`);
      if (s.drops) {
        const names = ['kernel', 'iface', 'ring'];
        const d = [s.drops.kernel, s.drops.interface, s.drops.ring];
        row.add('  drops');
        for (let i = 0; i < 3; i++) {
          const hot = this.now - this.dropGrewAt[i]! < DROP_ALERT_SECONDS;
          row.add(` ${names[i]} ${d[i]}`, hot ? this.alert : undefined);
        }
      }
    }
    const tcp = this.report?.tcp as TcpSectionReport | undefined;
    const open = tcp ? tcp.streams.filter((x) => x.retired === null && x.ended !== 'fin' && x.ended !== 'rst').length : 0;
    const second = new TextRow().add(`TCP: ${this.all.length} stream${this.all.length === 1 ? '' : 's'} (${open} open), sorted by ${this.sort}`, st.dim);
    if (this.filterBpf) second.add(`, BPF filter '${this.filterBpf.expression}'`, st.warn);
    else if (this.filterText) second.add(`, text filter '${this.filterText}'`, st.warn);
    if (this.rows.length !== this.all.length) second.add(` (${this.rows.length} shown)`, st.dim);
    return [row.render(columns), second.render(columns)];
  }

  private readonly alert = (t: string): string => (this.color ? this.st.bad(t) : this.inverse(t));

  /** The most serious finding so far, marked as analyze's Findings mark it. */
  private findingLine(columns: number): string {
    const findings: readonly Finding[] = this.report?.findings ?? [];
    const top = findings[0];
    if (!top) return new TextRow().add('Findings: nothing that needs attention so far.', this.st.good).render(columns);
    const { mark, style } = findingLevel(top.priority);
    const paint = style !== null ? this.st[style] : undefined;
    const more = findings.length > 1 ? `  (+${findings.length - 1} more at q)` : '';
    const text = `${mark} ${top.text}`;
    // The count stays visible: the text is cut first.
    return new TextRow().add(text.length + more.length > columns ? text.slice(0, Math.max(0, columns - more.length)) : text, paint)
      .add(more, this.st.dim).render(columns);
  }

  private footer(columns: number): string {
    if (this.mode === 'filter-input') {
      return new TextRow().add('filter (BPF, or text to find; Enter applies, Esc cancels): ', this.st.heading).add(this.input).add('_').render(columns);
    }
    if (this.message) return new TextRow().add(this.message, this.st.dim).render(columns);
    return new TextRow().add('q quit  ↑↓/jk move  Enter graph  / filter  s sort  p pause  w write pcap  ? help', this.st.dim).render(columns);
  }

  private graphFrame(columns: number, rows: number): string[] {
    const stream = this.selectedStream;
    const c = this.watch.graph(stream);
    const out: string[] = [];
    const row = this.rows[this.selected];
    if (!c || c.flow === null || row === undefined) {
      out.push(new TextRow().add(`stream ${stream}: no graph data kept for it (graphs are kept for the 256 streams most worth a look)`).render(columns));
    } else {
      const busierA = row.report.aToB.bytes >= row.report.bToA.bytes;
      const model = buildModel(c, GRAPH_TYPES[this.graphType]!, busierA !== this.graphReverse);
      // The graph's title names the stream by the report's endpoints: the flow object may since have been reused.
      model.title = `stream ${stream} ${busierA !== this.graphReverse ? `${row.report.a} -> ${row.report.b}` : `${row.report.b} -> ${row.report.a}`}: ${model.title.replace(/^.*: /, '')}`;
      const text = renderTerminalGraph(model, { columns, rows: rows - 1, color: this.color });
      out.push(...text.replace(/\n$/, '').split('\n'));
    }
    out.length = Math.min(out.length, rows - 1);
    while (out.length < rows - 1) out.push('');
    out.push(new TextRow().add(`${GRAPH_TYPES[this.graphType]} graph   t next (sequence/throughput/RTT/window)  r direction  w pcap  Esc back  q quit`, this.st.dim).render(columns));
    return out;
  }

  private helpFrame(columns: number, rows: number): string[] {
    const lines = [
      'zsniff top: keys',
      '',
      '  ↑ ↓  j k      move the selection (PgUp PgDn, g G: by pages, to the ends)',
      '  Enter         the selected stream\'s time-sequence graph, full screen',
      '  t             in the graph: sequence, throughput, RTT, window',
      '  r             in the graph: the other direction',
      '  /             filter streams: a BPF expression (port 443), or text to find (10.1.2.3); Esc clears',
      `  s             sort: ${SORT_KEYS.join(', ')}`,
      '  p             pause the view (the capture goes on)',
      '  w             write the selected stream\'s packets seen so far to a pcap (kept: the latest',
      `                ${PER_STREAM_PACKETS.toLocaleString('en-US')} packets or ${PER_STREAM_BYTES / 2 ** 20} MiB of a stream, ${TOTAL_BYTES / 2 ** 20} MiB in all)`,
      '  ?             this help',
      '  q  Ctrl-C     quit and print the summary of zsniff analyze',
      '',
      'Rates are payload bytes per second of capture time; rtt, retr and trouble are the columns of',
      'zsniff analyze\'s table, computed by the same analysis. Any key closes this help.',
    ];
    const out = lines.map((l, i) => new TextRow().add(l, i === 0 ? this.st.heading : undefined).render(columns));
    out.length = Math.min(out.length, rows);
    while (out.length < rows) out.push('');
    return out;
  }
}

function rate(n: number): string {
  if (n >= 1e6) return `${(n / 1e6).toFixed(2)}M`;
  if (n >= 1e3) return `${(n / 1e3).toFixed(1)}k`;
  return String(Math.round(n));
}

function clock(seconds: number): string {
  const s = Math.floor(seconds);
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `${pad(Math.floor(s / 3600))}:${pad(Math.floor(s / 60) % 60)}:${pad(s % 60)}`;
}
