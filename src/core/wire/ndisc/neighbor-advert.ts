/** Neighbor Advertisement (type 136), RFC 4861 4.4. */
import { checkUint } from '../errors.js';
import { u32, put32 } from '../bytes.js';
import { Ipv6Address } from '../ipv6-address.js';
import type { EncodeInput } from '../loose.js';
import { encodeWith } from '../codec.js';
import { ICMPV6_TYPE } from '../icmpv6-types.js';
import { readHeader, writeHeader } from './header.js';
import { decodeOptions, encodeOptions, optionsLength, type NdOption, type NdOptionInput } from './option-list.js';

const TYPE = ICMPV6_TYPE['neighbor-advert'];
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

export function decode(b: Uint8Array, o = 0, end = b.length): NeighborAdvert {
  const h = readHeader(b, o, end, TYPE, FIXED_LENGTH, 'neighbor advertisement');
  const w = u32(b, o + 4);
  return {
    kind: 'neighbor-advert',
    ...h,
    router: (w & 0x8000_0000) !== 0,
    solicited: (w & 0x4000_0000) !== 0,
    override: (w & 0x2000_0000) !== 0,
    reserved: w & 0x1fff_ffff,
    target: Ipv6Address.read(b, o + 8),
    options: decodeOptions(b, o + FIXED_LENGTH, end),
  };
}

export function encodingLength(m: NeighborAdvertInput): number {
  return FIXED_LENGTH + optionsLength(m.options ?? []);
}

export function encodeInto(m: NeighborAdvertInput, b: Uint8Array, o: number): number {
  writeHeader(b, o, TYPE, m);
  const w =
    ((m.router ? 0x8000_0000 : 0) | (m.solicited ? 0x4000_0000 : 0) | (m.override ? 0x2000_0000 : 0) | checkUint(m.reserved ?? 0, 29, 'reserved')) >>> 0;
  put32(b, o + 4, w);
  Ipv6Address.from(m.target, 'target').write(b, o + 8);
  return encodeOptions(m.options ?? [], b, o + FIXED_LENGTH);
}

export function encode(m: NeighborAdvertInput, buf?: Uint8Array, offset = 0): Uint8Array {
  return encodeWith(CODEC, m, buf, offset, 'neighbor advertisement');
}

const CODEC = { encodingLength, encodeInto };
