/** PIM (print-pim.c): version, message type and length; the -v dissection is not reproduced. */
import type { PrintContext } from './print-context.js';

const PIM2_TYPES = [
  'Hello', 'Register', 'Register Stop', 'Join / Prune', 'Bootstrap', 'Assert', 'Graft',
  'Graft Acknowledgement', 'Candidate RP Advertisement', 'Prune Refresh', 'DF Election', 'ECMP Redirect',
];

export function printPim(c: PrintContext, bp: number, length: number): void {
  c.proto = 'pim';
  const typever = c.u8(bp);
  const version = typever >> 4;
  if (version === 2) {
    c.s += 'PIMv2, ' + (PIM2_TYPES[typever & 0x0f] ?? 'Unknown Type') + ', length ' + length;
  } else {
    c.s += 'PIMv' + version + ', length ' + length;
  }
}
