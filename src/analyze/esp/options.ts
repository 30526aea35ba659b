import type { EspSecret } from './secrets.js';

/** How the ESP analysis behaves; every field has a default. */
export interface EspAnalysisOptions {
  /** Anti-replay window in packets (RFC 4303 suggests 32, Linux uses 64..4096). Default 64. */
  replayWindow?: number;
  /** ICMP between IPsec peers is not a leak (many policies pass it). Default true. */
  allowIcmp?: boolean;
  /** At most this many SAs are tracked; the least recently active are evicted. Default 100,000. */
  maxSas?: number;
  /** An SA quiet this long while its hosts keep exchanging other packets is reported. Default 5 s. */
  silenceSeconds?: number;
  /** Events per SA (and per cleartext flow) before further ones are only counted. Default 100. */
  maxEventsPerSa?: number;
  /** Keys for decryption; without them ESP payloads stay opaque. */
  secrets?: readonly EspSecret[];
  /**
   * Count in-order packets as runs (in-order-runs.ts). Default true; false
   * sends every packet through the general path, which gives the same
   * results more slowly (tests compare the two).
   */
  inOrderRuns?: boolean;
}

export interface ResolvedEspOptions {
  replayWindow: number;
  allowIcmp: boolean;
  maxSas: number;
  silenceSeconds: number;
  maxEventsPerSa: number;
  secrets: readonly EspSecret[];
  inOrderRuns: boolean;
}

export const MAX_REPLAY_WINDOW = 1 << 16;

export function resolveEspOptions(o: EspAnalysisOptions = {}): ResolvedEspOptions {
  const replayWindow = o.replayWindow ?? 64;
  if (!Number.isInteger(replayWindow) || replayWindow < 1 || replayWindow > MAX_REPLAY_WINDOW) {
    throw new RangeError(`replay window must be an integer from 1 to ${MAX_REPLAY_WINDOW}, not ${replayWindow}`);
  }
  // 20,000 SAs (and host pairs) keep analyze under 150 MB even on a capture of 100,000+ SPIs.
  const maxSas = o.maxSas ?? 20_000;
  if (!Number.isInteger(maxSas) || maxSas < 1) throw new RangeError(`maximum SA count must be a positive integer, not ${maxSas}`);
  return {
    replayWindow,
    allowIcmp: o.allowIcmp ?? true,
    maxSas,
    silenceSeconds: o.silenceSeconds ?? 5,
    maxEventsPerSa: o.maxEventsPerSa ?? 100,
    secrets: o.secrets ?? [],
    inOrderRuns: o.inOrderRuns ?? true,
  };
}
