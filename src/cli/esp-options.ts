/**
 * ESP options shared by `read`, `analyze` and `capture --analyze`: the keys
 * (files and tcpdump -E strings) and the replay window, declared and checked
 * once, in one place.
 */
import type { Argv } from 'yargs';
import {
  EspSecretsError, loadEspSecrets, MAX_REPLAY_WINDOW, type EspAnalysisOptions, type EspSecret,
} from '../analyze/esp/index.js';
import { UsageError } from './errors.js';

export interface EspSecretArgs {
  'esp-secrets'?: string | string[];
  E?: string | string[];
}

interface EspArgs extends EspSecretArgs {
  'replay-window': number;
  'esp-allow-icmp'?: boolean;
}

const list = (v: string | string[] | undefined): string[] => v === undefined ? [] : Array.isArray(v) ? v : [v];

/** Declares --esp-secrets FILE and -E SA; `use` says what the keys do on this command. */
export function withEspSecretOptions<T>(y: Argv<T>, use: string): Argv<T & EspSecretArgs> {
  return y
    .option('esp-secrets', { type: 'string', describe: `file of ESP keys, one SA a line as tcpdump -E ('spi@dst alg:key [integrity:key]'); ${use} (repeatable)` })
    .option('E', { type: 'string', describe: `ESP key(s) as tcpdump -E: 'spi@dst alg:key', comma-separated, or 'file NAME'; ${use} (repeatable; keys on the command line are visible in ps)` }) as unknown as Argv<T & EspSecretArgs>;
}

/** The keys of --esp-secrets and -E; a bad file or entry is a usage error naming the file and line, never the key. */
export function espSecretsFromArgs(args: EspSecretArgs): EspSecret[] {
  try {
    return loadEspSecrets(list(args['esp-secrets']), list(args.E));
  } catch (err) {
    if (err instanceof EspSecretsError) throw new UsageError(`ESP secrets: ${err.message}`);
    throw err;
  }
}

export function espOptionsFromArgs(args: EspArgs): EspAnalysisOptions {
  const w = args['replay-window'];
  if (!Number.isInteger(w) || w < 1 || w > MAX_REPLAY_WINDOW) {
    throw new UsageError(`--replay-window takes a whole number of packets from 1 to ${MAX_REPLAY_WINDOW}, not '${w}'`);
  }
  const options: EspAnalysisOptions = { replayWindow: w, secrets: espSecretsFromArgs(args) };
  if (args['esp-allow-icmp'] !== undefined) options.allowIcmp = args['esp-allow-icmp'];
  return options;
}
