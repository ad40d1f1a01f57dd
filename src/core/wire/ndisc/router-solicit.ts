/** Router Solicitation (type 133), RFC 4861 4.1. */
import { checkUint } from '../errors.js';
import { u32, put32 } from '../bytes.js';
import type { EncodeInput } from '../loose.js';
import { encodeWith } from '../codec.js';
import { ICMPV6_TYPE } from '../icmpv6-types.js';
import { readHeader, writeHeader } from './header.js';
import { decodeOptions, encodeOptions, optionsLength, type NdOption, type NdOptionInput } from './option-list.js';

const TYPE = ICMPV6_TYPE['router-solicit'];
export const FIXED_LENGTH = 8;

export interface RouterSolicit {
  kind: 'router-solicit';
  code: number;
  checksum: number;
  reserved: number;
  options: NdOption[];
}

export type RouterSolicitInput = Omit<EncodeInput<RouterSolicit, 'code' | 'checksum' | 'reserved'>, 'options'> & {
  options?: NdOptionInput[];
};

export function decode(b: Uint8Array, o = 0, end = b.length): RouterSolicit {
  const h = readHeader(b, o, end, TYPE, FIXED_LENGTH, 'router solicitation');
  return { kind: 'router-solicit', ...h, reserved: u32(b, o + 4), options: decodeOptions(b, o + FIXED_LENGTH, end) };
}

export function encodingLength(m: RouterSolicitInput): number {
  return FIXED_LENGTH + optionsLength(m.options ?? []);
}

export function encodeInto(m: RouterSolicitInput, b: Uint8Array, o: number): number {
  writeHeader(b, o, TYPE, m);
  put32(b, o + 4, checkUint(m.reserved ?? 0, 32, 'reserved'));
  return encodeOptions(m.options ?? [], b, o + FIXED_LENGTH);
}

export function encode(m: RouterSolicitInput, buf?: Uint8Array, offset = 0): Uint8Array {
  return encodeWith(CODEC, m, buf, offset, 'router solicitation');
}

const CODEC = { encodingLength, encodeInto };
