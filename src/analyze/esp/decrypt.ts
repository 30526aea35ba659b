/**
 * ESP decryption with node:crypto (RFC 4303 packet layout; CBC ciphers per
 * RFC 2451/3602 with an explicit IV; AES-GCM per RFC 4106 with salt ‖ IV
 * nonce and SPI ‖ sequence as AAD). The plaintext is written into a buffer
 * owned by the decryptor and handed on as a raw-IP PacketRecord with the
 * outer packet's frame number and time, so the same decoders and analyzers
 * run over it. Transport-mode payloads (next header TCP, UDP...) get an IP
 * header rebuilt from the outer one, as a receiver would after removing ESP.
 *
 * Keys never leave this module in text form.
 */
import type { DecodedPacket } from '../../decode/decoded-packet.js';
import { IPV4_MIN_HEADER_LEN, setIpv4HeaderChecksum } from '../../decode/ipv4.js';
import { IpProto, LinkType } from '../../decode/layers.js';
import { createPacketRecord, type PacketRecord } from '../../source/packet-record.js';
import type { EspSecret } from './secrets.js';
import { nodeCrypto } from './node-crypto.js';


export const DecryptStatus = {
  /** No key configured for this SA. */
  NoKey: 0,
  Ok: 1,
  /** The ICV did not match: wrong key, corruption, or forgery. */
  AuthFailed: 2,
  /** The packet was cut short by the capture; nothing to decrypt. */
  Truncated: 3,
  /** Decrypted, but the pad length points outside the payload (almost always a wrong key). */
  BadTrailer: 4,
  /** Ciphertext not a whole number of blocks for the cipher. */
  BadLength: 5,
  /** A dummy packet (next header 59, RFC 4303 §2.6): nothing inside. */
  Dummy: 6,
} as const;

export const decryptStatusText = [
  'no key', 'decrypted', 'ICV check failed', 'truncated', 'bad padding trailer (wrong key?)',
  'ciphertext length not a multiple of the block size', 'dummy packet',
] as const;

/** Room in front of the plaintext for an IP header rebuilt from the outer one. */
const HEADROOM = 40;
/** Where the payload starts in `EspDecryptor.plaintext` (after Ok or Dummy). */
export const PLAINTEXT_OFFSET = HEADROOM;
const MAX_PLAINTEXT = 65535;

interface CipherShape { ivLength: number; blockSize: number; nodeName: (keyLength: number) => string }

const CIPHERS: Record<string, CipherShape> = {
  'null': { ivLength: 0, blockSize: 4, nodeName: () => '' },
  'des-cbc': { ivLength: 8, blockSize: 8, nodeName: () => 'des-cbc' },
  '3des-cbc': { ivLength: 8, blockSize: 8, nodeName: () => 'des-ede3-cbc' },
  'aes-cbc': { ivLength: 16, blockSize: 16, nodeName: (n) => `aes-${n * 8}-cbc` },
  'aes-gcm': { ivLength: 8, blockSize: 4, nodeName: (n) => `aes-${n * 8}-gcm` },
};

export class EspDecryptor {
  /** After `decrypt` returned Ok: the inner packet (valid until the next call at this depth). */
  readonly inner: PacketRecord = createPacketRecord();
  /** Next-header value of the last decrypted packet. */
  nextHeader = -1;
  /** True when the last packet's ICV was checked (and matched); false when no check was possible. */
  icvVerified = false;
  /** RFC 4303's default padding (1, 2, 3...) was present: a hint the key is right when no ICV was checked. */
  paddingValid = false;
  /** Bytes of inner payload (without padding and trailer). */
  payloadLength = 0;
  /** The secret used for the last packet. */
  secret: EspSecret | null = null;

  private readonly bySpi = new Map<number, EspSecret[]>();
  private readonly anySpi: EspSecret[] = [];
  private readonly out = new Uint8Array(HEADROOM + MAX_PLAINTEXT);

  constructor(secrets: readonly EspSecret[]) {
    for (const s of secrets) {
      if (s.spi === null) { this.anySpi.push(s); continue; }
      const list = this.bySpi.get(s.spi);
      if (list) list.push(s); else this.bySpi.set(s.spi, [s]);
    }
    this.inner.linkType = LinkType.Raw;
    this.inner.bytes = this.out;
  }

  get hasSecrets(): boolean { return this.bySpi.size > 0 || this.anySpi.length > 0; }

  /**
   * The output buffer: after Ok or Dummy, the payload is `payloadLength` bytes
   * at PLAINTEXT_OFFSET (printers show it as tcpdump does, without the IP
   * header `inner` rebuilds for transport mode). Overwritten by the next call.
   */
  get plaintext(): Uint8Array { return this.out; }

  /** The key for the packet's SA (its SPI and destination), or null. */
  findSecret(d: DecodedPacket): EspSecret | null {
    const list = this.bySpi.get(d.esp.spi);
    if (list) for (const s of list) if (matchesDestination(s, d)) return s;
    for (const s of this.anySpi) if (matchesDestination(s, d)) return s;
    return null;
  }

