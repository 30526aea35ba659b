/**
 * `zsniff capture -i IFACE [FILTER...]`: live capture with tcpdump's habits.
 * Writes pcap files straight from the shared ring (-w), prints packets, or
 * both (--print), analyses them (--analyze, --graph), and always ends with
 * the capture statistics on stderr.
 *
 * Exit codes: 0 the capture ended as asked (Ctrl-C, SIGTERM, SIGHUP, -c, -W,
 * a closed output pipe); 1 a --fail-on rule fired; 2 the capture could not
 * start, or ended by itself: the interface went away, or the output could
 * not be written (files stay valid up to the last whole packet).
 */
import type { Argv, CommandModule } from 'yargs';
import { espOptionsFromArgs, withEspSecretOptions } from '../esp-options.js';
import { systemErrorText, UsageError } from '../errors.js';
import { failOnRules, type FailOnArgs } from '../fail-on.js';
import { createPacketOutput } from '../packet-output.js';
import type { PacketOutput } from '../packet-output.js';
import { filterExpression, packetOutputOptions, withPacketPrintOptions } from '../options.js';
import type { PacketPrintArgs } from '../options.js';
import type { PacketHandler } from '../../source/packet-record.js';
import { MAX_PCAP_CAPLEN } from '../../source/record-parser.js';
import type { LiveCapture, LiveCaptureInfo, SpanHandler } from '../../source/live/live-capture.js';
import type { ThresholdRule } from '../../analyze/thresholds.js';
import type { EspAnalysisOptions } from '../../analyze/esp/index.js';
import { shouldColor, type ColorChoice } from '../../sink/color.js';
import { LiveAnalysis } from './capture-analysis.js';
import { LiveGraph } from './capture-graph.js';
import { CaptureOutput, parseFileSize } from './capture-output.js';
import { describeCaptureError, formatCount, printStatistics, StatusLine } from './capture-status.js';
import { listInterfaces } from './interfaces.js';
import { DEFAULT_TCP_OPTIONS } from '../../analyze/tcp/tcp-analyzer.js';

interface CaptureArgs extends PacketPrintArgs, FailOnArgs {
  i?: string;
  w?: string;
  c?: number;
  s: number;
  B?: number;
  p?: boolean;
  ring: number;
  G?: number;
  C?: string | number;
  W?: number;
  Z?: string;
  print?: boolean;
  immediate?: boolean;
  D?: boolean;
  analyze?: boolean;
  graph?: boolean;
  events?: boolean;
  top: number;
  'max-flows': number;
  'esp-secrets'?: string | string[];
  E?: string | string[];
  'replay-window': number;
  'debug-consumer-delay-ms'?: number;
  filter?: (string | number)[];
}

