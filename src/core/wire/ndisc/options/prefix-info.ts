/** Prefix Information option (type 3), RFC 4861 4.6.2; the R flag is RFC 6275's. */
import { DecodeError, checkUint } from '../../errors.js';
import { u32, put32 } from '../../bytes.js';
import { Ipv6Address } from '../../ipv6-address.js';
import type { EncodeInput } from '../../loose.js';
import { ND_OPTION_TYPE } from '../../icmpv6-types.js';

export const LENGTH = 32;
/** A lifetime of all ones means infinity. */
export const INFINITE = 0xffff_ffff;

export interface PrefixInfoOption {
  kind: 'prefix-info';
  prefixLength: number;
  /** L: the prefix is on-link. */
  onLink: boolean;
  /** A: the prefix may be used for SLAAC. */
  autonomous: boolean;
  /** R: the prefix field holds the router's full address. */
  routerAddress: boolean;
  /** The five remaining flag bits. */
  reserved1: number;
  validLifetime: number;
  preferredLifetime: number;
  reserved2: number;
  prefix: Ipv6Address;
}

export type PrefixInfoInput = EncodeInput<PrefixInfoOption, 'reserved1' | 'reserved2' | 'routerAddress'>;

export function lengthOk(units: number): boolean {
  return units === LENGTH / 8;
}

/** Decodes the option at `b[o..end)` (its type byte first); errors carry offsets within `b`. */
export function decode(b: Uint8Array, o = 0, end = b.length): PrefixInfoOption {
  if (!lengthOk((end - o) / 8)) throw new DecodeError(`prefix information is 32 bytes, not ${end - o}`, 'length', o + 1);
  const flags = b[o + 3];
  return {
    kind: 'prefix-info',
    prefixLength: b[o + 2],
    onLink: (flags & 0x80) !== 0,
    autonomous: (flags & 0x40) !== 0,
    routerAddress: (flags & 0x20) !== 0,
    reserved1: flags & 0x1f,
    validLifetime: u32(b, o + 4),
    preferredLifetime: u32(b, o + 8),
    reserved2: u32(b, o + 12),
    prefix: Ipv6Address.read(b, o + 16),
  };
}

export function encodingLength(): number {
  return LENGTH;
}

export function encodeInto(opt: PrefixInfoInput, b: Uint8Array, o: number): number {
  b[o] = ND_OPTION_TYPE['prefix-info'];
  b[o + 1] = 4;
  b[o + 2] = checkUint(opt.prefixLength, 8, 'prefixLength');
  b[o + 3] =
    (opt.onLink ? 0x80 : 0) | (opt.autonomous ? 0x40 : 0) | (opt.routerAddress ? 0x20 : 0) | checkUint(opt.reserved1 ?? 0, 5, 'reserved1');
  put32(b, o + 4, checkUint(opt.validLifetime, 32, 'validLifetime'));
  put32(b, o + 8, checkUint(opt.preferredLifetime, 32, 'preferredLifetime'));
  put32(b, o + 12, checkUint(opt.reserved2 ?? 0, 32, 'reserved2'));
  Ipv6Address.from(opt.prefix, 'prefix').write(b, o + 16);
  return o + LENGTH;
}
