// Makes the small fixtures/tcp-*.pcap captures with the namespace lab
// (root, tcpdump). Run by hand: node scripts/make-tcp-fixtures.js
// Snaplen 96 keeps headers and SACK blocks and drops payload, so each file is a few dozen kB.
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Lab, scenarios, labUnavailable } from '../test/helpers/tcp-lab.js';

const fixtures = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures');
const wanted = {
  'tcp-reorder.pcap': ['reorder', { bytes: 1_500_000, snaplen: 96 }],
  'tcp-zero-window.pcap': ['zero-window', { bytes: 200_000, snaplen: 96 }],
  'tcp-rto-backoff.pcap': ['rto-backoff', { snaplen: 96 }],
  'tcp-keepalive-reset-reuse.pcap': ['keepalive-reset-reuse', { snaplen: 96 }],
};
const why = labUnavailable();
if (why) { console.error(`cannot make fixtures: ${why}`); process.exit(2); }
for (const [file, [scenario, opts]] of Object.entries(wanted)) {
  const lab = new Lab('f').up();
  try { console.log(await scenarios[scenario](lab, join(fixtures, file), opts)); } finally { lab.down(); }
}
