/**
 * `--fail-on` rules: `<metric> <op> <value>` checked against a finished
 * analysis report, so that CI jobs and live watchdogs can fail on numbers
 * rather than on a person reading the summary.
 *
 * Rules are parsed (and rejected) before any packet is read: a typo in a
 * metric name must not cost a long analysis first.
 */
import { FRAGMENT_EVENT_COUNTS, type AnalysisReport } from './report.js';
import { TCP_EVENT_KINDS } from './tcp/flags.js';
import type { TcpSectionReport } from './tcp/tcp-analyzer.js';
import type { TcpDirectionReport } from './tcp/stream-report.js';
import type { EspReport } from './esp/report.js';
import { ESP_EVENT_NAMES } from './esp/event-kinds.js';

/** What a metric measures; decides which units its threshold may carry. */
export type MetricUnit = 'count' | 'seconds' | 'ratio' | 'bytes';

export type ThresholdOperator = '>' | '>=' | '<' | '<=' | '==' | '!=';

export interface MetricDefinition {
  name: string;
  unit: MetricUnit;
  description: string;
  /** The value in the report; null when the report has nothing to measure (no RTT samples...). */
  read(report: AnalysisReport): number | null;
}

/** One parsed rule. `threshold` is in the metric's base unit (seconds, bytes, fraction). */
export interface ThresholdRule {
  /** The rule as written (trimmed), for messages. */
  text: string;
  metric: MetricDefinition;
  operator: ThresholdOperator;
  threshold: number;
}

/** One rule checked against one report. */
export interface ThresholdResult {
  rule: string;
  metric: string;
  operator: ThresholdOperator;
  threshold: number;
  /** null: the report had nothing to measure, and the rule did not fire. */
  value: number | null;
  fired: boolean;
  /** `tcp.rtt.max > 200ms: 212 ms` */
  message: string;
}

/** A rule that cannot be parsed or names an unknown metric: a usage error. */
export class ThresholdRuleError extends Error {
  override name = 'ThresholdRuleError';
}

/** Every event kind a rule may count, in the order `--help` lists them. */
export const EVENT_KIND_METRICS: readonly string[] = [...TCP_EVENT_KINDS, ...ESP_EVENT_NAMES, ...Object.keys(FRAGMENT_EVENT_COUNTS)];

function tcpSection(r: AnalysisReport): TcpSectionReport | null {
  const t = r.tcp as TcpSectionReport | undefined;
  return t && typeof t === 'object' && Array.isArray(t.streams) ? t : null;
}

function espSection(r: AnalysisReport): EspReport | null {
  const e = r.esp as EspReport | undefined;
  return e && typeof e === 'object' && Array.isArray(e.sas) ? e : null;
}

function directions(r: AnalysisReport): TcpDirectionReport[] {
  const t = tcpSection(r);
  if (!t) return [];
  const out: TcpDirectionReport[] = [];
  for (const s of t.streams) out.push(s.aToB, s.bToA);
  return out;
}

function eventCount(kind: string): (r: AnalysisReport) => number {
  if (kind.startsWith('tcp.')) {
    return (r) => {
      const counts = tcpSection(r)?.counts as Record<string, number> | undefined;
      return counts?.[kind] ?? 0;
    };
  }
  if (kind.startsWith('ip.')) {
    const field = FRAGMENT_EVENT_COUNTS[kind as keyof typeof FRAGMENT_EVENT_COUNTS];
    return (r) => r.capture.ipFragments?.[field] ?? 0;
  }
  return (r) => espSection(r)?.findings[kind] ?? 0;
}

/** Sample-weighted median of per-direction medians: the raw samples are not kept in the report. */
function weightedMedian(pairs: { value: number; weight: number }[]): number | null {
  if (pairs.length === 0) return null;
  pairs.sort((x, y) => x.value - y.value);
  const total = pairs.reduce((n, p) => n + p.weight, 0);
  let seen = 0;
  for (const p of pairs) {
    seen += p.weight;
    if (seen * 2 >= total) return p.value;
  }
  return pairs[pairs.length - 1]!.value;
}

