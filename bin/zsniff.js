#!/usr/bin/env node
// Tiny launcher: the CLI lives in the compiled dist/ tree.
import { main } from '../dist/cli/main.js';
main(process.argv.slice(2)).then((code) => { process.exitCode = code; });
