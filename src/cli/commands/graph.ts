/**
 * `zsniff graph FILE`: one TCP stream as a graph, in the terminal
 * (asciichart) or as a tcptrace-style SVG: time-sequence (default),
 * throughput, RTT or window.
 */
import { writeFileSync } from 'node:fs';
import type { Argv, CommandModule } from 'yargs';
import { analyzeCapture, defaultAnalyzers } from '../../analyze/index.js';
import { TcpGraphCollector } from '../../analyze/tcp/graph-data.js';
import type { TcpSectionReport } from '../../analyze/tcp/tcp-analyzer.js';
import { openCaptures } from '../../source/capture-set.js';
import { shouldColor, type ColorChoice } from '../../sink/color.js';
import { buildModel, type GraphType } from '../../sink/graph/model.js';
import { renderSvgGraph } from '../../sink/graph/svg.js';
import { renderTerminalGraph } from '../../sink/graph/terminal.js';
import { ExitCode, reportError, UsageError } from '../errors.js';

interface GraphArgs {
  file: string[];
  stream?: number;
  type: GraphType;
  direction?: 'a' | 'b';
  reverse?: boolean;
  svg?: string;
  color: ColorChoice;
  'max-points': number;
}

export const graphCommand: CommandModule<object, GraphArgs> = {
  command: 'graph <file..>',
  describe: 'Graph a TCP stream (sequence, throughput, RTT, window) in the terminal or as SVG',
  builder: (y: Argv) => y
    .positional('file', { type: 'string', array: true, demandOption: true, describe: 'capture files (pcap, pcapng, optionally gzipped) or folders of them, merged by time as one capture' })
    .option('stream', { type: 'number', describe: 'tcp.stream number (as in tshark and zsniff analyze); default: the busiest stream' })
    .option('type', { choices: ['sequence', 'throughput', 'rtt', 'window'] as const, default: 'sequence' as const, describe: 'what to draw' })
    .option('direction', { choices: ['a', 'b'] as const, describe: "whose data to draw: 'a' is the endpoint that sent the stream's first packet (default: the one that sent more)" })
    .option('reverse', { type: 'boolean', describe: 'draw the other direction than the default (or than --direction)' })
    .option('svg', { type: 'string', describe: 'write a tcptrace-style SVG to this file instead of drawing in the terminal' })
    .option('max-points', { type: 'number', default: 20_000, describe: 'points kept per series (more are thinned evenly)' })
    .option('color', { choices: ['auto', 'always', 'never'] as const, default: 'auto' as const, describe: 'colour the terminal graph (NO_COLOR and FORCE_COLOR are honoured)' })
    .example('$0 graph trace.pcap', 'time-sequence graph of the busiest stream, sized to the terminal')
    .example('$0 graph trace.pcap --stream 3 --reverse', 'the other direction of stream 3')
    .example('$0 graph trace.pcap --type throughput', 'throughput over time')
    .example('$0 graph ring/trace.pcap*', 'the busiest stream of a rotated set, across its files')
    .example('$0 graph trace.pcap --stream 0 --svg seq.svg', 'tcptrace-style SVG: segments, ACK and window lines, SACK, retransmissions')
    .epilog('Exit codes: 0 ok, 2 usage or input error.') as unknown as Argv<GraphArgs>,
  handler: async (args) => {
    (args as { exitCode?: number }).exitCode = await runGraph(args);
  },
};

const TYPES: readonly string[] = ['sequence', 'throughput', 'rtt', 'window'];

async function runGraph(args: GraphArgs): Promise<number> {
  // yargs reports a bad choice but still calls the handler; refuse here so the exit code is 2.
  if (!TYPES.includes(args.type)) throw new UsageError(`--type is one of ${TYPES.join(', ')}, not '${args.type}'`);
  if (!['auto', 'always', 'never'].includes(args.color)) throw new UsageError(`--color is auto, always or never, not '${args.color}'`);
  if (args.direction !== undefined && args.direction !== 'a' && args.direction !== 'b') throw new UsageError(`--direction is a or b, not '${args.direction}'`);
  const maxPoints = args['max-points'];
  if (!Number.isInteger(maxPoints) || maxPoints < 100) throw new UsageError('--max-points takes a whole number of at least 100');
  let stream = args.stream;
  if (stream !== undefined && (!Number.isInteger(stream) || stream < 0)) throw new UsageError(`--stream takes a stream number (0, 1, ...), not '${stream}'`);
  const tcpOnly = [defaultAnalyzers[0]!];
  if (stream === undefined) {
    if (args.file.includes('-')) throw new UsageError("name a --stream when reading standard input (finding the busiest stream needs two passes)");
    const first = await analyzeCapture(openCaptures(args.file), { analyzers: tcpOnly, maxEvents: 0 });
    const tcp = first.report.tcp as TcpSectionReport;
    let best: TcpSectionReport['streams'][number] | undefined;
    for (const s of tcp.streams) {
      const bytes = s.aToB.bytes + s.bToA.bytes;
      if (!best || bytes > best.aToB.bytes + best.bToA.bytes || (bytes === best.aToB.bytes + best.bToA.bytes && s.packets > best.packets)) best = s;
    }
    if (!best) {
      if (first.error) return reportError(first.error);
      throw new UsageError(`${args.file.join(', ')}: no TCP streams to graph`);
    }
    stream = best.stream;
  }
  const collector = new TcpGraphCollector(stream, maxPoints);
  const { error } = await analyzeCapture(openCaptures(args.file), {
    analyzers: tcpOnly, maxEvents: 0, options: { tcp: { observer: collector } },
  });
  if (collector.flow === null) {
    if (error) return reportError(error);
    throw new UsageError(`${args.file.join(', ')}: there is no TCP stream ${stream} (zsniff analyze lists them)`);
  }
  let fromA = args.direction ? args.direction === 'a' : collector.aToB.bytes >= collector.bToA.bytes;
  if (args.reverse) fromA = !fromA;
  const model = buildModel(collector, args.type, fromA);
  if (args.svg) {
    writeFileSync(args.svg, renderSvgGraph(model));
    process.stderr.write(`zsniff: wrote ${args.svg} (${model.title})\n`);
  } else {
    const tty = Boolean(process.stdout.isTTY);
    process.stdout.write(renderTerminalGraph(model, {
      columns: tty && process.stdout.columns ? process.stdout.columns : 100,
      rows: tty && process.stdout.rows ? process.stdout.rows : 30,
      color: shouldColor(args.color),
    }));
  }
  if (error) return reportError(error);
  return ExitCode.Ok;
}
