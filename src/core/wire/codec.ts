/**
 * The one codec signature of the registries (ND options in ndisc/option-list.ts, ICMPv6 messages
 * in icmpv6.ts), after dns-packet's decode / encode / encodingLength, over a region of a buffer so
 * that every layer of a packet can be written into one buffer:
 *
 * - `decode(b, o, end)` reads `b[o..end)` and throws DecodeError with offsets within `b`;
 * - `encodingLength(v)` is the number of bytes `encodeInto` writes;
 * - `encodeInto(v, b, o)` writes them at `b[o..)` and returns the offset after them; the caller
 *   made the room (with encodingLength), so a codec does not check it again.
 *
 * `encode` is the allocating form each message module offers on top (and `linklab packet` uses).
 */
import { EncodeError } from './errors.js';
import { newBytes } from './bytes.js';

export interface Codec<T, I = T> {
  decode(b: Uint8Array, o: number, end: number): T;
  encodingLength(v: I): number;
  encodeInto(v: I, b: Uint8Array, o: number): number;
}

/** `buf`, checked to hold `len` bytes at `offset`, or a new buffer of `offset + len` bytes. */
export function allocate(len: number, buf: Uint8Array | undefined, offset: number, name: string): Uint8Array {
  const b = buf ?? newBytes(offset + len);
  if (b.length < offset + len) throw new EncodeError(`buffer too small (${len} bytes needed)`, name);
  return b;
}

/** dns-packet's `encode(v, buf?, offset?)` over a codec: writes into `buf` (checked) or a new buffer. */
export function encodeWith<I>(codec: Pick<Codec<unknown, I>, 'encodingLength' | 'encodeInto'>, v: I, buf: Uint8Array | undefined, offset: number, name: string): Uint8Array {
  const b = allocate(codec.encodingLength(v), buf, offset, name);
  codec.encodeInto(v, b, offset);
  return b;
}
