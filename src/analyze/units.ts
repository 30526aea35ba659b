/** Seconds and byte counts as the reports, findings and the capture status line print them. */

export function formatSeconds(s: number): string {
  if (s >= 100) return `${s.toFixed(0)} s`;
  if (s >= 1) return `${s.toFixed(2)} s`;
  if (s >= 0.001) return `${(s * 1000).toFixed(s >= 0.1 ? 0 : 1)} ms`;
  return `${(s * 1e6).toFixed(0)} us`;
}

/**
 * Decimal units (kB, MB, GB). `megabyteDigits`: decimals shown for megabytes
 * (reports show two; the capture status line one, to stay short).
 */
export function formatBytes(n: number, megabyteDigits = 2): string {
  if (n >= 1e9) return `${(n / 1e9).toFixed(2)} GB`;
  if (n >= 1e6) return `${(n / 1e6).toFixed(megabyteDigits)} MB`;
  if (n >= 1e3) return `${(n / 1e3).toFixed(1)} kB`;
  return `${n} B`;
}
