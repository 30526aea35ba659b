/**
 * RTO backoff chains: one segment sent again and again with gaps that
 * roughly double (0.2 s, 0.4 s, 0.8 s... or 0.88 s, 1.75 s, 3.5 s, 7.0 s).
 * Wireshark flags each retransmission on its own; the chain is the finding a
 * person wants: "this connection sat in exponential backoff for 13 s".
 */
import type { BackoffChain } from './tcp-flow.js';

/** Successive gaps within this ratio of each other count as doubling. */
const MIN_RATIO = 1.5;
const MAX_RATIO = 2.7;
/** Below Linux's minimum RTO, repeated retransmissions are not timer backoff. */
const MIN_LAST_INTERVAL_NS = 150_000_000;
/** A chain longer than this keeps counting but stops recording frames. */
const MAX_RECORDED = 32;

export interface BackoffFinding {
  /** Retransmissions of the segment (not counting the original transmission). */
  retransmissions: number;
  /** Seconds between successive transmissions: the first from the last new data sent before it. */
  intervals: number[];
  frames: number[];
  /** Seconds from the first interval's start to the last retransmission. */
  totalSeconds: number;
  /** Whether the clock went backwards inside the chain (such gaps were counted as 0). */
  clockWentBack: boolean;
}

export function startChain(seq: number, frame: number, nowNs: number, sinceNs: number): BackoffChain {
  const chain: BackoffChain = { seq, count: 1, frames: [frame], intervals: [], lastTimeNs: nowNs, clockWentBack: false };
  if (Number.isFinite(sinceNs)) addInterval(chain, nowNs - sinceNs);
  return chain;
}

export function extendChain(chain: BackoffChain, frame: number, nowNs: number): void {
  chain.count++;
  if (chain.frames.length < MAX_RECORDED) chain.frames.push(frame);
  else chain.frames[MAX_RECORDED - 1] = frame;
  addInterval(chain, nowNs - chain.lastTimeNs);
  chain.lastTimeNs = Math.max(chain.lastTimeNs, nowNs);
}

function addInterval(chain: BackoffChain, dtNs: number): void {
  if (dtNs < 0) { chain.clockWentBack = true; dtNs = 0; }
  if (chain.intervals.length < MAX_RECORDED) chain.intervals.push(dtNs);
}

/**
 * Whether the chain is a timer backoff: at least two retransmissions, and
 * the gaps, from some point to the end, at least two long and each about
 * twice the one before. The first gap is measured from the last new data
 * sent, which is the original transmission only for a tail loss, so it may
 * be dropped from the doubling test.
 */
export function judgeChain(chain: BackoffChain): BackoffFinding | null {
  const n = chain.count;
  const iv = chain.intervals;
  if (n < 2 || iv.length < 2) return null;
  if (iv[iv.length - 1]! < MIN_LAST_INTERVAL_NS) return null;
  let suffixStart = iv.length - 1;
  while (suffixStart > 0) {
    const prev = iv[suffixStart - 1]!;
    const ratio = prev > 0 ? iv[suffixStart]! / prev : Infinity;
    if (ratio < MIN_RATIO || ratio > MAX_RATIO) break;
    suffixStart--;
  }
  const doublingGaps = iv.length - suffixStart;
  if (doublingGaps < 2) return null;
  // Only the first gap may be left out; any irregular gap later breaks the chain.
  if (suffixStart > 1) return null;
  let total = 0;
  for (const v of iv) total += v;
  return {
    retransmissions: n,
    intervals: iv.map((v) => Math.round(v / 1e3) / 1e6),
    frames: chain.frames.slice(),
    totalSeconds: Math.round(total / 1e3) / 1e6,
    clockWentBack: chain.clockWentBack,
  };
}
