/** Redirected Header option (type 4), RFC 4861 4.6.3: as much of the redirected packet as fits. */
import { DecodeError, checkUint, EncodeError } from '../../errors.js';
import { bytesFrom, type EncodeInput } from '../../loose.js';
import { ND_OPTION_TYPE } from '../../icmpv6-types.js';


export interface RedirectedHeaderOption {
  kind: 'redirected-header';
  /** The six reserved bytes, as a 48-bit integer. */
  reserved: number;
  /** The IP header and data of the redirected packet, padded to the option's length. */
  data: Uint8Array;
}

export type RedirectedHeaderInput = EncodeInput<RedirectedHeaderOption, 'reserved'>;

/** Decodes the option at `b[o..end)` (its type byte first); errors carry offsets within `b`. */
export function decode(b: Uint8Array, o = 0, end = b.length): RedirectedHeaderOption {
  if (end - o < 8) throw new DecodeError('redirected header option too short', 'length', o + 1);
  const reserved = ((b[o + 2] << 8) | b[o + 3]) * 0x1_0000_0000 + (((b[o + 4] << 24) | (b[o + 5] << 16) | (b[o + 6] << 8) | b[o + 7]) >>> 0);
  return { kind: 'redirected-header', reserved, data: b.subarray(o + 8, end) };
}

export function encodingLength(opt: RedirectedHeaderInput): number {
  return 8 + bytesFrom(opt.data, 'data').length;
}

export function encodeInto(opt: RedirectedHeaderInput, b: Uint8Array, o: number): number {
  const data = bytesFrom(opt.data, 'data');
  const len = 8 + data.length;
  if (len % 8 !== 0 || len > 255 * 8) throw new EncodeError(`option length ${len} is not a multiple of 8 up to 2040`, 'data');
  b[o] = ND_OPTION_TYPE['redirected-header'];
  b[o + 1] = len / 8;
  const r = checkUint(opt.reserved ?? 0, 48, 'reserved');
  const hi = Math.floor(r / 0x1_0000_0000);
  b[o + 2] = hi >>> 8;
  b[o + 3] = hi;
  const lo = r >>> 0;
  b[o + 4] = lo >>> 24;
  b[o + 5] = lo >>> 16;
  b[o + 6] = lo >>> 8;
  b[o + 7] = lo;
  b.set(data, o + 8);
  return o + len;
}
