/**
 * `zsniff read FILE [FILTER]`: the offline pipeline. A capture file (pcap,
 * pcapng, gzip, or '-' for stdin) -> optional libpcap filter -> tcpdump-style
 * lines, JSON lines, and/or a new capture file. With ESP keys the lines show
 * the decrypted packets too, as tcpdump -E.
 */
import type { Argv, CommandModule } from 'yargs';
import { existsSync } from 'node:fs';
import { openCaptures } from '../../source/capture-set.js';
import type { PacketRecord } from '../../source/packet-record.js';
import { CaptureFilter } from '../../source/bpf-filter.js';
import { ProgressBar } from '../../sink/progress.js';
import { isTerminal } from '../../sink/terminal.js';
import { createPacketOutput, type PacketOutput } from '../packet-output.js';
import { filterExpression, packetOutputOptions, withPacketPrintOptions, type PacketPrintArgs } from '../options.js';
import { openCaptureWriter, type CaptureWriterChoice } from '../capture-writer.js';
import { espSecretsFromArgs, withEspSecretOptions, type EspSecretArgs } from '../esp-options.js';
import { ExitCode, reportError, UsageError } from '../errors.js';

interface ReadArgs extends PacketPrintArgs, EspSecretArgs {
  file: string;
  filter?: string[];
  c?: number;
  w?: string;
  print?: boolean;
  pcapng?: boolean;
  nano?: boolean;
  micro?: boolean;
  progress?: boolean;
}

export const readCommand: CommandModule<object, ReadArgs> = {
  command: 'read <file> [filter..]',
  describe: 'Print, filter or convert a capture file (pcap, pcapng, gzip, - for stdin)',
  builder: (y: Argv) => withPacketPrintOptions(withEspSecretOptions(y
    .positional('file', { type: 'string', demandOption: true, describe: "capture file: pcap, pcapng, optionally gzipped; '-' reads standard input. Further files or folders (the words after it that name existing paths) are merged with it by time" })
    .positional('filter', { type: 'string', array: true, describe: "libpcap filter expression, as in tcpdump (e.g. 'tcp and port 443')" })
    .option('c', { type: 'number', describe: 'stop after N packets (after filtering)' })
    .option('w', { type: 'string', describe: "write the (filtered) packets to a capture file ('-' for stdout) instead of printing" })
    .option('print', { type: 'boolean', describe: 'with -w, also print lines (to stdout, so -w must not be -)' })
    .option('pcapng', { type: 'boolean', describe: 'with -w, write pcapng instead of pcap' })
    .option('nano', { type: 'boolean', describe: 'with -w, write a nanosecond pcap (default: keep the input resolution)' })
    .option('micro', { type: 'boolean', describe: 'with -w, write a microsecond pcap' })
    .option('progress', { type: 'boolean', describe: 'progress bar on stderr (default: on when stderr is a terminal, stdout is not, and the file is large)' }),
    'ESP packets are printed decrypted, as tcpdump -E prints them')
    .conflicts('nano', 'micro')
    .example('$0 read trace.pcap', 'one tcpdump-style line per packet')
    .example("$0 read trace.pcapng.gz 'tcp and port 443' -c 100", 'the first 100 HTTPS segments')
    .example("tcpdump -i eth0 -w - | $0 read - -tt", 'read from a pipe, epoch timestamps')
    .example("$0 read big.pcap 'esp or udp port 4500' -w ipsec.pcap", 'extract IPsec traffic to a new file')
    .example('$0 read trace.pcap --json | jq .tcp', 'JSON lines with every decoded field')
    .example("$0 read ring/ 'host 10.0.0.1' -w merged.pcap", 'a rotated set (or any files) merged by time, as mergecap would, then filtered')
    .example('$0 read vpn.pcap --esp-secrets keys.txt', 'ESP packets decrypted, printed as tcpdump -E prints them')) as unknown as Argv<ReadArgs>,
  handler: async (args) => {
    (args as { exitCode?: number }).exitCode = await runRead(args);
  },
};

async function runRead(args: ReadArgs): Promise<number> {
  if (args.c !== undefined && (!Number.isInteger(args.c) || args.c < 0)) throw new UsageError(`-c takes a whole number of packets, not '${args.c}'`);
  if (args.print && args.w === '-') throw new UsageError('--print and -w - would both write to stdout; pick one');
  // Keys are checked before the capture is opened: a bad line is a usage error, whatever the file.
  const espSecrets = espSecretsFromArgs(args);
  const { paths, filterWords } = splitPathsAndFilter(args.file, args.filter ?? []);
  const capture = openCaptures(paths);
  const info = await capture.ready();
  const expression = filterExpression(filterWords);
  const filter = expression ? new CaptureFilter(expression, info.byteOrder ? { byteOrder: info.byteOrder } : {}) : undefined;
  // A bad expression is reported before any packet is printed.
  if (filter) for (const iface of info.interfaces) filter.addInterface(iface);

  const writerChoice: CaptureWriterChoice | undefined = args.w === undefined ? undefined : {
    path: args.w,
    pcapng: Boolean(args.pcapng),
    nanosecond: args.nano ? true : args.micro ? false : info.format === 'pcap-ns' || info.format === 'pcapng',
  };
  const writer = writerChoice ? openCaptureWriter(writerChoice, info) : undefined;
  const output: PacketOutput | undefined = !writer || args.print ? createPacketOutput({ ...packetOutputOptions(args), espSecrets }) : undefined;

  const limit = args.c ?? Infinity;
  const showProgress = args.progress ?? (ProgressBar.wanted(capture.sizeBytes) && !isTerminal(1));
  const progress = showProgress && capture.sizeBytes ? new ProgressBar(capture.sizeBytes, info.name) : undefined;
  let kept = 0;
  let seen = 0;

  const onPacket = (pkt: PacketRecord): boolean | void => {
    if (progress !== undefined && (++seen & 0x3fff) === 0) progress.update(capture.bytesConsumed(), seen);
    if (filter !== undefined && !filter.matches(pkt)) return;
    kept++;
    // The output returns false once nobody reads it (a closed pipe): stop reading too.
    if (output !== undefined && output.onPacket(pkt) === false) return false;
    if (writer !== undefined) writer.writePacket(pkt);
    if (kept >= limit) return false;
  };

  let failure: unknown;
  try {
    await capture.run(onPacket);
  } catch (err) {
    failure = err;
  }
  progress?.clear();
  // Everything before a damaged record is still printed and written.
  if (output) await output.finish();
  if (writer) await writer.close();
  if (failure !== undefined) return reportError(failure);
  return ExitCode.Ok;
}

/**
 * `read a.pcap b.pcap 'tcp port 80'`: the words after the first file that
 * name existing files or folders are more captures; the filter starts at the
 * first word that does not. (A one-word filter that is also the name of a
 * file here would be read as a capture: write it as './tcp' or quote a longer
 * filter, such as 'tcp and tcp', that no file is called.)
 */
function splitPathsAndFilter(first: string, words: string[]): { paths: string[]; filterWords: string[] } {
  let n = 0;
  while (n < words.length && words[n] !== '' && first !== '-' && existsSync(words[n]!)) n++;
  return { paths: [first, ...words.slice(0, n)], filterWords: words.slice(n) };
}
