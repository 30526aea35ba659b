/**
 * The two checks yargs takes from node:assert, for the CLI bundle
 * (scripts/bundle-cli.mjs points yargs' require('assert') here). Loading
 * node:assert opens process.stderr to learn its colours, and with it Node's
 * stream (and, for a pipe, socket) modules: a few milliseconds of every start
 * for checks that hold in any normal run. A failed check is still reported by
 * node:assert itself.
 */
import type * as NodeAssert from 'node:assert';

export function strictEqual(actual: unknown, expected: unknown, message?: string | Error): void {
  if (Object.is(actual, expected)) return;
  const nodeAssert: typeof NodeAssert = require('node:assert');
  nodeAssert.strictEqual(actual, expected, message);
}

export function notStrictEqual(actual: unknown, expected: unknown, message?: string | Error): void {
  if (!Object.is(actual, expected)) return;
  const nodeAssert: typeof NodeAssert = require('node:assert');
  nodeAssert.notStrictEqual(actual, expected, message);
}
