/**
 * ND options: every kind survives encode -> decode unchanged, and the bytes survive decode ->
 * encode; option areas mixing kinds too; malformed options keep their bytes.
 */
import { describe, it } from 'vitest';
import fc from 'fast-check';
import { decodeOptions, encodeOptions, optionsLength, type NdOption } from '../../../src/core/wire/ndisc/option-list.js';
import { OPTION_KINDS, badDnsslOrRdnss, bytes, ndOptions } from '../../helpers/arbitraries.js';
import { assertBytes, assertSame, check, decodesOrRejects } from './check.js';

const FILE = 'test/property/wire/roundtrip-options.test.ts';

function encodeArea(options: readonly NdOption[], prefix = 0): Uint8Array {
  const b = new Uint8Array(prefix + optionsLength(options));
  const end = encodeOptions(options, b, prefix);
  if (end !== b.length) throw new Error(`encodeOptions ended at ${end}, not ${b.length}`);
  return b;
}

describe('ND options round trip', () => {
  for (const [kind, arbitrary] of Object.entries(OPTION_KINDS)) {
    it(`${kind}: encode -> decode gives the value, decode -> encode the bytes`, () => {
      check(FILE, [arbitrary as fc.Arbitrary<NdOption>, fc.integer({ min: 0, max: 40 })], (opt, at) => {
        const b = encodeArea([opt], at);
        if (b.length % 8 !== at % 8 && (b.length - at) % 8 !== 0) throw new Error(`option of ${b.length - at} bytes`);
        const decoded = decodeOptions(b, at);
        assertSame(decoded, [opt]);
        assertBytes(encodeArea(decoded, at).subarray(at), b.subarray(at));
      });
    });
  }

  it('option areas mixing every kind', () => {
    check(FILE, [ndOptions], (options) => {
      const b = encodeArea(options);
      const decoded = decodeOptions(b, 0);
      assertSame(decoded, options);
      assertBytes(encodeArea(decoded), b);
    });
  });

  it('a malformed option keeps its bytes, and re-encodes unchanged, between good ones', () => {
    check(FILE, [ndOptions, badDnsslOrRdnss, ndOptions], (before, bad, after) => {
      const b = encodeArea([...before, { kind: 'malformed', bytes: bad.bytes } as unknown as NdOption, ...after]);
      const decoded = decodeOptions(b, 0);
      const got = decoded[before.length];
      if (got.kind !== 'malformed' || got.cause !== 'contents') throw new Error(`${bad.name}: decoded as ${got.kind}`);
      assertBytes(got.bytes, bad.bytes, bad.name);
      assertSame(decoded.slice(before.length + 1), after);
      assertBytes(encodeArea(decoded), b);
    });
  });

  it('any option area decodes without throwing, and re-encodes to its bytes', () => {
    check(FILE, [bytes(0, 96)], (area) => {
      const decoded = decodesOrRejects(area, (b) => decodeOptions(b, 0));
      if (decoded === undefined) throw new Error('decodeOptions threw: it never should');
      assertBytes(encodeArea(decoded), area);
    });
  });
});
