/**
 * The regression snapshot of one capture (`NAME.expect.json`): the part of an
 * analysis report that matters when analysis behaviour changes, in a shape
 * that diffs cleanly in review.
 *
 * Stable by construction: keys are written in a fixed order (maps sorted),
 * no wall-clock or absolute times, no paths, no version strings, and times
 * rounded to the microsecond so that float noise never shows up as a change.
 * Bump SNAPSHOT_FORMAT when the shape changes; old snapshots then fail with
 * one clear difference and `--update` rewrites them.
 */
import type { AnalysisEvent } from '../analyze/analyzer.js';
import type { AnalysisReport } from '../analyze/report.js';
import type { TcpSectionReport } from '../analyze/tcp/tcp-analyzer.js';
import type { TcpDirectionReport, TcpStreamReport } from '../analyze/tcp/stream-report.js';
import type { EspReport, SaSummary } from '../analyze/esp/report.js';
import type { JsonObject, JsonValue } from './json-value.js';

export const SNAPSHOT_FORMAT = 1;

/** Frames listed per event kind; the counts still cover every event. */
const MAX_FRAMES_PER_KIND = 200;

type RttSnapshot = { samples: number; min: number; median: number; max: number };

type TcpDirectionSnapshot = {
  packets: number;
  bytes: number;
  uniqueBytes: number;
  retransmittedBytes: number;
  windowScale: number | string;
  rtt: RttSnapshot | null;
  allDataAcked: boolean | null;
  unackedBytes: number;
  fin: boolean;
  rst: boolean;
};

/** 'complete': SYN, SYN-ACK and ACK seen; 'incomplete': a SYN but no completing ACK; 'not-seen': joined mid-stream. */
type HandshakeOutcome = 'complete' | 'incomplete' | 'not-seen';

type TcpStreamSnapshot = {
  stream: number;
  a: string;
  b: string;
  client: string | null;
  handshake: HandshakeOutcome;
  handshakeRtt: number | null;
  firstFrame: number;
  lastFrame: number;
  packets: number;
  ended: string;
  endedBy: string | null;
  aToB: TcpDirectionSnapshot;
  bToA: TcpDirectionSnapshot;
  longestStall: number | null;
  /** Non-zero finding counts, by kind without the `tcp.` prefix; an absent kind is 0. */
  counts: Record<string, number>;
  rtoBackoff: { direction: string; retransmissions: number; frames: number[] }[];
};

type TcpSnapshot = {
  packets: number;
  streamCount: number;
  streamsOmitted: number;
  ended: Record<string, number>;
  /** Every finding kind (zeros included), without the `tcp.` prefix. */
  counts: Record<string, number>;
  loneFirstFragments: number;
  streams: TcpStreamSnapshot[];
};

/**
 * An SA as the snapshot keeps it: the analysis summary without wall-clock
 * times, the longest silence in rounded microseconds. (Key order in the file
 * comes from the builder, not from this type.)
 */
type SaSnapshot = Omit<SaSummary, 'protocol' | 'firstTime' | 'lastTime' | 'longestSilenceSeconds'> & {
  protocol: string;
  longestSilence: number;
};

type CleartextFlowSnapshot = {
  src: string; dst: string; protocol: number; srcPort: number; dstPort: number;
  packets: number; bytes: number; firstFrame: number; lastFrame: number;
};

type EspSnapshot = {
  packets: { esp: number; ah: number; udpEncapsulated: number };
  saCount: number;
  /** ESP finding counts, by kind without the `esp.` prefix; an absent kind is 0. */
  counts: Record<string, number>;
  /** AH finding counts, by kind without the `ah.` prefix. */
  ahCounts: Record<string, number>;
  cleartextPackets: number;
  cleartext: CleartextFlowSnapshot[];
  decryption: {
    attempted: number; decrypted: number; verified: number; unverified: number;
    authFailed: number; failed: number; noKey: number;
  } | null;
  sas: SaSnapshot[];
};

type CaptureSnapshot = {
  format: string;
  compressed: boolean;
  packets: number;
  linkTypes: string[];
  duration: number;
  timestampsBackwards: number;
  undecodable: number;
};

export type Snapshot = {
  format: number;
  capture: CaptureSnapshot;
  /** Frames of every event, by section and kind: `events.tcp.retransmission = [5, 6]`. */
  events: Record<string, Record<string, number[]>>;
  eventsOmitted: number;
  tcp?: TcpSnapshot;
  esp?: EspSnapshot;
};

