/** Neighbor Solicitation (type 135), RFC 4861 4.3. */
import { checkUint } from '../errors.js';
import { u32, put32 } from '../bytes.js';
import { Ipv6Address } from '../ipv6-address.js';
import type { EncodeInput } from '../loose.js';
import { encodeWith } from '../codec.js';
import { ICMPV6_TYPE } from '../icmpv6-types.js';
import { readHeader, writeHeader } from './header.js';
import { decodeOptions, encodeOptions, optionsLength, type NdOption, type NdOptionInput } from './option-list.js';

const TYPE = ICMPV6_TYPE['neighbor-solicit'];
export const FIXED_LENGTH = 24;

export interface NeighborSolicit {
  kind: 'neighbor-solicit';
  code: number;
  checksum: number;
  reserved: number;
  target: Ipv6Address;
  options: NdOption[];
}

export type NeighborSolicitInput = Omit<EncodeInput<NeighborSolicit, 'code' | 'checksum' | 'reserved'>, 'options'> & {
  options?: NdOptionInput[];
};

export function decode(b: Uint8Array, o = 0, end = b.length): NeighborSolicit {
  const h = readHeader(b, o, end, TYPE, FIXED_LENGTH, 'neighbor solicitation');
  return {
    kind: 'neighbor-solicit',
    ...h,
    reserved: u32(b, o + 4),
    target: Ipv6Address.read(b, o + 8),
    options: decodeOptions(b, o + FIXED_LENGTH, end),
  };
}

export function encodingLength(m: NeighborSolicitInput): number {
  return FIXED_LENGTH + optionsLength(m.options ?? []);
}

export function encodeInto(m: NeighborSolicitInput, b: Uint8Array, o: number): number {
  writeHeader(b, o, TYPE, m);
  put32(b, o + 4, checkUint(m.reserved ?? 0, 32, 'reserved'));
  Ipv6Address.from(m.target, 'target').write(b, o + 8);
  return encodeOptions(m.options ?? [], b, o + FIXED_LENGTH);
}

export function encode(m: NeighborSolicitInput, buf?: Uint8Array, offset = 0): Uint8Array {
  return encodeWith(CODEC, m, buf, offset, 'neighbor solicitation');
}

const CODEC = { encodingLength, encodeInto };
