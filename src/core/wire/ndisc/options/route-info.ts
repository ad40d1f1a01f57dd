/** Route Information option (type 24), RFC 4191 2.3. */
import { DecodeError, EncodeError, checkUint } from '../../errors.js';
import { u32, put32 } from '../../bytes.js';
import { Ipv6Address } from '../../ipv6-address.js';
import type { EncodeInput } from '../../loose.js';
import { ND_OPTION_TYPE } from '../../icmpv6-types.js';
import { preferenceBits, preferenceOf, type Preference } from '../preference.js';


export interface RouteInfoOption {
  kind: 'route-info';
  prefixLength: number;
  preference: Preference;
  /** The reserved bits around the preference: three above, three below. */
  reservedHigh: number;
  reservedLow: number;
  /** Seconds; all ones is infinity. */
  lifetime: number;
  /** The prefix, with the bytes the option does not carry as zero. */
  prefix: Ipv6Address;
  /** Option length in 8-byte units (1, 2 or 3). */
  length: number;
}

export type RouteInfoInput = EncodeInput<RouteInfoOption, 'reservedHigh' | 'reservedLow' | 'length'>;

/** The fewest 8-byte units that carry a prefix of `prefixLength` bits. */
export function unitsFor(prefixLength: number): number {
  return prefixLength === 0 ? 1 : prefixLength <= 64 ? 2 : 3;
}

/** 1, 2 or 3 units (how many the prefix needs is a matter of its body: see decode). */
export function lengthOk(units: number): boolean {
  return units <= 3;
}

/** Decodes the option at `b[o..end)` (its type byte first); errors carry offsets within `b`. */
export function decode(b: Uint8Array, o = 0, end = b.length): RouteInfoOption {
  const units = (end - o) / 8;
  if (!lengthOk(units)) throw new DecodeError(`route information length is 1, 2 or 3, not ${units}`, 'length', o + 1);
  const prefixLength = b[o + 2];
  if (prefixLength > 128) throw new DecodeError(`prefix length ${prefixLength} exceeds 128`, 'prefixLength', o + 2);
  if (units < unitsFor(prefixLength)) {
    throw new DecodeError(`length ${units} cannot carry a /${prefixLength} prefix`, 'length', o + 1);
  }
  const flags = b[o + 3];
  return {
    kind: 'route-info',
    prefixLength,
    preference: preferenceOf(flags >>> 3),
    reservedHigh: flags >>> 5,
    reservedLow: flags & 7,
    lifetime: u32(b, o + 4),
    prefix: Ipv6Address.readPartial(b, o + 8, end - o - 8),
    length: units,
  };
}

export function encodingLength(opt: RouteInfoInput): number {
  return 8 * (opt.length ?? unitsFor(opt.prefixLength));
}

export function encodeInto(opt: RouteInfoInput, b: Uint8Array, o: number): number {
  const units = checkUint(opt.length ?? unitsFor(opt.prefixLength), 8, 'length');
  if (units < 1 || units > 3) throw new EncodeError(`must be 1, 2 or 3, is ${units}`, 'length');
  b[o] = ND_OPTION_TYPE['route-info'];
  b[o + 1] = units;
  b[o + 2] = checkUint(opt.prefixLength, 8, 'prefixLength');
  b[o + 3] =
    (checkUint(opt.reservedHigh ?? 0, 3, 'reservedHigh') << 5) |
    (preferenceBits(opt.preference, 'preference') << 3) |
    checkUint(opt.reservedLow ?? 0, 3, 'reservedLow');
  put32(b, o + 4, checkUint(opt.lifetime, 32, 'lifetime'));
  const prefix = Ipv6Address.from(opt.prefix, 'prefix').toBytes();
  b.set(prefix.subarray(0, 8 * (units - 1)), o + 8);
  return o + 8 * units;
}
