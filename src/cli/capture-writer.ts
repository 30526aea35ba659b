/**
 * Chooses and opens the capture writer for `-w`: pcap in the input's link
 * type and resolution, or pcapng. A pcap file holds one link type, so a
 * multi-interface pcapng input of mixed types needs --pcapng.
 */
import { PcapngWriter, PcapWriter } from '../sink/pcap-writer.js';
import type { CaptureInfo, PacketRecord } from '../source/packet-record.js';
import { MAX_PCAP_CAPLEN } from '../source/record-parser.js';
import { UsageError } from './errors.js';

export interface CaptureWriterChoice {
  path: string;
  pcapng: boolean;
  nanosecond: boolean;
}

interface PacketWriter {
  writePacket(pkt: PacketRecord): void;
  close(): Promise<void>;
}

export function openCaptureWriter(choice: CaptureWriterChoice, info: CaptureInfo): PacketWriter {
  const dest = choice.path === '-' ? 1 : choice.path;
  const linkTypes = [...new Set(info.interfaces.map((i) => i.linkType))];
  const snaplen = Math.max(0, ...info.interfaces.map((i) => i.snaplen)) || MAX_PCAP_CAPLEN;
  if (choice.pcapng) return new PcapngWriter(dest, { snaplen, linkTypes });
  if (linkTypes.length > 1) {
    throw new UsageError(`${info.name} has interfaces of several link types (${linkTypes.join(', ')}); a pcap file holds one: add --pcapng`);
  }
  const linkType = linkTypes[0] ?? 1;
  const writer = new PcapWriter(dest, { linkType, snaplen, nanosecond: choice.nanosecond });
  return {
    writePacket(pkt) {
      if (pkt.linkType !== linkType) {
        throw new UsageError(`packet ${pkt.frame} has link type ${pkt.linkType}, but ${choice.path} is a pcap of link type ${linkType}: add --pcapng`);
      }
      writer.writePacket(pkt);
    },
    close: () => writer.close(),
  };
}
