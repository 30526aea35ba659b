import * as fs from 'node:fs';

let cachedVersion: string | null = null;

/**
 * The package version, read once from package.json. This file sits two
 * folders below the package root, compiled (dist/analyze/) or bundled
 * (dist/bundle/), so the same relative URL finds it.
 */
export function zsniffVersion(): string {
  if (cachedVersion !== null) return cachedVersion;
  try {
    const pkg = JSON.parse(fs.readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: string };
    cachedVersion = pkg.version ?? '0.0.0';
  } catch {
    cachedVersion = '0.0.0';
  }
  return cachedVersion;
}
