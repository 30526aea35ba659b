// What a test needs from the machine (tcpdump, tshark, the libpcap addon, the
// shared corpus, root and network namespaces) and what happens when it is
// missing: outside CI the test skips with a message saying what is missing;
// with CI set (any non-empty value) it fails with that message instead, so a
// CI run cannot pass by skipping what it was meant to check.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { loadNativeAddon } from '../../dist/source/native-addon.js';

/** Whether missing requirements fail tests (CI set to any non-empty value). */
export function requirementsEnforced() {
  return Boolean(process.env.CI);
}

function requirementError(message) {
  return new assert.AssertionError({ message: `CI requires every test to run, but this one would skip: ${message}` });
}

/**
 * Skips test `t` with `message` (what is missing); with CI set, throws an
 * AssertionError naming it instead. Use as `return skipOrFail(t, why)`.
 */
export function skipOrFail(t, message) {
  if (requirementsEnforced()) throw requirementError(message);
  t.skip(message);
}

/**
 * For a test that still checks part of its claim without the requirement:
 * outside CI a diagnostic saying what was not checked; with CI set, a failure.
 */
export function noteOrFail(t, message) {
  if (requirementsEnforced()) throw requirementError(message);
  t.diagnostic(message);
}

/** Whether `cmd` is on PATH. */
export function haveCommand(cmd) {
  return spawnSync('sh', ['-c', 'command -v "$1"', 'sh', cmd], { stdio: 'ignore' }).status === 0;
}

/** Why the libpcap addon cannot be loaded (through src/source/native-addon.ts, so ZSNIFF_NATIVE_ADDON counts), or null. */
export function missingAddon() {
  try {
    loadNativeAddon();
    return null;
  } catch (e) {
    return `the libpcap addon (build/Release/zsniff_pcap.node); ${e.message}`;
  }
}
