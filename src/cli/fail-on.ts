/**
 * `--fail-on RULE` for any command that produces an analysis report
 * (`analyze`, and live capture with analysis): the options, the rules from
 * the command line plus the config's `failOn`, and the exit code.
 *
 * Commands use it in three lines: `withFailOnOptions(y)` in the builder,
 * `failOnRules(args)` before reading (so a bad rule costs nothing), and
 * `failOnExitCode(rules, report)` at the end.
 */
import type { Argv } from 'yargs';
import {
  AGGREGATE_METRICS, evaluateThresholds, parseThresholdRules, ThresholdRuleError,
  type ThresholdResult, type ThresholdRule,
} from '../analyze/thresholds.js';
import type { AnalysisReport } from '../analyze/report.js';
import { ConfigError, loadConfig } from '../check/config.js';
import { ExitCode, UsageError } from './errors.js';

export interface FailOnArgs {
  'fail-on'?: string | string[];
  config?: string;
}

const RULE_HELP =
  "exit 1 if RULE holds after the analysis: '<metric> <op> <value>', ops > >= < <= == !=, units us ms s % B KB MB KiB MiB " +
  '(repeatable; added to the config\'s failOn). Metrics: any event kind (tcp.retransmission, tcp.duplicate_ack, esp.sequence_gap, ' +
  `esp.cleartext, ah.replay...), and ${AGGREGATE_METRICS.map((m) => m.name).join(', ')}`;

export function withFailOnOptions<T>(y: Argv<T>): Argv<T & FailOnArgs> {
  return y
    .option('fail-on', { type: 'string', array: true, requiresArg: true, describe: RULE_HELP })
    .option('config', { type: 'string', requiresArg: true, describe: 'config file (default: zsniff.config.json, or "zsniff" in package.json, from the current folder upward)' })
    .example("$0 analyze trace.pcap --fail-on 'tcp.retransmission > 0' --fail-on 'tcp.rtt.max > 200ms'", 'CI gate: exit 1 naming each rule that fired')
    .example("$0 analyze vpn.pcap --fail-on 'esp.cleartext > 0' --fail-on 'tcp.retransmission_rate > 1%'", 'fail on an IPsec leak or a lossy link') as unknown as Argv<T & FailOnArgs>;
}

const list = (v: string | string[] | undefined): string[] => v === undefined ? [] : Array.isArray(v) ? v : [v];

/** The rules to apply: the config's failOn, then --fail-on. Bad rules or config: UsageError. */
export function failOnRules(args: FailOnArgs): ThresholdRule[] {
  try {
    const { config } = loadConfig(args.config);
    return parseThresholdRules([...config.failOn, ...list(args['fail-on'])]);
  } catch (err) {
    if (err instanceof ThresholdRuleError || err instanceof ConfigError) throw new UsageError(err.message);
    throw err;
  }
}

/** Evaluates the rules, names each one that fired on stderr, and says whether to exit 1. */
export function failOnExitCode(
  rules: readonly ThresholdRule[], report: AnalysisReport, write: (line: string) => void = (l) => process.stderr.write(l),
): number {
  if (rules.length === 0) return ExitCode.Ok;
  const results: ThresholdResult[] = evaluateThresholds(rules, report);
  const fired = results.filter((r) => r.fired);
  for (const r of fired) write(`zsniff: --fail-on fired: ${r.message}\n`);
  return fired.length > 0 ? ExitCode.Failed : ExitCode.Ok;
}
