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

/** Decodes the option at `b[o..end)` (its type byte first); errors carry offsets within `b`. */
export function decode(b: Uint8Array, o = 0, end = b.length): LinkLayerAddressOption {
  if (end - o !== 8) throw new DecodeError(`an Ethernet link-layer address option is 8 bytes, not ${end - o}`, 'length', o + 1);
  return { kind: b[o] === TYPE_SOURCE ? 'source-lla' : 'target-lla', address: MacAddress.read(b, o + 2) };
}

export function encodingLength(): number {
  return 8;
}

export function encode(opt: Loose<LinkLayerAddressOption>, b: Uint8Array, o: number): void {
  b[o] = opt.kind === 'source-lla' ? TYPE_SOURCE : TYPE_TARGET;
  b[o + 1] = 1;
  MacAddress.from(opt.address, 'address').write(b, o + 2);
}
