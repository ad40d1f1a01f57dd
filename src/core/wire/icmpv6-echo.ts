/** ICMPv6 Echo Request (128) and Echo Reply (129), RFC 4443 4. */
import { checkUint } from './errors.js';
import { bytesFrom, type EncodeInput } from './loose.js';
import { encodeWith } from './codec.js';
import { ICMPV6_TYPE } from './icmpv6-types.js';
import { readHeader, writeHeader } from './ndisc/header.js';

export interface Echo {
  kind: 'echo-request' | 'echo-reply';
  code: number;
  checksum: number;
  identifier: number;
  sequence: number;
  data: Uint8Array;
}

export type EchoInput = EncodeInput<Echo, 'code' | 'checksum' | 'data'>;

export function decode(b: Uint8Array, o = 0, end = b.length): Echo {
  const request = b[o] === ICMPV6_TYPE['echo-request'];
  const kind = request ? 'echo-request' : 'echo-reply';
  const h = readHeader(b, o, end, ICMPV6_TYPE[kind], 8, 'echo');
  return {
    kind,
    ...h,
    identifier: (b[o + 4] << 8) | b[o + 5],
    sequence: (b[o + 6] << 8) | b[o + 7],
    data: b.subarray(o + 8, end),
  };
}

export function encodingLength(m: EchoInput): number {
  return 8 + (m.data === undefined ? 0 : bytesFrom(m.data, 'data').length);
}

export function encodeInto(m: EchoInput, b: Uint8Array, o: number): number {
  writeHeader(b, o, ICMPV6_TYPE[m.kind === 'echo-request' ? 'echo-request' : 'echo-reply'], m);
  const id = checkUint(m.identifier, 16, 'identifier');
  const seq = checkUint(m.sequence, 16, 'sequence');
  b[o + 4] = id >>> 8;
  b[o + 5] = id;
  b[o + 6] = seq >>> 8;
  b[o + 7] = seq;
  if (m.data === undefined) return o + 8;
  const data = bytesFrom(m.data, 'data');
  b.set(data, o + 8);
  return o + 8 + data.length;
}

export function encode(m: EchoInput, buf?: Uint8Array, offset = 0): Uint8Array {
  return encodeWith(CODEC, m, buf, offset, 'echo');
}

const CODEC = { encodingLength, encodeInto };
