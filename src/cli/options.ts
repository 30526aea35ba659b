/**
 * Options shared by commands that print packets (`read`, `capture`), with
 * tcpdump's letters so that habits carry over.
 */
import type { Argv } from 'yargs';
import type { PacketOutputOptions } from './packet-output.js';

export interface PacketPrintArgs {
  t?: number; e?: boolean; v?: number; x?: number; X?: number; A?: number; q?: boolean; S?: boolean;
  'time-stamp-precision'?: 'micro' | 'nano';
  n?: number; json?: boolean; color?: 'auto' | 'always' | 'never';
}

export function withPacketPrintOptions<T>(y: Argv<T>): Argv<T & PacketPrintArgs> {
  return y
    .option('t', { type: 'count', describe: 'timestamps: -t none, -tt epoch seconds, -ttt delta from previous, -tttt date and time, -ttttt delta from first' })
    .option('e', { type: 'boolean', describe: 'print the link-level header (MAC addresses, VLAN tags, SLL)' })
    .option('v', { type: 'count', describe: 'more detail (IP TTL, id, flags, lengths); repeat for more' })
    .option('x', { type: 'count', describe: 'hex dump of each packet (-xx includes the link header)' })
    .option('X', { type: 'count', describe: 'hex and ASCII dump (-XX includes the link header)' })
    .option('A', { type: 'count', describe: 'payload as ASCII (-AA includes the link header)' })
    .option('S', { type: 'boolean', describe: 'absolute TCP sequence numbers (default: relative, as tcpdump)' })
    .option('time-stamp-precision', { choices: ['micro', 'nano'] as const, describe: 'digits of the printed time, as tcpdump --time-stamp-precision' })
    .option('q', { type: 'boolean', describe: 'quiet: less protocol detail per line' })
    .option('n', { type: 'count', describe: 'accepted for tcpdump habit: zsniff never resolves names or ports' })
    .option('json', { type: 'boolean', describe: 'one JSON object per packet (JSON lines) with every decoded field' })
    .option('color', { choices: ['auto', 'always', 'never'] as const, default: 'auto' as const, describe: 'colour output (NO_COLOR and FORCE_COLOR are honoured)' }) as unknown as Argv<T & PacketPrintArgs>;
}

export function packetOutputOptions(a: PacketPrintArgs): PacketOutputOptions {
  return {
    timestampMode: a.t ?? 0,
    link: Boolean(a.e),
    verbose: a.v ?? 0,
    hex: a.x ?? 0,
    hexAscii: a.X ?? 0,
    ascii: a.A ?? 0,
    absoluteSequence: Boolean(a.S),
    nanoPrecision: a['time-stamp-precision'] === 'nano',
    quiet: Boolean(a.q),
    json: Boolean(a.json),
    color: a.color ?? 'auto',
  };
}

/** A filter expression given as several words (`tcp and port 80`) becomes one string, as in tcpdump. */
export function filterExpression(words: readonly (string | number)[] | undefined): string | undefined {
  const text = (words ?? []).map(String).join(' ').trim();
  return text.length > 0 ? text : undefined;
}
