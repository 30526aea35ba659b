import type { CommandModule } from 'yargs';

/** Every subcommand, in the order `zsniff --help` lists them. */
export const commands: CommandModule[] = [];
