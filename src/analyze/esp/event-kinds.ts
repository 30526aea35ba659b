/**
 * The event kinds the ESP analyzer reports: the one list, which the
 * analyzer's event names are typed against and `--fail-on` offers as
 * metrics (analyze/thresholds.ts).
 */

/** Findings about one SA, named `esp.<kind>` for ESP and `ah.<kind>` for AH. */
export const SA_EVENT_KINDS = [
  'reserved_spi', 'sequence_zero', 'esn_needed', 'silence', 'sequence_gap', 'replay', 'out_of_order',
  'outside_replay_window', 'sequence_restart', 'rekey', 'one_way_sa',
] as const;
type SaEventKind = (typeof SA_EVENT_KINDS)[number];

/** Findings only ESP analysis has: `esp.<kind>`. */
export const ESP_ONLY_EVENT_KINDS = ['auth_failed', 'cleartext', 'time_backwards'] as const;
type EspOnlyEventKind = (typeof ESP_ONLY_EVENT_KINDS)[number];

/** An SA finding's event name. */
export function saEventName(isAh: boolean, kind: SaEventKind): string {
  return `${isAh ? 'ah' : 'esp'}.${kind}`;
}

/** An ESP-only finding's event name. */
export function espEventName(kind: EspOnlyEventKind): string {
  return `esp.${kind}`;
}

/** Every event name, ESP's first, in the order `--help` lists them. */
export const ESP_EVENT_NAMES: readonly string[] = [
  ...SA_EVENT_KINDS.map((k) => saEventName(false, k)),
  ...ESP_ONLY_EVENT_KINDS.map(espEventName),
  ...SA_EVENT_KINDS.map((k) => saEventName(true, k)),
];