function builder(y: Argv): Argv<CaptureArgs> {
  return withPacketPrintOptions(withEspSecretOptions(y
    .positional('filter', { type: 'string', array: true, describe: 'libpcap filter expression, as for tcpdump' })
    .option('i', { alias: 'interface', type: 'string', describe: 'interface to capture on (default: the first one up, not loopback)' })
    .option('D', { alias: 'list-interfaces', type: 'boolean', describe: 'list interfaces and exit (as zsniff interfaces)' })
    .option('w', { type: 'string', describe: "write packets to a pcap file instead of printing; '-' is standard output" })
    .option('c', { type: 'number', describe: 'stop after this many packets' })
    .option('s', { alias: 'snapshot-length', type: 'number', default: MAX_PCAP_CAPLEN, describe: `bytes kept per packet (0 = ${MAX_PCAP_CAPLEN})` })
    .option('B', { alias: 'buffer-size', type: 'number', describe: 'kernel capture buffer in KiB' })
    .option('p', { alias: 'no-promiscuous-mode', type: 'boolean', describe: 'do not put the interface in promiscuous mode' })
    .option('ring', { type: 'number', default: 64, describe: 'MiB of shared ring between the capture thread and zsniff' })
    .option('G', { type: 'number', describe: 'with -w: start a new file every this many seconds (strftime %-conversions in the name); with --analyze: also a report per interval' })
    .option('C', { type: 'string', describe: 'with -w: start a new file when the current one exceeds this size: millions of bytes, or with k, m, g KiB, MiB, GiB (as tcpdump): FILE, FILE1, FILE2...' })
    .option('W', { type: 'number', describe: 'with -C: reuse names after this many files; with -G: stop after this many files' })
    .option('Z', { alias: 'relinquish-privileges', type: 'string', requiresArg: true, describe: 'once the interface is open, become this user (as tcpdump -Z); -w files are then created as that user' })
    .option('time-stamp-precision', { choices: ['micro', 'nano'] as const, describe: 'timestamp precision of the capture: of -w files (default micro, as tcpdump) and of printed times' })
    .option('analyze', { type: 'boolean', describe: 'TCP and IPsec analysis while capturing; the summary of zsniff analyze at the end (--json: the report)' })
    .option('events', { type: 'boolean', describe: 'with --analyze: each event as a JSON line while capturing (the summary goes to stderr)' })
    .option('graph', { type: 'boolean', describe: "the busiest TCP stream's time-sequence graph, redrawn a few times a second on a terminal (else drawn once at the end)" })
    .option('fail-on', { type: 'string', requiresArg: true, describe: "with --analyze (implied): exit 1 if RULE holds at the end or at any -G interval; rules as zsniff analyze --fail-on (repeatable; added to the config's failOn)" })
    .option('config', { type: 'string', requiresArg: true, describe: 'config file for failOn rules (default: zsniff.config.json, or "zsniff" in package.json, from the current folder upward)' })
    .option('top', { type: 'number', default: 15, describe: 'with --analyze: rows of the streams table in the summary' })
    .option('max-flows', { type: 'number', default: DEFAULT_TCP_OPTIONS.maxFlows, describe: 'with --analyze: most TCP connections tracked at once' }),
    'with --analyze, decrypted packets are analysed too')
    .option('replay-window', { type: 'number', default: 64, describe: 'with --analyze: IPsec anti-replay window in packets' })
    .option('debug-consumer-delay-ms', { type: 'number', hidden: true, describe: 'sleep this long after each ring batch (tests of a slow consumer)' })
    .option('print', { type: 'boolean', describe: 'print packets even while writing them with -w' })
    .option('immediate', { type: 'boolean', describe: 'hand on each packet at once instead of in kernel batches' })
    .example('$0 capture -i eth0', 'print every packet seen on eth0')
    .example("$0 capture -i eth0 -w out.pcap 'tcp port 443'", 'write HTTPS packets to out.pcap')
    .example('$0 capture -i eth0 -c 100 -nn udp', 'print 100 UDP packets and stop')
    .example('$0 capture -i eth0 -w trace -C 100 -W 10', 'ring of ten 100 MB files: trace0 ... trace9')
    .example("$0 capture -i eth0 -w 'dump-%H%M%S.pcap' -G 60", 'a new file every minute')
    .example('$0 capture -i eth0 -w - | tshark -r -', 'pipe pcap to another tool')
    .example("$0 capture -i eth0 --analyze 'tcp port 443'", 'analyse live; Ctrl-C prints the summary of zsniff analyze')
    .example("$0 capture -i eth0 --analyze -G 60 --fail-on 'tcp.retransmission_rate > 1%'", 'a report every minute; exit 1 if any minute (or the whole) was lossy')
    .example('$0 capture -i eth0 --graph tcp', "watch the busiest TCP stream's time-sequence graph")
    .example('$0 capture -i eth0 -Z nobody -w out.pcap', 'open the interface as root, then write as nobody')
    .example('$0 capture -D', 'list interfaces')
    .epilog('Exit codes: 0 stopped as asked (Ctrl-C, SIGTERM, SIGHUP, -c, -W, output pipe closed); 1 a --fail-on rule fired; ' +
      '2 usage error, or the capture ended by itself (interface gone, output not writable: the file stays valid)')) as unknown as Argv<CaptureArgs>;
}

