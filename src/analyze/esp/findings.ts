/**
 * Headlines for the top of the summary, from the ESP report: what a person
 * should read first, ordered by priority (0..100, as in analyze/report.ts).
 * A leak between IPsec peers outranks everything: it is both a security
 * problem and, when the peer drops cleartext, the cause of stalls.
 */
import type { CleartextFlow } from './cleartext-leak-detector.js';
import type { EspReport, JointSilence, SaSummary } from './report.js';

/** Same shape as analyze/report.ts `Finding`. */
export interface EspFinding {
  priority: number;
  section: 'esp';
  text: string;
  frame?: number;
  /** See analyze/report.ts `Finding.about`. */
  about?: string;
}

const SERVICES: Record<number, string> = {
  22: 'ssh', 23: 'telnet', 25: 'smtp', 53: 'domain', 80: 'http', 110: 'pop3', 123: 'ntp', 143: 'imap',
  179: 'bgp', 389: 'ldap', 443: 'https', 445: 'microsoft-ds', 500: 'isakmp', 514: 'syslog', 636: 'ldaps',
  1812: 'radius', 3306: 'mysql', 3389: 'ms-wbt-server', 5432: 'postgresql', 6443: 'kubernetes', 8080: 'http-alt',
};
const PROTOCOLS: Record<number, string> = { 1: 'ICMP', 6: 'TCP', 17: 'UDP', 58: 'ICMPv6', 132: 'SCTP', 47: 'GRE' };

export function protocolName(p: number): string { return PROTOCOLS[p] ?? `IP protocol ${p}`; }

function port(p: number): string {
  const name = SERVICES[p];
  return name ? `port ${p} (${name})` : `port ${p}`;
}

/** "0.88 s", "27.2 s", "0.37 ms": enough digits to read, not more. */
export function seconds(s: number): string {
  if (s < 0.001) return `${(s * 1e6).toFixed(0)} µs`;
  if (s < 1) return s < 0.1 ? `${(s * 1000).toFixed(2)} ms` : `${s.toFixed(2)} s`;
  if (s < 10) return `${s.toFixed(2)} s`;
  return `${s.toFixed(1)} s`;
}

export function seqRange(sa: SaSummary): string {
  const a = `0x${sa.firstSeq.toString(16)}`;
  const b = `0x${sa.highestSeq.toString(16)}`;
  return a === b ? `seq ${a}` : `seq ${a}–${b}`;
}

function frames(a: number, b: number): string { return a === b ? `frame ${a}` : `frames ${a}–${b}`; }
function plural(n: number, one: string, many = `${one}s`): string { return `${n} ${n === 1 ? one : many}`; }
const arrow = '→';

/** One directional leak, naming the host and port that sends in the clear. */
function leakText(f: CleartextFlow): string {
  const ports = f.protocol === 6 || f.protocol === 17;
  const from = ports ? `${f.src} ${port(f.srcPort)}` : f.src;
  const to = ports ? `${f.dst} ${port(f.dstPort)}` : f.dst;
  return `${protocolName(f.protocol)} in cleartext between IPsec peers: ${from} ${arrow} ${to}, ` +
    `${plural(f.packets, 'packet')} outside ESP (${frames(f.firstFrame, f.lastFrame)}); ` +
    `the IPsec policy on ${f.src} is leaking`;
}

/** A leaked TCP segment sent again and again: the receiver (expecting ESP) drops it. */
function backoffText(f: CleartextFlow, answered: boolean): string | null {
  if (f.protocol !== 6 || f.tcpFirstSegmentSends < 2) return null;
  const n = Math.min(f.tcpFirstSegmentSends, f.times.length);
  const gaps: string[] = [];
  for (let i = 1; i < n; i++) gaps.push(seconds(Math.max(0, f.times[i]! - f.times[i - 1]!)));
  return `The leaked ${f.tcpFirstSegmentLength}-byte TCP segment (seq ${f.tcpFirstSegmentSeq}) was sent ` +
    `${f.tcpFirstSegmentSends} times, retransmitted with RTO backoff ${gaps.join(', ')}` +
    (answered ? '' : `, and never ACKed in cleartext: ${f.dst} is dropping it`);
}

function silenceText(j: JointSilence): string {
  const who = j.spis.length === 2 ? 'Both ESP SAs' : j.spis.length > 2 ? `All ${j.spis.length} ESP SAs` : 'ESP SA';
  const during = j.cleartextPackets > 0
    ? ` while ${plural(j.cleartextPackets, 'packet')} went in cleartext`
    : j.otherPackets > 0 ? ` while ${plural(j.otherPackets, 'other packet')} passed` : '';
  return `${who} between ${j.hosts[0]} and ${j.hosts[1]} (${j.spis.join(', ')}) fell silent for ${seconds(j.seconds)} ` +
    `(${frames(j.fromFrame, j.toFrame)})${during}`;
}

export function saText(sa: SaSummary): string {
  const udp = sa.udpEncapsulated ? ' in UDP' : '';
  const esn = sa.wraps > 0 ? ' (counter went past 2^32: ESN)' : '';
  return `${sa.protocol.toUpperCase()}${udp} SA ${sa.spi} ${sa.src} ${arrow} ${sa.dst}: ${seqRange(sa)}${esn}, ` +
    `${plural(sa.packets, 'packet')}, ${frames(sa.firstFrame, sa.lastFrame)}`;
}

