/**
 * A standalone SVG graph, tcptrace style for the time-sequence type: each
 * data segment a vertical bar from its first to its last byte, the ACK line
 * and the receive-window line as steps, SACK blocks as bars beside them,
 * retransmissions, gaps and out-of-order segments marked, and a legend.
 * Plain SVG 1.1 with every text escaped, so any browser opens it.
 */
import type { GraphModel, Series } from './model.js';

const W = 1200, H = 720;
const M = { left: 90, right: 30, top: 50, bottom: 110 };
const COLOR: Record<Series['color'], string> = {
  data: '#1f4e9c', ack: '#1a9641', window: '#d4a017', retrans: '#d7191c', lost: '#8e44ad', sack: '#6a3d9a', ooo: '#e66101',
};

export function escapeXml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

function niceStep(range: number, ticks: number): number {
  const raw = range / ticks;
  const p = 10 ** Math.floor(Math.log10(raw));
  const f = raw / p;
  return (f < 1.5 ? 1 : f < 3 ? 2 : f < 7 ? 5 : 10) * p;
}

const n = (x: number): string => (Math.round(x * 10) / 10).toString();

export function renderSvgGraph(m: GraphModel): string {
  const pw = W - M.left - M.right, ph = H - M.top - M.bottom;
  let min = Infinity, max = -Infinity;
  for (const s of m.series) {
    for (let i = 0; i < s.v.length; i++) { min = Math.min(min, s.v[i]!); max = Math.max(max, s.top?.[i] ?? s.v[i]!); }
  }
  if (!Number.isFinite(min)) { min = 0; max = 1; }
  if (m.type !== 'sequence') min = Math.min(0, min);
  if (max === min) max = min + 1;
  const tMax = m.tMax > 0 ? m.tMax : 1;
  const x = (t: number): number => M.left + (t / tMax) * pw;
  const y = (v: number): number => M.top + ph - ((v - min) / (max - min)) * ph;
  const out: string[] = [];
  out.push(`<?xml version="1.0" encoding="UTF-8"?>`);
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" version="1.1" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">`);
  out.push(`<title>${escapeXml(m.title)}</title>`);
  out.push(`<rect x="0" y="0" width="${W}" height="${H}" fill="#ffffff"/>`);
  out.push(`<text x="${W / 2}" y="26" text-anchor="middle" font-size="16" font-weight="bold">${escapeXml(m.title)}</text>`);
  // Axes and grid.
  out.push(`<g stroke="#dddddd" stroke-width="1">`);
  const yStep = niceStep(max - min, 8);
  const yLabels: string[] = [];
  for (let v = Math.ceil(min / yStep) * yStep; v <= max; v += yStep) {
    out.push(`<line x1="${M.left}" y1="${n(y(v))}" x2="${M.left + pw}" y2="${n(y(v))}"/>`);
    yLabels.push(`<text x="${M.left - 6}" y="${n(y(v) + 4)}" text-anchor="end">${escapeXml(m.yFormat(v))}</text>`);
  }
  const tStep = niceStep(tMax, 10);
  const tLabels: string[] = [];
  for (let t = 0; t <= tMax + 1e-12; t += tStep) {
    out.push(`<line x1="${n(x(t))}" y1="${M.top}" x2="${n(x(t))}" y2="${M.top + ph}"/>`);
    const label = tStep >= 1 ? t.toFixed(0) : tStep >= 0.1 ? t.toFixed(1) : tStep >= 0.01 ? t.toFixed(2) : t.toFixed(3);
    tLabels.push(`<text x="${n(x(t))}" y="${M.top + ph + 18}" text-anchor="middle">${escapeXml(label)}</text>`);
  }
  out.push(`</g>`);
  out.push(`<g fill="#333333">${yLabels.join('')}${tLabels.join('')}</g>`);
  out.push(`<rect x="${M.left}" y="${M.top}" width="${pw}" height="${ph}" fill="none" stroke="#333333"/>`);
  out.push(`<text x="${M.left + pw / 2}" y="${M.top + ph + 40}" text-anchor="middle">${escapeXml("seconds since the stream's first packet")}</text>`);
  out.push(`<text transform="translate(18 ${M.top + ph / 2}) rotate(-90)" text-anchor="middle">${escapeXml(m.yLabel)}</text>`);
  if (m.empty) out.push(`<text x="${W / 2}" y="${H / 2}" text-anchor="middle" font-size="16">${escapeXml(m.empty)}</text>`);
  // Series: windows and ACKs under the data, marks on top.
  const order: Series['color'][] = ['window', 'sack', 'ack', 'data', 'ooo', 'lost', 'retrans'];
  const sorted = m.series.slice().sort((a, b) => order.indexOf(a.color) - order.indexOf(b.color));
  out.push(`<defs><clipPath id="plot"><rect x="${M.left}" y="${M.top}" width="${pw}" height="${ph}"/></clipPath></defs>`);
  out.push(`<g clip-path="url(#plot)">`);
  for (const s of sorted) out.push(drawSeries(s, x, y));
  out.push(`</g>`);
  // Legend.
  const legend = m.series.filter((s) => s.t.length > 0);
  let lx = M.left;
  let ly = H - 50;
  out.push(`<g>`);
  for (const s of legend) {
    const c = COLOR[s.color];
    const itemWidth = 30 + 7 * (s.name.length + 6);
    if (lx + itemWidth > W - M.right) { lx = M.left; ly += 20; }
    const sample = s.style === 'marks'
      ? `<circle cx="${lx + 8}" cy="${ly - 4}" r="4" fill="none" stroke="${c}" stroke-width="2"/>`
      : `<line x1="${lx}" y1="${ly - 4}" x2="${lx + 16}" y2="${ly - 4}" stroke="${c}" stroke-width="${s.style === 'bars' ? 3 : 2}"/>`;
    out.push(`${sample}<text x="${lx + 22}" y="${ly}">${escapeXml(`${s.name} (${s.t.length})`)}</text>`);
    lx += itemWidth;
  }
  out.push(`</g>`);
  out.push(`</svg>`);
  return `${out.join('\n')}\n`;
}

function drawSeries(s: Series, x: (t: number) => number, y: (v: number) => number): string {
  if (s.t.length === 0) return '';
  const c = COLOR[s.color];
  if (s.style === 'bars') {
    // One path of short vertical strokes: thousands of segments stay one element.
    const d: string[] = [];
    for (let i = 0; i < s.t.length; i++) {
      const top = s.top ? s.top[i]! : s.v[i]!;
      const y0 = y(s.v[i]!), y1 = Math.min(y(top), y0 - 1);
      const xi = x(s.t[i]!) + (s.color === 'sack' ? 2 : 0);
      d.push(`M${n(xi)} ${n(y0)}V${n(y1)}`);
    }
    return `<path d="${d.join('')}" stroke="${c}" stroke-width="${s.color === 'sack' ? 1.5 : 1.2}" fill="none"/>`;
  }
  if (s.style === 'marks') {
    const parts: string[] = [];
    for (let i = 0; i < s.t.length; i++) {
      const xi = x(s.t[i]!), yi = y(s.top ? (s.v[i]! + s.top[i]!) / 2 : s.v[i]!);
      if (s.color === 'retrans') parts.push(`<path d="M${n(xi - 4)} ${n(yi - 4)}L${n(xi + 4)} ${n(yi + 4)}M${n(xi - 4)} ${n(yi + 4)}L${n(xi + 4)} ${n(yi - 4)}"/>`);
      else if (s.color === 'lost') parts.push(`<path d="M${n(xi)} ${n(yi - 5)}L${n(xi + 5)} ${n(yi)}L${n(xi)} ${n(yi + 5)}L${n(xi - 5)} ${n(yi)}Z"/>`);
      else parts.push(`<circle cx="${n(xi)}" cy="${n(yi)}" r="4"/>`);
    }
    return `<g stroke="${c}" stroke-width="2" fill="none">${parts.join('')}</g>`;
  }
  const d: string[] = [];
  for (let i = 0; i < s.t.length; i++) {
    const xi = n(x(s.t[i]!)), yi = n(y(s.v[i]!));
    if (i === 0) d.push(`M${xi} ${yi}`);
    else if (s.style === 'step') d.push(`H${xi}V${yi}`);
    else d.push(`L${xi} ${yi}`);
  }
  return `<path d="${d.join('')}" stroke="${c}" stroke-width="1.5" fill="none"/>`;
}
