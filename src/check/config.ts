/**
 * The project config: `zsniff.config.json`, found from the working directory
 * upward, or the `"zsniff"` key of a package.json on the way (whichever is
 * nearer; in one folder the dedicated file wins).
 *
 *   {
 *     "check": {
 *       "tolerances": { "tcp.streams[*].*.rtt.*": "20%", "**.bytes": 100 },
 *       "espSecrets": "fixtures/esp-secrets.txt"
 *     },
 *     "failOn": ["tcp.retransmission > 0", "tcp.rtt.max > 200ms"]
 *   }
 *
 * Paths in the config are relative to the file that holds it. Keys starting
 * with "//" or "$" are comments. Anything else unknown is an error, so that
 * a misspelt key does not silently loosen a check.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseEspSecrets } from '../analyze/esp/secrets.js';
import { parseThresholdRules, ThresholdRuleError } from '../analyze/thresholds.js';
import { ToleranceError, ToleranceRules, type ToleranceSpec } from './tolerance.js';

export const CONFIG_FILE_NAME = 'zsniff.config.json';

export interface CheckConfig {
  /** Tolerances by JSON-path pattern; see ToleranceRules. */
  tolerances: Record<string, ToleranceSpec>;
  /** ESP keys file used when analysing captures for `check` (absolute once loaded). */
  espSecrets?: string;
}

export interface ZsniffConfig {
  check: CheckConfig;
  /** `--fail-on` rules applied by `zsniff analyze` (and live analysis) in addition to the command line's. */
  failOn: string[];
}

export interface LoadedConfig {
  config: ZsniffConfig;
  /** Where it came from (`.../package.json` for the "zsniff" key); null when no config was found. */
  file: string | null;
}

/** A config that cannot be read or is not valid: a usage error. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

export function emptyConfig(): ZsniffConfig {
  return { check: { tolerances: {} }, failOn: [] };
}

function isComment(key: string): boolean {
  return key.startsWith('//') || key.startsWith('$');
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function checkKeys(obj: Record<string, unknown>, allowed: readonly string[], where: string, origin: string): void {
  for (const k of Object.keys(obj)) {
    if (!allowed.includes(k) && !isComment(k)) {
      throw new ConfigError(`${origin}: unknown key '${where}${k}' (allowed: ${allowed.map((a) => where + a).join(', ')})`);
    }
  }
}

/** Validates a parsed config object; `dir` resolves relative paths. */
export function validateConfig(raw: unknown, origin: string, dir: string): ZsniffConfig {
  if (!isRecord(raw)) throw new ConfigError(`${origin}: the config must be a JSON object`);
  checkKeys(raw, ['check', 'failOn'], '', origin);
  const config = emptyConfig();
  if (raw.check !== undefined) {
    if (!isRecord(raw.check)) throw new ConfigError(`${origin}: 'check' must be an object`);
    checkKeys(raw.check, ['tolerances', 'espSecrets'], 'check.', origin);
    const t = raw.check.tolerances;
    if (t !== undefined) {
      if (!isRecord(t)) throw new ConfigError(`${origin}: 'check.tolerances' must be an object of "path pattern": tolerance`);
      const tolerances: Record<string, ToleranceSpec> = {};
      for (const [k, v] of Object.entries(t)) {
        if (isComment(k)) continue;
        if (typeof v !== 'number' && typeof v !== 'string') throw new ConfigError(`${origin}: tolerance for '${k}' must be a number or a string`);
        tolerances[k] = v;
      }
      try {
        void new ToleranceRules(tolerances);
      } catch (err) {
        if (err instanceof ToleranceError) throw new ConfigError(`${origin}: ${err.message}`);
        throw err;
      }
      config.check.tolerances = tolerances;
    }
    const s = raw.check.espSecrets;
    if (s !== undefined) {
      if (typeof s !== 'string' || s === '') throw new ConfigError(`${origin}: 'check.espSecrets' must be a file name`);
      config.check.espSecrets = path.resolve(dir, s);
    }
  }
  if (raw.failOn !== undefined) {
    if (!Array.isArray(raw.failOn) || !raw.failOn.every((r) => typeof r === 'string')) {
      throw new ConfigError(`${origin}: 'failOn' must be a list of rules like "tcp.retransmission > 0"`);
    }
    try {
      parseThresholdRules(raw.failOn as string[]);
    } catch (err) {
      if (err instanceof ThresholdRuleError) throw new ConfigError(`${origin}: failOn: ${err.message}`);
      throw err;
    }
    config.failOn = [...(raw.failOn as string[])];
  }
  return config;
}

function readJson(file: string): unknown {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new ConfigError(`${file}: ${code === 'ENOENT' ? 'no such file' : (err as Error).message}`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new ConfigError(`${file}: not valid JSON (${(err as Error).message})`);
  }
}

/** Reads a named config file: a zsniff.config.json, or a package.json with a "zsniff" key. */
export function loadConfigFile(file: string): LoadedConfig {
  const abs = path.resolve(file);
  const raw = readJson(abs);
  if (path.basename(abs) === 'package.json') {
    const inner = isRecord(raw) ? raw.zsniff : undefined;
    if (inner === undefined) throw new ConfigError(`${abs}: has no "zsniff" key`);
    return { config: validateConfig(inner, `${abs} ("zsniff" key)`, path.dirname(abs)), file: abs };
  }
  return { config: validateConfig(raw, abs, path.dirname(abs)), file: abs };
}

/** The nearest config from `cwd` upward, or an empty config when there is none. */
export function findConfig(cwd: string = process.cwd()): LoadedConfig {
  let dir = path.resolve(cwd);
  for (;;) {
    const own = path.join(dir, CONFIG_FILE_NAME);
    if (fs.existsSync(own)) return loadConfigFile(own);
    const pkg = path.join(dir, 'package.json');
    if (fs.existsSync(pkg)) {
      const raw = readJson(pkg);
      if (isRecord(raw) && raw.zsniff !== undefined) return loadConfigFile(pkg);
    }
    const up = path.dirname(dir);
    if (up === dir) return { config: emptyConfig(), file: null };
    dir = up;
  }
}

/** `--config FILE` if given, else the nearest config. */
export function loadConfig(file?: string, cwd?: string): LoadedConfig {
  return file !== undefined ? loadConfigFile(path.resolve(cwd ?? process.cwd(), file)) : findConfig(cwd);
}

/** Section options for the analysis that `check` runs, from the config (ESP keys). */
export function checkAnalyzeOptions(config: ZsniffConfig): Record<string, unknown> {
  const file = config.check.espSecrets;
  if (file === undefined) return {};
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new ConfigError(`check.espSecrets: ${file}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message}`);
  }
  try {
    return { esp: { secrets: parseEspSecrets(text, file) } };
  } catch (err) {
    throw new ConfigError(`check.espSecrets: ${(err as Error).message}`);
  }
}
