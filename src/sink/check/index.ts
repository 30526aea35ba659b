/** Regression snapshots: building, comparing, and reporting them (text, JUnit, JSON). */
export * from './json-value.js';
export * from './snapshot.js';
export * from './tolerance.js';
export * from './snapshot-diff.js';
export * from './check-result.js';
export * from './diff-text.js';
export * from './junit.js';
