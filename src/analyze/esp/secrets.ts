/**
 * ESP keys in tcpdump's -E syntax, one SA per line (or comma-separated):
 *
 *   [spi@destination] cipher[-integrity]:key [integrity:authkey]
 *
 * `key` is hex after `0x`, otherwise the ASCII text itself (as in tcpdump).
 * Ciphers: none | null, des-cbc, 3des-cbc, aes128-cbc, aes192-cbc,
 * aes256-cbc, aes-cbc (size from the key), and AES-GCM (RFC 4106):
 * aes128-gcm16, aes192-gcm16, aes256-gcm16, aes-gcm16 (also -gcm8, -gcm12,
 * and aes-gcm meaning gcm16), whose key ends in the 4-byte salt.
 * tcpdump's `-hmac96` suffix means a 12-byte ICV whose key it does not take,
 * so the ICV is skipped unchecked; naming the integrity algorithm with a key
 * (hmac-sha1-96:0x..., hmac-md5-96, hmac-sha256-128, hmac-sha384-192,
 * hmac-sha512-256) makes it verified. A suffix such as `-hmac-sha256-128` on
 * the cipher gives the ICV length without a key.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { nodeCrypto } from './node-crypto.js';
// node:net, like node:crypto, is loaded only when secrets are.
const lazyRequire = createRequire(import.meta.url);
const getCiphers = (): string[] => nodeCrypto().getCiphers();
const isIPv4 = (s: string): boolean => (lazyRequire('node:net') as typeof import('node:net')).isIPv4(s);
const isIPv6 = (s: string): boolean => (lazyRequire('node:net') as typeof import('node:net')).isIPv6(s);

export type EspCipherName = 'null' | 'des-cbc' | '3des-cbc' | 'aes-cbc' | 'aes-gcm';

export interface EspIntegrity {
  /** Our name, e.g. "hmac-sha256-128". */
  name: string;
  /** node:crypto digest name. */
  digest: string;
  /** Bytes of the truncated MAC carried as the ICV. */
  icvLength: number;
}

export interface EspSecret {
  /** The SA's SPI; null matches any SPI. */
  spi: number | null;
  /** Destination address as written, and its bytes; null matches any destination. */
  destination: string | null;
  destinationBytes: Uint8Array | null;
  cipher: EspCipherName;
  /** Encryption key without the GCM salt. Never printed. */
  key: Uint8Array;
  /** RFC 4106 salt (the last 4 bytes of the configured GCM key). */
  salt: Uint8Array | null;
  /** ICV bytes at the end of each packet. */
  icvLength: number;
  /** Set when the ICV can be verified (the authentication key was given, or GCM). */
  integrity: EspIntegrity | null;
  authKey: Uint8Array | null;
  /** Where this SA was defined ("file:3" or "-E #1"), for messages that must not show keys. */
  origin: string;
}

export class EspSecretsError extends Error {
  constructor(readonly origin: string, reason: string) {
    super(`${origin}: ${reason}`);
    this.name = 'EspSecretsError';
  }
}

const INTEGRITY: Record<string, EspIntegrity> = {
  'hmac-md5-96': { name: 'hmac-md5-96', digest: 'md5', icvLength: 12 },
  'hmac-sha1-96': { name: 'hmac-sha1-96', digest: 'sha1', icvLength: 12 },
  'hmac-sha256-128': { name: 'hmac-sha256-128', digest: 'sha256', icvLength: 16 },
  'hmac-sha384-192': { name: 'hmac-sha384-192', digest: 'sha384', icvLength: 24 },
  'hmac-sha512-256': { name: 'hmac-sha512-256', digest: 'sha512', icvLength: 32 },
};

/** The one algorithm that may be named without a key (NULL encryption, optionally with an ICV length). */
const NO_KEY_ALGORITHM = /^(null|none)(-|$)/i;

/** Key lengths (bytes) per cipher; AES-GCM lengths include the salt. */
const KEY_LENGTHS: Record<string, readonly number[]> = {
  'null': [0],
  'des-cbc': [8],
  '3des-cbc': [24],
  'aes128-cbc': [16], 'aes192-cbc': [24], 'aes256-cbc': [32], 'aes-cbc': [16, 24, 32],
  'aes128-gcm': [20], 'aes192-gcm': [28], 'aes256-gcm': [36], 'aes-gcm': [20, 28, 36],
};

/** Parses a secrets file's text; `name` labels lines in errors. */
export function parseEspSecrets(text: string, name = 'secrets'): EspSecret[] {
  const out: EspSecret[] = [];
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.replace(/#.*$/, '').trim();
    if (line === '') continue;
    for (const entry of line.split(',')) {
      if (entry.trim() !== '') out.push(parseEspSecret(entry, `${name}:${i + 1}`));
    }
  }
  return out;
}