function rttMetric(which: 'min' | 'median' | 'max' | 'mean'): (r: AnalysisReport) => number | null {
  return (r) => {
    const rtts = directions(r).map((d) => d.rtt).filter((x): x is NonNullable<typeof x> => x !== null);
    if (rtts.length === 0) return null;
    switch (which) {
      case 'min': return Math.min(...rtts.map((x) => x.min));
      case 'max': return Math.max(...rtts.map((x) => x.max));
      case 'mean': {
        const n = rtts.reduce((s, x) => s + x.samples, 0);
        return rtts.reduce((s, x) => s + x.mean * x.samples, 0) / n;
      }
      case 'median': return weightedMedian(rtts.map((x) => ({ value: x.median, weight: x.samples })));
    }
  };
}

function handshakeRtts(r: AnalysisReport): number[] {
  return (tcpSection(r)?.streams ?? []).map((s) => s.handshakeRtt).filter((x): x is number => x !== null);
}

function sumDirections(field: 'bytes' | 'retransmittedBytes' | 'uniqueBytes'): (r: AnalysisReport) => number | null {
  return (r) => (tcpSection(r) ? directions(r).reduce((n, d) => n + d[field], 0) : null);
}

const AGGREGATES: MetricDefinition[] = [
  { name: 'packets', unit: 'count', description: 'packets read', read: (r) => r.capture.packets },
  { name: 'duration', unit: 'seconds', description: 'time from the earliest to the latest packet', read: (r) => r.capture.duration },
  { name: 'undecodable', unit: 'count', description: 'packets not decodable to the transport layer', read: (r) => r.capture.undecodable },
  { name: 'timestamps_backwards', unit: 'count', description: 'packets stamped earlier than the one before', read: (r) => r.capture.timestampsBackwards },
  { name: 'tcp.packets', unit: 'count', description: 'TCP packets analysed', read: (r) => tcpSection(r)?.packets ?? null },
  { name: 'tcp.streams', unit: 'count', description: 'TCP streams seen', read: (r) => tcpSection(r)?.streamsTotal ?? null },
  { name: 'tcp.resets', unit: 'count', description: 'streams ended by RST', read: (r) => tcpSection(r)?.ended.rst ?? null },
  { name: 'tcp.open', unit: 'count', description: 'streams still open at the end', read: (r) => tcpSection(r)?.ended.open ?? null },
  { name: 'tcp.bytes', unit: 'bytes', description: 'TCP payload bytes, both ways, retransmissions included', read: sumDirections('bytes') },
  { name: 'tcp.retransmitted_bytes', unit: 'bytes', description: 'TCP payload bytes sent again', read: sumDirections('retransmittedBytes') },
  {
    name: 'tcp.retransmission_rate', unit: 'ratio', description: 'retransmitted / all TCP payload bytes',
    read: (r) => {
      const all = sumDirections('bytes')(r);
      const again = sumDirections('retransmittedBytes')(r);
      return all === null || again === null ? null : all === 0 ? 0 : again / all;
    },
  },
  { name: 'tcp.rtt.min', unit: 'seconds', description: 'smallest data-to-ACK RTT', read: rttMetric('min') },
  { name: 'tcp.rtt.median', unit: 'seconds', description: 'median RTT (per-direction medians, weighted by samples)', read: rttMetric('median') },
  { name: 'tcp.rtt.mean', unit: 'seconds', description: 'mean RTT over all samples', read: rttMetric('mean') },
  { name: 'tcp.rtt.max', unit: 'seconds', description: 'largest data-to-ACK RTT', read: rttMetric('max') },
  {
    name: 'tcp.handshake_rtt.max', unit: 'seconds', description: 'slowest SYN to handshake-ACK time',
    read: (r) => { const h = handshakeRtts(r); return h.length ? Math.max(...h) : null; },
  },
  {
    name: 'tcp.handshake_rtt.median', unit: 'seconds', description: 'median SYN to handshake-ACK time',
    read: (r) => weightedMedian(handshakeRtts(r).map((value) => ({ value, weight: 1 }))),
  },
  {
    name: 'tcp.stall.max', unit: 'seconds', description: 'longest gap with data unacknowledged',
    read: (r) => {
      const t = tcpSection(r);
      if (!t) return null;
      return t.streams.reduce((m, s) => Math.max(m, s.longestStall?.seconds ?? 0), 0);
    },
  },
  { name: 'esp.packets', unit: 'count', description: 'ESP packets (UDP-encapsulated included)', read: (r) => espSection(r)?.packets.esp ?? null },
  { name: 'ah.packets', unit: 'count', description: 'AH packets', read: (r) => espSection(r)?.packets.ah ?? null },
  { name: 'esp.sas', unit: 'count', description: 'ESP and AH security associations seen', read: (r) => espSection(r)?.saCount ?? null },
  {
    name: 'esp.missing', unit: 'count', description: 'sequence numbers never seen, over all SAs',
    read: (r) => { const e = espSection(r); return e ? e.sas.reduce((n, s) => n + s.missing, 0) : null; },
  },
  { name: 'esp.cleartext_packets', unit: 'count', description: 'packets in cleartext between IPsec peers', read: (r) => espSection(r)?.cleartextPackets ?? null },
  {
    name: 'esp.silence.max', unit: 'seconds', description: 'longest silence of an SA while its hosts talked',
    read: (r) => { const e = espSection(r); return e ? e.sas.reduce((m, s) => Math.max(m, s.longestSilenceSeconds), 0) : null; },
  },
  { name: 'esp.decrypted', unit: 'count', description: 'ESP packets decrypted with the given keys', read: (r) => espSection(r)?.decryption?.decrypted ?? 0 },
];

