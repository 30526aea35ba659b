// Every export of src/ is imported somewhere (src, test, bench, scripts, bin)
// or is part of the library API in src/index.ts: scripts/unused-exports.js
// lists the ones that are not, and this test fails while there are any.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const script = fileURLToPath(new URL('../scripts/unused-exports.js', import.meta.url));

test('no export of src/ is left unused', () => {
  const r = spawnSync(process.execPath, [script], { encoding: 'utf8' });
  assert.equal(r.status, 0, `${r.stdout}${r.stderr}`);
});