function validate(a: CaptureArgs): void {
  const positive = (v: number | undefined, what: string, allowZero = false): void => {
    if (v === undefined) return;
    if (!Number.isFinite(v) || v < 0 || (!allowZero && v === 0)) throw new UsageError(`${what} must be a positive number, not ${v}`);
  };
  positive(a.c, '-c');
  positive(a.B, '-B');
  positive(a.ring, '--ring');
  positive(a.G, '-G');
  positive(a.W, '-W');
  positive(a['debug-consumer-delay-ms'], '--debug-consumer-delay-ms', true);
  positive(a.s, '-s', true);
  if (a.c !== undefined && !Number.isInteger(a.c)) throw new UsageError(`-c must be a whole number, not ${a.c}`);
  if (a.W !== undefined && !Number.isInteger(a.W)) throw new UsageError(`-W must be a whole number, not ${a.W}`);
  if ((a.C || a.W) && !a.w) throw new UsageError('-C and -W need -w FILE');
  if (a.G && !a.w && !a.analyze) throw new UsageError('-G needs -w FILE or --analyze');
  if (a.W && !a.G && !a.C) throw new UsageError('-W needs -C or -G');
  if (a.w === '-' && (a.G || a.C)) throw new UsageError('-G and -C rotate files; they cannot be used with -w -');
  if (a.w === '-' && a.print) throw new UsageError('--print with -w - would mix text into the pcap on standard output');
  if (a.w === '-' && (a.analyze || a.graph)) throw new UsageError('--analyze and --graph print on standard output; they cannot be used with -w -');
  if (a.graph && a.analyze && (a.json || a.events)) throw new UsageError('--graph draws on standard output; it cannot be combined with --json or --events');
  if (a.print && a.analyze && (a.json || a.events)) throw new UsageError('--print would mix packet lines into the --json or --events output');
  if (!Number.isInteger(a.top) || a.top < 0) throw new UsageError(`--top takes a whole number, not '${a.top}'`);
  if (!Number.isInteger(a['max-flows']) || a['max-flows'] < 1) throw new UsageError(`--max-flows takes a whole number of at least 1, not '${a['max-flows']}'`);
}

