/**
 * Whether and how to colour lines. The decision follows the usual
 * conventions: an explicit --color always|never wins; otherwise FORCE_COLOR
 * (anything but "0"/"false") turns colour on, NO_COLOR (any non-empty value)
 * turns it off, and by default we colour only a terminal that is not "dumb".
 */
import { Chalk, type ChalkInstance } from 'chalk';
import type { LinePalette } from './lines/palette.js';
import { isTerminal } from './terminal.js';

export type ColorChoice = 'auto' | 'always' | 'never';

export interface ColorEnvironment {
  env: Record<string, string | undefined>;
  isTTY: boolean;
}

export function shouldColor(choice: ColorChoice, where: ColorEnvironment = { env: process.env, isTTY: isTerminal(1) }): boolean {
  if (choice === 'never') return false;
  if (choice === 'always') return true;
  const force = where.env.FORCE_COLOR;
  if (force !== undefined) return !(force === '0' || force.toLowerCase() === 'false');
  const noColor = where.env.NO_COLOR;
  if (noColor !== undefined && noColor !== '') return false;
  return where.isTTY && where.env.TERM !== 'dumb';
}

/** TCP flag bits the palette cares about. */
const SYN = 0x02, FIN = 0x01, RST = 0x04;

/**
 * Subtle colours: dim timestamps, cyan endpoints, SYN green, FIN yellow,
 * RST red, IPsec headers magenta, problems red. Only 16-colour codes, so any
 * colour terminal shows them.
 */
export function createLinePalette(chalk: ChalkInstance = new Chalk({ level: 1 })): LinePalette {
  return {
    timestamp: (t) => chalk.dim(t),
    endpoint: (t) => chalk.cyan(t),
    tcpFlags: (t, flags) => {
      if (flags & RST) return chalk.red.bold(t);
      if (flags & SYN) return chalk.green(t);
      if (flags & FIN) return chalk.yellow(t);
      return t;
    },
    ipsec: (t) => chalk.magenta(t),
    problem: (t) => chalk.red(t),
  };
}

/** Removes SGR colour sequences: what a coloured line reads as in plain text. */
export function stripColor(text: string): string {
  return text.replace(/\x1b\[[0-9;]*m/g, '');
}
