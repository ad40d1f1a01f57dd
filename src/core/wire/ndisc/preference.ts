/** The two-bit router/route preference of RFC 4191 section 2.1. */
import { EncodeError } from '../errors.js';

export type Preference = 'medium' | 'high' | 'reserved' | 'low';

const NAMES: readonly Preference[] = ['medium', 'high', 'reserved', 'low'];

export function preferenceOf(bits: number): Preference {
  return NAMES[bits & 3];
}

export function preferenceBits(p: Preference, field: string): number {
  const i = NAMES.indexOf(p);
  if (i < 0) throw new EncodeError(`expected one of ${NAMES.join(', ')}, got ${JSON.stringify(p)}`, field);
  return i;
}
