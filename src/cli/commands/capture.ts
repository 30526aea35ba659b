/**
 * `zsniff capture -i IFACE [FILTER...]`: live capture with tcpdump's habits.
 * Writes pcap files straight from the shared ring (-w), prints packets, or
 * both (--print), and always ends with the capture statistics on stderr.
 */
import type { Argv, CommandModule } from 'yargs';
import { UsageError } from '../errors.js';
import { createPacketOutput } from '../packet-output.js';
import type { PacketOutput } from '../packet-output.js';
import { filterExpression, packetOutputOptions, withPacketPrintOptions } from '../options.js';
import type { PacketPrintArgs } from '../options.js';
import type { PacketHandler } from '../../source/packet-record.js';
import type { LiveCaptureInfo, LiveStatistics, SpanHandler } from '../../source/live/live-capture.js';
import { CaptureOutput } from './capture-output.js';
import { listInterfaces } from './interfaces.js';

export interface CaptureArgs extends PacketPrintArgs {
  i?: string;
  w?: string;
  c?: number;
  s: number;
  B?: number;
  p?: boolean;
  ring: number;
  G?: number;
  C?: number;
  W?: number;
  print?: boolean;
  immediate?: boolean;
  D?: boolean;
  filter?: (string | number)[];
}

function builder(y: Argv): Argv<CaptureArgs> {
  return withPacketPrintOptions(y
    .positional('filter', { type: 'string', array: true, describe: 'libpcap filter expression, as for tcpdump' })
    .option('i', { alias: 'interface', type: 'string', describe: 'interface to capture on (default: the first one up, not loopback)' })
    .option('D', { alias: 'list-interfaces', type: 'boolean', describe: 'list interfaces and exit (as zsniff interfaces)' })
    .option('w', { type: 'string', describe: "write packets to a pcap file (nanosecond) instead of printing; '-' is standard output" })
    .option('c', { type: 'number', describe: 'stop after this many packets' })
    .option('s', { alias: 'snapshot-length', type: 'number', default: 262144, describe: 'bytes kept per packet (0 = 262144)' })
    .option('B', { alias: 'buffer-size', type: 'number', describe: 'kernel capture buffer in KiB' })
    .option('p', { alias: 'no-promiscuous-mode', type: 'boolean', describe: 'do not put the interface in promiscuous mode' })
    .option('ring', { type: 'number', default: 64, describe: 'MiB of shared ring between the capture thread and zsniff' })
    .option('G', { type: 'number', describe: 'with -w: start a new file every this many seconds (strftime %-conversions in the name)' })
    .option('C', { type: 'number', describe: 'with -w: start a new file when the current one exceeds this many MB (1,000,000 bytes): FILE, FILE1, FILE2...' })
    .option('W', { type: 'number', describe: 'with -C: reuse names after this many files; with -G: stop after this many files' })
    .option('print', { type: 'boolean', describe: 'print packets even while writing them with -w' })
    .option('immediate', { type: 'boolean', describe: 'hand on each packet at once instead of in kernel batches' })
    .example('$0 capture -i eth0', 'print every packet seen on eth0')
    .example("$0 capture -i eth0 -w out.pcap 'tcp port 443'", 'write HTTPS packets to out.pcap')
    .example('$0 capture -i eth0 -c 100 -nn udp', 'print 100 UDP packets and stop')
    .example('$0 capture -i eth0 -w trace -C 100 -W 10', 'ring of ten 100 MB files: trace0 ... trace9')
    .example("$0 capture -i eth0 -w 'dump-%H%M%S.pcap' -G 60", 'a new file every minute')
    .example('$0 capture -i eth0 -w - | tshark -r -', 'pipe pcap to another tool')
    .example('$0 capture -D', 'list interfaces')) as unknown as Argv<CaptureArgs>;
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
  positive(a.C, '-C');
  positive(a.W, '-W');
  positive(a.s, '-s', true);
  if (a.c !== undefined && !Number.isInteger(a.c)) throw new UsageError(`-c must be a whole number, not ${a.c}`);
  if (a.W !== undefined && !Number.isInteger(a.W)) throw new UsageError(`-W must be a whole number, not ${a.W}`);
  if ((a.G || a.C || a.W) && !a.w) throw new UsageError('-G, -C and -W need -w FILE');
  if (a.W && !a.G && !a.C) throw new UsageError('-W needs -C or -G');
  if (a.w === '-' && (a.G || a.C)) throw new UsageError('-G and -C rotate files; they cannot be used with -w -');
  if (a.w === '-' && a.print) throw new UsageError('--print with -w - would mix text into the pcap on standard output');
}

