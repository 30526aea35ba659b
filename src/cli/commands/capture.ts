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
import type { LiveCaptureInfo, LiveStatistics, SpanHandler } from '../../source/live/live-capture.js';
import { shouldColor } from '../../sink/color.js';
import { LiveAnalysis } from './capture-analysis.js';
import { LiveGraph } from './capture-graph.js';
import { CaptureOutput, parseFileSize } from './capture-output.js';
import { listInterfaces } from './interfaces.js';
import { DEFAULT_TCP_OPTIONS } from '../../analyze/tcp/tcp-analyzer.js';
import { formatBytes } from '../../analyze/units.js';

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

function formatCount(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

/** The one-line status shown on a terminal while capturing. */
class StatusLine {
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

function printStatistics(info: LiveCaptureInfo, notWritten: number | undefined): void {
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

function isBrokenPipe(err: unknown): boolean {
  return (err as NodeJS.ErrnoException | undefined)?.code === 'EPIPE';
}

async function runCapture(a: CaptureArgs): Promise<number> {
  if (a.D) {
    await listInterfaces(Boolean(a.json));
    return 0;
  }
  if (a['fail-on'] !== undefined || a.events) a.analyze = true;
  validate(a);
  const fileSize = rotateBytes(a);
  // Everything that can be refused is refused before the interface is opened.
  const rules = a.analyze ? failOnRules(a) : [];
  const esp = a.analyze ? espOptionsFromArgs(a) : { replayWindow: 64 };
  const { LiveCapture } = await import('../../source/live/live-capture.js');
  const device = a.i ?? LiveCapture.defaultDevice();
  const filter = filterExpression(a.filter);
  const snaplen = a.s === 0 ? MAX_PCAP_CAPLEN : a.s;
  const nanosecond = a['time-stamp-precision'] === 'nano';
  const capture = LiveCapture.open({
    device,
    snaplen,
    promiscuous: !a.p,
    bufferKiB: a.B,
    immediate: Boolean(a.immediate),
    filter,
    maxPackets: a.c ?? 0,
    ringMiB: a.ring,
    nanosecond,
  });

  let stopReason: 'signal' | 'pipe' | 'files' | 'output' | undefined;
  const stop = (reason: typeof stopReason): void => {
    stopReason ??= reason;
    capture.stop();
  };

  let output: CaptureOutput | undefined;
  let onSpan: SpanHandler | undefined;
  let printer: PacketOutput | undefined;
  let onPacket: PacketHandler | undefined;
  let pipeClosed = false;
  try {
    // As tcpdump: privileges go once the device is open, before any file is created.
    if (a.Z !== undefined) {
      if (process.getuid?.() === 0 || process.geteuid?.() === 0) LiveCapture.dropPrivileges(a.Z);
      else process.stderr.write(`zsniff: warning: -Z ${a.Z} ignored: not running as root\n`);
    }
    if (a.w !== undefined) {
      output = new CaptureOutput({
        path: a.w, linkType: capture.linkType, snaplen: capture.snaplen, nanosecond: capture.nanosecond,
        rotateBytes: fileSize, rotateSeconds: a.G ?? 0, maxFiles: a.W ?? 0,
      });
    }
  } catch (err) {
    capture.stop();
    await capture.run().catch(() => undefined);
    throw err;
  }
  if (output) {
    const out = output;
    onSpan = (bytes, offset, length) => {
      out.writeSpan(bytes, offset, length);
      if (out.failure !== undefined && stopReason === undefined) {
        if (isBrokenPipe(out.failure)) {
          pipeClosed = true;
          stop('pipe');
        } else {
          stop('output');
        }
      }
      if (out.fileLimitReached) stop('files');
    };
  }

  const graphTty = Boolean(a.graph && process.stdout.isTTY);
  const analysis = a.analyze || a.graph ? new LiveAnalysis({
    name: device, report: Boolean(a.analyze), json: Boolean(a.json), events: Boolean(a.events), rules,
    intervalSeconds: a.analyze ? a.G ?? 0 : 0, color: a.color ?? 'auto', top: a.top, maxFlows: a['max-flows'], esp,
    graph: a.graph ? new LiveGraph() : undefined,
  }) : undefined;
  if ((a.w === undefined && !analysis) || a.print) {
    // With --analyze, --json means the report: packets print as lines.
    printer = createPacketOutput({ ...packetOutputOptions(a), json: Boolean(a.json) && !analysis });
  }
  const p = printer;
  const analyse = analysis?.onPacket;
  if (p && analyse) {
    onPacket = (pkt) => {
      analyse(pkt);
      if (pipeClosed) return true;
      if (p.onPacket(pkt) === false) {
        pipeClosed = true;
        stop('pipe');
      }
      return true;
    };
  } else if (p) {
    onPacket = (pkt) => {
      if (pipeClosed) return false;
      if (p.onPacket(pkt) === false) {
        pipeClosed = true;
        stop('pipe');
        return false;
      }
      return true;
    };
  } else if (analyse) {
    onPacket = (pkt) => { analyse(pkt); };
  }

  const delayMs = a['debug-consumer-delay-ms'] ?? 0;
  const onBatchEnd = async (): Promise<void> => {
    if (p && !pipeClosed) p.flush();
    if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
  };
  const onBatchStart = analysis ? () => analysis.tick() : undefined;

  const onStdoutError = (err: Error): void => {
    if (isBrokenPipe(err)) {
      pipeClosed = true;
      stop('pipe');
    }
  };
  let signals = 0;
  const onSignal = (): void => {
    signals++;
    // A second Ctrl-C while draining means: stop now, whatever it costs.
    if (signals > 1) process.exit(130);
    stop('signal');
  };
  process.stdout.on('error', onStdoutError);
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  process.on('SIGHUP', onSignal);

  const name = capture.dltName ?? `DLT ${capture.linkType}`;
  const desc = capture.dltDescription ? ` (${capture.dltDescription})` : '';
  if (capture.warning) process.stderr.write(`zsniff: warning: ${device}: ${capture.warning}\n`);
  process.stderr.write(`zsniff: listening on ${device}, link-type ${name}${desc}, snapshot length ${capture.snaplen} bytes\n`);

  // The graph owns a terminal's screen: no status line under it.
  const status = process.stderr.isTTY && !graphTty ? new StatusLine(process.stderr) : undefined;
  const timers: NodeJS.Timeout[] = [];
  if (status) timers.push(setInterval(() => status.draw(capture.statistics()), 250));
  // Intervals end on time even when no packet comes.
  if (analysis && a.analyze && a.G) timers.push(setInterval(() => analysis.tick(), 250));
  const graph = analysis?.graph;
  const graphColor = shouldColor(a.color ?? 'auto');
  const drawGraph = (): void => {
    if (!graph) return;
    const text = graph.render(process.stdout.columns || 100, process.stdout.rows || 30, graphColor);
    process.stdout.write(graphTty ? `\x1b[H\x1b[2J${text}` : text);
  };
  if (graph && graphTty) timers.push(setInterval(() => { if (graph.changed) drawGraph(); }, 300));

  let info: LiveCaptureInfo;
  let failure: unknown;
  try {
    info = await capture.run(onPacket, onSpan, onBatchEnd, onBatchStart);
  } finally {
    for (const t of timers) clearInterval(t);
    status?.clear();
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
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    process.off('SIGHUP', onSignal);
    process.stdout.off('error', onStdoutError);
  }
  const writeFailure = output?.failure !== undefined && !isBrokenPipe(output.failure) ? output.failure : undefined;
  printStatistics(info, writeFailure ? output!.packetsNotWritten : undefined);
  if (stopReason === 'files') process.stderr.write(`zsniff: maximum file limit reached: ${a.W}\n`);
  if (graph && !pipeClosed) drawGraph();
  const captureError = info.error !== undefined ? new UsageError(describeCaptureError(device, info)) : null;
  const rulesCode = analysis && !pipeClosed ? analysis.finish(captureError) : 0;
  if (writeFailure) {
    const where = writeFailure.path ?? output!.currentFile;
    throw new UsageError(`${where}: ${systemErrorText(writeFailure)}: writing stopped there; the file holds every packet ` +
      `before it, and ${formatCount(output!.packetsNotWritten)} packets were not written`);
  }
  if (captureError) throw captureError;
  if (failure !== undefined) throw failure;
  return rulesCode;
}

function describeCaptureError(device: string, info: LiveCaptureInfo): string {
  const why = info.error ?? '';
  const kept = `${formatCount(info.live.captured)} packets were captured before it`;
  if (INTERFACE_GONE.test(why)) return `${device}: the interface went away (deleted or down): ${why}; capture stopped, ${kept}`;
  return `${device}: capture stopped: ${why}; ${kept}`;
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
