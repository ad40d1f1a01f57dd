/** ICMPv6 Echo Request (128) and Echo Reply (129), RFC 4443 4. */
import { checkUint } from './errors.js';
import { bytesFrom, type EncodeInput } from './loose.js';
import { allocate, readHeader, writeHeader } from './ndisc/header.js';

export const TYPE_REQUEST = 128;
export const TYPE_REPLY = 129;

export interface Echo {
  kind: 'echo-request' | 'echo-reply';
  code: number;
  checksum: number;
  identifier: number;
  sequence: number;
  data: Uint8Array;
}

export type EchoInput = EncodeInput<Echo, 'code' | 'checksum' | 'data'>;

export function decode(b: Uint8Array): Echo {
  const request = b[0] === TYPE_REQUEST;
  const h = readHeader(b, request ? TYPE_REQUEST : TYPE_REPLY, 8, 'echo');
  return {
    kind: request ? 'echo-request' : 'echo-reply',
    ...h,
    identifier: (b[4] << 8) | b[5],
    sequence: (b[6] << 8) | b[7],
    data: b.subarray(8),
  };
}

export function encodingLength(m: EchoInput): number {
  return 8 + (m.data === undefined ? 0 : bytesFrom(m.data, 'data').length);
}

export function encode(m: EchoInput, buf?: Uint8Array, offset = 0): Uint8Array {
  const b = allocate(encodingLength(m), buf, offset, 'echo');
  writeHeader(b, offset, m.kind === 'echo-request' ? TYPE_REQUEST : TYPE_REPLY, m);
  const id = checkUint(m.identifier, 16, 'identifier');
  const seq = checkUint(m.sequence, 16, 'sequence');
  b[offset + 4] = id >>> 8;
  b[offset + 5] = id;
  b[offset + 6] = seq >>> 8;
  b[offset + 7] = seq;
  if (m.data !== undefined) b.set(bytesFrom(m.data, 'data'), offset + 8);
  return b;
}
