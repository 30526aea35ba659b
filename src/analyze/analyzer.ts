/**
 * The contract between the decode stage and every analyzer. Analyzers see
 * each decoded packet once, in capture order, and report findings as events.
 */
import type { DecodedPacket } from '../decode/decoded-packet.js';

/**
 * One finding about one packet. `frame` is the 1-based packet number (as in
 * tshark) and `kind` a dotted name such as `tcp.retransmission` or
 * `esp.sequence_gap`. Events are rare, so building objects for them is fine.
 */
export interface AnalysisEvent {
  frame: number;
  kind: string;
  /** Seconds since the epoch, as a float (for display and ordering). */
  time: number;
  [detail: string]: unknown;
}

export type EventListener = (event: AnalysisEvent) => void;

export interface Analyzer {
  /** Called for every packet in capture order; must not keep `d` or its views. */
  onPacket(d: DecodedPacket): void;
  /** Called once after the last packet. */
  finish(): void;
}
