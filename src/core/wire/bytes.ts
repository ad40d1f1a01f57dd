/** Big-endian reads and writes on plain Uint8Arrays; callers check bounds first (see `need`). */

/**
 * Encoders' output buffers, carved from shared 8 KiB slabs as Node's Buffer pool does: V8 keeps
 * a typed array over 64 bytes off its heap, and allocating one costs more than encoding most
 * packets, while a view into a slab costs a small object. A slab is never reused, so every buffer
 * starts zeroed and no two overlap; like a pooled Buffer, one may have a non-zero `byteOffset`
 * and a `.buffer` larger than itself. Larger packets get a buffer of their own.
 */
const SLAB_SIZE = 8192;
const POOLED_MAX = 1024;
let slab = new ArrayBuffer(SLAB_SIZE);
let slabUsed = 0;

/** A zeroed buffer of `len` bytes for an encoder's output. */
export function newBytes(len: number): Uint8Array {
  if (len > POOLED_MAX) return new Uint8Array(len);
  if (slabUsed + len > SLAB_SIZE) {
    slab = new ArrayBuffer(SLAB_SIZE);
    slabUsed = 0;
  }
  const b = new Uint8Array(slab, slabUsed, len);
  slabUsed = (slabUsed + len + 7) & ~7; // 8-byte aligned, as Node aligns pooled Buffers
  return b;
}

export function u16(b: Uint8Array, o: number): number {
  return (b[o] << 8) | b[o + 1];
}

export function u32(b: Uint8Array, o: number): number {
  return ((b[o] << 24) | (b[o + 1] << 16) | (b[o + 2] << 8) | b[o + 3]) >>> 0;
}

export function put16(b: Uint8Array, o: number, v: number): void {
  b[o] = v >>> 8;
  b[o + 1] = v;
}

export function put32(b: Uint8Array, o: number, v: number): void {
  b[o] = v >>> 24;
  b[o + 1] = v >>> 16;
  b[o + 2] = v >>> 8;
  b[o + 3] = v;
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

export function toHex(b: Uint8Array): string {
  let s = '';
  for (let i = 0; i < b.length; i++) s += HEX[b[i]];
  return s;
}

/** Parses hex, ignoring whitespace, colons and a leading 0x; returns null if it is not hex. */
export function fromHex(text: string): Uint8Array | null {
  const clean = text.replace(/^0x/i, '').replace(/[\s:]/g, '');
  if (clean.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(clean)) return null;
  const out = new Uint8Array(clean.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(clean.slice(2 * i, 2 * i + 2), 16);
  return out;
}


/** The value of a hex digit's character code, or -1 (also for NaN, past the end of a string). */
export function hexValue(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  const l = c | 0x20;
  return l >= 0x61 && l <= 0x66 ? l - 0x57 : -1;
}

export function hexByte(n: number): string {
  return HEX[n & 0xff];
}

export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
