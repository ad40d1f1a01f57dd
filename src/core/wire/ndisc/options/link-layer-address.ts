/** Source (type 1) and Target (type 2) Link-Layer Address options, RFC 4861 4.6.1, on Ethernet. */
import { DecodeError } from '../../errors.js';
import { MacAddress } from '../../mac-address.js';
import type { Loose } from '../../loose.js';

export const TYPE_SOURCE = 1;
export const TYPE_TARGET = 2;

export interface LinkLayerAddressOption {
  kind: 'source-lla' | 'target-lla';
  address: MacAddress;
}

export function decode(b: Uint8Array): LinkLayerAddressOption {
  if (b.length !== 8) throw new DecodeError(`an Ethernet link-layer address option is 8 bytes, not ${b.length}`, 'length', 1);
  return { kind: b[0] === TYPE_SOURCE ? 'source-lla' : 'target-lla', address: MacAddress.read(b, 2) };
}

export function encodingLength(): number {
  return 8;
}

export function encode(opt: Loose<LinkLayerAddressOption>, b: Uint8Array, o: number): void {
  b[o] = opt.kind === 'source-lla' ? TYPE_SOURCE : TYPE_TARGET;
  b[o + 1] = 1;
  MacAddress.from(opt.address, 'address').write(b, o + 2);
}
