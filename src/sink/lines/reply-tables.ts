/**
 * Calls a line printer has seen, so that a reply (which carries only an id)
 * can be read by the procedure it answers: NFS (print-nfs.c's xid map) and
 * AFS Rx (print-rx.c's call cache). tcpdump keeps 64 calls of each in a ring
 * and looks replies up from where the last one matched; the same size and
 * order here give the same answers when ids repeat. Printer state only:
 * decode and analyze never see it.
 */
const SLOTS = 64;
/** Address bytes kept per side (room for IPv6). */
const ADDR = 16;

export class NfsCallTable {
  private readonly xid = new Uint32Array(SLOTS);
  /** 0 for an empty slot, else 4 or 6. */
  private readonly ipVersion = new Uint8Array(SLOTS);
  private readonly client = new Uint8Array(SLOTS * ADDR);
  private readonly server = new Uint8Array(SLOTS * ADDR);
  private readonly proc = new Uint32Array(SLOTS);
  private readonly vers = new Uint32Array(SLOTS);
  private next = 0;
  private hint = 0;
  /** The procedure and version of the call `find` matched. */
  foundProc = 0;
  foundVers = 0;

  /** Records a call from `src` to `dst` (address bytes at those offsets of `b`). */
  enter(b: Uint8Array, ipVersion: number, src: number, dst: number, xid: number, proc: number, vers: number): void {
    const i = this.next;
    this.next = (i + 1) % SLOTS;
    const n = ipVersion === 4 ? 4 : 16;
    this.xid[i] = xid;
    this.ipVersion[i] = ipVersion;
    this.client.set(b.subarray(src, src + n), i * ADDR);
    this.server.set(b.subarray(dst, dst + n), i * ADDR);
    this.proc[i] = proc;
    this.vers[i] = vers;
  }

  /** Finds the call a reply from `src` to `dst` answers; its proc and version land in foundProc/foundVers. */
  find(b: Uint8Array, ipVersion: number, src: number, dst: number, xid: number): boolean {
    const n = ipVersion === 4 ? 4 : 16;
    let i = this.hint;
    do {
      if (this.ipVersion[i] === ipVersion && this.xid[i] === xid &&
          sameBytes(b, src, this.server, i * ADDR, n) && sameBytes(b, dst, this.client, i * ADDR, n)) {
        this.hint = i;
        this.foundProc = this.proc[i]!;
        this.foundVers = this.vers[i]!;
        return true;
      }
      i = (i + 1) % SLOTS;
    } while (i !== this.hint);
    return false;
  }
}

function sameBytes(a: Uint8Array, ao: number, b: Uint8Array, bo: number, n: number): boolean {
  for (let k = 0; k < n; k++) if (a[ao + k] !== b[bo + k]) return false;
  return true;
}

/**
 * Rx calls by call number, service id and server port. tcpdump keys them by
 * the IPv4 address fields even under IPv6 (where those offsets fall inside
 * the source address); so do we, reading the same bytes.
 */
export class RxCallTable {
  private readonly callNumber = new Uint32Array(SLOTS);
  private readonly client = new Uint32Array(SLOTS);
  private readonly server = new Uint32Array(SLOTS);
  private readonly port = new Uint16Array(SLOTS);
  private readonly serviceId = new Uint16Array(SLOTS);
  private readonly opcode = new Uint32Array(SLOTS);
  private next = 0;
  private hint = 0;
  /** The opcode of the call `find` matched. */
  foundOpcode = 0;

  enter(b: Uint8Array, ipOff: number, callNumber: number, serviceId: number, dport: number, opcode: number): void {
    const i = this.next;
    this.next = (i + 1) % SLOTS;
    this.callNumber[i] = callNumber;
    this.client[i] = be32(b, ipOff + 12);
    this.server[i] = be32(b, ipOff + 16);
    this.port[i] = dport;
    this.serviceId[i] = serviceId;
    this.opcode[i] = opcode;
  }

  /** The call a reply from the server (source) port `sport` answers. */
  find(b: Uint8Array, ipOff: number, callNumber: number, serviceId: number, sport: number): boolean {
    const client = be32(b, ipOff + 16), server = be32(b, ipOff + 12);
    let i = this.hint;
    do {
      if (this.callNumber[i] === callNumber && this.client[i] === client && this.server[i] === server &&
          this.serviceId[i] === serviceId && this.port[i] === sport) {
        this.hint = i;
        this.foundOpcode = this.opcode[i]!;
        return true;
      }
      i = (i + 1) % SLOTS;
    } while (i !== this.hint);
    return false;
  }
}

function be32(b: Uint8Array, o: number): number {
  return ((b[o]! << 24) | (b[o + 1]! << 16) | (b[o + 2]! << 8) | b[o + 3]!) >>> 0;
}
