// The rtnetlink codec's properties, like every wire codec's: values survive encode -> decode;
// arbitrary and mutated bytes produce a value or a DecodeError, never anything else.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import * as rtnl from '../../../../src/core/wire/rtnetlink/index.js';
import { DecodeError } from '../../../../src/core/wire/errors.js';
import { fcRuns } from '../../../helpers/tier.js';
import { message } from './arbitraries.js';
import type { RtnlMessage, RtnlMessageInput } from '../../../../src/core/wire/rtnetlink/index.js';

/** What decode should give back for an input: the header length filled in. */
function expected(m: RtnlMessageInput): RtnlMessage {
  const out = { ...m, header: { ...m.header, length: m.header.length ?? rtnl.encodingLength(m) } } as RtnlMessage;
  if (out.kind === 'error') out.request = { ...out.request, length: out.request.length ?? 16 + out.requestPayload.length };
  return out;
}

function decodesOrDecodeError(b: Uint8Array): void {
  try {
    rtnl.decodeAll(b);
  } catch (err) {
    if (!(err instanceof DecodeError)) throw err;
  }
  try {
    rtnl.decode(b);
  } catch (err) {
    if (!(err instanceof DecodeError)) throw err;
  }
}

describe('rtnetlink codec properties', () => {
  it('round trip: decode(encode(m)) equals m', () => {
    fc.assert(
      fc.property(message, (m) => {
        const bytes = rtnl.encode(m);
        expect(bytes.length % 4).toBe(0);
        expect(rtnl.decode(bytes)).toEqual(expected(m));
      }),
      { numRuns: fcRuns(20_000) },
    );
  });

  it('round trip of a datagram of several messages (a dump)', () => {
    fc.assert(
      fc.property(fc.array(message, { minLength: 1, maxLength: 6 }), (ms) => {
        expect(rtnl.decodeAll(rtnl.encodeAll(ms))).toEqual(ms.map(expected));
      }),
      { numRuns: fcRuns(5_000) },
    );
  });

  it('encodingLength is what encode writes', () => {
    fc.assert(
      fc.property(message, (m) => {
        const b = rtnl.encode(m);
        expect(b.length).toBe((rtnl.encodingLength(m) + 3) & ~3);
        const le = b[0] | (b[1] << 8) | (b[2] << 16) | (b[3] * 2 ** 24);
        expect(le).toBe(rtnl.encodingLength(m));
      }),
      { numRuns: fcRuns(20_000) },
    );
  });

  it('arbitrary bytes give a value or a DecodeError', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 200 }), decodesOrDecodeError), { numRuns: fcRuns() });
  });

  it('arbitrary bytes behind a plausible header give a value or a DecodeError', () => {
    // A random buffer rarely has a sane nlmsg_len; this one always claims its own size.
    const framed = fc.tuple(fc.integer({ min: 0, max: 40 }), fc.uint8Array({ minLength: 16, maxLength: 200 })).map(([type, b]) => {
      const out = b.slice();
      out[0] = b.length & 0xff;
      out[1] = b.length >> 8;
      out[2] = 0;
      out[3] = 0;
      out[4] = type;
      out[5] = 0;
      return out;
    });
    fc.assert(fc.property(framed, decodesOrDecodeError), { numRuns: fcRuns() });
  });

  it('mutated valid messages give a value or a DecodeError', () => {
    const mutated = fc
      .tuple(fc.array(message, { minLength: 1, maxLength: 3 }), fc.array(fc.tuple(fc.nat(), u8()), { minLength: 1, maxLength: 6 }), fc.integer({ min: -8, max: 8 }))
      .map(([ms, edits, resize]) => {
        const b = rtnl.encodeAll(ms);
        for (const [at, v] of edits) b[at % b.length] = v;
        if (resize < 0) return b.subarray(0, Math.max(0, b.length + resize));
        const grown = new Uint8Array(b.length + resize);
        grown.set(b);
        return grown;
      });
    fc.assert(fc.property(mutated, decodesOrDecodeError), { numRuns: fcRuns() });
  });
});

function u8(): fc.Arbitrary<number> {
  return fc.integer({ min: 0, max: 255 });
}
