/** Router Advertisement (type 134), RFC 4861 4.2, with RFC 4191's preference and RFC 5175's proxy flag. */
import { checkUint } from '../errors.js';
import { u32, put32 } from '../bytes.js';
import type { EncodeInput } from '../loose.js';
import { encodeWith } from '../codec.js';
import { ICMPV6_TYPE } from '../icmpv6-types.js';
import { checkHeader, writeHeader } from './header.js';
import { decodeOptions, encodeOptions, optionsLength, type NdOption, type NdOptionInput } from './option-list.js';
import { preferenceBits, preferenceOf, type Preference } from './preference.js';

const TYPE = ICMPV6_TYPE['router-advert'];
export const FIXED_LENGTH = 16;

export interface RouterAdvert {
  kind: 'router-advert';
  code: number;
  checksum: number;
  curHopLimit: number;
  /** M: addresses are available via DHCPv6. */
  managed: boolean;
  /** O: other configuration is available via DHCPv6. */
  other: boolean;
  /** H: the router is a Mobile IPv6 home agent. */
  homeAgent: boolean;
  preference: Preference;
  /** P: ND proxy (RFC 4389). */
  proxy: boolean;
  /** The two lowest flag bits. */
  reservedFlags: number;
  /** Seconds; 0 means "not a default router". */
  routerLifetime: number;
  /** Milliseconds; 0 means unspecified. */
  reachableTime: number;
  /** Milliseconds; 0 means unspecified. */
  retransTimer: number;
  options: NdOption[];
}

export type RouterAdvertInput = Omit<
  EncodeInput<
    RouterAdvert,
    'code' | 'checksum' | 'homeAgent' | 'proxy' | 'reservedFlags' | 'preference' | 'managed' | 'other' | 'reachableTime' | 'retransTimer'
  >,
  'options'
> & { options?: NdOptionInput[] };

export function decode(b: Uint8Array, o = 0, end = b.length): RouterAdvert {
  checkHeader(b, o, end, TYPE, FIXED_LENGTH, 'router advertisement');
  const flags = b[o + 5];
  return {
    kind: 'router-advert',
    code: b[o + 1],
    checksum: (b[o + 2] << 8) | b[o + 3],
    curHopLimit: b[o + 4],
    managed: (flags & 0x80) !== 0,
    other: (flags & 0x40) !== 0,
    homeAgent: (flags & 0x20) !== 0,
    preference: preferenceOf(flags >>> 3),
    proxy: (flags & 0x04) !== 0,
    reservedFlags: flags & 3,
    routerLifetime: (b[o + 6] << 8) | b[o + 7],
    reachableTime: u32(b, o + 8),
    retransTimer: u32(b, o + 12),
    options: decodeOptions(b, o + FIXED_LENGTH, end),
  };
}

export function encodingLength(m: RouterAdvertInput): number {
  return FIXED_LENGTH + optionsLength(m.options ?? []);
}

export function encodeInto(m: RouterAdvertInput, b: Uint8Array, o: number): number {
  writeHeader(b, o, TYPE, m);
  b[o + 4] = checkUint(m.curHopLimit, 8, 'curHopLimit');
  b[o + 5] =
    (m.managed ? 0x80 : 0) |
    (m.other ? 0x40 : 0) |
    (m.homeAgent ? 0x20 : 0) |
    (preferenceBits(m.preference ?? 'medium', 'preference') << 3) |
    (m.proxy ? 0x04 : 0) |
    checkUint(m.reservedFlags ?? 0, 2, 'reservedFlags');
  const life = checkUint(m.routerLifetime, 16, 'routerLifetime');
  b[o + 6] = life >>> 8;
  b[o + 7] = life;
  put32(b, o + 8, checkUint(m.reachableTime ?? 0, 32, 'reachableTime'));
  put32(b, o + 12, checkUint(m.retransTimer ?? 0, 32, 'retransTimer'));
  return encodeOptions(m.options ?? [], b, o + FIXED_LENGTH);
}

export function encode(m: RouterAdvertInput, buf?: Uint8Array, offset = 0): Uint8Array {
  return encodeWith(CODEC, m, buf, offset, 'router advertisement');
}

const CODEC = { encodingLength, encodeInto };