/** Seconds rounded to the microsecond: pcap resolution, and far above float noise. */
function micros(s: number): number {
  return Math.round(s * 1e6) / 1e6;
}

function sortedRecord(entries: Iterable<[string, number]>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, v] of [...entries].sort((x, y) => (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0))) out[k] = v;
  return out;
}

function withoutPrefix(counts: Record<string, number>, prefix: string, keepZeros: boolean): Record<string, number> {
  return sortedRecord(Object.entries(counts)
    .filter(([k, n]) => k.startsWith(prefix) && (keepZeros || n !== 0))
    .map(([k, n]): [string, number] => [k.slice(prefix.length), n]));
}

/** Builds snapshots from analysis reports. Holds no state; a class so the name says what it is. */
export class SnapshotBuilder {
  build(report: AnalysisReport): Snapshot {
    const c = report.capture;
    const snapshot: Snapshot = {
      format: SNAPSHOT_FORMAT,
      capture: {
        format: c.format,
        compressed: c.compressed,
        packets: c.packets,
        linkTypes: c.linkTypes.map((l) => l.name),
        duration: micros(c.duration),
        timestampsBackwards: c.timestampsBackwards,
        undecodable: c.undecodable,
      },
      events: this.events(report.events),
      eventsOmitted: report.eventsOmitted,
    };
    const tcp = report.tcp as TcpSectionReport | undefined;
    if (tcp && Array.isArray(tcp.streams)) snapshot.tcp = this.tcp(tcp);
    const esp = report.esp as EspReport | undefined;
    if (esp && Array.isArray(esp.sas)) snapshot.esp = this.esp(esp);
    return snapshot;
  }

  private events(events: readonly AnalysisEvent[]): Snapshot['events'] {
    const bySection = new Map<string, Map<string, number[]>>();
    for (const e of events) {
      const dot = e.kind.indexOf('.');
      const section = dot > 0 ? e.kind.slice(0, dot) : 'other';
      const kind = dot > 0 ? e.kind.slice(dot + 1) : e.kind;
      let kinds = bySection.get(section);
      if (!kinds) bySection.set(section, kinds = new Map());
      let frames = kinds.get(kind);
      if (!frames) kinds.set(kind, frames = []);
      frames.push(e.frame);
    }
    const out: Snapshot['events'] = {};
    for (const section of [...bySection.keys()].sort()) {
      const kinds = bySection.get(section)!;
      const inner: Record<string, number[]> = {};
      for (const kind of [...kinds.keys()].sort()) {
        // Events arrive sorted by frame, ties in analyzer order; sorting makes the list independent of that.
        inner[kind] = kinds.get(kind)!.sort((x, y) => x - y).slice(0, MAX_FRAMES_PER_KIND);
      }
      out[section] = inner;
    }
    return out;
  }

  private tcp(t: TcpSectionReport): TcpSnapshot {
    return {
      packets: t.packets,
      streamCount: t.streamsTotal,
      streamsOmitted: t.streamsOmitted,
      ended: sortedRecord(Object.entries(t.ended)),
      counts: withoutPrefix(t.counts, 'tcp.', true),
      loneFirstFragments: t.loneFirstFragments,
      streams: t.streams.map((s) => this.tcpStream(s)),
    };
  }

  private tcpStream(s: TcpStreamReport): TcpStreamSnapshot {
    const handshake: HandshakeOutcome = s.handshakeRtt !== null ? 'complete' : s.client !== null ? 'incomplete' : 'not-seen';
    return {
      stream: s.stream,
      a: s.a,
      b: s.b,
      client: s.client,
      handshake,
      handshakeRtt: s.handshakeRtt === null ? null : micros(s.handshakeRtt),
      firstFrame: s.firstFrame,
      lastFrame: s.lastFrame,
      packets: s.packets,
      ended: s.ended,
      endedBy: s.endedBy,
      aToB: this.direction(s.aToB),
      bToA: this.direction(s.bToA),
      longestStall: s.longestStall ? micros(s.longestStall.seconds) : null,
      counts: withoutPrefix(s.counts as Record<string, number>, 'tcp.', false),
      rtoBackoff: s.rtoBackoff.map((b) => ({ direction: b.direction, retransmissions: b.retransmissions, frames: [...b.frames] })),
    };
  }

