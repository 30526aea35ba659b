/**
 * The ESP part of the human summary: SA table, findings by kind, leaks,
 * silences and decryption totals, as plain text lines (the caller colours
 * and indents). Headlines for the top of the summary come from
 * `espFindings` in the analysis stage; this is the detail below them.
 */
import type { EspReport, SaSummary } from '../../analyze/esp/report.js';
import { protocolName, saText, seconds } from '../../analyze/esp/findings.js';
import type { CleartextFlow } from '../../analyze/esp/cleartext-leak-detector.js';

/** SAs shown in the table before "... and N more". */
const MAX_SA_ROWS = 20;

interface EspSummaryOptions {
  /** Show every SA instead of the first 20 (by first frame). */
  allSas?: boolean;
}

/** A cleartext flow's endpoints, with ports for TCP and UDP: `10.0.0.1:80 → 10.0.0.2:5000`. */
export function leakEndpoints(f: CleartextFlow, arrow: string): string {
  const ports = f.protocol === 6 || f.protocol === 17;
  return ports ? `${f.src}:${f.srcPort} ${arrow} ${f.dst}:${f.dstPort}` : `${f.src} ${arrow} ${f.dst}`;
}

export function renderEspSummary(r: EspReport, opts: EspSummaryOptions = {}): string[] {
  const out: string[] = [];
  if (r.saCount === 0 && r.cleartext.length === 0) return out;
  const udp = r.packets.udpEncapsulated > 0 ? ` (${r.packets.udpEncapsulated} in UDP 4500)` : '';
  out.push(`IPsec: ${r.saCount} SA${r.saCount === 1 ? '' : 's'}, ${r.packets.esp} ESP${udp} and ${r.packets.ah} AH packets`);
  const rows = opts.allSas ? r.sas : r.sas.slice(0, MAX_SA_ROWS);
  for (const sa of rows) out.push(`  ${saText(sa)}${saNotes(sa)}`);
  const hidden = r.saCount - rows.length;
  if (hidden > 0) out.push(`  ... and ${hidden} more SA${hidden === 1 ? '' : 's'}`);

  // Kinds are ASCII names: plain code-unit order, not localeCompare (whose
  // first call loads ICU's collator, ~7 ms of every run).
  const kinds = Object.entries(r.findings).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  if (kinds.length > 0) {
    out.push('ESP/AH findings (--json lists each event with its frame):');
    for (const [kind, n] of kinds) {
      const first = r.firstFinding[kind];
      const at = first ? `, first at frame ${first.frame}${first.spi ? ` (SA ${first.spi})` : ''}` : '';
      out.push(`  ${kind.padEnd(28)} ${String(n).padStart(6)}${at}`);
    }
  }
  for (const f of r.cleartext.slice(0, 10)) {
    out.push(`Cleartext ${protocolName(f.protocol)} ${leakEndpoints(f, '→')}: ${f.packets} packets, ` +
      `${f.bytes} bytes, frames ${f.firstFrame}–${f.lastFrame}`);
  }
  if (r.cleartext.length > 10) out.push(`  ... and ${r.cleartext.length - 10} more cleartext flows`);
  for (const j of r.jointSilences.slice(0, 10)) {
    out.push(`Silence: ${j.spis.join(', ')} between ${j.hosts[0]} and ${j.hosts[1]} for ${seconds(j.seconds)} ` +
      `(frames ${j.fromFrame}–${j.toFrame}), ${j.otherPackets} other packets meanwhile`);
  }
  const d = r.decryption;
  if (d) {
    out.push(`Decryption: ${d.decrypted} of ${d.attempted + d.noKey} ESP packets decrypted ` +
      `(${d.verified} ICV verified, ${d.unverified} not verifiable without an authentication key), ` +
      `${d.authFailed} failed the ICV check, ${d.failed} undecryptable, ${d.noKey} without a key`);
    for (const [why, n] of Object.entries(d.failures)) out.push(`  ${n} × ${why}`);
    if (d.keys.length <= 4) for (const k of d.keys) out.push(`  key: ${k}`);
    else out.push(`  ${d.keys.length} keys loaded`);
  }
  if (r.evicted.sas > 0) {
    out.push(`SA table capped at ${r.options.maxSas}: ${r.evicted.sas} least recently active SAs evicted ` +
      `(${r.evicted.packets} packets, ${r.evicted.bytes} bytes); their events were reported before eviction`);
  }
  if (r.suppressedEvents > 0) out.push(`${r.suppressedEvents} further ESP events only counted (per-SA event cap)`);
  return out;
}

function saNotes(sa: SaSummary): string {
  const notes: string[] = [];
  if (sa.missing > 0) notes.push(`${sa.missing} missing`);
  if (sa.replays > 0) notes.push(`${sa.replays} replayed`);
  if (sa.outOfOrder > 0) notes.push(`${sa.outOfOrder} out of order (depth ≤ ${sa.maxReorderDepth})`);
  if (sa.restarts > 0) notes.push(`${sa.restarts} restart${sa.restarts === 1 ? '' : 's'}`);
  if (sa.authFailures > 0) notes.push(`${sa.authFailures} ICV failures`);
  if (sa.replaces) notes.push(`replaces ${sa.replaces}`);
  if (sa.longestSilenceSeconds >= 1) notes.push(`longest silence ${seconds(sa.longestSilenceSeconds)}`);
  return notes.length > 0 ? `; ${notes.join(', ')}` : '';
}
