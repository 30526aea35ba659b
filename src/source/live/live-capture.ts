/**
 * A live capture from a network interface, shaped like the file sources:
 * `run(onPacket)` hands on reused PacketRecords (read in place from the
 * shared ring) and resolves with the CaptureInfo. Writers take whole spans of
 * pcap records instead (`onSpan`), with no per-packet work at all.
 */
import { UsageError } from '../../errors.js';
import { FilterError } from '../bpf-filter.js';
import { addonRebuildAdvice, loadNativeAddon, NativeAddonMissingError } from '../native-addon.js';
import type { NativeAddon, NativeCaptureHandle } from '../native-addon.js';
import { createPacketRecord } from '../packet-record.js';
import { MAX_PCAP_CAPLEN } from '../record-parser.js';
import type { CaptureInfo, PacketHandler } from '../packet-record.js';
import { dltToLinkType } from './dlt.js';
import { RingConsumer } from './ring-consumer.js';
import type { SpanHandler } from './ring-consumer.js';
import { RingStat, ringCapacityFor, ringLayoutMismatch } from './ring-layout.js';

export type { SpanHandler } from './ring-consumer.js';

export interface LiveCaptureOptions {
  /** Interface name, as `zsniff interfaces` lists them. */
  device: string;
  /** Bytes kept per packet (default 262144, as tcpdump). */
  snaplen?: number;
  /** Promiscuous mode (default true; tcpdump -p turns it off). */
  promiscuous?: boolean;
  /** Kernel capture buffer in KiB (tcpdump -B); default libpcap's. */
  bufferKiB?: number;
  /** Deliver packets as they arrive instead of in kernel batches. */
  immediate?: boolean;
  /** libpcap filter expression, run in the kernel. */
  filter?: string;
  /** Stop after this many packets (exact: counted where packets enter the ring). */
  maxPackets?: number;
  /** Shared ring between the capture thread and JavaScript, in MiB (default 64). */
  ringMiB?: number;
  /** Kernel batch timeout in ms (default 100): latency at low rates, and how long a stop waits. */
  timeoutMs?: number;
  /** pcap_compile's optimizer (default on). */
  optimize?: boolean;
  /**
   * Timestamp precision of the records (default nanoseconds). Spans handed to
   * `onSpan` are pcap records of this precision; packets always carry nanoseconds.
   */
  nanosecond?: boolean;
}

export interface LiveStatistics {
  /** Packets taken from the ring (written and/or handed to onPacket). */
  captured: number;
  /** Packets the producer put into the ring. */
  enqueued: number;
  /** Record bytes put into the ring (16-byte headers included). */
  bytes: number;
  /** libpcap's ps_recv: packets received by the filter. */
  received: number;
  /** ps_drop: dropped by the kernel (its buffer was full). */
  kernelDrops: number;
  /** ps_ifdrop: dropped by the interface or its driver. */
  interfaceDrops: number;
  /** Dropped by the capture thread because the shared ring was full (the consumer fell behind). */
  ringDrops: number;
}

export interface LiveCaptureInfo extends CaptureInfo {
  live: LiveStatistics;
  /** An error that ended the capture early (for example the interface went away). */
  error?: string;
}

/** Capturing is not permitted for this process. */
export class CapturePermissionError extends UsageError {
  override name = 'CapturePermissionError';
}

/** The interface does not exist. */
export class NoSuchInterfaceError extends UsageError {
  override name = 'NoSuchInterfaceError';
  constructor(readonly device: string, readonly available: string[]) {
    super(`no such interface '${device}'; interfaces here: ${available.join(', ') || '(none)'}` +
      ' (zsniff interfaces lists them with addresses)');
  }
}

const DEFAULT_RING_MIB = 64;
const PCAP_IF_LOOPBACK = 0x1;
const PCAP_IF_UP = 0x2;

const permissionAdvice = 'run it as root (sudo), or give node the capture capabilities: ' +
  'sudo setcap cap_net_raw,cap_net_admin=eip $(readlink -f $(which node))';

export class LiveCapture {
  readonly device: string;
  /** LINKTYPE_* of the interface (what a pcap file of this capture carries). */
  readonly linkType: number;
  readonly dltName: string | undefined;
  readonly dltDescription: string | undefined;
  readonly snaplen: number;
  readonly nanosecond: boolean;
  readonly warning: string | undefined;
  private readonly addon: NativeAddon;
  private readonly ring: RingConsumer;
  private readonly handle: NativeCaptureHandle;
  private stopRequested = false;
  private closed = false;
  private delivered = 0;
  private running = false;
  private writesSpans = false;

