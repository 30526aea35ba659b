import type { CommandModule } from 'yargs';

/**
 * Every subcommand, in the order `zsniff --help` lists them. Each is loaded
 * only when it runs (or for the full help): importing every analyzer, the
 * addon loader and the renderers costs more than a small capture takes to read.
 */
const commandLoaders: ReadonlyArray<readonly [name: string, load: () => Promise<CommandModule>]> = [
  ['read', async () => (await import('./read.js')).readCommand as unknown as CommandModule],
  ['capture', async () => (await import('./capture.js')).captureCommand as unknown as CommandModule],
  ['interfaces', async () => (await import('./interfaces.js')).interfacesCommand as unknown as CommandModule],
  ['analyze', async () => (await import('./analyze.js')).analyzeCommand as unknown as CommandModule],
  ['graph', async () => (await import('./graph.js')).graphCommand as unknown as CommandModule],
  ['top', async () => (await import('./top.js')).topCommand as unknown as CommandModule],
  ['check', async () => (await import('./check.js')).checkCommand as unknown as CommandModule],
];

/** The command modules needed to parse `argv`: just the one named, or all of them. */
// New commands: add a line to commandLoaders above (not a static import).
export async function loadCommands(argv: readonly string[]): Promise<CommandModule[]> {
  const named = commandLoaders.find(([name]) => name === argv[0]);
  if (named) return [await named[1]()];
  return Promise.all(commandLoaders.map(([, load]) => load()));
}
