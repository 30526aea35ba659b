/**
 * yargs, loaded through its CommonJS build: that build wraps help text at word
 * boundaries, its ESM build cuts words in half at the column limit. A static
 * require here (rather than createRequire at run time) also lets the CLI bundle
 * (scripts/bundle-cli.mjs) carry yargs inside it instead of resolving its files
 * from node_modules on every start. 'yargs/yargs' is the bare factory: the
 * package's main module also builds a parser over process.argv as it loads,
 * which zsniff never uses.
 */
import yargs = require('yargs/yargs');
export = yargs;
