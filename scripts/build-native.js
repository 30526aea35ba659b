#!/usr/bin/env node
// Builds the optional libpcap addon during `npm install`. Offline commands work
// without it, so a missing libpcap must never fail the install: we explain
// what to install instead.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
if (!existsSync(join(root, 'binding.gyp'))) process.exit(0);

const hasHeaders = ['/usr/include/pcap.h', '/usr/include/pcap/pcap.h', '/usr/local/include/pcap.h']
  .some((p) => existsSync(p));
if (!hasHeaders) {
  console.warn('zsniff: libpcap headers not found; live capture and filters are disabled.');
  console.warn('zsniff: to enable them: apt-get install -y libpcap-dev && npm rebuild zsniff');
  process.exit(0);
}

// node-gyp: npm hands its bundled copy to install scripts; outside npm (a
// manual `node scripts/build-native.js`) look for that copy beside node.
const prefix = join(dirname(process.execPath), '..');
const gyp = [process.env.npm_config_node_gyp,
  join(prefix, 'lib/node_modules/npm/node_modules/node-gyp/bin/node-gyp.js')]
  .find((p) => p && existsSync(p));
const cmd = gyp ? process.execPath : 'npx';
const args = gyp ? [gyp, 'rebuild'] : ['--yes', 'node-gyp', 'rebuild'];
// Use the headers installed with this node when present: node-gyp would
// otherwise download them, which fails on machines without internet access.
if (!process.env.npm_config_nodedir && existsSync(join(prefix, 'include/node/node_api.h')) &&
    existsSync(join(prefix, 'include/node/common.gypi'))) {
  args.push(`--nodedir=${prefix}`);
}
const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit' });
if (r.status !== 0) {
  console.warn('zsniff: building the libpcap addon failed; live capture and filters are disabled.');
  console.warn('zsniff: offline reading and analysis still work.');
}
process.exit(0);
