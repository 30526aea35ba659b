import type { CommandModule } from 'yargs';

/** Every subcommand, in the order `zsniff --help` lists them. */
import { readCommand } from './read.js';

export const commands: CommandModule[] = [readCommand as unknown as CommandModule];

import { captureCommand } from './capture.js';
import { interfacesCommand } from './interfaces.js';
commands.push(captureCommand as unknown as CommandModule, interfacesCommand as unknown as CommandModule);

import { analyzeCommand } from './analyze.js';
commands.push(analyzeCommand as unknown as CommandModule);

import { graphCommand } from './graph.js';
commands.push(graphCommand as unknown as CommandModule);
