/**
 * A small deterministic PRNG and an AFL-style byte mutator. Determinism
 * matters more than quality here: a crash is reproduced from its saved
 * input, but a seeded run can also be replayed to the same input.
 */
import { concat } from '../helpers/packets.js';

export class Rng {
  constructor(seed = 1) {
    // splitmix32 to spread a small seed over the whole state.
    let s = seed >>> 0;
    const next = () => {
      s = (s + 0x9e3779b9) >>> 0;
      let z = s;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.a = next() | 1; this.b = next(); this.c = next(); this.d = next();
  }

  /** xoshiro128** */
  u32() {
    const r = Math.imul(rotl(Math.imul(this.b, 5), 7), 9) >>> 0;
    const t = this.b << 9;
    this.c ^= this.a; this.d ^= this.b; this.b ^= this.c; this.a ^= this.d;
    this.c ^= t; this.d = rotl(this.d, 11);
    return r;
  }

  /** 0 <= n < max (max <= 2^32). */
  int(max) { return max <= 1 ? 0 : Math.floor((this.u32() / 0x100000000) * max); }
  range(lo, hi) { return lo + this.int(hi - lo + 1); }
  chance(p) { return this.u32() / 0x100000000 < p; }
  pick(list) { return list[this.int(list.length)]; }
  bytes(n) {
    const b = new Uint8Array(n);
    for (let i = 0; i < n; i++) b[i] = this.u32() & 0xff;
    return b;
  }
  /** Small numbers are likelier: the sizes and counts that find off-by-ones. */
  smallish(max) { return this.chance(0.7) ? this.int(Math.min(max, 16) + 1) : this.int(max + 1); }
}

function rotl(x, k) { return ((x << k) | (x >>> (32 - k))) >>> 0; }

/** Values that sit on the edges of length and offset checks. */
export const INTERESTING = [
  0, 1, 2, 3, 4, 7, 8, 15, 16, 20, 24, 31, 32, 40, 60, 63, 64, 127, 128, 255, 256, 1499, 1500, 1514,
  4095, 4096, 0x7fff, 0x8000, 0xfffe, 0xffff, 0x10000, 65535 + 40, 262144, 262145, 0x7fffffff, 0x80000000,
  0xfffffffe, 0xffffffff, 0x01000000, 16 * 1024 * 1024, 16 * 1024 * 1024 + 4,
];

/**
 * A field whose value other bytes depend on (a length, a header length, a
 * next-header), as found by decoding the seed: mutating these reaches the
 * bounds checks far more often than random bit flips do.
 * `{ at, width: 1|2|4, le?: boolean, nibble?: 'hi'|'lo' }`
 */

/** Returns a mutated copy of `input` (at most `maxLen` bytes). `other` is a splice partner. */
export function mutate(rng, input, { fields = [], other = null, maxLen = 65536 } = {}) {
  let b = input.slice();
  const rounds = 1 + rng.smallish(7);
  for (let r = 0; r < rounds; r++) {
    const op = rng.int(fields.length > 0 ? 14 : 11);
    switch (op) {
      case 0: { // bit flip
        if (b.length === 0) break;
        const i = rng.int(b.length); b[i] ^= 1 << rng.int(8); break;
      }
      case 1: { // random byte
        if (b.length === 0) break;
        b[rng.int(b.length)] = rng.u32() & 0xff; break;
      }
      case 2: { // interesting value at a random place
        if (b.length === 0) break;
        writeInt(b, rng.int(b.length), rng.pick([1, 2, 4]), rng.chance(0.5), rng.pick(INTERESTING)); break;
      }
      case 3: { // arithmetic on a byte or word
        if (b.length < 2) break;
        const i = rng.int(b.length - 1);
        writeInt(b, i, 2, false, readInt(b, i, 2, false) + rng.range(-35, 35)); break;
      }
      case 4: { // insert random bytes
        const at = rng.int(b.length + 1); const n = 1 + rng.smallish(64);
        b = concat(b.subarray(0, at), rng.bytes(n), b.subarray(at)); break;
      }
      case 5: { // delete a range
        if (b.length === 0) break;
        const at = rng.int(b.length); const n = 1 + rng.smallish(Math.min(64, b.length - at - 1));
        b = concat(b.subarray(0, at), b.subarray(Math.min(b.length, at + n))); break;
      }
      case 6: { // duplicate a range (repeated headers, option runs)
        if (b.length === 0) break;
        const at = rng.int(b.length); const n = 1 + rng.smallish(Math.min(256, b.length - at - 1));
        const piece = b.slice(at, at + n); const to = rng.int(b.length + 1);
        b = concat(b.subarray(0, to), piece, b.subarray(to)); break;
      }
      case 7: { // splice with another input
        if (!other || other.length === 0) break;
        const cut = rng.int(b.length + 1); const from = rng.int(other.length);
        b = concat(b.subarray(0, cut), other.subarray(from, from + 1 + rng.int(other.length - from))); break;
      }
      case 8: { // truncate
        if (b.length === 0) break;
        b = b.slice(0, rng.int(b.length)); break;
      }
      case 9: { // overwrite a range with one byte value (0x00 / 0xff runs)
        if (b.length === 0) break;
        const at = rng.int(b.length); const n = 1 + rng.smallish(32);
        b.fill(rng.pick([0, 0xff, 0x1b, 0x80, 0x9b, rng.u32() & 0xff]), at, Math.min(b.length, at + n)); break;
      }
      case 10: { // copy a range inside the input
        if (b.length < 2) break;
        const from = rng.int(b.length); const to = rng.int(b.length); const n = 1 + rng.smallish(32);
        b.copyWithin(to, from, Math.min(b.length, from + n)); break;
      }
      default: { // a known length / offset field
        const f = rng.pick(fields);
        if (f.at >= b.length) break;
        mutateField(rng, b, f); break;
      }
    }
  }
  return b.length > maxLen ? b.slice(0, maxLen) : b;
}

function mutateField(rng, b, f) {
  if (f.nibble) {
    const v = rng.chance(0.5) ? rng.int(16) : rng.pick([0, 1, 4, 5, 15]);
    b[f.at] = f.nibble === 'hi' ? (b[f.at] & 0x0f) | (v << 4) : (b[f.at] & 0xf0) | v;
    return;
  }
  const cur = readInt(b, f.at, f.width, f.le);
  let v;
  switch (rng.int(4)) {
    case 0: v = rng.pick(INTERESTING); break;
    case 1: v = cur + rng.range(-8, 8); break;
    case 2: v = rng.u32(); break;
    default: v = cur * rng.pick([0, 2, 4, 8]) + rng.range(-1, 1);
  }
  writeInt(b, f.at, f.width, f.le, v);
}

export function readInt(b, at, width, le) {
  let v = 0;
  for (let i = 0; i < width && at + i < b.length; i++) {
    const byte = b[le ? at + width - 1 - i : at + i] ?? 0;
    v = v * 256 + byte;
  }
  return v;
}

export function writeInt(b, at, width, le, value) {
  let v = Math.trunc(value);
  v = ((v % 2 ** (8 * width)) + 2 ** (8 * width)) % 2 ** (8 * width);
  for (let i = width - 1; i >= 0; i--) {
    const idx = le ? at + (width - 1 - i) : at + i;
    if (idx < b.length) b[idx] = v & 0xff;
    v = Math.floor(v / 256);
  }
}
