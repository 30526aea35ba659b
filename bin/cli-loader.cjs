'use strict';
/**
 * Loads the bundled CLI (dist/bundle/zsniff.cjs) with V8's code cache.
 *
 * Why: a short run spent a third of its own time compiling the bundle's
 * functions, the same ones every run. `npm run build` runs a few typical
 * commands once (scripts/train-code-cache.mjs) and saves what V8 compiled
 * beside the bundle; later runs read it instead of compiling. Node 20 has no
 * module compile cache of its own, so the bundle is CommonJS, run through
 * vm.Script, which takes cached data. A cache V8 rejects (another Node
 * version, other V8 flags, a rebuilt bundle) only costs the compile it saves.
 */
const fs = require('node:fs');
const path = require('node:path');
const vm = require('node:vm');
const Module = require('node:module');

const bundleFile = path.join(__dirname, '..', 'dist', 'bundle', 'zsniff.cjs');
const cacheFile = `${bundleFile}.v8cache`;

/** The bundle's exports ({ main }) and its script (to save a cache from), or null when there is no bundle. */
function loadBundledCli() {
  let source;
  try {
    source = fs.readFileSync(bundleFile, 'utf8');
  } catch {
    return null;
  }
  let cachedData;
  try {
    cachedData = fs.readFileSync(cacheFile);
  } catch {
    cachedData = undefined;
  }
  const script = new vm.Script(Module.wrap(source), { filename: bundleFile, cachedData });
  const module = { exports: {} };
  script.runInThisContext().call(module.exports, module.exports, Module.createRequire(bundleFile), module, bundleFile, path.dirname(bundleFile));
  return { exports: module.exports, script };
}

/** Saves what V8 has compiled of the bundle so far (after running typical commands). */
function saveCodeCache(script) {
  fs.writeFileSync(cacheFile, script.createCachedData());
  return cacheFile;
}

module.exports = { loadBundledCli, saveCodeCache };
