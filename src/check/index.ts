/**
 * `zsniff check` as a library: discovery, config, the worker pool, the snapshot model and the comparison
 * (diff with tolerances). Rendering the result for people and CI is in sink/check-report/.
 */
export { check, type CheckOptions } from './check.js';
export { discoverCaptures, snapshotPathFor, CheckInputError, SNAPSHOT_SUFFIX, type CaptureEntry } from './discover.js';
export {
  loadConfig, loadConfigFile, findConfig, validateConfig, checkAnalyzeOptions, emptyConfig, ConfigError, CONFIG_FILE_NAME,
  type ZsniffConfig, type CheckConfig, type LoadedConfig,
} from './config.js';
export { defaultWorkerCount } from './snapshot-pool.js';
export { SnapshotBuilder, serializeSnapshot, SNAPSHOT_FORMAT, type Snapshot } from './snapshot.js';
export { diffSnapshots, type SnapshotDiff, type SnapshotDifference } from './snapshot-diff.js';
export { ToleranceRules, ToleranceError, withinTolerance, type Tolerance, type ToleranceSpec } from './tolerance.js';
export {
  CHECK_RESULT_FORMAT, type CheckResult, type CaptureCheck, type CaptureCheckStatus, type CheckSummary,
} from './check-result.js';
export type { JsonValue } from './json-value.js';