  private direction(d: TcpDirectionReport): TcpDirectionSnapshot {
    return {
      packets: d.packets,
      bytes: d.bytes,
      uniqueBytes: d.uniqueBytes,
      retransmittedBytes: d.retransmittedBytes,
      windowScale: d.windowScale,
      rtt: d.rtt ? { samples: d.rtt.samples, min: micros(d.rtt.min), median: micros(d.rtt.median), max: micros(d.rtt.max) } : null,
      allDataAcked: d.allDataAcked,
      unackedBytes: d.unackedBytes,
      fin: d.fin,
      rst: d.rst,
    };
  }

  private esp(e: EspReport): EspSnapshot {
    const d = e.decryption;
    return {
      packets: { esp: e.packets.esp, ah: e.packets.ah, udpEncapsulated: e.packets.udpEncapsulated },
      saCount: e.saCount,
      counts: withoutPrefix(e.findings, 'esp.', false),
      ahCounts: withoutPrefix(e.findings, 'ah.', false),
      cleartextPackets: e.cleartextPackets,
      cleartext: e.cleartext.map((f) => ({
        src: f.src, dst: f.dst, protocol: f.protocol, srcPort: f.srcPort, dstPort: f.dstPort,
        packets: f.packets, bytes: f.bytes, firstFrame: f.firstFrame, lastFrame: f.lastFrame,
      })),
      decryption: d ? {
        attempted: d.attempted, decrypted: d.decrypted, verified: d.verified, unverified: d.unverified,
        authFailed: d.authFailed, failed: d.failed, noKey: d.noKey,
      } : null,
      sas: e.sas.map((s) => this.sa(s)),
    };
  }

  private sa(s: SaSummary): SaSnapshot {
    return {
      protocol: s.protocol,
      spi: s.spi,
      src: s.src,
      dst: s.dst,
      udpEncapsulated: s.udpEncapsulated,
      firstFrame: s.firstFrame,
      lastFrame: s.lastFrame,
      packets: s.packets,
      bytes: s.bytes,
      firstSeq: s.firstSeq,
      lastSeq: s.lastSeq,
      highestSeq: s.highestSeq,
      missing: s.missing,
      gaps: s.gaps,
      replays: s.replays,
      outOfOrder: s.outOfOrder,
      maxReorderDepth: s.maxReorderDepth,
      outsideWindow: s.outsideWindow,
      restarts: s.restarts,
      wraps: s.wraps,
      silences: s.silences,
      longestSilence: micros(s.longestSilenceSeconds),
      authFailures: s.authFailures,
      decrypted: s.decrypted,
      replaces: s.replaces,
      replacedBy: s.replacedBy,
      packetsAfterReplaced: s.packetsAfterReplaced,
    };
  }
}

/** Width beyond which a list of plain values is wrapped. */
const LIST_WIDTH = 100;

function serializeValue(v: JsonValue, indent: string): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v);
  const inner = `${indent}  `;
  if (Array.isArray(v)) {
    if (v.length === 0) return '[]';
    if (v.every((x) => x === null || typeof x !== 'object')) {
      // Frame lists stay compact: a few lines to read, not one number per line.
      const items = v.map((x) => JSON.stringify(x));
      const oneLine = `[${items.join(', ')}]`;
      if (indent.length + oneLine.length <= LIST_WIDTH) return oneLine;
      const lines: string[] = [];
      let line = '';
      for (const item of items) {
        if (line !== '' && inner.length + line.length + item.length + 2 > LIST_WIDTH) { lines.push(line); line = ''; }
        line += line === '' ? item : ` ${item}`;
        line += ',';
      }
      lines.push(line.slice(0, -1));
      return `[\n${lines.map((l) => inner + l).join('\n')}\n${indent}]`;
    }
    return `[\n${v.map((x) => inner + serializeValue(x, inner)).join(',\n')}\n${indent}]`;
  }
  const keys = Object.keys(v);
  if (keys.length === 0) return '{}';
  return `{\n${keys.map((k) => `${inner}${JSON.stringify(k)}: ${serializeValue(v[k]!, inner)}`).join(',\n')}\n${indent}}`;
}

/**
 * The snapshot file's text: two-space JSON with lists of plain values kept on
 * a few lines, and a final newline; byte-identical for equal snapshots.
 */
export function serializeSnapshot(snapshot: Snapshot | JsonObject): string {
  return `${serializeValue(snapshot as JsonValue, '')}\n`;
}
