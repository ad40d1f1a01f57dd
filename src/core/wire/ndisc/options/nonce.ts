/** Nonce option (type 14), RFC 3971 5.3.2: the nonce fills the option after its header. */
import { EncodeError } from '../../errors.js';
import { bytesFrom, type Loose } from '../../loose.js';
import { ND_OPTION_TYPE } from '../../icmpv6-types.js';


export interface NonceOption {
  kind: 'nonce';
  nonce: Uint8Array;
}

/** Decodes the option at `b[o..end)` (its type byte first). */
export function decode(b: Uint8Array, o = 0, end = b.length): NonceOption {
  return { kind: 'nonce', nonce: b.subarray(o + 2, end) };
}

export function encodingLength(opt: Loose<NonceOption>): number {
  return 2 + bytesFrom(opt.nonce, 'nonce').length;
}

export function encodeInto(opt: Loose<NonceOption>, b: Uint8Array, o: number): number {
  const nonce = bytesFrom(opt.nonce, 'nonce');
  const len = 2 + nonce.length;
  if (len % 8 !== 0 || len > 255 * 8) throw new EncodeError(`a nonce is 6, 14, 22, ... bytes; got ${nonce.length}`, 'nonce');
  b[o] = ND_OPTION_TYPE.nonce;
  b[o + 1] = len / 8;
  b.set(nonce, o + 2);
  return o + len;
}
