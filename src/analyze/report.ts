/**
 * The JSON report `zsniff analyze --json` prints, and that `analyzeCapture`
 * returns. Each analyzer owns one section (`tcp`, `esp`, ...); the common
 * parts (capture description, headline findings, events) live here.
 */
import type { AnalysisEvent } from './analyzer.js';
import type { FRAGMENT_ANOMALY_NAMES } from '../decode/reassembly.js';

/** What was read, as far as the analysis is concerned. */
export interface CaptureSummary {
  /** File name as given ('-' for standard input), or the interface name for live capture. */
  file: string;
  format: string;
  compressed: boolean;
  packets: number;
  /** Epoch seconds of the first and last packet (null for an empty capture). */
  firstTime: number | null;
  lastTime: number | null;
  /** Seconds between the earliest and the latest timestamp seen. */
  duration: number;
  /** pcap LINKTYPE_* values seen, with names where known. */
  linkTypes: { linkType: number; name: string }[];
  /** Packets whose timestamp is earlier than the packet before them. */
  timestampsBackwards: number;
  /** Packets the decoders could not take to the transport layer (truncated, malformed). */
  undecodable: number;
  /** Set when the capture is damaged: what was read before the damage is analysed. */
  error?: string;
  /** IP reassembly, when the capture holds fragments. */
  ipFragments?: FragmentSummary;
}

/** What IP reassembly did (`decode/reassembly.ts` says its bounds). */
export interface FragmentSummary {
  /** Fragments seen. */
  fragments: number;
  /** Datagrams rebuilt and analysed whole. */
  reassembled: number;
  /** Datagrams never completed (timed out, pushed out by the bounds, open at the end). */
  incomplete: number;
  evicted: number;
  /** Fragments the capture cut short: analysed as they are. */
  notReassembled: number;
  /** Fragments overlapping earlier ones with the same data, and with different data. */
  overlaps: number;
  overlapConflicts: number;
  /** Last fragments disagreeing on the datagram's length, or data past it. */
  endConflicts: number;
  /** Datagrams over 65,535 bytes, and datagrams with more fragments than the bound: dropped. */
  tooLong: number;
  floods: number;
}

/** Which count of the fragment summary each `ip.fragment_*` event kind adds to (threshold rules read them here). */
export const FRAGMENT_EVENT_COUNTS: { readonly [K in (typeof FRAGMENT_ANOMALY_NAMES)[number]]: keyof FragmentSummary } = {
  'ip.fragment_overlap': 'overlaps',
  'ip.fragment_overlap_conflict': 'overlapConflicts',
  'ip.fragment_end_conflict': 'endConflicts',
  'ip.fragment_too_long': 'tooLong',
  'ip.fragment_flood': 'floods',
};

/**
 * A headline: one line a person should read first. Every analyzer offers
 * some; the summary shows the highest priorities at the top, whichever
 * section they come from.
 */
export interface Finding {
  /** 0..100; 90+ is "stop and look", 50 worth knowing, below 20 background. */
  priority: number;
  /** The section that raised it ('tcp', 'esp', 'capture'). */
  section: string;
  /** One line of plain text (no colour codes). */
  text: string;
  /** Frame a reader should open first, when there is one. */
  frame?: number;
  stream?: number;
  /**
   * A capture-wide subject a section explains in more detail (e.g.
   * 'timestamps_backwards'): the capture's own line on it is then left out.
   */
  about?: string;
}

/** The top-level report; sections beyond `tcp` are added by their analyzers. */
export interface AnalysisReport {
  zsniff: string;
  capture: CaptureSummary;
  findings: Finding[];
  tcp?: unknown;
  esp?: unknown;
  /** Every event, in frame order, up to the limit given to analyzeCapture. */
  events: AnalysisEvent[];
  /** Events not kept in `events` because of the limit (they were still counted and streamed). */
  eventsOmitted: number;
  [section: string]: unknown;
}
