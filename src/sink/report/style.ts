/**
 * Colours for the summary, or none: one place decides, every renderer asks.
 * Renderers build plain text and wrap it here, so `--color never` output is
 * exactly the same text without escape codes.
 */
import { Chalk } from 'chalk';

export interface TextStyle {
  heading(t: string): string;
  dim(t: string): string;
  good(t: string): string;
  warn(t: string): string;
  bad(t: string): string;
  frame(t: string): string;
}

export function createTextStyle(color: boolean): TextStyle {
  if (!color) {
    const id = (t: string): string => t;
    return { heading: id, dim: id, good: id, warn: id, bad: id, frame: id };
  }
  const c = new Chalk({ level: 1 });
  return {
    heading: (t) => c.bold(t),
    dim: (t) => c.dim(t),
    good: (t) => c.green(t),
    warn: (t) => c.yellow(t),
    bad: (t) => c.red(t),
    frame: (t) => c.cyan(t),
  };
}
