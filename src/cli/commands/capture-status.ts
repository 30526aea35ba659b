/**
 * What `zsniff capture` says on standard error: the one-line status while
 * capturing on a terminal, the statistics at the end, and why a capture that
 * ended by itself stopped.
 */
import type { LiveCaptureInfo, LiveStatistics } from '../../source/live/live-capture.js';
import { formatBytes } from '../../analyze/units.js';

export function formatCount(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

/** The one-line status shown on a terminal while capturing. */
export class StatusLine {
  private lastPackets = 0;
  private lastTime = Date.now();
  private rate = 0;
  private drawn = false;

  constructor(private readonly stream: NodeJS.WriteStream) {}

  draw(s: LiveStatistics): void {
    const now = Date.now();
    const dt = (now - this.lastTime) / 1000;
    if (dt > 0) this.rate = (s.enqueued - this.lastPackets) / dt;
    this.lastPackets = s.enqueued;
    this.lastTime = now;
    const rate = this.rate >= 1e6 ? `${(this.rate / 1e6).toFixed(2)} Mpps` :
      this.rate >= 1e3 ? `${(this.rate / 1e3).toFixed(1)} kpps` : `${Math.round(this.rate)} pps`;
    const drops = s.kernelDrops + s.interfaceDrops + s.ringDrops;
    const dropText = drops === 0 ? 'no drops' :
      `drops: ${formatCount(s.kernelDrops)} kernel, ${formatCount(s.interfaceDrops)} interface, ${formatCount(s.ringDrops)} ring`;
    const line = `${formatCount(s.enqueued)} packets  ${rate}  ${formatBytes(s.bytes, 1)}  ${dropText}`;
    const width = (this.stream.columns || 100) - 1;
    this.stream.write(`\r${line.slice(0, width)}\x1b[K`);
    this.drawn = true;
  }

  clear(): void {
    if (this.drawn) this.stream.write('\r\x1b[K');
    this.drawn = false;
  }
}

export function printStatistics(info: LiveCaptureInfo, notWritten: number | undefined): void {
  const s = info.live;
  process.stderr.write(
    `${formatCount(s.captured)} packets captured\n` +
    `${formatCount(s.received)} packets received by filter\n` +
    `${formatCount(s.kernelDrops)} packets dropped by kernel\n` +
    `${formatCount(s.interfaceDrops)} packets dropped by interface\n` +
    `${formatCount(s.ringDrops)} packets dropped by ring\n` +
    (notWritten !== undefined ? `${formatCount(notWritten)} packets not written (the output failed)\n` : ''));
}

/** libpcap's words when the interface went away under the capture. */
const INTERFACE_GONE = /went down|disappeared|no such device|ENODEV|ENETDOWN|network is down/i;

export function describeCaptureError(device: string, info: LiveCaptureInfo): string {
  const why = info.error ?? '';
  const kept = `${formatCount(info.live.captured)} packets were captured before it`;
  if (INTERFACE_GONE.test(why)) return `${device}: the interface went away (deleted or down): ${why}; capture stopped, ${kept}`;
  return `${device}: capture stopped: ${why}; ${kept}`;
}
