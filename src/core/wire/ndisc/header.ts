/** The ICMPv6 header every ND message starts with (RFC 4443 2.1). */
import { DecodeError, EncodeError, checkUint, need } from '../errors.js';

export interface IcmpHeaderFields {
  code: number;
  checksum: number;
}

/** Checks the type byte and that the fixed part is all there. */
export function checkHeader(b: Uint8Array, type: number, fixedLength: number, name: string): void {
  need(b, 0, fixedLength, 'header', name);
  if (b[0] !== type) throw new DecodeError(`type ${b[0]} is not ${name} (${type})`, 'type', 0);
}

/** Checks the header (see checkHeader) and returns code and checksum. */
export function readHeader(b: Uint8Array, type: number, fixedLength: number, name: string): IcmpHeaderFields {
  checkHeader(b, type, fixedLength, name);
  return { code: b[1], checksum: (b[2] << 8) | b[3] };
}

export function writeHeader(b: Uint8Array, o: number, type: number, m: Partial<IcmpHeaderFields>): void {
  b[o] = type;
  b[o + 1] = checkUint(m.code ?? 0, 8, 'code');
  const sum = checkUint(m.checksum ?? 0, 16, 'checksum');
  b[o + 2] = sum >>> 8;
  b[o + 3] = sum;
}

export function allocate(len: number, buf: Uint8Array | undefined, offset: number, name: string): Uint8Array {
  const b = buf ?? new Uint8Array(offset + len);
  if (b.length < offset + len) throw new EncodeError(`buffer too small (${len} bytes needed)`, name);
  return b;
}