/** Every metric a rule may name: event counts first, then aggregates. */
export const METRICS: ReadonlyMap<string, MetricDefinition> = new Map([
  ...EVENT_KIND_METRICS.map((kind): [string, MetricDefinition] => [kind, {
    name: kind, unit: 'count', description: `${kind} events`, read: eventCount(kind),
  }]),
  ...AGGREGATES.map((m): [string, MetricDefinition] => [m.name, m]),
]);

/** The aggregate metrics (not event counts), for help texts. */
export const AGGREGATE_METRICS: readonly MetricDefinition[] = AGGREGATES;

const UNIT_SCALE: Record<string, { unit: MetricUnit; scale: number }> = {
  ns: { unit: 'seconds', scale: 1e-9 },
  us: { unit: 'seconds', scale: 1e-6 },
  'µs': { unit: 'seconds', scale: 1e-6 },
  ms: { unit: 'seconds', scale: 1e-3 },
  s: { unit: 'seconds', scale: 1 },
  min: { unit: 'seconds', scale: 60 },
  '%': { unit: 'ratio', scale: 0.01 },
  b: { unit: 'bytes', scale: 1 },
  kb: { unit: 'bytes', scale: 1e3 },
  mb: { unit: 'bytes', scale: 1e6 },
  gb: { unit: 'bytes', scale: 1e9 },
  kib: { unit: 'bytes', scale: 1024 },
  mib: { unit: 'bytes', scale: 1024 ** 2 },
  gib: { unit: 'bytes', scale: 1024 ** 3 },
};

const RULE_SYNTAX = /^\s*([A-Za-z_][\w.]*)\s*(>=|<=|==|!=|>|<|=)\s*(\S.*?)\s*$/;
const VALUE_SYNTAX = /^([-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:e[-+]?\d+)?)\s*([A-Za-zµ%]*)$/i;

function suggest(name: string): string {
  const known = [...METRICS.keys()];
  const close = known.filter((k) => k.includes(name) || name.includes(k) || editDistance(k, name) <= 2).slice(0, 3);
  return close.length > 0 ? ` (did you mean ${close.join(', ')}?)` : '';
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = cur;
    }
  }
  return row[b.length]!;
}

/** Parses a threshold value for a metric, e.g. `200ms`, `1.5%`, `10MB`, `3`. */
function parseThresholdValue(text: string, unit: MetricUnit, context: string): number {
  const m = VALUE_SYNTAX.exec(text.trim());
  if (!m) throw new ThresholdRuleError(`${context}: '${text}' is not a number with an optional unit (e.g. 3, 200ms, 5%, 10MB)`);
  const n = Number(m[1]);
  const suffix = m[2]!.toLowerCase();
  if (suffix === '') {
    // A bare time is too easy to misread (seconds? milliseconds?), except zero.
    if (unit === 'seconds' && n !== 0) throw new ThresholdRuleError(`${context}: a time needs a unit: ${text}ms, ${text}s or ${text}us`);
    return n;
  }
  const s = UNIT_SCALE[suffix];
  if (!s) throw new ThresholdRuleError(`${context}: unknown unit '${m[2]}' (use us, ms, s, %, B, KB, MB, GB, KiB, MiB)`);
  if (s.unit !== unit) throw new ThresholdRuleError(`${context}: this metric is ${unitNoun(unit)}; '${m[2]}' is a unit of ${unitNoun(s.unit)}`);
  return n * s.scale;
}