function formatCount(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

function formatBytes(n: number): string {
  if (n >= 1e9) return `${(n / 1e9).toFixed(2)} GB`;
  if (n >= 1e6) return `${(n / 1e6).toFixed(1)} MB`;
  if (n >= 1e3) return `${(n / 1e3).toFixed(1)} kB`;
  return `${n} B`;
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
    const line = `${formatCount(s.enqueued)} packets  ${rate}  ${formatBytes(s.bytes)}  ${dropText}`;
    const width = (this.stream.columns || 100) - 1;
    this.stream.write(`\r${line.slice(0, width)}\x1b[K`);
    this.drawn = true;
  }

  clear(): void {
    if (this.drawn) this.stream.write('\r\x1b[K');
    this.drawn = false;
  }
}

function printStatistics(info: LiveCaptureInfo): void {
  const s = info.live;
  process.stderr.write(
    `${formatCount(s.captured)} packets captured\n` +
    `${formatCount(s.received)} packets received by filter\n` +
    `${formatCount(s.kernelDrops)} packets dropped by kernel\n` +
    `${formatCount(s.interfaceDrops)} packets dropped by interface\n` +
    `${formatCount(s.ringDrops)} packets dropped by ring\n`);
}

function isBrokenPipe(err: unknown): boolean {
  return (err as NodeJS.ErrnoException | undefined)?.code === 'EPIPE';
}

function flushOf(printer: PacketOutput): () => void | Promise<void> {
  const withFlush = printer as PacketOutput & { flush?: () => void | Promise<void> };
  if (typeof withFlush.flush === 'function') return () => withFlush.flush!();
  return () => printer.finish();
}

export async function runCapture(a: CaptureArgs): Promise<number> {
  if (a.D) {
    await listInterfaces(Boolean(a.json));
    return 0;
  }
  validate(a);
  const { LiveCapture } = await import('../../source/live/live-capture.js');
  const device = a.i ?? LiveCapture.defaultDevice();
  const filter = filterExpression(a.filter);
  const snaplen = a.s === 0 ? 262144 : a.s;
  const capture = LiveCapture.open({
    device,
    snaplen,
    promiscuous: !a.p,
    bufferKiB: a.B,
    immediate: Boolean(a.immediate),
    filter,
    maxPackets: a.c ?? 0,
    ringMiB: a.ring,
  });

  let stopReason: 'signal' | 'pipe' | 'files' | undefined;
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
    if (a.w !== undefined) {
      output = new CaptureOutput({
        path: a.w, linkType: capture.linkType, snaplen: capture.snaplen,
        rotateBytes: Math.round((a.C ?? 0) * 1e6), rotateSeconds: a.G ?? 0, maxFiles: a.W ?? 0,
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
      if (pipeClosed) return;
      try {
        out.writeSpan(bytes, offset, length);
      } catch (err) {
        if (!isBrokenPipe(err)) throw err;
        pipeClosed = true;
        stop('pipe');
      }
      if (out.fileLimitReached) stop('files');
    };
  }
  if (a.w === undefined || a.print) {
    printer = createPacketOutput(packetOutputOptions(a));
    const p = printer;
    onPacket = (pkt) => {
      if (pipeClosed) return false;
      if (p.onPacket(pkt) === false) {
        pipeClosed = true;
        stop('pipe');
        return false;
      }
      return true;
    };
  }
  // PacketOutput promises finish(); a flush() is used when it offers one.
  const flushPrinter = printer ? flushOf(printer) : undefined;
  const onBatchEnd = async (): Promise<void> => {
    if (pipeClosed) return;
    try {
      if (flushPrinter) await flushPrinter();
      if (output) await output.flush();
    } catch (err) {
      if (!isBrokenPipe(err)) throw err;
      pipeClosed = true;
      stop('pipe');
    }
  };

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

  const status = process.stderr.isTTY ? new StatusLine(process.stderr) : undefined;
  const timer = status ? setInterval(() => status.draw(capture.statistics()), 250) : undefined;

  let info: LiveCaptureInfo;
  let failure: unknown;
  try {
    info = await capture.run(onPacket, onSpan, onBatchEnd);
  } finally {
    if (timer) clearInterval(timer);
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
  printStatistics(info);
  if (stopReason === 'files') process.stderr.write(`zsniff: maximum file limit reached: ${a.W}\n`);
  if (info.error !== undefined) throw new UsageError(`${device}: capture stopped: ${info.error}`);
  if (failure !== undefined) throw failure;
  return 0;
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
