#!/usr/bin/env node
/**
 * Runs a bundled CLI over a few typical commands in one process, then saves
 * what V8 compiled as the bundle's code cache (see bin/cli-loader.cjs). Run by
 * scripts/bundle-cli.mjs with output discarded: with a command name, for that
 * command's own bundle (zsniff-COMMAND.cjs, over that command's runs); without,
 * for the whole CLI (zsniff.cjs, over all of them). Needs the fixtures, so an
 * install without them simply has no cache.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { loadBundledCli, saveCodeCache } = createRequire(import.meta.url)('../bin/cli-loader.cjs');
const tcp = join(root, 'fixtures', 'tcp-rto-backoff.pcap');
const esp = join(root, 'fixtures', 'esp-sequence-gap.pcap');
if (!existsSync(tcp) || !existsSync(esp)) process.exit(1);

// What people run most: analysis in text and JSON, lines at each verbosity, a graph.
const runs = [
  ['analyze', tcp, '--color', 'never'], ['analyze', '--json', esp], ['analyze', tcp, esp, '--color', 'always'],
  ['read', '-nn', tcp], ['read', '-v', esp], ['read', '--json', tcp],
  ['graph', tcp, '--color', 'never'],
];
const command = process.argv[2];
const chosen = command === undefined ? runs : runs.filter((argv) => argv[0] === command);
if (chosen.length === 0) process.exit(1);

const bundled = loadBundledCli(command === undefined ? [] : [command]);
if (bundled === null || (command !== undefined && !bundled.file.endsWith(`zsniff-${command}.cjs`))) process.exit(1);
for (const argv of chosen) await bundled.exports.main(argv);
// A command that failed on a fixture still compiled its code: the cache is good either way.
process.exitCode = 0;
saveCodeCache(bundled);
