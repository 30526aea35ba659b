#!/usr/bin/env node
/**
 * Bundles the compiled CLI (dist/cli/main.js and what it imports, yargs
 * included) into dist/bundle/, one ES module per command plus shared chunks.
 *
 * Why: a short `zsniff analyze` spent most of its time before reading a packet,
 * resolving and compiling ~140 of our files and yargs' ~40 from node_modules
 * (stat calls, package.json reads, realpath). A bundle is a handful of files
 * with no resolution. Commands stay lazily loaded (esbuild splits at the
 * dynamic imports in cli/commands/index.ts), so `read` never compiles the
 * analyzers' renderers and the other way round.
 *
 * tsc still builds dist/ (types, the library, the tests' imports); this runs
 * after it. Files are placed two levels below the package root, like
 * dist/cli/*.js, so paths resolved from import.meta.url (the native addon,
 * package.json) mean the same; the check snapshot worker and the analysis shard worker, started by URL, are
 * entry points of their own with their own names.
 */
import { build } from 'esbuild';
import { rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outdir = join(root, 'dist', 'bundle');

rmSync(outdir, { recursive: true, force: true });
await build({
  absWorkingDir: root,
  entryPoints: ['dist/cli/main.js', 'dist/check/snapshot-worker.js', 'dist/analyze/parallel/shard-worker.js'],
  entryNames: '[name]',
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // The libpcap addon is loaded at run time from build/Release.
  external: ['*.node'],
  // yargs' CommonJS files call require() for Node's own modules and name
  // their locale folder by __dirname; an ES module has neither, so each chunk
  // gets both. yargs' English texts are its defaults, so no locale file is
  // needed beside the bundle.
  banner: {
    js: "import { createRequire as zsniffCreateRequire } from 'node:module';" +
      " import { fileURLToPath as zsniffFileURLToPath } from 'node:url';" +
      ' const require = zsniffCreateRequire(import.meta.url);' +
      ' const __filename = zsniffFileURLToPath(import.meta.url);' +
      " const __dirname = __filename.slice(0, __filename.lastIndexOf('/'));",
  },
  logLevel: 'warning',
  legalComments: 'none',
  minifyWhitespace: true,
  minifySyntax: true,
});
