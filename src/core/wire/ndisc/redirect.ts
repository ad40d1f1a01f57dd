/** Redirect (type 137), RFC 4861 4.5. */
import { checkUint } from '../errors.js';
import { u32, put32 } from '../bytes.js';
import { Ipv6Address } from '../ipv6-address.js';
import type { EncodeInput } from '../loose.js';
import { encodeWith } from '../codec.js';
import { ICMPV6_TYPE } from '../icmpv6-types.js';
import { readHeader, writeHeader } from './header.js';
import { decodeOptions, encodeOptions, optionsLength, type NdOption, type NdOptionInput } from './option-list.js';

const TYPE = ICMPV6_TYPE.redirect;
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

export function decode(b: Uint8Array, o = 0, end = b.length): Redirect {
  const h = readHeader(b, o, end, TYPE, FIXED_LENGTH, 'redirect');
  return {
    kind: 'redirect',
    ...h,
    reserved: u32(b, o + 4),
    target: Ipv6Address.read(b, o + 8),
    destination: Ipv6Address.read(b, o + 24),
    options: decodeOptions(b, o + FIXED_LENGTH, end),
  };
}

export function encodingLength(m: RedirectInput): number {
  return FIXED_LENGTH + optionsLength(m.options ?? []);
}

export function encodeInto(m: RedirectInput, b: Uint8Array, o: number): number {
  writeHeader(b, o, TYPE, m);
  put32(b, o + 4, checkUint(m.reserved ?? 0, 32, 'reserved'));
  Ipv6Address.from(m.target, 'target').write(b, o + 8);
  Ipv6Address.from(m.destination, 'destination').write(b, o + 24);
  return encodeOptions(m.options ?? [], b, o + FIXED_LENGTH);
}

export function encode(m: RedirectInput, buf?: Uint8Array, offset = 0): Uint8Array {
  return encodeWith(CODEC, m, buf, offset, 'redirect');
}

const CODEC = { encodingLength, encodeInto };