function unitNoun(u: MetricUnit): string {
  return { count: 'a count (bare number)', seconds: 'a time', ratio: 'a rate (% or a fraction)', bytes: 'a size in bytes' }[u];
}

/** Parses one rule, e.g. `tcp.rtt.max > 200ms`. Throws ThresholdRuleError with a message for the user. */
export function parseThresholdRule(text: string): ThresholdRule {
  const m = RULE_SYNTAX.exec(text);
  if (!m) {
    throw new ThresholdRuleError(`bad --fail-on rule '${text}': write <metric> <op> <value>, e.g. 'tcp.retransmission > 0' (ops: > >= < <= == !=)`);
  }
  const name = m[1]!;
  const op = (m[2] === '=' ? '==' : m[2]) as ThresholdOperator;
  const metric = METRICS.get(name);
  if (!metric) {
    throw new ThresholdRuleError(`unknown metric '${name}' in --fail-on rule '${text.trim()}'${suggest(name)}; 'zsniff analyze --help' lists them`);
  }
  const threshold = parseThresholdValue(m[3]!, metric.unit, `--fail-on rule '${text.trim()}'`);
  return { text: `${name} ${op} ${m[3]}`, metric, operator: op, threshold };
}

/** Parses several rules; the first bad one throws. */
export function parseThresholdRules(texts: readonly string[]): ThresholdRule[] {
  return texts.map(parseThresholdRule);
}

function compare(value: number, op: ThresholdOperator, threshold: number): boolean {
  // Values derived from float seconds are compared with a tolerance far below any unit a rule can name.
  const eps = 1e-12 * Math.max(1, Math.abs(threshold));
  switch (op) {
    case '>': return value > threshold + eps;
    case '>=': return value >= threshold - eps;
    case '<': return value < threshold - eps;
    case '<=': return value <= threshold + eps;
    case '==': return Math.abs(value - threshold) <= eps;
    case '!=': return Math.abs(value - threshold) > eps;
  }
}

/** A value as a person reads it in the metric's unit: `212 ms`, `2.5%`, `1.2 MB`, `17`. */
export function formatMetricValue(value: number, unit: MetricUnit): string {
  const trim = (x: number, digits: number): string => String(Number(x.toFixed(digits)));
  switch (unit) {
    case 'count': return trim(value, 3);
    case 'ratio': return `${trim(value * 100, 3)}%`;
    case 'bytes':
      if (Math.abs(value) >= 1e9) return `${trim(value / 1e9, 2)} GB`;
      if (Math.abs(value) >= 1e6) return `${trim(value / 1e6, 2)} MB`;
      if (Math.abs(value) >= 1e4) return `${trim(value / 1e3, 1)} KB`;
      return `${trim(value, 0)} B`;
    case 'seconds': {
      const a = Math.abs(value);
      if (a === 0) return '0 s';
      if (a < 1e-3) return `${trim(value * 1e6, 1)} µs`;
      if (a < 1) return `${trim(value * 1e3, 3)} ms`;
      return `${trim(value, 3)} s`;
    }
  }
}

/** Checks every rule against a report; a rule whose metric has no value does not fire. */
export function evaluateThresholds(rules: readonly ThresholdRule[], report: AnalysisReport): ThresholdResult[] {
  return rules.map((rule) => {
    const value = rule.metric.read(report);
    const fired = value !== null && compare(value, rule.operator, rule.threshold);
    const shown = value === null ? 'no data' : formatMetricValue(value, rule.metric.unit);
    return {
      rule: rule.text,
      metric: rule.metric.name,
      operator: rule.operator,
      threshold: rule.threshold,
      value,
      fired,
      message: `${rule.text}: ${shown}`,
    };
  });
}

/** The metric list as `--help` and the README show it. */
export function describeMetrics(): string {
  const lines = [
    'Event counts: ' + EVENT_KIND_METRICS.join(', '),
    'Aggregates:',
    ...AGGREGATES.map((m) => `  ${m.name.padEnd(26)} ${m.description} (${m.unit})`),
  ];
  return lines.join('\n');
}