function rotateBytes(a: CaptureArgs): number {
  if (a.C === undefined) return 0;
  try {
    return parseFileSize(a.C);
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}

function isBrokenPipe(err: unknown): boolean {
  return (err as NodeJS.ErrnoException | undefined)?.code === 'EPIPE';
}

type StopReason = 'signal' | 'pipe' | 'files' | 'output';
const STOP_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/** Ends the capture; the first reason given is the one reported. */
class CaptureStop {
  reason: StopReason | undefined;
  /** Standard output's reader went away: nothing more is printed or drawn. */
  pipeClosed = false;
  private signals = 0;

  constructor(private readonly capture: LiveCapture) {}

  stop(reason: StopReason): void {
    this.reason ??= reason;
    this.capture.stop();
  }

  pipeBroke(): void {
    this.pipeClosed = true;
    this.stop('pipe');
  }

  private readonly onSignal = (): void => {
    // A second Ctrl-C while draining means: stop now, whatever it costs.
    if (++this.signals > 1) process.exit(130);
    this.stop('signal');
  };

  private readonly onStdoutError = (err: Error): void => {
    if (isBrokenPipe(err)) this.pipeBroke();
  };

  /** Stops on Ctrl-C, SIGTERM, SIGHUP and a closed standard output until the returned function is called. */
  listen(): () => void {
    process.stdout.on('error', this.onStdoutError);
    for (const s of STOP_SIGNALS) process.on(s, this.onSignal);
    return () => {
      for (const s of STOP_SIGNALS) process.off(s, this.onSignal);
      process.stdout.off('error', this.onStdoutError);
    };
  }
}

function openCapture(LiveCaptureClass: typeof LiveCapture, a: CaptureArgs, device: string): LiveCapture {
  return LiveCaptureClass.open({
    device,
    snaplen: a.s === 0 ? MAX_PCAP_CAPLEN : a.s,
    promiscuous: !a.p,
    bufferKiB: a.B,
    immediate: Boolean(a.immediate),
    filter: filterExpression(a.filter),
    maxPackets: a.c ?? 0,
    ringMiB: a.ring,
    nanosecond: a['time-stamp-precision'] === 'nano',
  });
}

/**
 * -Z, then the -w files. As tcpdump: privileges go once the device is open,
 * before any file is created. If either fails the capture is closed first.
 */
async function openOutput(LiveCaptureClass: typeof LiveCapture, capture: LiveCapture, a: CaptureArgs,
  rotateBytes: number): Promise<CaptureOutput | undefined> {
  try {
    if (a.Z !== undefined) {
      if (process.getuid?.() === 0 || process.geteuid?.() === 0) LiveCaptureClass.dropPrivileges(a.Z);
      else process.stderr.write(`zsniff: warning: -Z ${a.Z} ignored: not running as root\n`);
    }
    if (a.w === undefined) return undefined;
    return new CaptureOutput({
      path: a.w, linkType: capture.linkType, snaplen: capture.snaplen, nanosecond: capture.nanosecond,
      rotateBytes, rotateSeconds: a.G ?? 0, maxFiles: a.W ?? 0,
    });
  } catch (err) {
    capture.stop();
    await capture.run().catch(() => undefined);
    throw err;
  }
}

/** Writes the ring's records to the -w files; stops the capture when they fail or -W is reached. */
function spanWriter(out: CaptureOutput, stop: CaptureStop): SpanHandler {
  return (bytes, offset, length) => {
    out.writeSpan(bytes, offset, length);
    if (out.failure !== undefined && stop.reason === undefined) {
      if (isBrokenPipe(out.failure)) stop.pipeBroke();
      else stop.stop('output');
    }
    if (out.fileLimitReached) stop.stop('files');
  };
}

function liveAnalysis(a: CaptureArgs, device: string, rules: ThresholdRule[], esp: EspAnalysisOptions): LiveAnalysis | undefined {
  if (!a.analyze && !a.graph) return undefined;
  return new LiveAnalysis({
    name: device, report: Boolean(a.analyze), json: Boolean(a.json), events: Boolean(a.events), rules,
    intervalSeconds: a.analyze ? a.G ?? 0 : 0, color: a.color ?? 'auto', top: a.top, maxFlows: a['max-flows'], esp,
    graph: a.graph ? new LiveGraph() : undefined,
  });
}

/** Packets print unless they only go to -w files or only to the analysis (--print prints them anyway). */
function packetPrinter(a: CaptureArgs, analysis: LiveAnalysis | undefined): PacketOutput | undefined {
  if ((a.w !== undefined || analysis) && !a.print) return undefined;
  // With --analyze, --json means the report: packets print as lines.
  return createPacketOutput({ ...packetOutputOptions(a), json: Boolean(a.json) && !analysis });
}

/**
 * Each packet to the analysis and then the printer. Once standard output is
 * gone nothing more is printed and the capture stops; without an analysis
 * the packets still in the ring are not handed on either.
 */
function packetHandler(analyse: PacketHandler | undefined, printer: PacketOutput | undefined,
  stop: CaptureStop): PacketHandler | undefined {
  if (!printer) return analyse;
  const drainToAnalysis = analyse !== undefined;
  return (pkt) => {
    if (analyse) analyse(pkt);
    if (!stop.pipeClosed && printer.onPacket(pkt) === false) stop.pipeBroke();
    return drainToAnalysis || !stop.pipeClosed;
  };
}

function batchEnd(printer: PacketOutput | undefined, stop: CaptureStop, delayMs: number): () => Promise<void> {
  return async () => {
    if (printer && !stop.pipeClosed) printer.flush();
    if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
  };
}

function announce(capture: LiveCapture, device: string): void {
  const name = capture.dltName ?? `DLT ${capture.linkType}`;
  const desc = capture.dltDescription ? ` (${capture.dltDescription})` : '';
  if (capture.warning) process.stderr.write(`zsniff: warning: ${device}: ${capture.warning}\n`);
  process.stderr.write(`zsniff: listening on ${device}, link-type ${name}${desc}, snapshot length ${capture.snaplen} bytes\n`);
}

/** The --graph on standard output: on a terminal, redrawn over the whole screen while capturing. */
class GraphScreen {
  readonly onTerminal = Boolean(process.stdout.isTTY);
  private readonly color: boolean;

  constructor(private readonly graph: LiveGraph, color: ColorChoice) {
    this.color = shouldColor(color);
  }

  get changed(): boolean {
    return this.graph.changed;
  }

  draw(): void {
    const text = this.graph.render(process.stdout.columns || 100, process.stdout.rows || 30, this.color);
    process.stdout.write(this.onTerminal ? `\x1b[H\x1b[2J${text}` : text);
  }
}

/** What runs on timers while capturing: the status line, -G interval ends, the graph's redraws. */
class CaptureTimers {
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly status: StatusLine | undefined;

  constructor(capture: LiveCapture, analysis: LiveAnalysis | undefined, intervals: boolean, screen: GraphScreen | undefined) {
    const liveScreen = screen?.onTerminal ? screen : undefined;
    // A terminal's graph owns the screen: no status line under it.
    const status = process.stderr.isTTY && !liveScreen ? new StatusLine(process.stderr) : undefined;
    this.status = status;
    if (status) this.timers.push(setInterval(() => status.draw(capture.statistics()), 250));
    // Intervals end on time even when no packet comes.
    if (analysis && intervals) this.timers.push(setInterval(() => analysis.tick(), 250));
    if (liveScreen) this.timers.push(setInterval(() => { if (liveScreen.changed) liveScreen.draw(); }, 300));
  }

  stop(): void {
    for (const t of this.timers) clearInterval(t);
    this.status?.clear();
  }
}

/** Flushes and closes the printer and the -w files; returns the first failure that is not a closed pipe. */
async function closeOutputs(printer: PacketOutput | undefined, output: CaptureOutput | undefined): Promise<unknown> {
  let failure: unknown;
  try {
    await printer?.finish();
  } catch (err) {
    if (!isBrokenPipe(err)) failure = err;
  }
  try {
    await output?.close();
  } catch (err) {
    if (!isBrokenPipe(err)) failure ??= err;
  }
  return failure;
}

/** An open capture and where its packets go. */
interface CaptureParts {
  capture: LiveCapture;
  device: string;
  stop: CaptureStop;
  output: CaptureOutput | undefined;
  analysis: LiveAnalysis | undefined;
  printer: PacketOutput | undefined;
  screen: GraphScreen | undefined;
}

/** Opens the interface and everything its packets go to; everything that can be refused is refused first. */
async function openParts(a: CaptureArgs): Promise<CaptureParts> {
  validate(a);
  const fileSize = rotateBytes(a);
  const rules = a.analyze ? failOnRules(a) : [];
  const esp = a.analyze ? espOptionsFromArgs(a) : { replayWindow: 64 };
  const { LiveCapture } = await import('../../source/live/live-capture.js');
  const device = a.i ?? LiveCapture.defaultDevice();
  const capture = openCapture(LiveCapture, a, device);
  const stop = new CaptureStop(capture);
  const output = await openOutput(LiveCapture, capture, a, fileSize);
  const analysis = liveAnalysis(a, device, rules, esp);
  const printer = packetPrinter(a, analysis);
  const screen = analysis?.graph ? new GraphScreen(analysis.graph, a.color ?? 'auto') : undefined;
  return { capture, device, stop, output, analysis, printer, screen };
}

/** Runs the capture until it stops and the ring is drained; closes the outputs. */
async function consume(p: CaptureParts, a: CaptureArgs): Promise<{ info: LiveCaptureInfo, failure: unknown }> {
  const { capture, stop, output, analysis, printer } = p;
  const unlisten = stop.listen();
  announce(capture, p.device);
  const timers = new CaptureTimers(capture, analysis, Boolean(a.analyze && a.G), p.screen);
  let info: LiveCaptureInfo;
  let failure: unknown;
  try {
    info = await capture.run(packetHandler(analysis?.onPacket, printer, stop), output && spanWriter(output, stop),
      batchEnd(printer, stop, a['debug-consumer-delay-ms'] ?? 0), analysis ? () => analysis.tick() : undefined);
  } finally {
    timers.stop();
    failure = await closeOutputs(printer, output);
    unlisten();
  }
  return { info, failure };
}

/** The statistics, the final graph and report; the exit code, or the error that ended the capture. */
function conclude(p: CaptureParts, a: CaptureArgs, info: LiveCaptureInfo, failure: unknown): number {
  const { output, stop, analysis } = p;
  const writeFailure = output?.failure !== undefined && !isBrokenPipe(output.failure) ? output.failure : undefined;
  printStatistics(info, writeFailure ? output!.packetsNotWritten : undefined);
  if (stop.reason === 'files') process.stderr.write(`zsniff: maximum file limit reached: ${a.W}\n`);
  if (p.screen && !stop.pipeClosed) p.screen.draw();
  const captureError = info.error !== undefined ? new UsageError(describeCaptureError(p.device, info)) : null;
  const rulesCode = analysis && !stop.pipeClosed ? analysis.finish(captureError) : 0;
  if (writeFailure) {
    const where = writeFailure.path ?? output!.currentFile;
    throw new UsageError(`${where}: ${systemErrorText(writeFailure)}: writing stopped there; the file holds every packet ` +
      `before it, and ${formatCount(output!.packetsNotWritten)} packets were not written`);
  }
  if (captureError) throw captureError;
  if (failure !== undefined) throw failure;
  return rulesCode;
}

async function runCapture(a: CaptureArgs): Promise<number> {
  if (a.D) {
    await listInterfaces(Boolean(a.json));
    return 0;
  }
  if (a['fail-on'] !== undefined || a.events) a.analyze = true;
  const parts = await openParts(a);
  const { info, failure } = await consume(parts, a);
  return conclude(parts, a, info, failure);
}

export const captureCommand: CommandModule<object, CaptureArgs> = {
  command: 'capture [filter..]',
  describe: 'capture live packets from an interface (tcpdump-style: -i -w -c -s -B -p -G -C -W)',
  builder,
  handler: async (argv) => {
    const code = await runCapture(argv);
    if (code !== 0) process.exitCode = code;
  },
};
