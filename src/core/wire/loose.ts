import { EncodeError } from './errors.js';
import { fromHex } from './bytes.js';
import type { MacAddress } from './mac-address.js';
import type { Ipv4Address } from './ipv4-address.js';
import type { Ipv6Address } from './ipv6-address.js';

/**
 * What an encoder accepts: the decoded type, or the same shape with addresses as text and bytes as
 * hex, which is what `JSON.parse` of `linklab packet decode --json` gives back.
 */
export type Loose<T> = T extends MacAddress
  ? MacAddress | string
  : T extends Ipv4Address
    ? Ipv4Address | string
    : T extends Ipv6Address
      ? Ipv6Address | string
      : T extends Uint8Array
        ? Uint8Array | string
        : T extends readonly (infer U)[]
          ? Loose<U>[]
          : T extends object
            ? { [K in keyof T]: Loose<T[K]> }
            : T;

export function bytesFrom(v: Uint8Array | string, field: string): Uint8Array {
  if (v instanceof Uint8Array) return v;
  const b = typeof v === 'string' ? fromHex(v) : null;
  if (!b) throw new EncodeError(`expected bytes as hex, got ${JSON.stringify(v)}`, field);
  return b;
}

/** Encoder input: fields in `K` (lengths, checksums) may be left out and are then computed. */
export type EncodeInput<T, K extends keyof T = never> = Loose<Omit<T, K> & Partial<Pick<T, K>>>;
