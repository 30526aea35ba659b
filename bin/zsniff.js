#!/usr/bin/env node
// Tiny launcher. The CLI runs from the bundle that `npm run build` writes
// (scripts/bundle-cli.mjs: one file instead of ~180 to resolve and load,
// compiled from V8's code cache: bin/cli-loader.cjs); the plain compiled tree
// is the fallback when only tsc has run.
import { createRequire } from 'node:module';

const bundled = createRequire(import.meta.url)('./cli-loader.cjs').loadBundledCli();
const { main } = bundled !== null ? bundled.exports : await import('../dist/cli/main.js');
process.exitCode = await main(process.argv.slice(2));
