/**
 * `zsniff top`: a full-screen live view of the analysis `zsniff analyze`
 * runs (the same AnalysisSession, so the two never disagree): a header with
 * rates and drops, the streams table most-troubled first, the IPsec panel,
 * the most serious finding, and keys to move, graph, filter, sort, pause
 * and write a stream to a pcap. From an interface (`-i IF [FILTER]`) or a
 * capture file replayed at its own pace (`--fast`: as fast as it reads).
 * `q` restores the terminal and prints the summary of `zsniff analyze`.
 *
 * Exit codes: 0 ok; 2 usage or input error (no terminal, a bad option, a
 * damaged file: its summary up to the damage is printed first).
 */
import * as fs from 'node:fs';
import { basename } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Argv, CommandModule } from 'yargs';
import { AnalysisSession, type AnalyzeOptions } from '../../analyze/index.js';
import { DEFAULT_TCP_OPTIONS } from '../../analyze/tcp/tcp-analyzer.js';
import { MAX_REPLAY_WINDOW } from '../../analyze/esp/index.js';
import { openCaptures } from '../../source/capture-set.js';
import { NEED_INPUT, type CaptureFile } from '../../source/capture-file.js';
import { compileFilter, type PacketFilter } from '../../source/bpf-filter.js';
import { CaptureFormatError, type CaptureInfo, type PacketRecord } from '../../source/packet-record.js';
import { MAX_PCAP_CAPLEN } from '../../source/record-parser.js';
import type { LiveCapture, LiveCaptureInfo } from '../../source/live/live-capture.js';
import { shouldColor, type ColorChoice } from '../../sink/color.js';
import { renderSummary } from '../../sink/report/summary.js';
import { readKeys } from '../../sink/top/keys.js';
import { PacketHistory } from '../../sink/top/packet-history.js';
import { TerminalScreen } from '../../sink/top/screen.js';
import { StreamWatch } from '../../sink/top/stream-watch.js';
import { TopView, type SourceStatus } from '../../sink/top/top-view.js';
import { espOptionsFromArgs, withEspSecretOptions } from '../esp-options.js';
import { reportError, UsageError } from '../errors.js';
import { filterExpression } from '../options.js';

interface TopArgs {
  args?: (string | number)[];
  i?: string;
  fast?: boolean;
  color: ColorChoice;
  'max-flows': number;
  top: number;
  ring: number;
  'write-dir': string;
  'esp-secrets'?: string | string[];
  E?: string | string[];
  'replay-window': number;
}

/** Events kept for the final summary's "worst events" (as capture --analyze). */
const SUMMARY_EVENTS = 5000;
/** Refreshes a second at most; slower when a refresh costs more than a tenth of its interval. */
const REFRESH_MS = 200;
const MAX_COST_SHARE = 0.1;

const NOT_A_TERMINAL = 'zsniff top draws a full-screen view and needs a terminal on standard input and output; ' +
  "without one, use 'zsniff capture -i IF --analyze' (the summary at the end) or 'zsniff capture -i IF --events' " +
  "(each event as a JSON line), or 'zsniff analyze FILE'";

export const topCommand: CommandModule<object, TopArgs> = {
  command: 'top [args..]',
  describe: 'full-screen live view: streams most in trouble first, IPsec SAs, findings (an interface or a file)',
  builder: (y: Argv) => withEspSecretOptions(y
    .positional('args', { type: 'string', array: true, describe: 'with -i: a libpcap filter expression; without: capture files (merged by time)' })
    .option('i', { alias: 'interface', type: 'string', describe: 'capture live on this interface' })
    .option('fast', { type: 'boolean', describe: 'replay a file as fast as it reads instead of at its own pace' })
    .option('color', { choices: ['auto', 'always', 'never'] as const, default: 'auto' as const, describe: 'colour (NO_COLOR and FORCE_COLOR are honoured)' })
    .option('max-flows', { type: 'number', default: DEFAULT_TCP_OPTIONS.maxFlows, describe: 'most TCP connections tracked at once' })
    .option('top', { type: 'number', default: 15, describe: 'rows of the streams table in the summary printed on quitting' })
    .option('ring', { type: 'number', default: 64, describe: 'with -i: MiB of shared ring between the capture thread and zsniff' })
    .option('write-dir', { type: 'string', default: '.', describe: "folder where 'w' writes stream-N.pcap files" }),
    'decrypted packets are analysed too')
    .option('replay-window', { type: 'number', default: 64, describe: `IPsec anti-replay window in packets (1-${MAX_REPLAY_WINDOW})` })
    .example('$0 top -i eth0', 'watch every connection on eth0, the most troubled first')
    .example("$0 top -i eth0 'tcp port 443'", 'only HTTPS')
    .example('$0 top trace.pcap', 'replay a capture at its own pace')
    .example('$0 top --fast trace.pcap', 'as fast as it reads, then browse the result')
    .epilog('Keys: arrows or j/k move, Enter graph (t cycles sequence/throughput/RTT/window), / filter (BPF or text), ' +
      's sort, p pause, w write the stream to a pcap, ? help, q quit and print the summary of zsniff analyze.\n' +
      'Needs a terminal: for pipes and scripts use capture --analyze or --events.\n' +
      'Exit codes: 0 ok, 2 usage or input error (no terminal, bad option, damaged file).') as unknown as Argv<TopArgs>,
  handler: async (args) => {
    (args as { exitCode?: number }).exitCode = await runTop(args);
  },
};

