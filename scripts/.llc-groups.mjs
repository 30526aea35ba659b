// private helper (not committed): finer groups of differing link-type-1 packets
import { readdirSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { mapLimit, tcpdumpPackets, zsniffPackets } from '../test/helpers/oracle.js';
import { openCapture } from '../dist/index.js';
const args = process.argv.slice(2);
const flags = args.filter(a => a.startsWith('-'));
const paths = args.filter(a => !a.startsWith('-'));
const CAPTURE = /\.(pcap|pcapng|cap|pcap\.gz|pcapng\.gz)$/i;
function captures(p) { if (!statSync(p).isDirectory()) return [p]; return readdirSync(p).sort().flatMap(f => { const full = join(p, f); return statSync(full).isDirectory() ? captures(full) : CAPTURE.test(f) ? [full] : []; }); }
const files = paths.flatMap(captures);
const h = (n, w) => n.toString(16).padStart(w, '0');
function key(pkt) {
  if (pkt.linkType !== 1) return null;
  const b = pkt.bytes; let o = pkt.offset; const end = o + pkt.caplen;
  if (end - o < 14) return 'short';
  let t = (b[o+12] << 8) | b[o+13]; o += 14;
  while ((t === 0x8100 || t === 0x88a8 || t === 0x9100) && o + 4 <= end) { t = (b[o+2] << 8) | b[o+3]; o += 4; }
  if (t > 1500) return 'ethertype 0x' + h(t, 4);
  if (o + 3 > end) return 'llc short';
  const dsap = b[o], ssap = b[o+1], ctl = b[o+2];
  if (dsap === 0xaa && ssap === 0xaa) { if (o + 8 > end) return 'snap short'; return 'snap ' + h((b[o+3]<<16)|(b[o+4]<<8)|b[o+5], 6) + '/' + h((b[o+6]<<8)|b[o+7], 4); }
  if (dsap === 0xff && ssap === 0xff) return 'raw ipx';
  return 'llc ' + h(dsap, 2) + '/' + h(ssap, 2) + ((ctl & 3) === 3 ? ' U' : ' I/S');
}
const all = [];
const res = await mapLimit(files, 2, async (file) => {
  const ours = await zsniffPackets(file, flags); const theirs = await tcpdumpPackets(file, flags);
  const out = []; let i = 0;
  try { await openCapture(file).run(pkt => { const k = key(pkt); if (k && k.startsWith('ethertype') === false || (k && process.env.ALL)) { out.push({ k, file: relative(process.cwd(), file), n: i + 1, same: ours.texts[i] === theirs.packets[i], t: theirs.packets[i], z: ours.texts[i] }); } i++; }); } catch {}
  return out;
});
const g = new Map();
for (const r of res) for (const e of r) { all.push(e); const x = g.get(e.k) ?? { same: 0, diff: 0, ex: null, files: new Set() }; if (e.same) x.same++; else { x.diff++; x.ex ??= e; x.files.add(e.file); } g.set(e.k, x); }
for (const [k, x] of [...g].sort((a, b) => b[1].diff - a[1].diff)) { console.log(String(x.diff).padStart(6), String(x.same).padStart(6), k, x.files.size); if (x.ex) console.log('        ', x.ex.file, '#' + x.ex.n, '\n         T:', JSON.stringify(x.ex.t).slice(0, 300), '\n         Z:', JSON.stringify(x.ex.z)); }
writeFileSync(process.env.OUT ?? '/tmp/s7l2/llc.json', JSON.stringify(all));