/** Parses one `[spi@dst] cipher:key [integrity:authkey]` entry. */
export function parseEspSecret(entry: string, origin: string): EspSecret {
  const tokens = entry.trim().split(/\s+/);
  let spi: number | null = null;
  let destination: string | null = null;
  let destinationBytes: Uint8Array | null = null;
  if (tokens[0]!.includes('@')) {
    const [spiText, dst] = tokens.shift()!.split('@') as [string, string];
    spi = parseSpi(spiText, origin);
    destinationBytes = parseAddressBytes(dst, origin);
    destination = dst;
  }
  const cipherToken = tokens.shift();
  if (cipherToken === undefined) throw new EspSecretsError(origin, 'missing algorithm:key');
  const colon = cipherToken.indexOf(':');
  // Without a colon the word may well be the key itself: name it by position, never by content.
  if (colon < 0 && !NO_KEY_ALGORITHM.test(cipherToken)) {
    throw new EspSecretsError(origin, `expected algorithm:key (e.g. aes128-cbc:0x...)${spi === null ? '' : ' after spi@destination'}`);
  }
  const algorithm = (colon < 0 ? cipherToken : cipherToken.slice(0, colon)).toLowerCase();
  const key = colon < 0 ? new Uint8Array(0) : parseKey(cipherToken.slice(colon + 1), origin);

  let icvLength = 0;
  let suffixIntegrity: EspIntegrity | null = null;
  let base = algorithm;
  const gcm = /^(aes(?:128|192|256)?)-?gcm(8|12|16)?$/.exec(algorithm);
  if (gcm) {
    base = `${gcm[1]}-gcm`;
    icvLength = Number(gcm[2] ?? 16);
  } else {
    const integ = /^(.*?)-(hmac96|hmac-(?:md5|sha1)-96|hmac-sha256-128|hmac-sha384-192|hmac-sha512-256)$/.exec(algorithm);
    if (integ) {
      base = integ[1]!;
      if (integ[2] === 'hmac96') icvLength = 12;
      else { suffixIntegrity = INTEGRITY[integ[2]!]!; icvLength = suffixIntegrity.icvLength; }
    }
    if (base === 'none') base = 'null';
    if (base === 'des-ede3-cbc' || base === '3des') base = '3des-cbc';
    if (base === 'aes128' || base === 'aes192' || base === 'aes256') base += '-cbc';
  }
  const lengths = KEY_LENGTHS[base];
  if (!lengths) throw new EspSecretsError(origin, `unknown ESP algorithm "${algorithm}"`);
  if (!lengths.includes(key.length)) {
    throw new EspSecretsError(origin, `${algorithm} needs a key of ${lengths.join(' or ')} bytes, not ${key.length}`);
  }
  const cipher: EspCipherName = base.endsWith('-gcm') ? 'aes-gcm' : base.startsWith('aes') ? 'aes-cbc' : base as EspCipherName;
  // OpenSSL 3 moved single DES to the legacy provider, which Node does not load: without this check
  // the first DES packet would throw out of the decryptor instead of the key being refused here.
  if (cipher === 'des-cbc' && !getCiphers().includes('des-cbc')) {
    throw new EspSecretsError(origin, 'des-cbc is not available: the OpenSSL in this Node.js has no single DES (legacy provider)');
  }

  let integrity: EspIntegrity | null = null;
  let authKey: Uint8Array | null = null;
  const authToken = tokens.shift();
  if (authToken !== undefined) {
    if (cipher === 'aes-gcm') throw new EspSecretsError(origin, 'AES-GCM authenticates by itself; no integrity key is needed');
    const c = authToken.indexOf(':');
    const authName = (c < 0 ? authToken : authToken.slice(0, c)).toLowerCase();
    const found = INTEGRITY[authName];
    if (c < 0) throw new EspSecretsError(origin, `expected integrity:key (${Object.keys(INTEGRITY).join(', ')}) after the cipher key`);
    if (!found) throw new EspSecretsError(origin, `unknown integrity algorithm "${authName}" (${Object.keys(INTEGRITY).join(', ')})`);
    if (icvLength !== 0 && icvLength !== found.icvLength) {
      throw new EspSecretsError(origin, `${algorithm} says a ${icvLength}-byte ICV but ${authName} makes ${found.icvLength}`);
    }
    if (suffixIntegrity && suffixIntegrity.name !== found.name) {
      throw new EspSecretsError(origin, `${algorithm} names a different integrity algorithm from ${authName}`);
    }
    integrity = found;
    icvLength = found.icvLength;
    authKey = parseKey(authToken.slice(c + 1), origin);
  }
  if (tokens.length > 0) throw new EspSecretsError(origin, 'unexpected words after the keys (use a comma or a new line between SAs)');
  let encKey = key;
  let salt: Uint8Array | null = null;
  if (cipher === 'aes-gcm') {
    encKey = key.subarray(0, key.length - 4);
    salt = key.subarray(key.length - 4);
  }
  return { spi, destination, destinationBytes, cipher, key: encKey, salt, icvLength, integrity, authKey, origin };
}

