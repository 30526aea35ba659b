/**
 * Interface names by index, for Linux cooked v2 captures. tcpdump prints
 * if_indextoname() of the *reading* host ("?" when there is none), so we do
 * the same from /sys/class/net; read once, on the first SLL2 packet.
 */
import * as fs from 'node:fs';

let names: Map<number, string> | null = null;

function load(): Map<number, string> {
  const m = new Map<number, string>();
  try {
    for (const name of fs.readdirSync('/sys/class/net')) {
      try {
        const idx = Number(fs.readFileSync('/sys/class/net/' + name + '/ifindex', 'latin1').trim());
        if (Number.isInteger(idx)) m.set(idx, name);
      } catch { /* an interface that vanished while listing */ }
    }
  } catch { /* not Linux: every index is "?" */ }
  return m;
}

export function interfaceName(index: number): string {
  if (names === null) names = load();
  return names.get(index) ?? '?';
}