  private constructor(addon: NativeAddon, ring: RingConsumer, options: Required<Pick<LiveCaptureOptions, 'device'>> & LiveCaptureOptions) {
    this.addon = addon;
    this.ring = ring;
    this.device = options.device;
    const snaplen = options.snaplen ?? MAX_PCAP_CAPLEN;
    let opened;
    try {
      opened = addon.openCapture({
        device: options.device,
        snaplen,
        promiscuous: options.promiscuous ?? true,
        bufferBytes: Math.max(0, Math.round((options.bufferKiB ?? 0) * 1024)),
        immediate: options.immediate ?? false,
        timeoutMs: options.timeoutMs ?? 100,
        filter: options.filter,
        optimize: options.optimize ?? true,
        maxPackets: options.maxPackets ?? 0,
        nanosecond: options.nanosecond ?? true,
      }, ring.bytes, ring.capacity, ring.wake);
    } catch (err) {
      throw describeOpenError(addon, options, err);
    }
    this.handle = opened.handle;
    this.linkType = dltToLinkType(opened.dlt);
    this.dltName = opened.dltName;
    this.dltDescription = opened.dltDescription;
    this.snaplen = opened.snaplen;
    this.nanosecond = opened.nanosecond;
    ring.setNanosecond(opened.nanosecond);
    // Wake on our own for no less than the producer wakes us for (native/zsniff_pcap.c decides).
    ring.setMinBatch(opened.wakeBytes);
    this.warning = opened.warning;
  }

  /**
   * Opens the interface and starts capturing into the ring at once (packets
   * wait there until `run`). Throws CapturePermissionError,
   * NoSuchInterfaceError, FilterError, NativeAddonMissingError or UsageError.
   */
  static open(options: LiveCaptureOptions): LiveCapture {
    const addon = loadNativeAddon('live capture');
    // A stale build would read and write the shared ring at other offsets: refuse it.
    const mismatch = ringLayoutMismatch(addon.ringLayout);
    if (mismatch !== undefined) {
      throw new NativeAddonMissingError(`the libpcap addon was built for another ring layout than this zsniff ` +
        `(${mismatch}); ${addonRebuildAdvice()}`);
    }
    const snaplen = options.snaplen ?? MAX_PCAP_CAPLEN;
    if (!Number.isInteger(snaplen) || snaplen < 1 || snaplen > MAX_PCAP_CAPLEN) {
      throw new UsageError(`snapshot length ${snaplen} is out of range (1..${MAX_PCAP_CAPLEN})`);
    }
    const ringBytes = (options.ringMiB ?? DEFAULT_RING_MIB) * 1024 * 1024;
    // The ring must hold a few maximal records even for tiny --ring values.
    const capacity = ringCapacityFor(Math.max(ringBytes, 4 * (snaplen + 16)));
    return new LiveCapture(addon, new RingConsumer(capacity, snaplen), options);
  }

  /**
   * tcpdump's -Z: become `user` (its groups too) once the device is open, so
   * that the rest of the run, files included, has no privileges left. Only
   * root can; callers check. Throws UsageError.
   */
  static dropPrivileges(user: string): { uid: number; gid: number } {
    try {
      return loadNativeAddon('-Z').dropPrivileges(user);
    } catch (err) {
      throw new UsageError(`-Z ${user}: ${(err as Error).message}`);
    }
  }

  /** The default interface as tcpdump picks it: the first one that is up and not loopback. */
  static defaultDevice(): string {
    const list = loadNativeAddon('live capture').listInterfaces();
    const pick = list.find((d) => (d.flags & PCAP_IF_UP) && !(d.flags & PCAP_IF_LOOPBACK) && d.name !== 'any') ??
      list.find((d) => d.name !== 'any') ?? list[0];
    if (!pick) throw new UsageError('no interface to capture on (none found)');
    return pick.name;
  }