  /** Decrypts the ESP packet in `d`; returns a DecryptStatus. */
  decrypt(d: DecodedPacket): number {
    const secret = this.findSecret(d);
    this.secret = secret;
    this.icvVerified = false;
    this.paddingValid = false;
    if (!secret) return DecryptStatus.NoKey;
    const shape = CIPHERS[secret.cipher]!;
    const b = d.bytes;
    const e = d.esp;
    const start = e.o;
    const espEnd = start + e.length;
    if (espEnd > e.end) return DecryptStatus.Truncated;
    const ivAt = start + 8;
    const ctAt = ivAt + shape.ivLength;
    const icvAt = espEnd - secret.icvLength;
    const ctLength = icvAt - ctAt;
    if (ctLength < 2) return DecryptStatus.Truncated;
    if (ctLength % shape.blockSize !== 0) return DecryptStatus.BadLength;
    // An IPv6 ESP packet with payload length 0 (jumbogram or offload) can claim more than an IP
    // datagram holds; the plaintext buffer is sized for 65535, so anything longer is not ESP we can open.
    if (ctLength > MAX_PLAINTEXT) return DecryptStatus.BadLength;

    const ptAt = HEADROOM;
    if (secret.cipher === 'aes-gcm') {
      const nonce = new Uint8Array(12);
      nonce.set(secret.salt!, 0);
      nonce.set(b.subarray(ivAt, ivAt + 8), 4);
      const decipher = nodeCrypto().createDecipheriv(shape.nodeName(secret.key.length) as 'aes-128-gcm', secret.key, nonce,
        { authTagLength: secret.icvLength });
      decipher.setAAD(b.subarray(start, start + 8));
      decipher.setAuthTag(b.subarray(icvAt, espEnd));
      const part = decipher.update(b.subarray(ctAt, icvAt));
      try {
        decipher.final();
      } catch {
        return DecryptStatus.AuthFailed;
      }
      this.out.set(part, ptAt);
      this.icvVerified = true;
    } else {
      if (secret.integrity && secret.authKey) {
        const mac = nodeCrypto().createHmac(secret.integrity.digest, secret.authKey).update(b.subarray(start, icvAt)).digest();
        const icv = b.subarray(icvAt, espEnd);
        if (!nodeCrypto().timingSafeEqual(mac.subarray(0, secret.icvLength), icv)) return DecryptStatus.AuthFailed;
        this.icvVerified = true;
      }
      if (secret.cipher === 'null') {
        this.out.set(b.subarray(ctAt, icvAt), ptAt);
      } else {
        const decipher = nodeCrypto().createDecipheriv(shape.nodeName(secret.key.length), secret.key, b.subarray(ivAt, ctAt));
        decipher.setAutoPadding(false);
        const first = decipher.update(b.subarray(ctAt, icvAt));
        this.out.set(first, ptAt);
        const rest = decipher.final();
        if (rest.length > 0) this.out.set(rest, ptAt + first.length);
      }
    }
    const padLength = this.out[ptAt + ctLength - 2]!;
    this.nextHeader = this.out[ptAt + ctLength - 1]!;
    if (padLength + 2 > ctLength) return DecryptStatus.BadTrailer;
    this.payloadLength = ctLength - 2 - padLength;
    this.paddingValid = true;
    for (let i = 0; i < padLength; i++) {
      if (this.out[ptAt + this.payloadLength + i] !== i + 1) { this.paddingValid = false; break; }
    }
    if (this.nextHeader === IpProto.NoNext) return DecryptStatus.Dummy;
    this.fillInner(d, ptAt);
    return DecryptStatus.Ok;
  }

  /** Points `inner` at the plaintext, rebuilding an IP header for transport mode. */
  private fillInner(d: DecodedPacket, ptAt: number): void {
    const p = this.inner;
    const outer = d.pkt!;
    p.frame = outer.frame; p.tsSec = outer.tsSec; p.tsNsec = outer.tsNsec;
    p.interfaceId = outer.interfaceId; p.fileOffset = outer.fileOffset;
    let start = ptAt;
    const nh = this.nextHeader;
    if (nh !== IpProto.IpIp && nh !== IpProto.Ipv6) start = this.rebuildIpHeader(d, ptAt);
    p.offset = start;
    p.caplen = ptAt + this.payloadLength - start;
    p.origLen = p.caplen;
  }

  private rebuildIpHeader(d: DecodedPacket, ptAt: number): number {
    const o = this.out;
    const b = d.bytes;
    const n = d.networkOffset;
    if (d.ipVersion === 6) {
      const h = ptAt - 40;
      o.set(b.subarray(n, n + 4), h);
      o[h + 4] = this.payloadLength >>> 8; o[h + 5] = this.payloadLength & 0xff;
      o[h + 6] = this.nextHeader;
      o[h + 7] = b[n + 7]!;
      o.set(b.subarray(d.srcAddrOffset, d.srcAddrOffset + 16), h + 8);
      o.set(b.subarray(d.dstAddrOffset, d.dstAddrOffset + 16), h + 24);
      return h;
    }
    const h = ptAt - IPV4_MIN_HEADER_LEN;
    const total = IPV4_MIN_HEADER_LEN + this.payloadLength;
    o[h] = 0x45; o[h + 1] = b[n + 1]!;
    o[h + 2] = total >>> 8; o[h + 3] = total & 0xff;
    o[h + 4] = b[n + 4]!; o[h + 5] = b[n + 5]!; o[h + 6] = b[n + 6]!; o[h + 7] = b[n + 7]!;
    o[h + 8] = b[n + 8]!; o[h + 9] = this.nextHeader;
    o.set(b.subarray(d.srcAddrOffset, d.srcAddrOffset + 4), h + 12);
    o.set(b.subarray(d.dstAddrOffset, d.dstAddrOffset + 4), h + 16);
    setIpv4HeaderChecksum(o, h, IPV4_MIN_HEADER_LEN);
    return h;
  }
}

function matchesDestination(s: EspSecret, d: DecodedPacket): boolean {
  const dst = s.destinationBytes;
  if (dst === null) return true;
  if (dst.length !== d.addressLength) return false;
  const b = d.bytes;
  const o = d.dstAddrOffset;
  for (let i = 0; i < dst.length; i++) if (b[o + i] !== dst[i]) return false;
  return true;
}
