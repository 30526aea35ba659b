/**
 * `zsniff interfaces` (also `zsniff capture -D`): the devices libpcap can
 * capture on, with their addresses and flags.
 */
import type { CommandModule } from 'yargs';
import type { NativeInterface } from '../../source/native-addon.js';

const PCAP_IF_LOOPBACK = 0x01;
const PCAP_IF_UP = 0x02;
const PCAP_IF_RUNNING = 0x04;
const PCAP_IF_WIRELESS = 0x08;
const PCAP_IF_CONNECTION_STATUS = 0x30;
const connectionStatus: Record<number, string | undefined> = {
  0x10: 'Connected',
  0x20: 'Disconnected',
  0x30: undefined, // not applicable: tcpdump says nothing either
};

interface InterfacesArgs {
  json?: boolean;
}

/** The flag words tcpdump -D prints in brackets: [Up, Running, Loopback, Connected]. */
function interfaceFlagWords(flags: number): string[] {
  const words: string[] = [];
  if (flags & PCAP_IF_UP) words.push('Up');
  if (flags & PCAP_IF_RUNNING) words.push('Running');
  if (flags & PCAP_IF_WIRELESS) words.push('Wireless');
  if (flags & PCAP_IF_LOOPBACK) words.push('Loopback');
  const status = connectionStatus[flags & PCAP_IF_CONNECTION_STATUS];
  if (status) words.push(status);
  return words;
}

export async function listInterfaces(json: boolean): Promise<void> {
  const { loadNativeAddon } = await import('../../source/native-addon.js');
  const list: NativeInterface[] = loadNativeAddon('listing interfaces').listInterfaces();
  if (json) {
    for (const d of list) {
      process.stdout.write(JSON.stringify({ ...d, flagWords: interfaceFlagWords(d.flags) }) + '\n');
    }
    return;
  }
  const lines: string[] = [];
  list.forEach((d, i) => {
    const desc = d.description ? ` (${d.description})` : '';
    const words = interfaceFlagWords(d.flags);
    lines.push(`${i + 1}.${d.name}${desc}${words.length ? ` [${words.join(', ')}]` : ''}`);
    for (const a of d.addresses) {
      const extra: string[] = [];
      if (a.netmask) extra.push(a.family === 'inet6' ? `prefix ${prefixLength(a.netmask)}` : `netmask ${a.netmask}`);
      if (a.broadcast) extra.push(`broadcast ${a.broadcast}`);
      if (a.destination) extra.push(`peer ${a.destination}`);
      lines.push(`      ${a.family.padEnd(5)} ${a.address}${extra.length ? `  ${extra.join('  ')}` : ''}`);
    }
  });
  process.stdout.write(lines.join('\n') + (lines.length ? '\n' : ''));
}

/** ffff:ffff:ffff:ffff:: -> 64 */
function prefixLength(mask: string): number {
  let bits = 0;
  for (const group of mask.split(':')) {
    if (group === '') continue;
    const v = parseInt(group, 16);
    for (let b = 15; b >= 0; b--) if (v & (1 << b)) bits++;
  }
  return bits;
}

export const interfacesCommand: CommandModule<object, InterfacesArgs> = {
  command: 'interfaces',
  describe: 'list the interfaces live capture can use, with addresses and flags',
  builder: (y) => y
    .option('json', { type: 'boolean', describe: 'one JSON object per interface' })
    .example('$0 interfaces', 'list devices as tcpdump -D does, with their addresses')
    .example('$0 interfaces --json', 'the same as JSON lines'),
  handler: async (argv) => {
    await listInterfaces(Boolean(argv.json));
  },
};
