#!/usr/bin/env node
'use strict';
// Tiny launcher. The CLI runs from the bundle that `npm run build` writes
// (scripts/bundle-cli.mjs: one file instead of ~180 to resolve and load,
// compiled from V8's code cache: bin/cli-loader.cjs); the plain compiled tree
// is the fallback when only tsc has run. CommonJS (bin/package.json), as
// Node starts an ES module entry point through its ES module loader, which
// costs a short run several milliseconds more.
const argv = process.argv.slice(2);
const bundled = require('./cli-loader.cjs').loadBundledCli(argv);
const cli = bundled !== null ? Promise.resolve(bundled.exports) : import('../dist/cli/main.js');
cli.then(async ({ main }) => {
  process.exitCode = await main(argv);
});
