/** Router Solicitation (type 133), RFC 4861 4.1. */
import { checkUint } from '../errors.js';
import { u32, put32 } from '../bytes.js';
import type { EncodeInput } from '../loose.js';
import { allocate, readHeader, writeHeader } from './header.js';
import { decodeOptions, encodeOptions, optionsLength, type NdOption, type NdOptionInput } from './option-list.js';

export const TYPE = 133;
export const FIXED_LENGTH = 8;

export interface RouterSolicit {
  kind: 'router-solicit';
  code: number;
  checksum: number;
  reserved: number;
  options: NdOption[];
}

export type RouterSolicitInput = Omit<EncodeInput<RouterSolicit, 'code' | 'checksum' | 'reserved'>, 'options'> & {
  options?: NdOptionInput[];
};

export function decode(b: Uint8Array): RouterSolicit {
  const h = readHeader(b, TYPE, FIXED_LENGTH, 'router solicitation');
  return { kind: 'router-solicit', ...h, reserved: u32(b, 4), options: decodeOptions(b, FIXED_LENGTH) };
}

export function encodingLength(m: RouterSolicitInput): number {
  return FIXED_LENGTH + optionsLength(m.options ?? []);
}

export function encode(m: RouterSolicitInput, buf?: Uint8Array, offset = 0): Uint8Array {
  const b = allocate(encodingLength(m), buf, offset, 'router solicitation');
  writeHeader(b, offset, TYPE, m);
  put32(b, offset + 4, checkUint(m.reserved ?? 0, 32, 'reserved'));
  encodeOptions(m.options ?? [], b, offset + FIXED_LENGTH);
  return b;
}
