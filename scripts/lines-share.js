#!/usr/bin/env node
// How many packets `zsniff read -nn` prints exactly as `tcpdump -nn -r` does,
// counting every packet of every capture (no scope exclusions):
// `npm run lines-share -- DIR|FILE...`.
//
// Prints the share, then the packets that differ grouped by what they carry
// (ethertype, IP protocol, the lower port, tunnel), largest group first, each
// with one example pair, so the next printer to write is the biggest row.
//
//   --jobs N        captures compared at once (default: the number of cores)
//   --sample N      every Nth capture only (sorted by path)
//   --top N         groups listed (default 30)
//   --json FILE     also write totals, groups and per-capture counts as JSON
//   --min PCT       exit 1 when the share is below PCT (default 0: report only)
//   -v... -e -q...  tcpdump flags to compare under (default: none)
//
// Needs tcpdump. A packet tcpdump prints and zsniff does not (or the other
// way round) counts as different, except past the point where libpcap gives up
// on a pcapng file whose interfaces differ in link type or snapshot length
// (zsniff reads those): such packets have no tcpdump line to compare with, are
// counted apart and left out of the second share printed.
import { readdirSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { availableParallelism } from 'node:os';
import { haveTcpdump, mapLimit, tcpdumpPackets, zsniffPackets } from '../test/helpers/oracle.js';
import { DecodedPacket, decodePacket, Layer, openCapture } from '../dist/index.js';

const CAPTURE = /\.(pcap|pcapng|cap|pcap\.gz|pcapng\.gz)$/i;

function usage(msg) {
  process.stderr.write(`lines-share: ${msg}\nusage: npm run lines-share -- [--jobs N] [--sample N] [--top N] [--json FILE] [--min PCT] [TCPDUMP-FLAGS] DIR|FILE...\n`);
  process.exit(2);
}

const args = process.argv.slice(2);
const paths = [];
const flags = [];
let jobs = availableParallelism(), sample = 1, top = 30, jsonOut = null, min = 0;
for (let i = 0; i < args.length; i++) {
  const a = args[i];
  const num = () => { const v = Number(args[++i]); if (!(v >= 0)) usage(`${a} needs a number`); return v; };
  if (a === '--jobs') jobs = Math.max(1, num());
  else if (a === '--sample') sample = Math.max(1, num());
  else if (a === '--top') top = num();
  else if (a === '--min') min = num();
  else if (a === '--json') jsonOut = args[++i] ?? usage('--json needs a file');
  else if (a === '--help' || a === '-h') usage('compare zsniff read -nn with tcpdump -nn -r over every packet');
  else if (/^-(v+|e|q|t+|x+|X+)$/.test(a)) flags.push(a);
  else if (a.startsWith('-')) usage(`unknown option ${a}`);
  else paths.push(a);
}
if (paths.length === 0) usage('name at least one folder or capture');
if (!haveTcpdump()) usage('tcpdump is not installed (apt-get install -y tcpdump)');

function captures(p) {
  if (!statSync(p).isDirectory()) return [p];
  return readdirSync(p).sort().flatMap((f) => {
    const full = join(p, f);
    return statSync(full).isDirectory() ? captures(full) : CAPTURE.test(f) ? [full] : [];
  });
}
const files = paths.flatMap(captures).filter((_, i) => i % sample === 0);

/** What a packet carries, as a group name: the innermost thing a printer would have to know. */
function groupOf(d) {
  const pkt = d.pkt;
  if (!pkt) return 'unreadable';
  let g = '';
  if (d.tunnels.count > 0) g = 'in tunnel ';
  if (d.ipVersion === 0) {
    if (d.etherType > 0) return `${g}ethertype 0x${d.etherType.toString(16).padStart(4, '0')}`;
    return `${g}link type ${pkt.linkType}`;
  }
  if (d.has(Layer.Fragment)) return `${g}IPv${d.ipVersion} fragment`;
  const p = d.ipProtocol;
  if (p === 6 && d.has(Layer.Tcp)) return `${g}tcp/${Math.min(d.tcp.srcPort, d.tcp.dstPort)}`;
  if (p === 17 && d.has(Layer.Udp)) return `${g}udp/${Math.min(d.udp.srcPort, d.udp.dstPort)}`;
  return `${g}ip-proto ${p}`;
}

async function compare(file) {
  const ours = await zsniffPackets(file, flags);
  const theirs = await tcpdumpPackets(file, flags);
  const groups = new Map();
  const d = new DecodedPacket();
  let frame = 0;
  let total = Math.max(ours.texts.length, theirs.packets.length);
  // libpcap refuses pcapng interfaces unlike the first; what follows has no oracle.
  const refused = /an interface has a (type|snapshot length) \d+ different/.test(theirs.stderr) ? total - theirs.packets.length : 0;
  total -= refused;
  let same = 0;
  const differ = [];
  for (let i = 0; i < total; i++) {
    if (ours.texts[i] === theirs.packets[i]) same++;
    else differ.push(i);
  }
  if (differ.length > 0) {
    const wanted = new Set(differ);
    try {
      await openCapture(file).run((pkt) => {
        if (wanted.has(frame)) {
          const key = groupOf(decodePacket(pkt, d));
          const e = groups.get(key) ?? { count: 0, example: null };
          e.count++;
          e.example ??= { file: relative(process.cwd(), file), frame: frame + 1, tcpdump: theirs.packets[frame] ?? null, zsniff: ours.texts[frame] ?? null };
          groups.set(key, e);
          wanted.delete(frame);
        }
        frame++;
      });
    } catch { /* the rest are grouped below */ }
    if (wanted.size > 0) {
      const e = groups.get('packets only one side printed') ?? { count: 0, example: null };
      e.count += wanted.size;
      const f = [...wanted][0];
      e.example ??= { file: relative(process.cwd(), file), frame: f + 1, tcpdump: theirs.packets[f] ?? null, zsniff: ours.texts[f] ?? null };
      groups.set('packets only one side printed', e);
    }
  }
  return { file, total: total + refused, refused, same, groups };
}

const results = await mapLimit(files, jobs, compare);
let total = 0, same = 0, refused = 0;
const groups = new Map();
for (const r of results) {
  total += r.total;
  same += r.same;
  refused += r.refused;
  for (const [k, v] of r.groups) {
    const g = groups.get(k) ?? { count: 0, captures: 0, example: v.example };
    g.count += v.count;
    g.captures++;
    groups.set(k, g);
  }
}
const share = total ? 100 * same / total : 100;
const rows = [...groups].sort((a, b) => b[1].count - a[1].count);
console.log(`lines identical to tcpdump -nn${flags.length ? ' ' + flags.join(' ') : ''}: ${same}/${total} packets (${share.toFixed(2)}%) in ${files.length} captures`);
if (refused > 0) {
  const compared = total - refused;
  console.log(`  ${refused} of them tcpdump cannot read (libpcap stops at a pcapng interface unlike the first); of the ${compared} it prints: ${same} identical (${(100 * same / compared).toFixed(2)}%)`);
}
for (const [k, g] of rows.slice(0, top)) {
  console.log(`${String(g.count).padStart(8)}  ${k}  (${g.captures} captures)`);
  console.log(`            ${g.example.file} #${g.example.frame}`);
  console.log(`            tcpdump: ${JSON.stringify(g.example.tcpdump)}`);
  console.log(`            zsniff:  ${JSON.stringify(g.example.zsniff)}`);
}
if (rows.length > top) console.log(`   (${rows.length - top} more groups)`);
if (jsonOut) {
  writeFileSync(jsonOut, JSON.stringify({
    flags, captures: files.length, packets: total, identical: same, share, tcpdumpCannotRead: refused,
    groups: Object.fromEntries(rows.map(([k, g]) => [k, g])),
    perCapture: results.map((r) => ({ file: relative(process.cwd(), r.file), packets: r.total, identical: r.same })),
  }, null, 1));
}
process.exit(share + 1e-9 < min ? 1 : 0);
