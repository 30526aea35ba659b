/**
 * `zsniff analyze FILE`: TCP (and IPsec) analysis of a capture file, as a
 * colour summary for people, a JSON report (--json), or JSON lines of
 * events while reading (--events).
 */
import type { Argv, CommandModule } from 'yargs';
import { analyzeCapture, defaultAnalyzers, DEFAULT_MAX_EVENTS, type AnalyzeOptions } from '../../analyze/index.js';
import { DEFAULT_TCP_OPTIONS } from '../../analyze/tcp/tcp-analyzer.js';
import { createEspSectionAnalyzer, MAX_REPLAY_WINDOW } from '../../analyze/esp/index.js';
import { espOptionsFromArgs, withEspSecretOptions } from '../esp-options.js';
import type { AnalysisEvent } from '../../analyze/analyzer.js';
import { openCaptures } from '../../source/capture-set.js';
import { shouldColor, type ColorChoice } from '../../sink/color.js';
import { BatchWriter } from '../../sink/lines/batch-writer.js';
import { ProgressBar } from '../../sink/progress.js';
import { renderSummary } from '../../sink/report/summary.js';
import { isTerminal, terminalColumns } from '../../sink/terminal.js';
import { ExitCode, reportError, UsageError } from '../errors.js';
import { failOnExitCode, failOnRules, withFailOnOptions, type FailOnArgs } from '../fail-on.js';

interface AnalyzeArgs extends FailOnArgs {
  file: string[];
  json?: boolean;
  events?: boolean;
  'max-flows': number;
  'max-streams': number;
  'max-events': number;
  'idle-timeout': number;
  top: number;
  color: ColorChoice;
  progress?: boolean;
  'esp-secrets'?: string | string[];
  E?: string | string[];
  'replay-window': number;
  'esp-allow-icmp': boolean;
  esp: boolean;
  threads: number;
}

export const analyzeCommand: CommandModule<object, AnalyzeArgs> = {
  command: 'analyze <file..>',
  describe: 'TCP expert analysis and IPsec findings of a capture file',
  builder: (y: Argv) => withEspSecretOptions(withFailOnOptions(y)
    .positional('file', { type: 'string', array: true, demandOption: true, describe: "capture files (pcap, pcapng, optionally gzipped) or folders of them, merged by time as one capture; '-' reads standard input" })
    .option('json', { type: 'boolean', describe: 'print the whole report as JSON (streams, counts, findings, every event)' })
    .option('events', { type: 'boolean', describe: 'print each event as a JSON line while reading (the summary goes to stderr, or the --json report follows as the last line)' })
    .option('max-flows', { type: 'number', default: DEFAULT_TCP_OPTIONS.maxFlows, describe: 'most TCP connections tracked at once (about 1.4 KB each); beyond it the least recently active is evicted and the summary says so' })
    .option('max-streams', { type: 'number', default: DEFAULT_TCP_OPTIONS.maxStreams, describe: 'stream summaries kept in the report (beyond it, the most troubled are kept)' })
    .option('max-events', { type: 'number', default: DEFAULT_MAX_EVENTS, describe: 'events kept in the JSON report (all are counted; --events streams all)' })
    .option('idle-timeout', { type: 'number', default: 600, describe: 'capture seconds after which a silent connection is retired from the flow table' })
    .option('top', { type: 'number', default: 15, describe: 'rows of the streams table in the summary' })
    .option('color', { choices: ['auto', 'always', 'never'] as const, default: 'auto' as const, describe: 'colour the summary (NO_COLOR and FORCE_COLOR are honoured)' })
    .option('threads', { type: 'number', default: 1, describe: 'threads for the TCP analysis: one reads, decodes and runs IPsec analysis, the others take the TCP connections by host pair; the report is the same for any number' })
    .option('progress', { type: 'boolean', describe: 'progress bar on stderr (default: on for large files when stderr is a terminal)' }),
    'decrypted packets are analysed too')
    .option('replay-window', { type: 'number', default: 64, describe: `IPsec anti-replay window in packets (1-${MAX_REPLAY_WINDOW}) for the late/outside-window findings` })
    .option('esp-allow-icmp', { type: 'boolean', default: true, describe: 'ICMP between IPsec peers is not a leak (--no-esp-allow-icmp reports it)' })
    .option('esp', { type: 'boolean', default: true, describe: 'IPsec analysis (--no-esp skips it: TCP only, a little faster on captures without IPsec)' })
    .example('$0 analyze trace.pcap', 'findings first, then the streams most in trouble and the expert flag counts')
    .example('$0 analyze trace.pcap --json | jq \'.tcp.counts\'', 'how many retransmissions, dup ACKs, zero windows...')
    .example('$0 analyze trace.pcap --events | jq -c \'select(.kind=="tcp.rto_backoff")\'', 'stream events while reading')
    .example('$0 analyze ring/ ', 'a rotated set written by capture -C/-G/-W (or tcpdump), analysed as one capture')
    .example('$0 analyze big.pcap --threads 4', 'TCP analysis spread over four worker threads')
    .example('$0 analyze big.pcap.gz --max-flows 20000', 'bound memory on a capture with very many connections')
    .example('$0 analyze vpn.pcap --esp-secrets keys.txt', 'decrypt ESP and analyse the TCP inside the tunnel too')
    .example("$0 analyze vpn.pcap -E '0x027181f9@192.168.4.79 aes128-cbc:0x... hmac-sha1-96:0x...'", 'one SA\'s keys in tcpdump -E syntax')
    .example('$0 analyze vpn.pcap --replay-window 1024 --no-esp-allow-icmp', 'match a peer\'s replay window; count ICMP in the clear as a leak')
    .epilog('Frame numbers are 1-based as in tshark; flags follow Wireshark\'s definitions (tcp.analysis.*).\n' +
      'Exit codes: 0 ok, 1 a --fail-on rule fired, 2 usage or input error (a damaged file is analysed up to the damage, then reported).') as unknown as Argv<AnalyzeArgs>,
  handler: async (args) => {
    (args as { exitCode?: number }).exitCode = await runAnalyze(args);
  },
};

