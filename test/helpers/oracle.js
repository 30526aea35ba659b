// Compares zsniff's lines with tcpdump's, packet by packet, for one capture
// file and one set of flags. tcpdump runs with --number so that its output
// splits into packets even where a packet takes several lines; zsniff's
// per-packet text comes from the library printer, and the CLI's whole output
// is checked to be exactly their concatenation.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import * as path from 'node:path';
import {
  DecodedPacket, decodePacket, openCapture, PacketLinePrinter, outOfScopeReason,
} from '../../dist/index.js';

const here = path.dirname(fileURLToPath(import.meta.url));
export const repoRoot = path.resolve(here, '..', '..');
export const zsniffBin = path.join(repoRoot, 'bin', 'zsniff.js');

export function haveTcpdump() {
  return spawnSync('tcpdump', ['--version']).status === 0;
}

/** tcpdump flags -> our printer options. */
export function printerOptions(flags) {
  const o = { timestampMode: 0, link: false, quiet: false, verbose: 0, hex: 0, hexAscii: 0 };
  for (const f of flags) {
    if (/^-t+$/.test(f)) o.timestampMode = f.length - 1;
    else if (f === '-e') o.link = true;
    else if (f === '-q') o.quiet = true;
    else if (/^-v+$/.test(f)) o.verbose = f.length - 1;
    else if (/^-x+$/.test(f)) o.hex = f.length - 1;
    else if (/^-X+$/.test(f)) o.hexAscii = f.length - 1;
  }
  return o;
}

/** tcpdump's output split into packets (the --number prefix removed). */
export function tcpdumpPackets(file, flags) {
  return new Promise((resolve, reject) => {
    const child = spawn('tcpdump', ['-nn', '--number', '-r', file, ...flags], {
      env: { ...process.env, TZ: 'UTC' }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    const out = [];
    let stderr = '';
    child.stdout.on('data', (c) => out.push(c));
    child.stderr.on('data', (c) => { stderr += c; });
    child.on('error', reject);
    child.on('close', () => resolve({ packets: splitNumbered(Buffer.concat(out).toString('latin1')), stderr }));
  });
}

function splitNumbered(text) {
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  const packets = [];
  let next = 1;
  for (const line of lines) {
    const m = /^ *(\d+)  /.exec(line);
    if (m && Number(m[1]) === next) {
      packets.push(line.slice(m[0].length));
      next++;
    } else if (packets.length > 0) {
      packets[packets.length - 1] += '\n' + line;
    }
  }
  return packets;
}

/** Our text for each packet, and why each is out of scope (null when in scope). */
export async function zsniffPackets(file, flags) {
  const opts = printerOptions(flags);
  const printer = new PacketLinePrinter(opts);
  const d = new DecodedPacket();
  const texts = [];
  const reasons = [];
  let error = null;
  try {
    await openCapture(file).run((pkt) => {
      texts.push(printer.format(pkt).replace(/\n$/, ''));
      reasons.push(outOfScopeReason(decodePacket(pkt, d), opts));
    });
  } catch (e) {
    error = e;
  }
  return { texts, reasons, error };
}

/** The CLI's stdout for the file. */
export function zsniffCli(file, flags) {
  return execFileSync(process.execPath, [zsniffBin, 'read', '-nn', file, ...flags], {
    env: { ...process.env, TZ: 'UTC', NO_COLOR: '1' }, maxBuffer: 1 << 30, encoding: 'latin1',
  });
}

/**
 * Compares one file under one flag set. Returns counts and the first
 * mismatches; packets past a point where either side stopped reading are not
 * compared.
 */
export async function compareFile(file, flags, ours) {
  ours ??= await zsniffPackets(file, flags);
  const theirs = await tcpdumpPackets(file, flags);
  const n = Math.min(ours.texts.length, theirs.packets.length);
  const result = { file, flags, packets: n, inScope: 0, matched: 0, outOfScope: {}, mismatches: [],
    countMismatch: ours.texts.length !== theirs.packets.length ? [ours.texts.length, theirs.packets.length] : null };
  for (let i = 0; i < n; i++) {
    const why = ours.reasons[i];
    if (why !== null) { result.outOfScope[why] = (result.outOfScope[why] ?? 0) + 1; continue; }
    result.inScope++;
    if (ours.texts[i] === theirs.packets[i]) result.matched++;
    else result.mismatches.push({ frame: i + 1, tcpdump: theirs.packets[i], zsniff: ours.texts[i] });
  }
  return result;
}

/** Runs `fn` over `items` with at most `limit` at a time; results in order. */
export async function mapLimit(items, limit, fn) {
  const results = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i], i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
