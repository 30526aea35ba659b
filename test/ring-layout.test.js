// The capture ring is laid out twice, in native/ring_layout.h (the C producer)
// and src/source/live/ring-layout.ts (the JavaScript consumer). These tests
// keep the two from drifting: every #define of the header must be in the
// TypeScript table with the same value, and the built addon must export the
// same values, which LiveCapture.open checks again before every capture.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { NATIVE_RING_LAYOUT, ringLayoutMismatch } from '../dist/source/live/ring-layout.js';
import { loadNativeAddon } from '../dist/source/native-addon.js';
import { missingAddon, skipOrFail } from './helpers/requirements.js';

const header = readFileSync(new URL('../native/ring_layout.h', import.meta.url), 'utf8');

/** The header's integer #defines by name (the include guard has no value and is left out). */
function headerDefines() {
  const defines = {};
  for (const m of header.matchAll(/^#define[ \t]+(\w+)[ \t]+(\S+)/gm)) {
    assert.match(m[2], /^\d+$/, `${m[1]}: only plain decimal values are compared, not '${m[2]}'`);
    defines[m[1]] = Number(m[2]);
  }
  return defines;
}

test('every #define of native/ring_layout.h is in the TypeScript layout with the same value', () => {
  const defines = headerDefines();
  assert.ok(Object.keys(defines).length >= 10, 'the header parsed into too few constants');
  assert.deepEqual({ ...NATIVE_RING_LAYOUT }, defines);
});

test('the built addon exports the ring layout it was compiled with, equal to the header and to ours', (t) => {
  const missing = missingAddon();
  if (missing) return skipOrFail(t, missing);
  const addon = loadNativeAddon();
  assert.deepEqual({ ...addon.ringLayout }, headerDefines());
  assert.equal(ringLayoutMismatch(addon.ringLayout), undefined);
});

test('ringLayoutMismatch names every constant that differs, and an addon that does not say', () => {
  assert.equal(ringLayoutMismatch({ ...NATIVE_RING_LAYOUT }), undefined);
  const other = { ...NATIVE_RING_LAYOUT, RING_TAIL: 8, EXTRA: 1 };
  delete other.STAT_COUNT;
  const text = ringLayoutMismatch(other);
  assert.match(text, /RING_TAIL is 8 in the addon, 16 here/);
  assert.match(text, /STAT_COUNT is missing in the addon/);
  assert.match(text, /EXTRA is 1 in the addon, missing here/);
  assert.match(ringLayoutMismatch(undefined), /does not report its ring layout/);
});