/** Events the human summary keeps to choose its "worst events" from. */
const SUMMARY_EVENTS = 5000;

function positiveInteger(name: string, v: number): number {
  if (!Number.isInteger(v) || v < 0) throw new UsageError(`--${name} takes a whole number, not '${v}'`);
  return v;
}

async function runAnalyze(args: AnalyzeArgs): Promise<number> {
  // yargs reports a bad choice but still calls the handler; refuse here so the exit code is 2.
  if (!['auto', 'always', 'never'].includes(args.color)) throw new UsageError(`--color is auto, always or never, not '${args.color}'`);
  const maxFlows = positiveInteger('max-flows', args['max-flows']);
  if (maxFlows < 1) throw new UsageError('--max-flows must be at least 1');
  const maxStreams = positiveInteger('max-streams', args['max-streams']);
  const maxEvents = positiveInteger('max-events', args['max-events']);
  const top = positiveInteger('top', args.top);
  const threads = positiveInteger('threads', args.threads);
  if (threads < 1) throw new UsageError('--threads must be at least 1');
  const idle = args['idle-timeout'];
  if (!(idle > 0)) throw new UsageError(`--idle-timeout takes a positive number of seconds, not '${idle}'`);

  const esp = espOptionsFromArgs(args);
  const rules = failOnRules(args);
  const ipsecRule = args.esp ? undefined : rules.find((r) => /^(esp|ah)\./.test(r.metric.name));
  // A gate on IPsec findings with the IPsec analysis off would pass silently: refuse it.
  if (ipsecRule) throw new UsageError(`--fail-on '${ipsecRule.text}' needs the IPsec analysis, which --no-esp turns off`);

  const capture = openCaptures(args.file);
  // A file that is not a capture at all is one error line, not an empty report.
  await capture.ready();
  const out = new BatchWriter(1);
  const showProgress = args.progress ?? (ProgressBar.wanted(capture.sizeBytes) && !isTerminal(1));
  const progress = showProgress && capture.sizeBytes ? new ProgressBar(capture.sizeBytes, capture.info.name) : undefined;
  let seen = 0;
  // The capture being read: a second opening when the threads could not analyse it exactly.
  let reading = capture;
  const opts: AnalyzeOptions = {
    // The summary lists only a dozen worst events: keeping the first few thousand is plenty.
    maxEvents: args.json ? maxEvents : Math.min(maxEvents, SUMMARY_EVENTS),
    options: { tcp: { maxFlows, maxStreams, idleTimeout: idle }, esp },
  };
  if (!args.esp) opts.analyzers = defaultAnalyzers.filter((make) => make !== createEspSectionAnalyzer);
  if (args.events) opts.onEvent = (e: AnalysisEvent) => out.write(`${JSON.stringify(e)}\n`);
  if (progress) opts.onPacket = () => { if ((++seen & 0x3fff) === 0) progress.update(reading.bytesConsumed(), seen); };

  let outcome;
  try {
    // Standard input cannot be read twice, as a capture the threads cannot analyse exactly must be.
    if (threads > 1 && !args.file.includes('-')) {
      // Loaded here: node:worker_threads alone costs a one-thread run a few milliseconds.
      const { analyzeInParallel } = await import('../../analyze/parallel/index.js');
      outcome = await analyzeInParallel(capture, opts, threads);
    }
    if (outcome === null) {
      reading = openCaptures(args.file);
      await reading.ready();
      seen = 0;
    }
    if (!outcome) outcome = await analyzeCapture(reading, opts);
  } catch (err) {
    progress?.clear();
    out.flush();
    return reportError(err);
  }
  progress?.clear();
  const { report, error } = outcome;
  if (args.json) {
    out.write(args.events ? `${JSON.stringify(report)}\n` : `${JSON.stringify(report, null, 2)}\n`);
    out.flush();
  } else {
    const summary = renderSummary(report, {
      color: shouldColor(args.color, { env: process.env, isTTY: isTerminal(args.events ? 2 : 1) }),
      maxStreams: top,
      width: terminalColumns(1) || 100,
    });
    if (args.events) { out.flush(); process.stderr.write(summary); }
    else { out.write(summary); out.flush(); }
  }
  const thresholds = failOnExitCode(rules, report);
  if (error) return reportError(error);
  return thresholds;
}
