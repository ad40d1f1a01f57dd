/** The ICMPv6 header every ND message starts with (RFC 4443 2.1). */
import { DecodeError, checkUint, need } from '../errors.js';

export interface IcmpHeaderFields {
  code: number;
  checksum: number;
}

/** Checks the type byte at `o` and that the fixed part is all there before `end`. */
export function checkHeader(b: Uint8Array, o: number, end: number, type: number, fixedLength: number, name: string): void {
  need(b, o, fixedLength, 'header', name, end);
  if (b[o] !== type) throw new DecodeError(`type ${b[o]} is not ${name} (${type})`, 'type', o);
}

/** Checks the header (see checkHeader) and returns code and checksum. */
export function readHeader(b: Uint8Array, o: number, end: number, type: number, fixedLength: number, name: string): IcmpHeaderFields {
  checkHeader(b, o, end, type, fixedLength, name);
  return { code: b[o + 1], checksum: (b[o + 2] << 8) | b[o + 3] };
}

export function writeHeader(b: Uint8Array, o: number, type: number, m: Partial<IcmpHeaderFields>): void {
  b[o] = type;
  b[o + 1] = checkUint(m.code ?? 0, 8, 'code');
  const sum = checkUint(m.checksum ?? 0, 16, 'checksum');
  b[o + 2] = sum >>> 8;
  b[o + 3] = sum;
}
