/**
 * The human summary of an analysis report: what was read, then the
 * "Findings" headlines (the highest-priority lines from every section, so
 * the most important problem is in the first lines whichever analyzer found
 * it), then each section's detail.
 */
import type { AnalysisReport, Finding } from '../../analyze/report.js';
import type { TcpSectionReport } from '../../analyze/tcp/tcp-analyzer.js';
import { formatSeconds } from '../../analyze/units.js';
import type { EspReport } from '../../analyze/esp/report.js';
import { renderEspSummary } from './esp.js';
import { renderTcpSummary } from './tcp.js';
import { createTextStyle, type TextStyle } from './style.js';

interface SummaryOptions {
  color: boolean;
  /** Headlines shown at the top (default 8). */
  maxFindings?: number;
  /** Rows of the TCP streams table (default 15). */
  maxStreams?: number;
  width?: number;
}

export function renderSummary(report: AnalysisReport, opts: SummaryOptions): string {
  const st = createTextStyle(opts.color);
  const lines: string[] = [];
  lines.push(...captureLines(report, st));
  lines.push(...findingLines(report.findings, st, opts.maxFindings ?? 8));
  const tcp = report.tcp as TcpSectionReport | undefined;
  if (tcp) {
    const tcpLines = renderTcpSummary(tcp, report.events, st, { maxStreams: opts.maxStreams ?? 15, width: opts.width ?? 100 });
    if (tcpLines.length > 0) lines.push('', ...tcpLines);
  }
  const esp = report.esp as EspReport | undefined;
  if (esp) {
    const espLines = renderEspSummary(esp);
    if (espLines.length > 0) lines.push('', st.heading(espLines[0]!), ...espLines.slice(1));
  }
  if (report.eventsOmitted > 0) {
    lines.push('', st.dim(`${report.eventsOmitted} events beyond the report's limit were counted but not listed (--events streams them all).`));
  }
  return `${lines.join('\n')}\n`;
}

function captureLines(r: AnalysisReport, st: TextStyle): string[] {
  const c = r.capture;
  const links = c.linkTypes.map((l) => l.name).join(', ') || 'no packets';
  const when = c.firstTime !== null ? `, ${new Date(c.firstTime * 1000).toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC')}` : '';
  const out = [st.heading(`${c.file}: ${c.packets} packets over ${formatSeconds(c.duration)}${when} (${links})`)];
  if (c.error) out.push(st.bad(`Damaged capture: ${c.error}; what came before is analysed below.`));
  return out;
}

/** A finding's mark in the Findings list, and the style of the mark and text (none: a dim mark, plain text). */
export function findingLevel(priority: number): { mark: string; style: 'bad' | 'warn' | null } {
  if (priority >= 80) return { mark: '!!', style: 'bad' };
  if (priority >= 50) return { mark: ' !', style: 'warn' };
  return { mark: ' -', style: null };
}

function findingLines(findings: readonly Finding[], st: TextStyle, max: number): string[] {
  if (findings.length === 0) return [st.good('Findings: nothing that needs attention.')];
  const out = [st.heading('Findings:')];
  for (const f of findings.slice(0, max)) {
    const { mark, style } = findingLevel(f.priority);
    out.push(style !== null ? `${st[style](mark)} ${st[style](f.text)}` : `${st.dim(mark)} ${f.text}`);
  }
  if (findings.length > max) out.push(st.dim(`   ... ${findings.length - max} more (--json lists all findings)`));
  return out;
}
