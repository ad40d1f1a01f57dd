/** Options linklab does not interpret, and options it could not decode: both kept byte for byte. */
import { EncodeError, checkUint } from '../../errors.js';
import type { DecodeError } from '../../errors.js';
import { bytesFrom, type Loose } from '../../loose.js';

export interface UnknownOption {
  kind: 'unknown';
  type: number;
  /** The option after its type and length bytes. */
  data: Uint8Array;
}

/**
 * A known option whose contents are wrong, or the rest of the option area after a length of zero
 * or one that runs past the end (RFC 4861 says to drop such a message; rtsold stops parsing there).
 */
export interface MalformedOption {
  kind: 'malformed';
  /**
   * `length-zero`, `overrun` (runs past the end, or no room for a header): the walk stopped here.
   * `contents`: the length was sound, the body was not, and the walk went on.
   */
  cause: 'length-zero' | 'overrun' | 'contents';
  /** The option's bytes from its type byte, as received. */
  bytes: Uint8Array;
  error: DecodeError;
}

/** Unknown options re-encode from their type and data. */
export const unknownCodec = {
  encodingLength(opt: Loose<UnknownOption>): number {
    return 2 + bytesFrom(opt.data, 'data').length;
  },
  encodeInto(opt: Loose<UnknownOption>, b: Uint8Array, o: number): number {
    const data = bytesFrom(opt.data, 'data');
    const len = 2 + data.length;
    if (len % 8 !== 0 || len > 255 * 8) throw new EncodeError(`option of ${len} bytes is not a multiple of 8 up to 2040`, 'data');
    b[o] = checkUint(opt.type, 8, 'type');
    b[o + 1] = len / 8;
    b.set(data, o + 2);
    return o + len;
  },
};

export interface MalformedOptionInput {
  kind: 'malformed';
  bytes: Uint8Array | string;
  cause?: MalformedOption['cause'];
}

/** Malformed options re-encode as the bytes they arrived as. */
export const malformedCodec = {
  encodingLength(opt: MalformedOptionInput): number {
    return bytesFrom(opt.bytes, 'bytes').length;
  },
  encodeInto(opt: MalformedOptionInput, b: Uint8Array, o: number): number {
    const bytes = bytesFrom(opt.bytes, 'bytes');
    b.set(bytes, o);
    return o + bytes.length;
  },
};
