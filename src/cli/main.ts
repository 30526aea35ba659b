/**
 * The zsniff command line: wires sources, decoders, analyzers and sinks
 * together. No protocol logic lives here.
 *
 * Exit codes: 0 ok, 1 a check or threshold failed, 2 usage or input error.
 */
import type { Argv, CommandModule } from 'yargs';
import yargs from './yargs-cjs.cjs';
import { loadCommands } from './commands/index.js';
import { reportError, ExitCode, UsageError } from './errors.js';
import { zsniffVersion } from '../analyze/package-version.js';
import { terminalColumns } from '../sink/terminal.js';

export async function main(argv: string[]): Promise<number> {
  let exitCode: number = ExitCode.Ok;
  let parser: Argv = yargs(argv.map((a) => (a === '-' ? STDIN_STANDIN : a)))
    .middleware(restoreStdinDash, true)
    .scriptName('zsniff')
    .usage('$0 <command> [options]\n\nZero-copy packet capture and analysis.')
    .strict()
    .demandCommand(1, 'Name a command: zsniff --help lists them.')
    .recommendCommands()
    .help()
    .alias('help', 'h')
    .version(zsniffVersion())
    .epilog('Exit codes: 0 ok, 1 a check or threshold failed, 2 usage or input error.\n' +
      'Colour: --color auto|always|never; NO_COLOR and FORCE_COLOR are honoured.')
    .wrap(Math.min(120, terminalColumns(1) || 120))
    // Throwing stops yargs from running a command whose arguments it rejected.
    .fail((msg, err) => {
      if (err) throw err;
      throw new UsageError(`${msg}\nRun 'zsniff --help' (or 'zsniff COMMAND --help') for usage.`);
    });
  for (const cmd of await loadCommands(argv)) parser = parser.command(cmd as CommandModule);
  skipHelpPrerender(parser);
  try {
    const result = await parser.parseAsync();
    const fromCommand = (result as { exitCode?: number }).exitCode;
    if (typeof fromCommand === 'number') exitCode = fromCommand;
    else if (typeof process.exitCode === 'number' && process.exitCode !== 0) exitCode = process.exitCode;
  } catch (err) {
    exitCode = reportError(err);
  }
  return exitCode;
}

/**
 * '-' (standard input, standard output) reaches a command as ''. yargs
 * re-parses positionals as `--file -`, and yargs-parser reads a lone '-'
 * there as an empty value. So '-' goes in as a stand-in no path or filter can
 * contain (a NUL byte) and is put back before any command sees its arguments.
 */
const STDIN_STANDIN = '\u0000-';

function restoreStdinDash(args: Record<string, unknown>): void {
  for (const [key, value] of Object.entries(args)) {
    if (value === STDIN_STANDIN) args[key] = '-';
    else if (Array.isArray(value) && value.includes(STDIN_STANDIN)) args[key] = value.map((v) => (v === STDIN_STANDIN ? '-' : v));
  }
}

/**
 * Before running a command's handler, yargs renders the command's whole help
 * text and keeps it, to show should the handler fail (~9 ms, a tenth of a
 * small `analyze`). zsniff reports handler errors itself and never shows that
 * text, so the pre-rendering is switched off. This reaches into yargs 17's
 * internals; if they change shape, nothing happens and yargs renders as
 * before.
 */
function skipHelpPrerender(parser: Argv): void {
  type Usage = { cacheHelpMessage?: () => void };
  const internals = (parser as unknown as { getInternalMethods?: () => { getUsageInstance?: () => Usage } }).getInternalMethods;
  const usage = typeof internals === 'function' ? internals.call(parser).getUsageInstance?.() : undefined;
  if (usage && typeof usage.cacheHelpMessage === 'function') usage.cacheHelpMessage = () => {};
}
