#!/usr/bin/env node
// How many of the TCP segments tshark decodes `analyze` sees: `node scripts/tcp-coverage.js DIR|FILE...`.
//
// tshark's frames are those its TCP analysis runs on: a TCP layer with a stream number, outside an
// ICMP error (a header cut short before its data offset gets no stream, nor any analysis; tshark
// reassembles IP fragments, so a fragmented segment counts at the frame that completes it); zsniff's are the
// frames its TCP analyzer analysed (the segment observer). Prints the share, then the captures
// with frames tshark decodes and zsniff does not, worst first, with a few frame numbers each.
//   --jobs N      captures at once (default 2)
//   --top N       captures listed (default 30)
//   --dist DIR    the compiled zsniff to measure (default ./dist), e.g. another branch's
import { readdirSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { spawn } from 'node:child_process';
import { pathToFileURL } from 'node:url';

const CAPTURE = /\.(pcap|pcapng|cap|pcap\.gz|pcapng\.gz)$/i;
const args = process.argv.slice(2);
const paths = [];
let jobs = 2, top = 30, dist = resolve('dist');
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--jobs') jobs = Number(args[++i]);
  else if (args[i] === '--top') top = Number(args[++i]);
  else if (args[i] === '--dist') dist = resolve(args[++i]);
  else paths.push(args[i]);
}
const { openCapture } = await import(pathToFileURL(join(dist, 'source/capture-file.js')).href);
const { analyzeCapture } = await import(pathToFileURL(join(dist, 'analyze/index.js')).href);

function list(p, out) {
  const st = statSync(p);
  if (st.isDirectory()) for (const n of readdirSync(p)) list(join(p, n), out);
  else if (CAPTURE.test(p) || paths.includes(p)) out.push(p);
  return out;
}

function tsharkFrames(file) {
  return new Promise((done) => {
    const child = spawn('tshark', ['-r', file, '-Y', 'tcp.stream && !icmp && !icmpv6', '-T', 'fields', '-e', 'frame.number'], { stdio: ['ignore', 'pipe', 'ignore'] });
    const chunks = [];
    child.stdout.on('data', (c) => chunks.push(c));
    child.on('close', () => done(new Set(Buffer.concat(chunks).toString().split('\n').filter(Boolean).map(Number))));
  });
}

async function zsniffFrames(file) {
  const seen = new Set();
  const observer = { watches: () => true, onSegment: (_f, _a, s) => { seen.add(s.frame); }, onRttSample: () => {} };
  try {
    await analyzeCapture(openCapture(file), { maxEvents: 0, options: { tcp: { observer } } });
  } catch { /* unreadable: what was seen counts */ }
  return seen;
}

const files = paths.flatMap((p) => list(p, [])).sort();
let ts = 0, both = 0, zsOnly = 0, next = 0;
const misses = [];
async function worker() {
  while (next < files.length) {
    const file = files[next++];
    const [t, z] = await Promise.all([tsharkFrames(file), zsniffFrames(file)]);
    const missed = [...t].filter((f) => !z.has(f));
    ts += t.size; both += t.size - missed.length;
    for (const f of z) if (!t.has(f)) zsOnly++;
    if (missed.length) misses.push({ file: relative(process.cwd(), file), n: missed.length, frames: missed.slice(0, 6) });
  }
}
await Promise.all(Array.from({ length: jobs }, worker));
misses.sort((a, b) => b.n - a.n);
console.log(`${files.length} captures: tshark decodes ${ts} TCP segments, zsniff analyses ${both} of them (${(100 * both / Math.max(ts, 1)).toFixed(3)}%), and ${zsOnly} frames tshark does not`);
for (const m of misses.slice(0, top)) console.log(`  ${String(m.n).padStart(6)}  ${m.file}  frames ${m.frames.join(',')}`);