interface KindText { priority: number; text: (n: number) => string }

/** Sequence and SA findings, by kind (AH shares them with its own prefix). */
const KINDS: Record<string, KindText> = {
  auth_failed: { priority: 90, text: (n) => `${plural(n, 'packet')} failed the ESP integrity check (ICV)` },
  replay: { priority: 80, text: (n) => `${plural(n, 'duplicate sequence number')} (replayed or duplicated packets)` },
  sequence_restart: { priority: 78, text: (n) => `sequence counter restarted ${plural(n, 'time')} without a new SPI` },
  outside_replay_window: { priority: 72, text: (n) => `${plural(n, 'packet')} too late for the replay window (a receiver drops them)` },
  esn_needed: { priority: 70, text: (n) => `sequence counter near 2^32 on ${plural(n, 'SA')}: without ESN it must rekey before the counter wraps` },
  one_way_sa: { priority: 66, text: (n) => `${plural(n, 'SA')} with no IPsec traffic in the reverse direction (one-way)` },
  sequence_gap: { priority: 62, text: (n) => `${plural(n, 'sequence gap')} (packets lost before the capture point)` },
  reserved_spi: { priority: 58, text: (n) => `${plural(n, 'SA')} using a reserved SPI (0-255)` },
  sequence_zero: { priority: 55, text: (n) => `${plural(n, 'SA')} sent sequence number 0 (invalid: a counter starts at 1)` },
  out_of_order: { priority: 45, text: (n) => `${plural(n, 'packet')} out of order` },
  rekey: { priority: 25, text: (n) => `${plural(n, 'rekey')} (new SPI between the same peers)` },
};

export function espFindings(r: EspReport): EspFinding[] {
  const out: EspFinding[] = [];
  const leaks = r.cleartext;
  const answered = (f: CleartextFlow): boolean =>
    leaks.some((g) => g.src === f.dst && g.dst === f.src && g.protocol === f.protocol && g.srcPort === f.dstPort && g.dstPort === f.srcPort);
  leaks.slice(0, 3).forEach((f, i) => {
    out.push({ priority: 96 - i, section: 'esp', text: leakText(f), frame: f.firstFrame });
    const b = backoffText(f, answered(f));
    if (b) out.push({ priority: 95 - i, section: 'esp', text: b, frame: f.frames[1] ?? f.firstFrame });
  });
  if (leaks.length > 3) {
    out.push({ priority: 92, section: 'esp', text: `${leaks.length - 3} more cleartext flows between IPsec peers (${r.cleartextPackets} leaked packets in all)` });
  }
  for (const j of r.jointSilences.slice(0, 3)) {
    out.push({ priority: j.cleartextPackets > 0 ? 94 : 75, section: 'esp', text: silenceText(j), frame: j.toFrame });
  }
  const urgent = out.length > 0;
  for (const [kind, n] of Object.entries(r.findings)) {
    const [proto, name] = kind.split('.') as [string, string];
    const k = KINDS[name];
    if (!k || name === 'silence' || name === 'cleartext') continue;
    const first = r.firstFinding[kind];
    const where = first && first.spi ? `; first on ${proto.toUpperCase()} SA ${first.spi} ${first.src} ${arrow} ${first.dst}, frame ${first.frame}` : '';
    out.push({ priority: k.priority, section: 'esp', text: `${proto.toUpperCase()}: ${k.text(n)}${where}`, frame: first?.frame });
  }
  // The SAs themselves are context for the findings above: name them while there are few.
  const listed = r.sas.length <= 4 ? r.sas : [];
  for (const sa of listed) out.push({ priority: urgent ? 90 : 40, section: 'esp', text: saText(sa), frame: sa.firstFrame });
  if (listed.length === 0 && r.saCount > 0) {
    out.push({ priority: urgent ? 90 : 40, section: 'esp', text: `${plural(r.saCount, 'IPsec SA')}, ${r.packets.esp} ESP and ${r.packets.ah} AH packets` });
  }
  const tb = r.timeBackwards;
  if (tb.count > 0) {
    out.push({
      // Says more than the capture summary's count (first frame, size of the step), so it replaces that line.
      priority: urgent ? 89 : 45, section: 'esp', frame: tb.firstFrame, about: 'timestamps_backwards',
      text: `Capture time went backwards ${tb.count === 1 ? 'once' : `${tb.count} times`} (first at frame ${tb.firstFrame}, ` +
        `by up to ${seconds(tb.largestStepSeconds)}); intervals use the latest time seen, never negative`,
    });
  }
  if (r.evicted.sas > 0) {
    out.push({ priority: 50, section: 'esp', text: `SA table full (${r.options.maxSas} SAs): ${plural(r.evicted.sas, 'idle SA')} evicted ` +
      `(${r.evicted.packets} packets); their findings up to eviction were reported` });
  }
  if (r.decryption && r.decryption.authFailed === 0 && r.decryption.unverified > 0) {
    out.push({ priority: 30, section: 'esp', text: `${plural(r.decryption.unverified, 'decrypted packet')} not integrity-checked (no authentication key given)` });
  }
  return out.sort((a, b) => b.priority - a.priority);
}
