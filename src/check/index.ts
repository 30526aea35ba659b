/** `zsniff check` as a library: discovery, config, the worker pool and the comparison. */
export { check, type CheckOptions } from './check.js';
export { discoverCaptures, snapshotPathFor, CheckInputError, SNAPSHOT_SUFFIX, type CaptureEntry } from './discover.js';
export {
  loadConfig, loadConfigFile, findConfig, validateConfig, checkAnalyzeOptions, emptyConfig, ConfigError, CONFIG_FILE_NAME,
  type ZsniffConfig, type CheckConfig, type LoadedConfig,
} from './config.js';
export { defaultWorkerCount } from './snapshot-pool.js';
