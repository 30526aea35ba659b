/** Network-order reads straight from capture bytes. The caller checks bounds. */

export function u16(b: Uint8Array, o: number): number {
  return (b[o]! << 8) | b[o + 1]!;
}

/** Unsigned 32-bit read; the result is always a non-negative number. */
export function u32(b: Uint8Array, o: number): number {
  return ((b[o]! << 24) | (b[o + 1]! << 16) | (b[o + 2]! << 8) | b[o + 3]!) >>> 0;
}

/** Signed 32-bit read: an int32 (an address or SPI kept as a small integer, not a heap number, in tables). */
export function i32(b: Uint8Array, o: number): number {
  return (b[o]! << 24) | (b[o + 1]! << 16) | (b[o + 2]! << 8) | b[o + 3]!;
}

/**
 * A big-endian DataView over the buffer packets arrive in, remade only when
 * the buffer changes: sources hand every packet in one long-lived buffer
 * (file chunk, capture ring), so per-packet readers keep one of these.
 */
export class BufferView {
  private view: DataView<ArrayBufferLike> = new DataView(new ArrayBuffer(0));
  /** Never null, so the per-packet identity test compares two typed arrays (no null case to code for). */
  private bytes: Uint8Array = new Uint8Array(0);

  of(b: Uint8Array): DataView<ArrayBufferLike> {
    if (this.bytes === b) return this.view;
    this.view = new DataView(b.buffer, b.byteOffset, b.byteLength);
    this.bytes = b;
    return this.view;
  }
}

/** Little-endian 32-bit read, for headers written in the capturing host's order. */
export function u32le(b: Uint8Array, o: number): number {
  return (b[o]! | (b[o + 1]! << 8) | (b[o + 2]! << 16) | (b[o + 3]! << 24)) >>> 0;
}
