/**
 * DNSSL and RDNSS edge cases (zero-length label, label over 63, name over 255 bytes, missing
 * terminator, compression pointer, label past the option, option too short, even RDNSS length),
 * each placed among good options in an RA: the bad one becomes `malformed` with cause 'contents',
 * the right field and the right offset in the message, and every option after it still decodes.
 */
import { describe, it } from 'vitest';
import * as ra from '../../../src/core/wire/ndisc/router-advert.js';
import * as icmpv6 from '../../../src/core/wire/icmpv6.js';
import { validate, strictOptionProblems } from '../../../src/core/wire/ndisc/validate.js';
import { Ipv6Address } from '../../../src/core/wire/ipv6-address.js';
import type { NdOption } from '../../../src/core/wire/ndisc/option-list.js';
import * as A from '../../helpers/arbitraries.js';
import { assertBytes, assertSame, check } from './check.js';

const FILE = 'test/property/wire/dns-options.test.ts';

describe('DNSSL and RDNSS edge cases', () => {
  it('become malformed options with field and offset, and the walk goes on', () => {
    check(FILE, [A.routerAdvert, A.ndOptions, A.badDnsslOrRdnss, A.ndOptions], (m, before, bad, after) => {
      const options = [...before, { kind: 'malformed', bytes: bad.bytes } as unknown as NdOption, ...after];
      const b = icmpv6.encode({ ...m, options });
      const decoded = ra.decode(b);
      const i = before.length;
      const start = 16 + optionBytes(before); // where the bad option begins in the message
      const got = decoded.options[i];
      if (got.kind !== 'malformed') throw new Error(`${bad.name}: decoded as ${got.kind}`);
      if (got.cause !== 'contents') throw new Error(`${bad.name}: cause ${got.cause}`);
      if (got.error.field !== `options[${i}].${bad.field}`) throw new Error(`${bad.name}: field ${got.error.field}, expected options[${i}].${bad.field}`);
      if (got.error.offset !== start + bad.at) throw new Error(`${bad.name}: offset ${got.error.offset}, expected ${start + bad.at} (${got.error.message})`);
      assertBytes(got.bytes, bad.bytes, bad.name);
      assertSame(decoded.options.slice(0, i), before);
      assertSame(decoded.options.slice(i + 1), after);
      // RFC 4861 does not drop the message for it; the strict rules report it.
      const ctx = { src: new Ipv6Address(0xfe80_0000, 0, 0, 1), dst: Ipv6Address.ALL_NODES, hopLimit: 255 };
      if (validate({ ...decoded, code: 0 }, ctx).some((p) => p.reason === 'malformed-option')) throw new Error('validate reports a contents problem');
      if (!strictOptionProblems(decoded.options).some((p) => p.reason === 'malformed-option')) throw new Error('strict rules miss it');
    });
  });
});

function optionBytes(options: readonly NdOption[]): number {
  return options.length === 0 ? 0 : icmpv6.encodingLength({ kind: 'router-solicit', options: [...options] }) - 8;
}
