/** Neighbor Solicitation (type 135), RFC 4861 4.3. */
import { checkUint } from '../errors.js';
import { u32, put32 } from '../bytes.js';
import { Ipv6Address } from '../ipv6-address.js';
import type { EncodeInput } from '../loose.js';
import { allocate, readHeader, writeHeader } from './header.js';
import { decodeOptions, encodeOptions, optionsLength, type NdOption, type NdOptionInput } from './option-list.js';

export const TYPE = 135;
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

export function decode(b: Uint8Array): NeighborSolicit {
  const h = readHeader(b, TYPE, FIXED_LENGTH, 'neighbor solicitation');
  return {
    kind: 'neighbor-solicit',
    ...h,
    reserved: u32(b, 4),
    target: Ipv6Address.read(b, 8),
    options: decodeOptions(b, FIXED_LENGTH),
  };
}

export function encodingLength(m: NeighborSolicitInput): number {
  return FIXED_LENGTH + optionsLength(m.options ?? []);
}

export function encode(m: NeighborSolicitInput, buf?: Uint8Array, offset = 0): Uint8Array {
  const b = allocate(encodingLength(m), buf, offset, 'neighbor solicitation');
  writeHeader(b, offset, TYPE, m);
  put32(b, offset + 4, checkUint(m.reserved ?? 0, 32, 'reserved'));
  Ipv6Address.from(m.target, 'target').write(b, offset + 8);
  encodeOptions(m.options ?? [], b, offset + FIXED_LENGTH);
  return b;
}
