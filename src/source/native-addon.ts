/**
 * The libpcap binding (native/zsniff_pcap.c), loaded on first use only: the
 * offline commands must keep working on machines where the addon could not be
 * built, so nothing imports the .node file at startup.
 */
import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { UsageError } from '../errors.js';

interface NativeAddress {
  family: 'inet' | 'inet6' | 'link';
  address: string;
  netmask?: string;
  broadcast?: string;
  destination?: string;
}

export interface NativeInterface {
  name: string;
  description?: string;
  /** PCAP_IF_* bits. */
  flags: number;
  addresses: NativeAddress[];
}

interface NativeCaptureOptions {
  device: string;
  snaplen: number;
  promiscuous: boolean;
  /** Kernel buffer (pcap_set_buffer_size); 0 keeps libpcap's default. */
  bufferBytes: number;
  immediate: boolean;
  /** Packet buffer timeout; also bounds how long a stop request waits. */
  timeoutMs: number;
  filter?: string;
  optimize: boolean;
  /** Stop after this many packets (0: no limit); counted by the producer so -c is exact. */
  maxPackets: number;
  /** Records in the ring carry nanoseconds (else microseconds, as a tcpdump file); default true. */
  nanosecond?: boolean;
}

/** An opaque handle owned by the addon. */
export type NativeCaptureHandle = { readonly __nativeCapture: unique symbol };

interface NativeCaptureOpened {
  handle: NativeCaptureHandle;
  /** The platform's DLT_* value (not always the LINKTYPE_* a file needs). */
  dlt: number;
  dltName?: string;
  dltDescription?: string;
  snaplen: number;
  /** Whether the ring's records carry nanoseconds (else microseconds). */
  nanosecond: boolean;
  /** Pending bytes at which the capture thread wakes the consumer (0: every publish, --immediate). */
  wakeBytes: number;
  /** pcap_activate's warning, if any (for example promiscuous mode not supported). */
  warning?: string;
}

export interface NativeAddon {
  /** native/ring_layout.h's #defines by name, as compiled (absent from addons built before it was exported). */
  readonly ringLayout?: Readonly<Record<string, number>>;
  libVersion(): string;
  listInterfaces(): NativeInterface[];
  /**
   * Classic BPF as [code, jt, jf, k] quadruples. Throws an Error with code
   * 'EFILTER'. `swapped`: the packets come from a file in the other byte
   * order (matters for DLT_NULL and DLT_ENC only).
   */
  compileFilter(expression: string, dlt: number, linkType: number, snaplen: number, netmask: number,
    optimize: boolean, swapped: boolean): Uint32Array;
  openCapture(options: NativeCaptureOptions, ring: Uint8Array, capacity: number, onWake: () => void): NativeCaptureOpened;
  stopCapture(handle: NativeCaptureHandle): void;
  /** Joins the capture thread and closes libpcap; returns the thread's error, if it hit one. */
  closeCapture(handle: NativeCaptureHandle): string | undefined;
  /** initgroups, setgid, setuid to `user` (tcpdump -Z). Throws with code ENOUSER or EPERM. */
  dropPrivileges(user: string): { uid: number; gid: number };
}

/** The addon was not built (usually: libpcap headers were missing at install time). */
export class NativeAddonMissingError extends UsageError {
  override name = 'NativeAddonMissingError';
}

const addonFile = 'zsniff_pcap.node';
let loaded: NativeAddon | undefined;

function packageRoot(): string {
  // dist/source/native-addon.js -> package root, two levels up.
  return join(dirname(fileURLToPath(import.meta.url)), '..', '..');
}

/** How to get a working addon, for error messages. */
export function addonRebuildAdvice(): string {
  return 'install the libpcap headers and rebuild: apt-get install -y libpcap-dev && npm rebuild ' +
    `(in ${packageRoot()})`;
}

/** Loads build/Release/zsniff_pcap.node, or explains how to get it. */
export function loadNativeAddon(feature = 'live capture and packet filters'): NativeAddon {
  if (loaded) return loaded;
  const root = packageRoot();
  // ZSNIFF_NATIVE_ADDON names another build (packagers; tests use a missing path).
  const override = process.env.ZSNIFF_NATIVE_ADDON;
  const candidates = override ? [override] :
    [join(root, 'build', 'Release', addonFile), join(root, 'build', 'Debug', addonFile)];
  const file = candidates.find((f) => existsSync(f));
  const howToFix = addonRebuildAdvice();
  if (!file) {
    throw new NativeAddonMissingError(`zsniff needs its libpcap addon for ${feature}, but it is not built; ${howToFix}`);
  }
  try {
    loaded = createRequire(import.meta.url)(file) as NativeAddon;
  } catch (err) {
    const why = err instanceof Error ? err.message.split('\n')[0] : String(err);
    throw new NativeAddonMissingError(`cannot load the libpcap addon ${file} (${why}); ${howToFix}`);
  }
  return loaded;
}

/** Whether the addon can be loaded, without throwing. */
export function nativeAddonAvailable(): boolean {
  try {
    loadNativeAddon();
    return true;
  } catch {
    return false;
  }
}
