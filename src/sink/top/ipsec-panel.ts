/**
 * The IPsec panel of `zsniff top`: the SAs of the ESP section as it stands
 * (peers, packets per second since the last refresh, where the sequence
 * counter is, gaps, replays, how long the SA has been silent) and the
 * cleartext leaks between IPsec peers.
 */
import type { EspReport, SaSummary } from '../../analyze/esp/report.js';
import { protocolName } from '../../analyze/esp/findings.js';
import { formatSeconds } from '../../analyze/units.js';
import { leakEndpoints } from '../report/esp.js';
import { rateText } from './streams-panel.js';
import { TextRow, type Paint } from './text-row.js';

/** Packets per second of each SA since the previous refresh. */
export class SaRates {
  private previous = new Map<string, number>();
  private previousTime = NaN;

  update(sas: readonly SaSummary[], captureTime: number): Map<string, number> {
    const dt = captureTime - this.previousTime;
    const rates = new Map<string, number>();
    const next = new Map<string, number>();
    for (const sa of sas) {
      const key = saKey(sa);
      const before = this.previous.get(key);
      next.set(key, sa.packets);
      rates.set(key, before !== undefined && dt > 0 ? (sa.packets - before) / dt : 0);
    }
    if (!(dt <= 0)) { this.previous = next; this.previousTime = captureTime; }
    return rates;
  }
}

function saKey(sa: SaSummary): string {
  return `${sa.protocol} ${sa.spi} ${sa.src} ${sa.dst}`;
}

interface PanelStyle { heading: Paint; warn: Paint; bad: Paint; dim: Paint }

/** Up to `height` lines: a heading, the SAs with most trouble first, then the leaks. */
export function renderIpsecPanel(r: EspReport, rates: Map<string, number>, captureTime: number, columns: number,
  height: number, st: PanelStyle): string[] {
  if (height <= 0 || (r.saCount === 0 && r.cleartext.length === 0)) return [];
  const leaks = r.cleartext.length;
  const out = [new TextRow().add(`IPsec: ${r.saCount} SA${r.saCount === 1 ? '' : 's'}, ${r.packets.esp} ESP, ${r.packets.ah} AH packets`, st.heading)
    .add(leaks > 0 ? `   ${leaks} cleartext leak${leaks === 1 ? '' : 's'} between peers` : '', st.bad).render(columns)];
  const trouble = (sa: SaSummary): number => sa.replays * 10 + sa.missing + sa.outOfOrder + sa.authFailures * 20 + sa.restarts * 10;
  const sas = r.sas.slice().sort((x, y) => trouble(y) - trouble(x) || x.firstFrame - y.firstFrame);
  const leakLines = Math.min(leaks, height >= 6 ? 2 : 1);
  const saRows = Math.max(0, height - 1 - leakLines);
  out.push(new TextRow().add(`  ${'SA'.padEnd(12)} ${'peers'.padEnd(33)} ${'pkt/s'.padStart(6)} ${'seq'.padStart(10)} ${'gaps'.padStart(5)} ${'miss'.padStart(5)} ${'repl'.padStart(5)}  silent`, st.dim).render(columns));
  for (const sa of sas.slice(0, Math.max(0, saRows - 1))) {
    const silent = captureTime - sa.lastTime;
    const peers = `${sa.src} -> ${sa.dst}`;
    const text = `  ${`${sa.protocol.toUpperCase()} ${sa.spi}`.padEnd(12)} ${peers.slice(0, 33).padEnd(33)} ${rateText(rates.get(saKey(sa)) ?? 0).padStart(6)} ` +
      `${String(sa.highestSeq).padStart(10)} ${String(sa.gaps).padStart(5)} ${String(sa.missing).padStart(5)} ${String(sa.replays).padStart(5)}  ` +
      `${silent >= 1 ? formatSeconds(silent) : '-'}${sa.longestSilenceSeconds >= 1 ? ` (longest ${formatSeconds(sa.longestSilenceSeconds)})` : ''}`;
    out.push(new TextRow().add(text, sa.replays > 0 || sa.authFailures > 0 ? st.bad : sa.missing > 0 ? st.warn : undefined).render(columns));
  }
  for (const f of r.cleartext.slice(0, leakLines)) {
    out.push(new TextRow().add(`  leak: ${protocolName(f.protocol)} ${leakEndpoints(f, '->')} in the clear, ` +
      `${f.packets} packets from frame ${f.firstFrame}`, st.bad).render(columns));
  }
  return out.slice(0, height);
}
