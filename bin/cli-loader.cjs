'use strict';
/**
 * Loads the bundled CLI (dist/bundle/) with V8's code cache.
 *
 * Why: a short run spent a third of its own time compiling the bundle's
 * functions, the same ones every run. `npm run build` runs a few typical
 * commands once (scripts/train-code-cache.mjs) and saves what V8 compiled
 * beside the bundle; later runs read it instead of compiling. Node 20 has no
 * module compile cache of its own, so the bundle is CommonJS, run through
 * vm.Script, which takes cached data. A cache V8 rejects (another Node
 * version, other V8 flags, a rebuilt bundle) only costs the compile it saves.
 *
 * The commands run most over files have a bundle of their own
 * (zsniff-COMMAND.cjs, see scripts/bundle-cli.mjs), half the size with a
 * cache of only what that command compiles; any other command line, help
 * included, gets the whole CLI (zsniff.cjs).
 */
const fs = require('node:fs');
const path = require('node:path');
const vm = require('node:vm');
const Module = require('node:module');

const bundleDir = path.join(__dirname, '..', 'dist', 'bundle');

/**
 * The bundle for a command line (its arguments, without node and the script):
 * its exports ({ main }), script and file (to save a cache from), or null when
 * there is no bundle.
 */
function loadBundledCli(argv) {
  const command = argv[0];
  const names = typeof command === 'string' && /^[a-z]+$/.test(command) ? [`zsniff-${command}.cjs`, 'zsniff.cjs'] : ['zsniff.cjs'];
  for (const name of names) {
    const file = path.join(bundleDir, name);
    let source;
    try {
      source = fs.readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    return { ...run(file, source), file };
  }
  return null;
}

/** Compiles (from the cache beside it, if any) and runs one bundle the way Node runs a CommonJS module. */
function run(file, source) {
  let cachedData;
  try {
    cachedData = fs.readFileSync(`${file}.v8cache`);
  } catch {
    cachedData = undefined;
  }
  // The bundle is written as Node's CommonJS wrapper function (scripts/bundle-cli.mjs).
  const script = new vm.Script(source, { filename: file, cachedData });
  const module = { exports: {} };
  script.runInThisContext().call(module.exports, module.exports, Module.createRequire(file), module, file, path.dirname(file));
  return { exports: module.exports, script };
}

/** Saves what V8 has compiled of a loaded bundle so far (after running typical commands). */
function saveCodeCache(loaded) {
  const cacheFile = `${loaded.file}.v8cache`;
  fs.writeFileSync(cacheFile, loaded.script.createCachedData());
  return cacheFile;
}

module.exports = { loadBundledCli, saveCodeCache };