/** A packet source for the view: a file replay or a live capture. */
interface TopSource {
  name: string;
  live: boolean;
  pace?: string;
  linkType(): number;
  drops(): SourceStatus['drops'];
  run(onPacket: (p: PacketRecord) => void): Promise<void>;
  stop(): void;
  /** Capture seconds since the first packet (files), or wall seconds since the start (live). */
  elapsed(latest: number): number;
  info(): Pick<CaptureInfo, 'name' | 'format' | 'compressed'>;
  /** After run: the capture statistics to print (live). */
  closing(): string;
}

async function runTop(a: TopArgs): Promise<number> {
  if (!process.stdout.isTTY || !process.stdin.isTTY) throw new UsageError(NOT_A_TERMINAL);
  if (!['auto', 'always', 'never'].includes(a.color)) throw new UsageError(`--color is auto, always or never, not '${a.color}'`);
  if (!Number.isInteger(a['max-flows']) || a['max-flows'] < 1) throw new UsageError(`--max-flows takes a whole number of at least 1, not '${a['max-flows']}'`);
  if (!Number.isInteger(a.top) || a.top < 0) throw new UsageError(`--top takes a whole number, not '${a.top}'`);
  if (!fs.existsSync(a['write-dir']) || !fs.statSync(a['write-dir']).isDirectory()) throw new UsageError(`--write-dir '${a['write-dir']}' is not a folder`);
  const esp = espOptionsFromArgs(a);
  const positional = (a.args ?? []).map(String);
  if (a.i === undefined && positional.length === 0) throw new UsageError('name a capture file, or an interface with -i (zsniff interfaces lists them)');
  if (a.i !== undefined && a.fast) throw new UsageError('--fast replays a file; it means nothing with -i');
  const source = a.i !== undefined ? await liveSource(a, filterExpression(positional)) : await fileSource(positional, Boolean(a.fast));

  const watch = new StreamWatch();
  const history = new PacketHistory();
  let packets = 0, bytes = 0;
  const options: AnalyzeOptions = {
    maxEvents: SUMMARY_EVENTS,
    options: { tcp: { maxFlows: a['max-flows'], observer: watch }, esp },
    onPacket: (pkt) => {
      packets++;
      bytes += pkt.origLen;
      if (watch.current >= 0) { history.add(watch.current, pkt); watch.current = -1; }
    },
  };
  const session = new AnalysisSession(options);
  const color = shouldColor(a.color);
  const view = new TopView(color, watch, (s) => history.first(s));
  const screen = new TerminalScreen(process.stdin, process.stdout);

  let quit: () => void = () => {};
  const quitting = new Promise<void>((resolve) => { quit = resolve; });
  let ended = false;
  let failure: unknown = null;
  let captureError: Error | null = null as Error | null;
  const started = performance.now();
  const cost = { refreshes: 0, ms: 0, longest: 0 };
  // Refresh costs in tenths of a millisecond (the last bucket holds the rest), for the median: the
  // first refreshes, while the code is still being compiled, weigh heavily in the mean.
  const costTenths = new Uint32Array(1001);

  const refresh = (full: boolean): void => {
    const t0 = performance.now();
    const cpu0 = process.cpuUsage();
    if (full && !view.paused) view.update(session.reportSoFar(source.info()), session.latestTime);
    const latest = Number.isNaN(session.latestTime) ? 0 : session.latestTime;
    view.updateStatus({
      name: source.name, live: source.live, pace: source.pace, ended, packets, bytes, drops: source.drops(),
      elapsedSeconds: source.elapsed(latest),
    }, (performance.now() - started) / 1000);
    const { columns, rows } = screen.size;
    screen.draw(view.frame(columns, rows));
    // CPU time, not wall time: on a busy machine the wall clock also counts other processes' turns.
    const cpu = process.cpuUsage(cpu0);
    const ms = (cpu.user + cpu.system) / 1000;
    cost.refreshes++; cost.ms += ms; cost.longest = Math.max(cost.longest, ms);
    costTenths[Math.min(1000, Math.round(ms * 10))]!++;
    lastCost = Math.min(ms, performance.now() - t0);
  };
  let lastCost = 0;
  let timer: NodeJS.Timeout | undefined;
  const schedule = (): void => {
    timer = setTimeout(() => { refresh(true); schedule(); }, Math.max(REFRESH_MS, lastCost / MAX_COST_SHARE));
  };

  const onKeys = (chunk: Buffer | string): void => {
    for (const k of readKeys(chunk.toString())) {
      view.message = view.paused ? view.message : '';
      const action = view.key(k);
      if (action === 'quit') { quit(); return; }
      if (action === 'write') void writeStream(view, history, a['write-dir']).then(() => refresh(false));
      if (action === 'filter') applyFilter(view, source.linkType());
    }
    refresh(false);
  };
  const onResize = (): void => { screen.invalidate(); refresh(false); };
  const onSignal = (): void => { quit(); };
  const restore = (): void => { screen.leave(); };
  const onCrash = (err: unknown): void => {
    screen.leave();
    process.exitCode = reportError(err);
    process.exit();
  };

  screen.enter();
  process.on('exit', restore);
  process.on('uncaughtException', onCrash);
  process.on('unhandledRejection', onCrash);
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  process.on('SIGHUP', onSignal);
  process.stdout.on('resize', onResize);
  process.stdin.on('data', onKeys);
  process.stdin.resume();
  refresh(true);
  schedule();

  const running = source.run(session.onPacket).then(
    () => { ended = true; refresh(true); },
    (err: unknown) => {
      ended = true;
      if (err instanceof CaptureFormatError || err instanceof UsageError) { captureError = err; view.message = `capture damaged: ${err.message.split('\n')[0]}`; refresh(true); }
      else { failure = err; quit(); }
    });
  try {
    await quitting;
    source.stop();
    await running;
  } finally {
    clearTimeout(timer);
    process.stdin.off('data', onKeys);
    process.stdin.pause();
    process.stdout.off('resize', onResize);
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    process.off('SIGHUP', onSignal);
    process.off('uncaughtException', onCrash);
    process.off('unhandledRejection', onCrash);
    screen.leave();
    process.off('exit', restore);
  }
  if (failure !== null) throw failure;
  const report = session.finish(source.info(), captureError);
  process.stdout.write(renderSummary(report, { color, maxStreams: a.top, width: process.stdout.columns || 100 }));
  const closing = source.closing();
  if (closing) process.stderr.write(closing);
  const elapsed = (performance.now() - started) / 1000;
  const total = process.cpuUsage();
  const processMs = (total.user + total.system) / 1000;
  process.stderr.write(`zsniff top: ${cost.refreshes} screen refreshes took ${cost.ms.toFixed(0)} ms of CPU ` +
    `(${(cost.ms / cost.refreshes || 0).toFixed(1)} ms each, median ${median(costTenths, cost.refreshes).toFixed(1)} ms, longest ${cost.longest.toFixed(1)} ms; ${(cost.ms / processMs * 100).toFixed(1)}% of the ` +
    `${processMs.toFixed(0)} ms the process used in ${elapsed.toFixed(1)} s), ${screen.bytesWritten} bytes drawn\n`);
  return captureError ? reportError(captureError) : 0;
}

