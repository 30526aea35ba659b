/**
 * node:crypto, loaded on first use: most analyses have no keys, and loading
 * it costs a few milliseconds of every start-up. Secrets parsing and
 * decryption both get it here.
 */
import { createRequire } from 'node:module';
import type * as NodeCrypto from 'node:crypto';

let crypto: typeof NodeCrypto | undefined;

export function nodeCrypto(): typeof NodeCrypto {
  return crypto ??= createRequire(import.meta.url)('node:crypto') as typeof NodeCrypto;
}
