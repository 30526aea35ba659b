/**
 * The ESP analyzer as a report section for `analyzeCapture`: options come
 * from `ctx.options.esp`, events go to `ctx.emit`.
 */
import type { DecodedPacket } from '../../decode/decoded-packet.js';
import type { Analyzer } from '../analyzer.js';
import type { AnalyzerContext } from '../section.js';
import { EspAnalyzer } from './esp-analyzer.js';
import type { EspAnalysisOptions } from './options.js';

export function createEspSectionAnalyzer(ctx: AnalyzerContext): EspAnalyzer {
  return new EspAnalyzer((ctx.options.esp ?? {}) as EspAnalysisOptions, ctx.emit);
}

/** An analyzer that produces decrypted inner packets (ESP with keys). */
export interface InnerPacketSource {
  onInnerPacket: ((inner: DecodedPacket, outer: DecodedPacket) => void) | null;
}

function isInnerPacketSource(a: unknown): a is InnerPacketSource {
  return typeof a === 'object' && a !== null && 'onInnerPacket' in a;
}

/**
 * Sends every decrypted inner packet through the other analyzers (TCP
 * analysis sees the flows inside the tunnel, with the outer frame number).
 * Nothing is wired when no key was given, so plain captures pay nothing.
 */
export function forwardInnerPackets(analyzers: readonly Analyzer[]): void {
  for (const a of analyzers) {
    if (!isInnerPacketSource(a)) continue;
    if (a instanceof EspAnalyzer && a.options.secrets.length === 0) continue;
    const others = analyzers.filter((b) => b !== a);
    a.onInnerPacket = (inner) => {
      for (let i = 0; i < others.length; i++) others[i]!.onPacket(inner);
    };
  }
}