/** The median of `count` values counted in tenth-of-a-unit buckets. */
function median(tenths: Uint32Array, count: number): number {
  let seen = 0;
  for (let i = 0; i < tenths.length; i++) {
    seen += tenths[i]!;
    if (seen * 2 >= count && seen > 0) return i / 10;
  }
  return 0;
}

function applyFilter(view: TopView, linkType: number): void {
  const text = view.input.trim();
  if (text === '') { view.setFilter('', null); return; }
  let bpf: PacketFilter | null = null;
  try {
    bpf = compileFilter(text, linkType, MAX_PCAP_CAPLEN);
  } catch {
    // Not a BPF expression (libpcap refused it): it is text to find in the rows.
    bpf = null;
  }
  view.setFilter(text, bpf);
}

async function writeStream(view: TopView, history: PacketHistory, dir: string): Promise<void> {
  const stream = view.selectedStreamId;
  if (stream < 0) { view.message = 'no stream selected'; return; }
  let path = `${dir}/stream-${stream}.pcap`;
  for (let n = 2; fs.existsSync(path); n++) path = `${dir}/stream-${stream}-${n}.pcap`;
  try {
    const n = await history.write(stream, path, false);
    const { dropped } = history.kept(stream);
    view.message = n === 0 ? `stream ${stream}: no packets kept` :
      `wrote ${n} packets of stream ${stream} to ${path}${dropped > 0 ? ` (its ${dropped} earliest packets were past the history bound)` : ''}`;
  } catch (err) {
    view.message = `could not write ${path}: ${(err as Error).message}`;
  }
}

