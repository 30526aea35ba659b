// Where a short analysis spends its time: milliseconds per 5,000 packets of
// one `AnalysisSession` over a capture, then the first 5,000 packets analysed
// again, five times, in the same process (fresh sessions, the same compiled
// code). If the repeats get faster while the data is the same, what the first
// pass paid was V8 warming up, not the packets (PERF.md, "A short analysis is
// mostly JIT warm-up"). Not part of `npm run bench`.
//   node bench/warmup-timeline.js [FILE]   (default: real-tcp-bench's capture)
import { join } from 'node:path';
import { openCapture } from '../dist/source/capture-file.js';
import { AnalysisSession } from '../dist/analyze/index.js';
import { OUT } from './inputs.js';

const file = process.argv[2] ?? join(OUT, 'real-lossy-tcp.pcap');
const STEP = 5000;

async function pass(limit) {
  const source = openCapture(file);
  const session = new AnalysisSession({});
  const marks = [];
  let n = 0, last = process.hrtime.bigint();
  const t0 = last;
  await source.run((pkt) => {
    if (n >= limit) return false;
    session.onPacket(pkt);
    if (++n % STEP === 0) {
      const t = process.hrtime.bigint();
      marks.push(Number(t - last) / 1e6);
      last = t;
    }
    return true;
  });
  session.finish(source.info, null);
  return { marks, total: Number(process.hrtime.bigint() - t0) / 1e6 };
}

const whole = await pass(Infinity);
console.log(`${file}: ms per ${STEP} packets: ${whole.marks.map((x) => x.toFixed(1)).join(' ')} (whole pass ${whole.total.toFixed(0)} ms)`);
const again = [];
for (let i = 0; i < 5; i++) again.push((await pass(STEP)).total.toFixed(1));
console.log(`the first ${STEP} packets again, five times: ${again.join(', ')} ms`);
