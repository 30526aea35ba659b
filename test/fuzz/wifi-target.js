/**
 * Fuzz target for the wireless printers: radiotap headers (presence-word
 * chains, namespace switches, vendor skips, fields cut anywhere) and 802.11
 * frames, bare and behind Prism/AVS headers, from hand-built cases and the
 * corpus' 802.11 captures, mutated. Lines must end in a newline, stay
 * terminal-safe (the runner times every input).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { PacketLinePrinter } from '../../dist/sink/lines/line-printer.js';
import { mutate } from './mutate.js';
import { CORPUS, parseCaptureBytes } from './seeds.js';
import { WIFI_CASES } from '../helpers/wifi-cases.js';
import { assertTerminalSafe } from '../helpers/terminal-safe.js';

const LINK_TYPES = [105, 119, 127, 163];
const OPTIONS = [{}, { link: true }, { verbose: 2, link: true }, { hex: 1 }, { hexAscii: 2, verbose: 1 }, { quiet: true }];
const METAS = LINK_TYPES.flatMap((lt) => OPTIONS.map((_, o) => ({ lt, o })));
let printers = null;
let seeds = null;

function seedList() {
  if (seeds) return seeds;
  seeds = WIFI_CASES.map(([lt, bytes]) => ({ lt, bytes }));
  let names = [];
  try { names = fs.readdirSync(CORPUS).filter((n) => /802\.11|radiotap|reason_code-1\.|status_code-1\./.test(n)); } catch { /* no corpus */ }
  for (const n of names) {
    const { packets } = parseCaptureBytes(new Uint8Array(fs.readFileSync(path.join(CORPUS, n))), 32);
    for (const p of packets) if (LINK_TYPES.includes(p.linkType)) seeds.push({ lt: p.linkType, bytes: p.bytes });
  }
  return seeds;
}

/** A radiotap header of random presence words (some chained, some switching namespace) over random field bytes. */
function randomRadiotap(rng) {
  const words = 1 + rng.smallish(12);
  const len = 4 + words * 4 + rng.smallish(80);
  const b = rng.bytes(len + rng.smallish(64));
  b[0] = 0; b[1] = 0;
  const claimed = rng.chance(0.8) ? len : rng.int(65536);
  b[2] = claimed & 255; b[3] = claimed >> 8;
  for (let i = 0; i < words; i++) {
    const o = 4 + i * 4;
    if (i < words - 1) b[o + 3] |= 0x80; else if (rng.chance(0.8)) b[o + 3] &= 0x7f;
    if (rng.chance(0.6)) b[o + 3] &= 0x9f;
  }
  return b;
}

export const wifiLinesTarget = {
  name: 'lines-wifi',
  kind: 'packet',
  gen(rng) {
    const meta = rng.pick(METAS);
    if (meta.lt === 127 && rng.chance(0.25)) return { bytes: randomRadiotap(rng), meta };
    const seed = rng.pick(seedList());
    const fields = seed.lt === 127 ? [{ at: 2, width: 2, le: true }, { at: 4, width: 4, le: true }] : [{ at: 0, width: 2, le: true }];
    return { bytes: mutate(rng, seed.bytes, { fields, maxLen: 4096 }), meta: { ...meta, lt: rng.chance(0.8) ? seed.lt : meta.lt } };
  },
  run({ bytes, meta }) {
    if (!printers) printers = OPTIONS.map((opt) => new PacketLinePrinter(opt));
    const r = { frame: 1, tsSec: 1_700_000_000, tsNsec: 0, caplen: bytes.length, origLen: bytes.length, linkType: meta.lt, interfaceId: 0, bytes, offset: 0, fileOffset: 0 };
    if (bytes.length > 2 && (bytes[bytes.length - 1] & 3) === 0) r.origLen = bytes.length + bytes[1] * 3;
    const out = printers[meta.o].format(r);
    if (!out.endsWith('\n')) throw new Error('line without a newline');
    assertTerminalSafe(out, 'wireless line', { tabs: true });
  },
};
