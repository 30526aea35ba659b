/**
 * `zsniff check [PATHS...]`: the regression suite. Each capture is analysed
 * and compared with its snapshot `NAME.expect.json`; `--update` writes them.
 * A thin layer over the library's `check()`.
 */
import * as fs from 'node:fs';
import type { Argv, CommandModule } from 'yargs';
import { check } from '../../check/check.js';
import { CheckInputError } from '../../check/discover.js';
import { ConfigError } from '../../check/config.js';
import { defaultWorkerCount } from '../../check/snapshot-pool.js';
import { captureCheckText, checkTallyText } from '../../sink/check-report/diff-text.js';
import { JunitReport } from '../../sink/check-report/junit.js';
import { ToleranceError } from '../../check/tolerance.js';
import { shouldColor, type ColorChoice } from '../../sink/color.js';
import { Chalk } from 'chalk';
import { UsageError } from '../errors.js';

interface CheckArgs {
  paths?: string[];
  update?: boolean;
  junit?: string;
  json?: boolean;
  config?: string;
  workers?: number;
  color: ColorChoice;
}

export const checkCommand: CommandModule<object, CheckArgs> = {
  command: 'check [paths..]',
  describe: 'Regression check: analyse captures and compare with their NAME.expect.json snapshots (CI)',
  builder: (y: Argv) => y
    .positional('paths', { type: 'string', array: true, describe: 'capture files and folders, searched recursively for .pcap .pcapng .cap .gz (default: fixtures/)' })
    .option('update', { alias: 'u', type: 'boolean', describe: 'write or refresh the snapshots instead of comparing (says which were created, updated, unchanged)' })
    .option('junit', { type: 'string', requiresArg: true, describe: 'also write JUnit XML to FILE: one test case per capture, the diff as the failure message' })
    .option('json', { type: 'boolean', describe: 'print a machine-readable summary on stdout instead of text' })
    .option('config', { type: 'string', requiresArg: true, describe: 'config file with check.tolerances (default: zsniff.config.json or package.json "zsniff", from the current folder upward)' })
    .option('workers', { type: 'number', requiresArg: true, describe: `analysis threads (default ${defaultWorkerCount()}: min(2, cores)); 0 analyses in the main thread` })
    .option('color', { choices: ['auto', 'always', 'never'] as const, default: 'auto' as const, describe: 'colour the diff (NO_COLOR and FORCE_COLOR are honoured)' })
    .example('$0 check', 'check every capture under fixtures/ against its snapshot')
    .example('$0 check --update fixtures/', 'create or refresh the snapshots after an intended change (then review git diff)')
    .example('$0 check traces/ --junit check.xml', 'a JUnit report for the CI dashboard')
    .example('$0 check fixtures/tcp-reorder.pcap --json | jq .summary', 'machine-readable result')
    .epilog('A snapshot holds per-stream and per-SA finding counts, handshake outcome, bytes each way, RTTs and\n' +
      'event frames by kind. Loosen fields in zsniff.config.json: {"check": {"tolerances": {"tcp.streams[*].*.rtt.*": "20%"}}}.\n' +
      'Exit codes: 0 all match, 1 a capture differs or has no snapshot, 2 a capture, snapshot or config cannot be read.') as unknown as Argv<CheckArgs>,
  handler: async (args) => {
    (args as { exitCode?: number }).exitCode = await runCheck(args);
  },
};

async function runCheck(args: CheckArgs): Promise<number> {
  if (!['auto', 'always', 'never'].includes(args.color)) throw new UsageError(`--color is auto, always or never, not '${args.color}'`);
  if (args.workers !== undefined && (!Number.isInteger(args.workers) || args.workers < 0)) {
    throw new UsageError(`--workers takes a whole number, not '${args.workers}'`);
  }
  const color = !args.json && shouldColor(args.color);
  const chalk = new Chalk({ level: color ? 1 : 0 });
  try {
    const result = await check(args.paths ?? [], {
      update: Boolean(args.update),
      config: args.config ?? true,
      workers: args.workers,
      // Text goes out capture by capture, so a long run shows progress; the tally comes last.
      onCapture: args.json ? undefined : (c) => process.stdout.write(`${captureCheckText(c, chalk).join('\n')}\n`),
    });
    if (args.junit !== undefined) fs.writeFileSync(args.junit, new JunitReport(result).toXml());
    if (args.json) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    else process.stdout.write(checkTallyText(result, chalk));
    return result.exitCode;
  } catch (err) {
    if (err instanceof ConfigError || err instanceof CheckInputError || err instanceof ToleranceError) throw new UsageError(err.message);
    throw err;
  }
}
