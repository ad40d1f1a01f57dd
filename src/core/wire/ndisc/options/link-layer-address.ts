/** Source (type 1) and Target (type 2) Link-Layer Address options, RFC 4861 4.6.1, on Ethernet. */
import { DecodeError } from '../../errors.js';
import { MacAddress } from '../../mac-address.js';
import type { Loose } from '../../loose.js';
import { ND_OPTION_TYPE } from '../../icmpv6-types.js';


export interface LinkLayerAddressOption {
  kind: 'source-lla' | 'target-lla';
  address: MacAddress;
}

/** One unit: type, length and a 6-byte Ethernet address. */
export function lengthOk(units: number): boolean {
  return units === 1;
}

/** Decodes the option at `b[o..end)` (its type byte first); errors carry offsets within `b`. */
export function decode(b: Uint8Array, o = 0, end = b.length): LinkLayerAddressOption {
  if (!lengthOk((end - o) / 8)) throw new DecodeError(`an Ethernet link-layer address option is 8 bytes, not ${end - o}`, 'length', o + 1);
  return { kind: b[o] === ND_OPTION_TYPE['source-lla'] ? 'source-lla' : 'target-lla', address: MacAddress.read(b, o + 2) };
}

export function encodingLength(): number {
  return 8;
}

export function encodeInto(opt: Loose<LinkLayerAddressOption>, b: Uint8Array, o: number): number {
  b[o] = ND_OPTION_TYPE[opt.kind === 'source-lla' ? 'source-lla' : 'target-lla'];
  b[o + 1] = 1;
  MacAddress.from(opt.address, 'address').write(b, o + 2);
  return o + 8;
}