function parseSpi(text: string, origin: string): number {
  const v = /^0x[0-9a-f]{1,8}$/i.test(text) ? parseInt(text.slice(2), 16) : /^\d+$/.test(text) ? Number(text) : NaN;
  if (!Number.isInteger(v) || v < 0 || v > 0xffffffff) throw new EspSecretsError(origin, `bad SPI "${text}"`);
  return v;
}

function parseKey(text: string, origin: string): Uint8Array {
  if (/^0x/i.test(text)) {
    const hex = text.slice(2);
    if (hex.length % 2 !== 0 || !/^[0-9a-f]*$/i.test(hex)) throw new EspSecretsError(origin, 'hex key has an odd length or a non-hex digit');
    return Uint8Array.from(Buffer.from(hex, 'hex'));
  }
  return Uint8Array.from(Buffer.from(text, 'latin1'));
}

/** IPv4 or IPv6 text to 4 or 16 bytes. */
function parseAddressBytes(text: string, origin: string): Uint8Array {
  if (isIPv4(text)) return Uint8Array.from(text.split('.').map(Number));
  if (!isIPv6(text)) throw new EspSecretsError(origin, `bad destination address "${text}"`);
  let t = text;
  const out = new Uint8Array(16);
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(t);
  if (v4) {
    const parts = v4[1]!.split('.').map(Number);
    t = `${t.slice(0, v4.index)}${((parts[0]! << 8) | parts[1]!).toString(16)}:${((parts[2]! << 8) | parts[3]!).toString(16)}`;
  }
  const [head, tail] = t.includes('::') ? t.split('::') as [string, string] : [t, null];
  const h = head === '' ? [] : head.split(':');
  const tl = tail === null || tail === '' ? [] : tail.split(':');
  const groups = tail === null ? h : [...h, ...new Array<string>(8 - h.length - tl.length).fill('0'), ...tl];
  groups.forEach((g, i) => { const v = parseInt(g, 16); out[i * 2] = v >> 8; out[i * 2 + 1] = v & 0xff; });
  return out;
}

/** A description of an SA's algorithms that is safe to print (no key material). */
export function describeSecret(s: EspSecret): string {
  const where = s.spi === null ? 'any SA' : `SPI 0x${s.spi.toString(16).padStart(8, '0')}@${s.destination}`;
  const icv = s.cipher === 'aes-gcm' ? `${s.icvLength}-byte ICV` :
    s.integrity ? `${s.integrity.name}` : s.icvLength > 0 ? `${s.icvLength}-byte ICV, not verified (no authentication key)` : 'no ICV';
  const bits = s.cipher === 'null' ? '' : `-${s.key.length * 8}`;
  return `${where}: ${s.cipher}${s.cipher === 'aes-cbc' || s.cipher === 'aes-gcm' ? bits : ''}, ${icv}`;
}

/**
 * Keys as a command line gives them: secrets files, and tcpdump `-E` values
 * (SAs separated by commas or new lines, or `file NAME` as tcpdump reads a
 * file). Unreadable files and bad entries throw EspSecretsError, whose
 * message names the file and line but never the key.
 */
export function loadEspSecrets(files: readonly string[] = [], entries: readonly string[] = []): EspSecret[] {
  const out: EspSecret[] = [];
  for (const f of files) out.push(...parseEspSecrets(readSecretsFile(f), f));
  entries.forEach((e, i) => {
    const file = /^\s*file\s+(.+?)\s*$/.exec(e);
    if (file) out.push(...parseEspSecrets(readSecretsFile(file[1]!), file[1]!));
    else {
      for (const part of e.split(/[,\n]/)) if (part.trim() !== '') out.push(parseEspSecret(part, `-E #${i + 1}`));
    }
  });
  return out;
}

function readSecretsFile(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' :
      code === 'EISDIR' ? 'is a directory' : (err as Error).message;
    throw new EspSecretsError(path, why);
  }
}
