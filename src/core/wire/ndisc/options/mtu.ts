/** MTU option (type 5), RFC 4861 4.6.4. */
import { DecodeError, checkUint } from '../../errors.js';
import { u32, put32 } from '../../bytes.js';
import type { EncodeInput } from '../../loose.js';
import { ND_OPTION_TYPE } from '../../icmpv6-types.js';


export interface MtuOption {
  kind: 'mtu';
  reserved: number;
  mtu: number;
}

export type MtuInput = EncodeInput<MtuOption, 'reserved'>;

export function lengthOk(units: number): boolean {
  return units === 1;
}

/** Decodes the option at `b[o..end)` (its type byte first); errors carry offsets within `b`. */
export function decode(b: Uint8Array, o = 0, end = b.length): MtuOption {
  if (!lengthOk((end - o) / 8)) throw new DecodeError(`MTU option is 8 bytes, not ${end - o}`, 'length', o + 1);
  return { kind: 'mtu', reserved: (b[o + 2] << 8) | b[o + 3], mtu: u32(b, o + 4) };
}

export function encodingLength(): number {
  return 8;
}

export function encodeInto(opt: MtuInput, b: Uint8Array, o: number): number {
  b[o] = ND_OPTION_TYPE.mtu;
  b[o + 1] = 1;
  const r = checkUint(opt.reserved ?? 0, 16, 'reserved');
  b[o + 2] = r >>> 8;
  b[o + 3] = r;
  put32(b, o + 4, checkUint(opt.mtu, 32, 'mtu'));
  return o + 8;
}
