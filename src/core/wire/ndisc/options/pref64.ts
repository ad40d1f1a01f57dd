/** PREF64 option (type 38), RFC 8781 4: the NAT64 prefix. */
import { DecodeError, checkUint } from '../../errors.js';
import { Ipv6Address } from '../../ipv6-address.js';
import type { Loose } from '../../loose.js';
import { ND_OPTION_TYPE } from '../../icmpv6-types.js';


/** Prefix length for each Prefix Length Code; 6 and 7 are not assigned. */
export const PLC_PREFIX_LENGTHS: readonly number[] = [96, 64, 56, 48, 40, 32];

export interface Pref64Option {
  kind: 'pref64';
  /** Lifetime in units of 8 seconds (13 bits). */
  scaledLifetime: number;
  /** Prefix Length Code (3 bits). */
  plc: number;
  /** The highest 96 bits of the prefix; the last 32 are zero. */
  prefix: Ipv6Address;
}

export function lengthOk(units: number): boolean {
  return units === 2;
}

/** Decodes the option at `b[o..end)` (its type byte first); errors carry offsets within `b`. */
export function decode(b: Uint8Array, o = 0, end = b.length): Pref64Option {
  if (!lengthOk((end - o) / 8)) throw new DecodeError(`PREF64 option is 16 bytes, not ${end - o}`, 'length', o + 1);
  const w = (b[o + 2] << 8) | b[o + 3];
  return { kind: 'pref64', scaledLifetime: w >>> 3, plc: w & 7, prefix: Ipv6Address.readPartial(b, o + 4, 12) };
}

export function encodingLength(): number {
  return 16;
}

export function encodeInto(opt: Loose<Pref64Option>, b: Uint8Array, o: number): number {
  b[o] = ND_OPTION_TYPE.pref64;
  b[o + 1] = 2;
  const w = (checkUint(opt.scaledLifetime, 13, 'scaledLifetime') << 3) | checkUint(opt.plc, 3, 'plc');
  b[o + 2] = w >>> 8;
  b[o + 3] = w;
  b.set(Ipv6Address.from(opt.prefix, 'prefix').toBytes().subarray(0, 12), o + 4);
  return o + 16;
}
