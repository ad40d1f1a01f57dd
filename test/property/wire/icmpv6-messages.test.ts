/**
 * ICMPv6 messages (RS, RA, NS, NA, Redirect, echo, other types): encode -> decode gives the value
 * and decode -> encode the bytes; the same message mutated (bit flips, truncation, changed length
 * fields, options duplicated, reordered, removed, spliced in from other packets) decodes or throws
 * a DecodeError inside the input, and whatever decodes re-encodes to exactly its bytes.
 */
import { describe, it } from 'vitest';
import fc from 'fast-check';
import * as icmpv6 from '../../../src/core/wire/icmpv6.js';
import * as rs from '../../../src/core/wire/ndisc/router-solicit.js';
import * as ra from '../../../src/core/wire/ndisc/router-advert.js';
import * as ns from '../../../src/core/wire/ndisc/neighbor-solicit.js';
import * as na from '../../../src/core/wire/ndisc/neighbor-advert.js';
import * as redirect from '../../../src/core/wire/ndisc/redirect.js';
import * as echo from '../../../src/core/wire/icmpv6-echo.js';
import { encodeOptions, optionsLength, type NdOption } from '../../../src/core/wire/ndisc/option-list.js';
import type { Icmpv6Message } from '../../../src/core/wire/icmpv6.js';
import * as A from '../../helpers/arbitraries.js';
import { assertBytes, assertSame, check, decodesOrRejects } from './check.js';

const FILE = 'test/property/wire/icmpv6-messages.test.ts';

function encodeOption(o: NdOption): Uint8Array {
  const b = new Uint8Array(optionsLength([o]));
  encodeOptions([o], b, 0);
  return b;
}

/** The message's fixed part and each option's bytes, for edits at the option level. */
function pieces(m: Icmpv6Message): { fixed: Uint8Array; options: Uint8Array[] } {
  if (!('options' in m)) return { fixed: icmpv6.encode(m), options: [] };
  return { fixed: icmpv6.encode({ ...m, options: [] }), options: m.options.map(encodeOption) };
}

const KINDS: [string, fc.Arbitrary<Icmpv6Message>, (b: Uint8Array) => Icmpv6Message][] = [
  ['router solicitation', A.routerSolicit, rs.decode],
  ['router advertisement', A.routerAdvert, ra.decode],
  ['neighbor solicitation', A.neighborSolicit, ns.decode],
  ['neighbor advertisement', A.neighborAdvert, na.decode],
  ['redirect', A.redirect, redirect.decode],
  ['echo request/reply', A.echo, echo.decode],
  ['other ICMPv6 types', A.otherIcmpv6, icmpv6.decode],
];

const donors = A.ndOptions.map((os) => os.map(encodeOption));
const byteMutations = fc.array(A.mutation, { maxLength: 3 });

describe('ICMPv6 messages', () => {
  for (const [name, arbitrary, decodeKind] of KINDS) {
    it(`${name}: round trips both ways, and mutated copies decode or fail cleanly`, () => {
      check(FILE, [arbitrary, A.optionEdits, donors, byteMutations], (m, edits, donorOptions, muts) => {
        const b = icmpv6.encode(m);
        const decoded = decodeKind(b);
        assertSame(decoded, m);
        assertBytes(icmpv6.encode(decoded), b, 're-encoded');
        if (icmpv6.decode(b).kind !== m.kind) throw new Error(`icmpv6.decode dispatched type ${b[0]} elsewhere`);

        const { fixed, options } = pieces(m);
        const mutated = A.mutate(A.concat([fixed, ...A.editOptions(options, edits, donorOptions)]), muts);
        decodesOrRejects(mutated, decodeKind);
        const again = decodesOrRejects(mutated, icmpv6.decode);
        if (again !== undefined) assertBytes(icmpv6.encode(again), mutated, 're-encoded mutant');
      });
    });
  }

  it('arbitrary bytes decode or fail cleanly, and what decodes re-encodes to its bytes', () => {
    check(FILE, [fc.oneof(A.bytes(0, 80), A.bytes(0, 8).map((b) => Uint8Array.of(133 + (b[0] ?? 0) % 5, ...b.subarray(1)))), A.bytes(0, 64)], (head, tail) => {
      const input = A.concat([head, tail]);
      const decoded = decodesOrRejects(input, icmpv6.decode);
      if (decoded !== undefined) assertBytes(icmpv6.encode(decoded), input, 're-encoded');
    });
  });
});
