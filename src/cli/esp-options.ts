/**
 * ESP options shared by `analyze` and `capture --analyze`: the replay window
 * and the keys (files and tcpdump -E strings), checked once, in one place.
 */
import { EspSecretsError, loadEspSecrets, MAX_REPLAY_WINDOW, type EspAnalysisOptions } from '../analyze/esp/index.js';
import { UsageError } from './errors.js';

export interface EspArgs {
  'replay-window': number;
  'esp-secrets'?: string | string[];
  E?: string | string[];
  'esp-allow-icmp'?: boolean;
}

const list = (v: string | string[] | undefined): string[] => v === undefined ? [] : Array.isArray(v) ? v : [v];

export function espOptionsFromArgs(args: EspArgs): EspAnalysisOptions {
  const w = args['replay-window'];
  if (!Number.isInteger(w) || w < 1 || w > MAX_REPLAY_WINDOW) {
    throw new UsageError(`--replay-window takes a whole number of packets from 1 to ${MAX_REPLAY_WINDOW}, not '${w}'`);
  }
  let secrets;
  try {
    secrets = loadEspSecrets(list(args['esp-secrets']), list(args.E));
  } catch (err) {
    // The message names the file and line, never the key.
    if (err instanceof EspSecretsError) throw new UsageError(`ESP secrets: ${err.message}`);
    throw err;
  }
  const options: EspAnalysisOptions = { replayWindow: w, secrets };
  if (args['esp-allow-icmp'] !== undefined) options.allowIcmp = args['esp-allow-icmp'];
  return options;
}
