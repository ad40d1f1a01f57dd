/** Neighbor Advertisement (type 136), RFC 4861 4.4. */
import { checkUint } from '../errors.js';
import { u32, put32 } from '../bytes.js';
import { Ipv6Address } from '../ipv6-address.js';
import type { EncodeInput } from '../loose.js';
import { allocate, readHeader, writeHeader } from './header.js';
import { decodeOptions, encodeOptions, optionsLength, type NdOption, type NdOptionInput } from './option-list.js';

export const TYPE = 136;
export const FIXED_LENGTH = 24;

export interface NeighborAdvert {
  kind: 'neighbor-advert';
  code: number;
  checksum: number;
  /** R: the sender is a router. */
  router: boolean;
  /** S: sent in response to a solicitation. */
  solicited: boolean;
  /** O: override an existing cache entry. */
  override: boolean;
  /** The 29 reserved bits. */
  reserved: number;
  target: Ipv6Address;
  options: NdOption[];
}

export type NeighborAdvertInput = Omit<EncodeInput<NeighborAdvert, 'code' | 'checksum' | 'reserved'>, 'options'> & {
  options?: NdOptionInput[];
};

export function decode(b: Uint8Array): NeighborAdvert {
  const h = readHeader(b, TYPE, FIXED_LENGTH, 'neighbor advertisement');
  const w = u32(b, 4);
  return {
    kind: 'neighbor-advert',
    ...h,
    router: (w & 0x8000_0000) !== 0,
    solicited: (w & 0x4000_0000) !== 0,
    override: (w & 0x2000_0000) !== 0,
    reserved: w & 0x1fff_ffff,
    target: Ipv6Address.read(b, 8),
    options: decodeOptions(b, FIXED_LENGTH),
  };
}

export function encodingLength(m: NeighborAdvertInput): number {
  return FIXED_LENGTH + optionsLength(m.options ?? []);
}

export function encode(m: NeighborAdvertInput, buf?: Uint8Array, offset = 0): Uint8Array {
  const b = allocate(encodingLength(m), buf, offset, 'neighbor advertisement');
  writeHeader(b, offset, TYPE, m);
  const w =
    ((m.router ? 0x8000_0000 : 0) | (m.solicited ? 0x4000_0000 : 0) | (m.override ? 0x2000_0000 : 0) | checkUint(m.reserved ?? 0, 29, 'reserved')) >>> 0;
  put32(b, offset + 4, w);
  Ipv6Address.from(m.target, 'target').write(b, offset + 8);
  encodeOptions(m.options ?? [], b, offset + FIXED_LENGTH);
  return b;
}