async function fileSource(files: string[], fast: boolean): Promise<TopSource> {
  const capture: CaptureFile = openCaptures(files);
  await capture.ready();
  let stopped = false;
  let first = NaN;
  return {
    name: files.length > 1 ? `${basename(files[0]!)} and ${files.length - 1} more` : basename(files[0]!),
    live: false,
    pace: fast ? 'fast' : 'own pace',
    linkType: () => capture.info.interfaces[0]?.linkType ?? 1,
    drops: () => undefined,
    stop: () => { stopped = true; },
    elapsed: (latest) => (Number.isNaN(first) ? 0 : Math.max(0, latest - first)),
    info: () => capture.info,
    closing: () => '',
    run: async (onPacket) => {
      let wall0 = 0, n = 0;
      try {
        while (!stopped) {
          const p = capture.nextBuffered();
          if (p === NEED_INPUT) { await capture.readMore(); continue; }
          if (p === null) break;
          const t = p.tsSec + p.tsNsec / 1e9;
          if (Number.isNaN(first)) { first = t; wall0 = performance.now(); }
          if (!fast) {
            // The record stays valid while we wait: nothing reads the next one meanwhile.
            for (let wait = wall0 + (t - first) * 1000 - performance.now(); wait > 1 && !stopped; wait = wall0 + (t - first) * 1000 - performance.now()) {
              await sleep(Math.min(wait, 100));
            }
            if (stopped) break;
          }
          onPacket(p);
          // Let keys and the screen's timer run now and then.
          if ((++n & 0xfff) === 0) await new Promise<void>((resolve) => setImmediate(resolve));
        }
      } finally {
        capture.close();
      }
    },
  };
}

async function liveSource(a: TopArgs, filter: string | undefined): Promise<TopSource> {
  if (!(a.ring > 0)) throw new UsageError(`--ring must be a positive number, not ${a.ring}`);
  const { LiveCapture } = await import('../../source/live/live-capture.js');
  const capture: LiveCapture = LiveCapture.open({ device: a.i!, filter, ringMiB: a.ring });
  const started = performance.now();
  let info: LiveCaptureInfo | undefined;
  return {
    name: a.i!,
    live: true,
    linkType: () => capture.linkType,
    drops: () => {
      const s = capture.statistics();
      return { kernel: s.kernelDrops, interface: s.interfaceDrops, ring: s.ringDrops };
    },
    stop: () => capture.stop(),
    elapsed: () => (performance.now() - started) / 1000,
    info: () => ({ name: a.i!, format: 'live', compressed: false }),
    closing: () => {
      if (!info) return '';
      const s = info.live;
      return `${s.captured} packets captured\n${s.received} packets received by filter\n${s.kernelDrops} packets dropped by kernel\n` +
        `${s.interfaceDrops} packets dropped by interface\n${s.ringDrops} packets dropped by ring\n`;
    },
    run: async (onPacket) => {
      info = await capture.run((p) => { onPacket(p); });
      if (info.error !== undefined) throw new UsageError(`${a.i}: capture stopped: ${info.error}`);
    },
  };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
