/**
 * The ESP section of an analysis report: plain data (JSON-safe), built once
 * at the end from the analyzer's tables. Sinks render it; nothing here
 * formats for humans beyond address and SPI text.
 */
import { formatAddress, formatSpi } from './address.js';
import type { CleartextFlow } from './cleartext-leak-detector.js';
import { describeSecret } from './secrets.js';
import { IpProto } from '../../decode/layers.js';
import { Slot } from './byte-key-index.js';
import { SaAnomaly, SaFlag, type SaRecord } from './sa-record.js';
import type { SaTable } from './sa-table.js';
import type { ResolvedEspOptions } from './options.js';

export interface SaSummary {
  protocol: 'esp' | 'ah';
  spi: string;
  src: string;
  dst: string;
  /** Carried in UDP (NAT traversal, RFC 3948). */
  udpEncapsulated: boolean;
  firstFrame: number;
  lastFrame: number;
  firstTime: number;
  lastTime: number;
  packets: number;
  bytes: number;
  /** The first valid sequence number (a 0 that is not past 2^32 is none). */
  firstSeq: number;
  /** Of the last packet; `highestSeq` is the window's right edge. */
  lastSeq: number;
  highestSeq: number;
  /** Numbers skipped and never seen later. */
  missing: number;
  gaps: number;
  replays: number;
  outOfOrder: number;
  maxReorderDepth: number;
  outsideWindow: number;
  /** Counter started again at a low number that the next packet went on from. */
  restarts: number;
  /** Times the counter went on past 2^32 (the low 32 bits of an extended sequence number). */
  wraps: number;
  silences: number;
  longestSilenceSeconds: number;
  authFailures: number;
  decrypted: number;
  /** SPI this SA replaced (same direction), if any. */
  replaces: string | null;
  replacedBy: string | null;
  packetsAfterReplaced: number;
}

export interface SilenceEpisode {
  protocol: 'esp' | 'ah';
  spi: string;
  src: string;
  dst: string;
  seconds: number;
  fromFrame: number;
  toFrame: number;
  fromTime: number;
  toTime: number;
  /** Packets between the same two hosts during the silence. */
  otherPackets: number;
  cleartextPackets: number;
}

/** SAs of one host pair that were silent over a common interval. */
export interface JointSilence {
  hosts: [string, string];
  spis: string[];
  /** The interval every SA in the group was silent. */
  fromTime: number;
  toTime: number;
  seconds: number;
  fromFrame: number;
  toFrame: number;
  otherPackets: number;
  cleartextPackets: number;
}

/** The first occurrence of a finding kind (SA fields empty for capture-wide kinds). */
export interface FirstFinding {
  frame: number;
  spi: string;
  seq: number;
  src: string;
  dst: string;
}

export interface TimeBackwardsSummary {
  count: number;
  firstFrame: number;
  largestStepSeconds: number;
}

export interface EspReport {
  packets: { esp: number; ah: number; udpEncapsulated: number };
  saCount: number;
  /** SAs listed (busiest and anomalous first if there were too many to list). */
  sas: SaSummary[];
  sasNotListed: number;
  findings: Record<string, number>;
  firstFinding: Record<string, FirstFinding>;
  cleartext: CleartextFlow[];
  cleartextPackets: number;
  cleartextFlowsEvicted: number;
  silences: SilenceEpisode[];
  jointSilences: JointSilence[];
  timeBackwards: TimeBackwardsSummary;
  evicted: { sas: number; packets: number; bytes: number; hostPairs: number };
  decryption: {
    keys: string[];
    attempted: number; decrypted: number; verified: number; unverified: number;
    authFailed: number; failed: number; dummy: number; noKey: number;
    failures: Record<string, number>;
  } | null;
  suppressedEvents: number;
  options: { replayWindow: number; allowIcmp: boolean; maxSas: number; silenceSeconds: number };
}

/** What the report builder reads from the analyzer (kept narrow on purpose). */
interface EspReportSource {
  readonly options: ResolvedEspOptions;
  readonly sas: SaTable;
  readonly pairs: { evictedPairs: number };
  readonly leaks: { flows(): CleartextFlow[]; totalPackets: number; evictedFlows: number };
  readonly findingCounts: Record<string, number>;
  readonly firstFinding: Record<string, FirstFinding>;
  readonly silences: SilenceEpisode[];
  readonly timeBackwards: TimeBackwardsSummary;
  readonly decryption: { attempted: number; decrypted: number; verified: number; unverified: number; authFailed: number; failed: number; dummy: number; noKey: number };
  readonly suppressedEvents: number;
  readonly espPackets: number;
  readonly ahPackets: number;
  readonly udpEncapsulated: number;
}

/** SAs listed in full in a report; the rest are counted. */
const MAX_SAS_LISTED = 1000;

