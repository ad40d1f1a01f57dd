/** Redirect (type 137), RFC 4861 4.5. */
import { checkUint } from '../errors.js';
import { u32, put32 } from '../bytes.js';
import { Ipv6Address } from '../ipv6-address.js';
import type { EncodeInput } from '../loose.js';
import { allocate, readHeader, writeHeader } from './header.js';
import { decodeOptions, encodeOptions, optionsLength, type NdOption, type NdOptionInput } from './option-list.js';

export const TYPE = 137;
export const FIXED_LENGTH = 40;

export interface Redirect {
  kind: 'redirect';
  code: number;
  checksum: number;
  reserved: number;
  /** The better first hop. */
  target: Ipv6Address;
  /** The destination being redirected. */
  destination: Ipv6Address;
  options: NdOption[];
}

export type RedirectInput = Omit<EncodeInput<Redirect, 'code' | 'checksum' | 'reserved'>, 'options'> & {
  options?: NdOptionInput[];
};

export function decode(b: Uint8Array): Redirect {
  const h = readHeader(b, TYPE, FIXED_LENGTH, 'redirect');
  return {
    kind: 'redirect',
    ...h,
    reserved: u32(b, 4),
    target: Ipv6Address.read(b, 8),
    destination: Ipv6Address.read(b, 24),
    options: decodeOptions(b, FIXED_LENGTH),
  };
}

export function encodingLength(m: RedirectInput): number {
  return FIXED_LENGTH + optionsLength(m.options ?? []);
}

export function encode(m: RedirectInput, buf?: Uint8Array, offset = 0): Uint8Array {
  const b = allocate(encodingLength(m), buf, offset, 'redirect');
  writeHeader(b, offset, TYPE, m);
  put32(b, offset + 4, checkUint(m.reserved ?? 0, 32, 'reserved'));
  Ipv6Address.from(m.target, 'target').write(b, offset + 8);
  Ipv6Address.from(m.destination, 'destination').write(b, offset + 24);
  encodeOptions(m.options ?? [], b, offset + FIXED_LENGTH);
  return b;
}
