#!/usr/bin/env node
// Tiny launcher. The CLI runs from the bundle that `npm run build` writes
// (scripts/bundle-cli.mjs: a few files instead of ~180 to resolve and load);
// the plain compiled tree is the fallback when only tsc has run.
import { existsSync } from 'node:fs';

const bundle = new URL('../dist/bundle/main.js', import.meta.url);
const { main } = await import(existsSync(bundle) ? bundle.href : '../dist/cli/main.js');
process.exitCode = await main(process.argv.slice(2));
