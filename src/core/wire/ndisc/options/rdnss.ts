/** Recursive DNS Server option (type 25), RFC 8106 5.1. */
import { DecodeError, EncodeError, checkUint } from '../../errors.js';
import { u32, put32 } from '../../bytes.js';
import { Ipv6Address } from '../../ipv6-address.js';
import type { EncodeInput } from '../../loose.js';
import { ND_OPTION_TYPE } from '../../icmpv6-types.js';


export interface RdnssOption {
  kind: 'rdnss';
  reserved: number;
  /** Seconds; all ones is infinity, 0 withdraws the servers. */
  lifetime: number;
  servers: Ipv6Address[];
}

export type RdnssInput = EncodeInput<RdnssOption, 'reserved'>;

/** One unit of header, two per address: an even length leaves half an address. */
export function lengthOk(units: number): boolean {
  return units >= 3 && units % 2 === 1;
}

/** Decodes the option at `b[o..end)` (its type byte first); errors carry offsets within `b`. */
export function decode(b: Uint8Array, o = 0, end = b.length): RdnssOption {
  const units = (end - o) / 8;
  if (!lengthOk(units)) {
    throw new DecodeError(`RDNSS length ${units} must be odd and at least 3`, 'length', o + 1);
  }
  // Sized up front: growing an array by push costs more than reading the addresses.
  const servers = new Array<Ipv6Address>((end - o - 8) / 16);
  for (let i = 0, p = o + 8; p < end; i++, p += 16) servers[i] = Ipv6Address.read(b, p);
  return { kind: 'rdnss', reserved: (b[o + 2] << 8) | b[o + 3], lifetime: u32(b, o + 4), servers };
}

export function encodingLength(opt: RdnssInput): number {
  return 8 + 16 * opt.servers.length;
}

export function encodeInto(opt: RdnssInput, b: Uint8Array, o: number): number {
  const n = opt.servers.length;
  if (n < 1 || n > 127) throw new EncodeError(`an RDNSS option carries 1 to 127 servers, not ${n}`, 'servers');
  b[o] = ND_OPTION_TYPE.rdnss;
  b[o + 1] = 1 + 2 * n;
  const r = checkUint(opt.reserved ?? 0, 16, 'reserved');
  b[o + 2] = r >>> 8;
  b[o + 3] = r;
  put32(b, o + 4, checkUint(opt.lifetime, 32, 'lifetime'));
  for (let i = 0; i < n; i++) {
    const s = opt.servers[i];
    (s instanceof Ipv6Address ? s : Ipv6Address.from(s, `servers[${i}]`)).write(b, o + 8 + 16 * i);
  }
  return o + 8 + 16 * n;
}
