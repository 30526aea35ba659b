#!/usr/bin/env node
/**
 * Bundles the compiled CLI (dist/cli/main.js and what it imports, yargs
 * included) into one CommonJS file, dist/bundle/zsniff.cjs, plus one per
 * command run most (zsniff-read.cjs, ...), and then has V8 compile each once
 * over a few typical commands (scripts/train-code-cache.mjs) so that
 * bin/zsniff.js can load it from the code cache.
 *
 * Why: a short `zsniff analyze` spent most of its time before reading a packet,
 * resolving and compiling ~140 of our files and yargs' ~40 from node_modules
 * (stat calls, package.json reads, realpath), then compiling the same
 * functions every run. A bundle is one file with no resolution; CommonJS
 * because Node 20 takes a code cache only for scripts (vm.Script), not for
 * ES modules. Commands stay lazily evaluated: esbuild turns the dynamic imports
 * in cli/commands/index.ts into calls that initialise a command's modules when
 * it runs, so `read` never evaluates the analyzers' renderers.
 *
 * tsc still builds dist/ (types, the library, the tests' imports); this runs
 * after it. The bundle sits two levels below the package root, like
 * dist/cli/*.js, so paths resolved from import.meta.url (the native addon,
 * package.json) mean the same. The check snapshot worker and the analysis
 * shard worker, started by URL from the bundle's folder, are ES module entry
 * points of their own.
 */
import { build } from 'esbuild';
import { readFileSync, rmSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outdir = join(root, 'dist', 'bundle');

rmSync(outdir, { recursive: true, force: true });
// Two imports of our dependencies that load Node modules the CLI never uses
// get small stand-ins: yargs' require('assert') (src/cli/yargs-assert.cts)
// and chalk's terminal detection (src/cli/chalk-color-support.cts).
const standIn = (filter, importedBy, file) => ({
  name: `stand-in:${file}`,
  setup(b) {
    b.onResolve({ filter }, (args) => (importedBy.test(args.importer) ? { path: join(root, 'dist', 'cli', file) } : undefined));
  },
});
// yargs also reads process.stdout.columns as it loads, for a default help
// width zsniff never uses (cli/main.ts sets its own): the read is made lazy,
// so that a run whose output is no terminal never creates process.stdout
// (src/sink/terminal.ts). Should yargs' text differ, it is left as it is.
const YARGS_COLUMNS = 'stdColumns:void 0!==process.stdout.columns?process.stdout.columns:null';
const lazyYargsColumns = {
  name: 'lazy-yargs-columns',
  setup(b) {
    b.onLoad({ filter: /[\\/]node_modules[\\/]yargs[\\/]build[\\/]index\.cjs$/ }, (args) => {
      const text = readFileSync(args.path, 'utf8');
      if (!text.includes(YARGS_COLUMNS)) console.warn('bundle-cli: yargs reads the terminal width as it loads (its build changed)');
      return { contents: text.replace(YARGS_COLUMNS, `get ${YARGS_COLUMNS.replace(':', '(){return ')}}`), loader: 'js' };
    });
  },
};
const cliStandIns = [
  standIn(/^assert$/, /[\\/]node_modules[\\/]yargs[\\/]/, 'yargs-assert.cjs'),
  standIn(/^#supports-color$/, /[\\/]node_modules[\\/]chalk[\\/]/, 'chalk-color-support.cjs'),
  lazyYargsColumns,
];
/** Commands with a bundle of their own (each needs runs in scripts/train-code-cache.mjs). */
const OWN_BUNDLE_COMMANDS = ['read', 'analyze', 'graph'];
/** Leaves every command but one out of the bundle; it is run only for a command line naming that one. */
const onlyCommand = (command) => ({
  name: `only:${command}`,
  setup(b) {
    b.onResolve({ filter: /^\.\/[a-z-]+\.js$/ }, (args) =>
      (/[\\/]dist[\\/]cli[\\/]commands[\\/]index\.js$/.test(args.importer) && args.path !== `./${command}.js`
        ? { path: args.path, namespace: 'left-out-command' }
        : undefined));
    b.onLoad({ filter: /.*/, namespace: 'left-out-command' }, (args) => ({
      contents: `throw new Error('zsniff-${command}.cjs carries only the ${command} command, not ${args.path}');`,
    }));
  },
});
const common = {
  absWorkingDir: root,
  bundle: true,
  platform: 'node',
  target: 'node20',
  // The libpcap addon is loaded at run time from build/Release.
  external: ['*.node'],
  logLevel: 'warning',
  legalComments: 'none',
  minifyWhitespace: true,
  minifySyntax: true,
};
const cli = {
  ...common,
  entryPoints: ['dist/cli/main.js'],
  format: 'cjs',
  // Our modules name files relative to import.meta.url, which CommonJS lacks.
  define: { 'import.meta.url': 'zsniffModuleUrl' },
  // The file is already the function Node wraps a CommonJS module in, which
  // bin/cli-loader.cjs compiles and calls: wrapping it at run time made V8
  // copy the whole source once more before compiling.
  banner: { js: "(function (exports, require, module, __filename, __dirname) { const zsniffModuleUrl = require('node:url').pathToFileURL(__filename).href;" },
  footer: { js: '});' },
};
await build({ ...cli, outfile: join(outdir, 'zsniff.cjs'), plugins: cliStandIns });
// The commands people run most over files also get a bundle of their own,
// which bin/cli-loader.cjs picks when the command line names them: without the
// other commands' modules it is half the size to read, and its code cache
// holds only what that command compiles.
for (const command of OWN_BUNDLE_COMMANDS) {
  await build({ ...cli, outfile: join(outdir, `zsniff-${command}.cjs`), plugins: [...cliStandIns, onlyCommand(command)] });
}
await build({
  ...common,
  entryPoints: ['dist/check/snapshot-worker.js', 'dist/analyze/parallel/shard-worker.js'],
  entryNames: '[name]',
  outdir,
  format: 'esm',
  // yargs is not in the worker, but other CommonJS code could be: give it
  // require, as an ES module has none.
  banner: { js: "import { createRequire as zsniffCreateRequire } from 'node:module'; const require = zsniffCreateRequire(import.meta.url);" },
});

// Compile each bundle over typical commands and keep V8's code for later runs.
for (const command of [undefined, ...OWN_BUNDLE_COMMANDS]) {
  const trained = spawnSync(process.execPath, [join(root, 'scripts', 'train-code-cache.mjs'), ...(command ? [command] : [])], { stdio: 'ignore' });
  if (trained.status !== 0) console.warn(`bundle-cli: no code cache written for ${command ?? 'the whole CLI'} (it still works, compiling at each start)`);
}