  /**
   * Consumes the ring until the capture stops (stop(), -c reached, or an
   * error), then drains it: nothing that entered the ring is lost. `onSpan`
   * gets whole pcap records (host byte order, this capture's precision) to write verbatim;
   * `onPacket` gets each packet in place; either may be omitted;
   * `onBatchStart` runs before each batch's spans and packets (interval
   * boundaries go there), `onBatchEnd` after it (flush outputs there). When
   * onPacket returns false the capture stops (spans still get the rest).
   */
  async run(onPacket?: PacketHandler, onSpan?: SpanHandler,
    onBatchEnd?: () => void | Promise<void>, onBatchStart?: () => void): Promise<LiveCaptureInfo> {
    if (this.running || this.closed) throw new Error('LiveCapture.run can be called once');
    this.running = true;
    this.writesSpans = onSpan !== undefined;
    const pkt = createPacketRecord();
    pkt.linkType = this.linkType;
    pkt.bytes = this.ring.bytes;
    let packetHandler = onPacket;
    let error: string | undefined;
    try {
      while (await this.ring.waitForData()) {
        if (onBatchStart) onBatchStart();
        const n = this.ring.takeBatch(onSpan, packetHandler, pkt);
        if (n < 0) {
          this.delivered += -n - 1;
          packetHandler = undefined;
          this.stop();
        } else {
          this.delivered += n;
        }
        // Outputs flush here: a live capture must not sit on lines or
        // records until a buffer fills.
        if (onBatchEnd) await onBatchEnd();
        // Let signals, timers and stream callbacks run between batches.
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
    } finally {
      error = this.close();
    }
    return this.info(error);
  }

  /** Asks the capture to end; `run` then drains the ring and resolves. Safe to call repeatedly. */
  stop(): void {
    if (this.stopRequested || this.closed) return;
    this.stopRequested = true;
    this.addon.stopCapture(this.handle);
  }

  /** Current counters (for a live status line). */
  statistics(): LiveStatistics {
    const enqueued = this.ring.stat(RingStat.packets);
    return {
      captured: this.capturedSoFar(enqueued),
      enqueued,
      bytes: this.ring.stat(RingStat.bytes),
      received: this.ring.stat(RingStat.received),
      kernelDrops: this.ring.stat(RingStat.kernelDrops),
      interfaceDrops: this.ring.stat(RingStat.interfaceDrops),
      ringDrops: this.ring.stat(RingStat.ringDrops),
    };
  }

  /** Bytes of pcap records taken from the ring so far. */
  get bytesConsumed(): number {
    return this.ring.bytesConsumed;
  }

  private capturedSoFar(enqueued: number): number {
    // A writer takes every record that entered the ring; a packet handler
    // alone counts what it was given (it may have stopped early).
    return this.writesSpans ? enqueued : this.delivered;
  }

  private close(): string | undefined {
    if (this.closed) return undefined;
    this.closed = true;
    this.stopRequested = true;
    this.addon.stopCapture(this.handle);
    return this.addon.closeCapture(this.handle);
  }

  private info(error: string | undefined): LiveCaptureInfo {
    const live = this.statistics();
    const info: LiveCaptureInfo = {
      name: this.device,
      format: 'live',
      compressed: false,
      interfaces: [{
        id: 0, linkType: this.linkType, snaplen: this.snaplen, tsUnitsPerSecond: 1e9, name: this.device,
      }],
      statistics: [{
        interfaceId: 0,
        tsSec: Math.floor(Date.now() / 1000),
        tsNsec: (Date.now() % 1000) * 1e6,
        filterAccepted: BigInt(live.received),
        osDropped: BigInt(live.kernelDrops),
        dropped: BigInt(live.interfaceDrops),
        delivered: BigInt(live.captured),
      }],
      packets: live.captured,
      bytesRead: this.ring.bytesConsumed,
      live,
    };
    if (error !== undefined) info.error = error;
    return info;
  }
}

function describeOpenError(addon: NativeAddon, options: LiveCaptureOptions, err: unknown): Error {
  const e = err as { code?: string; message?: string };
  const message = e?.message ?? String(err);
  switch (e?.code) {
    case 'EPERM':
      return new CapturePermissionError(`${options.device}: not permitted to capture (${message}); ${permissionAdvice}`);
    case 'ENODEV': {
      let names: string[] = [];
      try {
        names = addon.listInterfaces().map((d) => d.name);
      } catch { /* listing is only a courtesy here */ }
      return new NoSuchInterfaceError(options.device, names);
    }
    case 'EFILTER':
      return new FilterError(options.filter ?? '', message);
    case 'ENETDOWN':
      return new UsageError(`${options.device}: the interface is down (${message})`);
    case 'EPCAP':
    case 'EINVAL':
      return new UsageError(`${options.device}: ${message}`);
    default:
      return err instanceof Error ? err : new Error(message);
  }
}