export function buildEspReport(a: EspReportSource, decryptFailures: Record<string, number>): EspReport {
  const t = a.sas;
  let records = t.live();
  const total = records.length;
  if (records.length > MAX_SAS_LISTED) {
    records = records.sort((x, y) => anomalyScore(y) - anomalyScore(x) || y.packets - x.packets).slice(0, MAX_SAS_LISTED);
  }
  const sas = records.map((sa) => summarize(t, sa)).sort((x, y) => x.firstFrame - y.firstFrame);
  const o = a.options;
  return {
    packets: { esp: a.espPackets, ah: a.ahPackets, udpEncapsulated: a.udpEncapsulated },
    saCount: total,
    sas,
    sasNotListed: total - sas.length,
    findings: { ...a.findingCounts },
    firstFinding: { ...a.firstFinding },
    cleartext: a.leaks.flows(),
    cleartextPackets: a.leaks.totalPackets,
    cleartextFlowsEvicted: a.leaks.evictedFlows,
    silences: [...a.silences],
    jointSilences: joinSilences(a.silences),
    timeBackwards: { ...a.timeBackwards },
    evicted: { ...t.evicted, hostPairs: a.pairs.evictedPairs },
    decryption: o.secrets.length === 0 ? null : {
      keys: o.secrets.map(describeSecret),
      ...a.decryption,
      failures: decryptFailures,
    },
    suppressedEvents: a.suppressedEvents,
    options: { replayWindow: o.replayWindow, allowIcmp: o.allowIcmp, maxSas: o.maxSas, silenceSeconds: o.silenceSeconds },
  };
}

function anomalyScore(sa: SaRecord): number {
  let n = 0;
  for (const k of [SaAnomaly.Gap, SaAnomaly.Replay, SaAnomaly.OutOfOrder, SaAnomaly.OutsideWindow,
    SaAnomaly.Restart, SaAnomaly.Silence, SaAnomaly.AuthFailed]) n += sa.anomaly(k);
  return n;
}

function summarize(t: SaTable, sa: SaRecord): SaSummary {
  const { key, src, dst } = t.keyOf(sa.slot);
  const v = sa.version;
  const pred = sa.predecessor;
  const succ = sa.successor;
  return {
    protocol: sa.isAh ? 'ah' : 'esp',
    spi: formatSpi(sa.spi),
    src: formatAddress(key, src, v),
    dst: formatAddress(key, dst, v),
    udpEncapsulated: (sa.flags & SaFlag.SeenInUdp) !== 0,
    firstFrame: sa.firstFrame, lastFrame: sa.lastFrame,
    firstTime: sa.firstTime, lastTime: sa.lastTime,
    packets: sa.packets, bytes: sa.bytes,
    firstSeq: sa.firstSeq, lastSeq: sa.lastSeq, highestSeq: sa.highestSeq,
    missing: sa.missing,
    gaps: sa.anomaly(SaAnomaly.Gap),
    replays: sa.anomaly(SaAnomaly.Replay),
    outOfOrder: sa.anomaly(SaAnomaly.OutOfOrder),
    maxReorderDepth: sa.maxReorderDepth,
    outsideWindow: sa.anomaly(SaAnomaly.OutsideWindow),
    restarts: sa.anomaly(SaAnomaly.Restart),
    wraps: sa.anomaly(SaAnomaly.Wrap),
    silences: sa.anomaly(SaAnomaly.Silence),
    longestSilenceSeconds: sa.maxGap,
    authFailures: sa.anomaly(SaAnomaly.AuthFailed),
    decrypted: sa.anomaly(SaAnomaly.Decrypted),
    replaces: pred === Slot.None ? null : formatSpi(t.record(pred).spi),
    replacedBy: succ === Slot.None ? null : formatSpi(t.record(succ).spi),
    packetsAfterReplaced: sa.lateAfterRekey,
  };
}

/** Groups silences of one host pair whose intervals overlap into one episode. */
export function joinSilences(list: readonly SilenceEpisode[]): JointSilence[] {
  const byPair = new Map<string, SilenceEpisode[]>();
  for (const e of list) {
    const hosts = [e.src, e.dst].sort();
    const k = hosts.join(' ');
    const l = byPair.get(k);
    if (l) l.push(e); else byPair.set(k, [e]);
  }
  const out: JointSilence[] = [];
  for (const [k, episodes] of byPair) {
    episodes.sort((x, y) => x.fromTime - y.fromTime);
    let group: SilenceEpisode[] = [];
    let from = 0;
    let to = 0;
    const flush = (): void => {
      if (group.length === 0) return;
      const hosts = k.split(' ') as [string, string];
      out.push({
        hosts, spis: group.map((g) => g.spi), fromTime: from, toTime: to, seconds: Math.max(0, to - from),
        fromFrame: Math.max(...group.map((g) => g.fromFrame)), toFrame: Math.min(...group.map((g) => g.toFrame)),
        otherPackets: Math.max(...group.map((g) => g.otherPackets)),
        cleartextPackets: Math.max(...group.map((g) => g.cleartextPackets)),
      });
      group = [];
    };
    for (const e of episodes) {
      if (group.length > 0 && e.fromTime < to) {
        group.push(e);
        from = Math.max(from, e.fromTime);
        to = Math.min(to, e.toTime);
      } else {
        flush();
        group = [e];
        from = e.fromTime;
        to = e.toTime;
      }
    }
    flush();
  }
  return out.sort((x, y) => x.fromTime - y.fromTime);
}
