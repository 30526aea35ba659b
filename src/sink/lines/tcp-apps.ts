/**
 * The TCP application printers by tcpdump's dissector name
 * (tcpdumpTcpDissector), with the -v count up to which each line equals
 * tcpdump's: several print only a name or a header line without -v and
 * decode everything with it.
 */
import { printLdp } from './ldp.js';
import { printOpenflow } from './openflow.js';
import type { PrintContext } from './print-context.js';
import { printPptp } from './pptp.js';
import { printResp } from './resp.js';
import { printSsh } from './ssh.js';

interface TcpAppPrinter {
  print(c: PrintContext, bp: number, length: number): void;
  /** The highest -v count at which the text equals tcpdump's. */
  exactUpToVerbose: number;
}

/** print-bgp.c without -v: the name only. */
function printBgpName(c: PrintContext): void {
  c.proto = 'bgp';
  c.s += ': BGP';
}

/** print-rpki-rtr.c without -v: the name only, after a comma. */
function printRpkiRtrName(c: PrintContext): void {
  c.proto = 'rpki_rtr';
  c.s += ', RPKI-RTR';
}

export const TCP_APP_PRINTERS: ReadonlyMap<string, TcpAppPrinter> = new Map([
  ['bgp', { print: printBgpName, exactUpToVerbose: 0 }],
  ['pptp', { print: printPptp, exactUpToVerbose: 3 }],
  ['redis', { print: printResp, exactUpToVerbose: 3 }],
  ['ssh', { print: printSsh, exactUpToVerbose: 3 }],
  ['openflow', { print: printOpenflow, exactUpToVerbose: 0 }],
  ['rpki-rtr', { print: printRpkiRtrName, exactUpToVerbose: 0 }],
  ['ldp', { print: printLdp, exactUpToVerbose: 0 }],
]);

/** True when a segment tcpdump hands to `app` prints exactly at this -v count. */
export function tcpAppPrintedExactly(app: string, verbose: number): boolean {
  const printer = TCP_APP_PRINTERS.get(app);
  return printer !== undefined && verbose <= printer.exactUpToVerbose;
}
