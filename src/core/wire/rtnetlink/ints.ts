import { EncodeError } from '../errors.js';

/** Checks a signed 32-bit field (ifindex, errno) for encoding. */
export function checkInt32(v: unknown, field: string): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < -0x8000_0000 || v > 0x7fff_ffff) {
    throw new EncodeError(`expected a 32-bit signed integer, got ${JSON.stringify(v)}`, field);
  }
  return v;
}
