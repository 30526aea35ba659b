/** What follows an IP header (print-ip-demux.c): AH chains, then the transport printer. */
import { printAh } from './ah.js';
import { printDccp } from './dccp.js';
import { printEigrp } from './eigrp.js';
import { printEsp } from './esp.js';
import { printGre } from './gre.js';
import { printIcmp } from './icmp.js';
import { printIcmp6 } from './icmp6.js';
import { printIgmp } from './igmp.js';
import { printIpv4 } from './ipv4.js';
import { printIpv6 } from './ipv6.js';
import { printOspf, printOspf6 } from './ospf.js';
import { printPgm } from './pgm.js';
import { printPim } from './pim.js';
import type { PrintContext } from './print-context.js';
import { printSctp } from './sctp.js';
import { printTcp } from './tcp.js';
import { printUdp } from './udp.js';
import { printVrrp } from './vrrp.js';
import { hexPad, ipProtoName } from './text-tables.js';

export function printIpPayload(c: PrintContext, bp: number, length: number, version: number,
                               fragmented: boolean, nh: number, ipOff: number): void {
  for (;;) {
    switch (nh) {
      case 51: { // AH, then whatever it protects
        if (!c.has(bp, 1)) { c.proto = 'ah'; c.trunc(); return; }
        nh = c.b[bp]!;
        const advance = printAh(c, bp);
        if (advance <= 0) return;
        bp += advance;
        length -= advance;
        continue;
      }
      case 50:
        printEsp(c, bp, length, ipOff, version, fragmented);
        return;
      case 108: // IPComp: only its header is readable
        c.proto = 'ipcomp';
        c.s += 'IPComp(cpi=0x' + hexPad(c.u16(bp + 2), 4) + ')';
        return;
      case 6:
        printTcp(c, bp, length, ipOff, version, fragmented);
        return;
      case 17:
        printUdp(c, bp, length, ipOff, version, fragmented);
        return;
      case 1:
        if (version === 4) printIcmp(c, bp, length, fragmented);
        else c.s += '[ICMP requires IPv4] (invalid)';
        return;
      case 58:
        if (version === 6) printIcmp6(c, bp, length, ipOff, fragmented);
        else c.s += '[ICMPv6 requires IPv6] (invalid)';
        return;
      case 4:
        if (c.enter()) printIpv4(c, bp, length);
        return;
      case 41:
        if (c.enter()) printIpv6(c, bp, length);
        return;
      case 47:
        if (c.enter()) printGre(c, bp, length);
        return;
      case 2:
        printIgmp(c, bp, length);
        return;
      case 59:
        c.s += 'no next header';
        return;
      case 132:
        printSctp(c, bp, length, ipOff, version);
        return;
      case 103:
        printPim(c, bp, length);
        return;
      case 112:
        printVrrp(c, bp, length, ipOff, version);
        return;
      case 89:
        if (version === 6) printOspf6(c, bp, length);
        else printOspf(c, bp, length);
        return;
      case 88:
        printEigrp(c, bp, length);
        return;
      case 33:
        printDccp(c, bp, length, ipOff, version);
        return;
      case 113:
        printPgm(c, bp, length, ipOff, version);
        return;
      default:
        // Protocols tcpdump dissects (GRE, OSPF, IGMP, PIM, VRRP, SCTP...) are
        // shown in its unknown-protocol form: the number and the length.
        c.s += ' ip-proto-' + nh + ' ' + length;
        return;
    }
  }
}

export { ipProtoName };
