/**
 * The ESP section of an analysis report: plain data (JSON-safe), built once
 * at the end from the analyzer's tables. Sinks render it; nothing here
 * formats for humans beyond address and SPI text.
 */
import { formatAddress, formatSpi } from './address.js';
import type { CleartextFlow } from './cleartext-leak-detector.js';
import { describeSecret } from './secrets.js';
import { IpProto } from '../../decode/layers.js';
import { NO_SLOT, SaAnomaly, SaFlag, SaInt, SaNum, type SaTable } from './sa-table.js';
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
export interface EspReportSource {
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
export const MAX_SAS_LISTED = 1000;

export function buildEspReport(a: EspReportSource, decryptFailures: Record<string, number>): EspReport {
  const t = a.sas;
  let slots = t.slots();
  const total = slots.length;
  if (slots.length > MAX_SAS_LISTED) {
    slots = slots.sort((x, y) => anomalyScore(t, y) - anomalyScore(t, x) || t.getNum(y, SaNum.Packets) - t.getNum(x, SaNum.Packets))
      .slice(0, MAX_SAS_LISTED);
  }
  const sas = slots.map((s) => summarize(t, s)).sort((x, y) => x.firstFrame - y.firstFrame);
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

function anomalyScore(t: SaTable, s: number): number {
  let n = 0;
  for (const k of [SaAnomaly.Gap, SaAnomaly.Replay, SaAnomaly.OutOfOrder, SaAnomaly.OutsideWindow,
    SaAnomaly.Restart, SaAnomaly.Silence, SaAnomaly.AuthFailed]) n += t.anomaly(s, k);
  return n;
}

function summarize(t: SaTable, s: number): SaSummary {
  const { key, src, dst } = t.keyOf(s);
  const v = t.getInt(s, SaInt.Version);
  const pred = t.getInt(s, SaInt.Predecessor);
  const succ = t.getInt(s, SaInt.Successor);
  const n = (field: number): number => t.getNum(s, field);
  return {
    protocol: t.getInt(s, SaInt.Protocol) === IpProto.Ah ? 'ah' : 'esp',
    spi: formatSpi(t.getU32(s, SaInt.Spi)),
    src: formatAddress(key, src, v),
    dst: formatAddress(key, dst, v),
    udpEncapsulated: (t.getInt(s, SaInt.Flags) & SaFlag.SeenInUdp) !== 0,
    firstFrame: n(SaNum.FirstFrame), lastFrame: n(SaNum.LastFrame),
    firstTime: n(SaNum.FirstTime), lastTime: n(SaNum.LastTime),
    packets: n(SaNum.Packets), bytes: n(SaNum.Bytes),
    firstSeq: t.getU32(s, SaInt.FirstSeq), lastSeq: t.getU32(s, SaInt.LastSeq), highestSeq: t.getU32(s, SaInt.HighestSeq),
    missing: n(SaNum.Missing),
    gaps: t.anomaly(s, SaAnomaly.Gap),
    replays: t.anomaly(s, SaAnomaly.Replay),
    outOfOrder: t.anomaly(s, SaAnomaly.OutOfOrder),
    maxReorderDepth: t.getInt(s, SaInt.MaxReorderDepth),
    outsideWindow: t.anomaly(s, SaAnomaly.OutsideWindow),
    restarts: t.anomaly(s, SaAnomaly.Restart),
    wraps: t.anomaly(s, SaAnomaly.Wrap),
    silences: t.anomaly(s, SaAnomaly.Silence),
    longestSilenceSeconds: n(SaNum.MaxGap),
    authFailures: t.anomaly(s, SaAnomaly.AuthFailed),
    decrypted: t.anomaly(s, SaAnomaly.Decrypted),
    replaces: pred === NO_SLOT ? null : formatSpi(t.getU32(pred, SaInt.Spi)),
    replacedBy: succ === NO_SLOT ? null : formatSpi(t.getU32(succ, SaInt.Spi)),
    packetsAfterReplaced: n(SaNum.LateAfterRekey),
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
