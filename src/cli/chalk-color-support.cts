/**
 * What the CLI bundle (scripts/bundle-cli.mjs) gives chalk in place of its
 * terminal detection (its '#supports-color'). zsniff decides colour itself
 * (sink/color.ts) and always hands chalk an explicit level, so the detection
 * is never consulted; running it loads node:tty, and with it node:net, at
 * every start.
 */
export = { stdout: false, stderr: false };
