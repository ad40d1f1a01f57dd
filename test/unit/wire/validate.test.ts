/**
 * ND receive validation: each RFC 4861 reason (6.1.1, 6.1.2, 7.1.1, 7.1.2, 8.1) and each of
 * sd-ndisc's stricter option checks, triggered by the smallest example that shows it, next to a
 * valid message that triggers nothing.
 */
import { describe, expect, it } from 'vitest';
import * as icmpv6 from '../../../src/core/wire/icmpv6.js';
import { checkRa, optionFault, RFC4861_RA, validate, strictOptionProblems, type ReceiveContext } from '../../../src/core/wire/ndisc/validate.js';
import { RA_POLICY as RTSOLD } from '../../../src/core/rtsold/ra-policy.js';
import { RA_POLICY as ISATAPD } from '../../../src/core/isatapd/ra-policy.js';
import type { NdMessage } from '../../../src/core/wire/icmpv6.js';
import { Ipv6Address } from '../../../src/core/wire/ipv6-address.js';
import { hex } from './hex.js';

const ROUTER = Ipv6Address.parse('fe80::1');
const HOST = Ipv6Address.parse('fe80::2');
const GLOBAL = Ipv6Address.parse('2001:db8::1');

/** Decodes `bytes` as an ND message (the way a daemon gets one). */
function nd(bytes: Uint8Array): NdMessage {
  const m = icmpv6.decode(bytes);
  if (!('options' in m)) throw new Error('not ND');
  return m;
}

function ctx(src: Ipv6Address, dst: Ipv6Address, hopLimit = 255, checksumOk?: boolean): ReceiveContext {
  return { src, dst, hopLimit, checksumOk };
}

function reasons(m: NdMessage, c: ReceiveContext): string[] {
  return validate(m, c).map((p) => p.reason);
}

/** The reasons sd-ndisc's rules give for an RA carrying `options`. */
function strict(options: string): string[] {
  return strictOptionProblems(nd(hex('86 00 0000 40 00 0708 00000000 00000000' + options)).options).map((p) => p.reason);
}

const RA = hex('86 00 0000 40 00 0708 00000000 00000000');
const RS_SLLA = hex('85 00 0000 00000000 0101 525400123456');
const NS = hex('87 00 0000 00000000 20010db8000000000000000000000001');
const NA = hex('88 00 0000 60000000 20010db8000000000000000000000001');
const REDIRECT = hex('89 00 0000 00000000 fe800000000000000000000000000009 20010db8000100000000000000000099');

describe('RFC 4861 receive checks', () => {
  it('valid messages have no problems', () => {
    expect(reasons(nd(RA), ctx(ROUTER, Ipv6Address.ALL_NODES))).toEqual([]);
    expect(reasons(nd(RS_SLLA), ctx(HOST, Ipv6Address.ALL_ROUTERS, 255, true))).toEqual([]);
    expect(reasons(nd(NS), ctx(HOST, Ipv6Address.parse('ff02::1:ff00:1')))).toEqual([]);
    expect(reasons(nd(NS), ctx(Ipv6Address.UNSPECIFIED, Ipv6Address.parse('ff02::1:ff00:1')))).toEqual([]);
    expect(reasons(nd(NA), ctx(ROUTER, HOST))).toEqual([]);
    expect(reasons(nd(REDIRECT), ctx(ROUTER, GLOBAL))).toEqual([]);
  });

  it('hop-limit: anything but 255 may have crossed a router', () => {
    const p = validate(nd(RA), ctx(ROUTER, Ipv6Address.ALL_NODES, 254));
    expect(p).toEqual([{ reason: 'hop-limit', detail: 'hop limit 254, must be 255' }]);
  });

  it('checksum: reported when the receiver says it failed', () => {
    expect(reasons(nd(RA), ctx(ROUTER, Ipv6Address.ALL_NODES, 255, false))).toEqual(['checksum']);
  });

  it('code: must be 0', () => {
    const b = NA.slice();
    b[1] = 1;
    expect(validate(nd(b), ctx(ROUTER, HOST))).toEqual([{ reason: 'code', detail: 'code 1, must be 0' }]);
  });

  it('source-not-link-local: RA and Redirect must come from a link-local address', () => {
    expect(reasons(nd(RA), ctx(GLOBAL, Ipv6Address.ALL_NODES))).toEqual(['source-not-link-local']);
    expect(reasons(nd(REDIRECT), ctx(GLOBAL, HOST))).toEqual(['source-not-link-local']);
  });

  it('option-length-zero and option-overrun', () => {
    const zero = hex('86 00 0000 40 00 0708 00000000 00000000 0100 525400123456');
    const p = validate(nd(zero), ctx(ROUTER, Ipv6Address.ALL_NODES));
    expect(p).toEqual([{ reason: 'option-length-zero', detail: 'options[0].length: option length 0' }]);
    const over = hex('86 00 0000 40 00 0708 00000000 00000000 0102 525400123456');
    expect(reasons(nd(over), ctx(ROUTER, Ipv6Address.ALL_NODES))).toEqual(['option-overrun']);
  });

  it('a malformed option body is not an RFC 4861 reason (the option is ignored), only a strict one', () => {
    const badMtu = hex('86 00 0000 40 00 0708 00000000 00000000 0502 0000 000005dc 0000000000000000');
    expect(reasons(nd(badMtu), ctx(ROUTER, Ipv6Address.ALL_NODES))).toEqual([]);
    expect(strictOptionProblems(nd(badMtu).options).map((p) => p.reason)).toEqual(['malformed-option']);
  });

  it('source-lla-from-unspecified: an RS or NS from :: must not carry an SLLA', () => {
    expect(reasons(nd(RS_SLLA), ctx(Ipv6Address.UNSPECIFIED, Ipv6Address.ALL_ROUTERS))).toEqual(['source-lla-from-unspecified']);
    const dadWithSlla = hex('87 00 0000 00000000 20010db8000000000000000000000001 0101 525400123456');
    expect(reasons(nd(dadWithSlla), ctx(Ipv6Address.UNSPECIFIED, Ipv6Address.parse('ff02::1:ff00:1')))).toEqual(['source-lla-from-unspecified']);
  });

  it('target-multicast: NS and NA targets are unicast', () => {
    const nsMc = NS.slice();
    nsMc[8] = 0xff;
    expect(reasons(nd(nsMc), ctx(HOST, GLOBAL))).toEqual(['target-multicast']);
    const naMc = NA.slice();
    naMc[8] = 0xff;
    naMc[4] = 0x20; // not solicited, so only the target is wrong
    expect(reasons(nd(naMc), ctx(ROUTER, Ipv6Address.ALL_NODES))).toEqual(['target-multicast']);
  });

  it('destination-not-solicited-node: a DAD probe goes to the target\'s solicited-node group', () => {
    const p = validate(nd(NS), ctx(Ipv6Address.UNSPECIFIED, Ipv6Address.ALL_NODES));
    expect(p).toEqual([{ reason: 'destination-not-solicited-node', detail: 'DAD probe sent to ff02::1, not ff02::1:ff00:1' }]);
  });

  it('solicited-to-multicast: a multicast NA must not have S set', () => {
    expect(reasons(nd(NA), ctx(ROUTER, Ipv6Address.ALL_NODES))).toEqual(['solicited-to-multicast']);
  });

  it('destination-multicast: a Redirect destination is unicast', () => {
    const b = REDIRECT.slice();
    b.set(hex('ff0e0000000000000000000000000001'), 24);
    expect(reasons(nd(b), ctx(ROUTER, HOST))).toEqual(['destination-multicast']);
  });

  it('redirect-target: a Redirect target is link-local or the destination itself', () => {
    const global = REDIRECT.slice();
    global.set(hex('20010db8000000000000000000000009'), 8);
    expect(reasons(nd(global), ctx(ROUTER, HOST))).toEqual(['redirect-target']);
    const onLink = REDIRECT.slice();
    onLink.set(REDIRECT.subarray(24, 40), 8); // target = destination: it is on-link
    expect(reasons(nd(onLink), ctx(ROUTER, HOST))).toEqual([]);
  });

  it('reports every reason at once, so daemons can count each', () => {
    const b = REDIRECT.slice();
    b[1] = 9;
    b.set(hex('20010db8000000000000000000000009'), 8);
    b.set(hex('ff0e0000000000000000000000000001'), 24);
    expect(reasons(nd(b), ctx(GLOBAL, HOST, 64, false))).toEqual(['hop-limit', 'checksum', 'code', 'source-not-link-local', 'destination-multicast', 'redirect-target']);
  });
});

describe('sd-ndisc\'s stricter option checks', () => {

  it('well-formed options pass', () => {
    expect(strict('0304 40c0 00000e10 00000708 00000000 20010db8000000000000000000000000 0501 0000 00000500 2602 0709 0064ff9b0000000000000000')).toEqual([]);
  });

  it('malformed-option: a body that does not decode (prefix information of 24 bytes)', () => {
    const p = strictOptionProblems(nd(hex('86 00 0000 40 00 0708 00000000 00000000 0303 40c0 00000000 00000000 00000000 20010db800000000')).options);
    expect(p).toEqual([{ reason: 'malformed-option', detail: 'options[0].length: prefix information is 32 bytes, not 24' }]);
  });

  it('prefix-length: more than 128', () => {
    expect(strict('0304 81c0 00000e10 00000708 00000000 20010db8000000000000000000000000')).toEqual(['prefix-length']);
  });

  it('lifetimes: preferred longer than valid', () => {
    expect(strict('0304 40c0 00000708 00000e10 00000000 20010db8000000000000000000000000')).toEqual(['lifetimes']);
  });

  it('mtu-too-small: below the IPv6 minimum of 1280', () => {
    expect(strict('0501 0000 000004ff')).toEqual(['mtu-too-small']);
    expect(strict('0501 0000 00000500')).toEqual([]);
  });

  it('pref64-plc: prefix length codes 6 and 7 are not assigned', () => {
    expect(strict('2602 0706 0064ff9b0000000000000000')).toEqual(['pref64-plc']);
    expect(strict('2602 0705 0064ff9b0000000000000000')).toEqual([]);
  });

  it('DNSSL, RDNSS and route information lengths that sd-ndisc refuses are malformed options', () => {
    expect(strict('1f01 0000 00000e10')).toEqual(['malformed-option']); // DNSSL < 16 bytes
    expect(strict('1904 0000 00000e10 20010db8000000000000000000000053 20010db800000000')).toEqual(['malformed-option']); // RDNSS not 8 mod 16
    expect(strict('1804 4000 00000e10 20010db800000000 0000000000000000 0000000000000000')).toEqual(['malformed-option']); // route info > 24 bytes
  });
});

describe('sd-ndisc option limits', () => {
  it('duplicate-option: a second link-layer address or MTU; RDNSS and prefixes may repeat', () => {
    expect(strict('0101 525400123456 0501 0000 00000500 0101 525400abcdef 0501 0000 000005dc')).toEqual(['duplicate-option', 'duplicate-option']);
    expect(strict('1903 0000 00000e10 20010db8000000000000000000000053 1903 0000 00000e10 20010db8000000000000000000000054')).toEqual([]);
  });

  it('too-many-options: each option after the 128th', () => {
    expect(strict('0e01 010203040506'.repeat(128))).toEqual([]);
    expect(strict('0e01 010203040506'.repeat(130))).toEqual(['too-many-options', 'too-many-options']);
  });
});

/** An RA as a socket delivers it. */
function received(bytes: Uint8Array, over: Partial<{ src: Ipv6Address; hopLimit: number }> = {}): { message: Uint8Array; src: Ipv6Address; dst: Ipv6Address; hopLimit: number } {
  return { message: bytes, src: over.src ?? ROUTER, dst: Ipv6Address.ALL_NODES, hopLimit: over.hopLimit ?? 255 };
}

describe('checkRa: the one RA acceptance path', () => {
  const firstOf = (v: ReturnType<typeof checkRa>): string | undefined => (v.ok ? undefined : v.problems[0].reason);
  const badEverything = (): Uint8Array => hex('86 07 0000 40 00 0708 00000000 00000000');

  it('a daemon sees the first failing check in its own order (rtsold: code before hop limit; isatapd: hop limit first)', () => {
    const rx = received(badEverything(), { hopLimit: 64, src: GLOBAL });
    expect(firstOf(checkRa(rx, RTSOLD))).toBe('code');
    expect(firstOf(checkRa(rx, ISATAPD))).toBe('hop-limit');
    expect(firstOf(checkRa(received(RA), RTSOLD, { onInterface: false }))).toBe('unexpected-interface');
    expect(firstOf(checkRa(received(RA), ISATAPD, { fromKnownRouter: false }))).toBe('unsolicited');
    expect(firstOf(checkRa(received(RA.subarray(0, 12)), RTSOLD))).toBe('too-short');
    expect(firstOf(checkRa(received(hex('85 00 0000 00000000 00000000 00000000')), RTSOLD))).toBe('not-ra');
  });

  it('the kernel model sees every failing check, the same list as validate', () => {
    const b = hex('86 07 0000 40 00 0708 00000000 00000000 0100 000000000000');
    const v = checkRa(received(b, { hopLimit: 64, src: GLOBAL }), RFC4861_RA, { checksumOk: false });
    expect(v.ok ? [] : v.problems.map((p) => p.reason)).toEqual(['hop-limit', 'checksum', 'code', 'option-length-zero', 'source-not-link-local']);
    expect(v.ok ? [] : v.problems).toEqual(validate(nd(b), ctx(GLOBAL, Ipv6Address.ALL_NODES, 64, false)));
  });

  it('strict options drop the RA (isatapd: a broken prefix); other bad bodies do not', () => {
    const badPrefix = hex('86 00 0000 40 00 0708 00000000 00000000 0303 40c0 00000000 00000000 00000000 20010db800000000');
    const badRdnss = hex('86 00 0000 40 00 0708 00000000 00000000 1902 0000 00000e10 20010db800000000');
    expect(firstOf(checkRa(received(badPrefix), ISATAPD))).toBe('malformed-option');
    expect(checkRa(received(badRdnss), ISATAPD).ok).toBe(true);
    expect(checkRa(received(badPrefix), RTSOLD).ok).toBe(true);
  });

  it('an accepted RA comes without the options the limits leave out, and says which they were', () => {
    const b = hex('86 00 0000 40 00 0708 00000000 00000000 0501 0000 00000500 0101 525400123456 0501 0000 000005dc');
    const v = checkRa(received(b), RTSOLD);
    if (!v.ok) throw new Error('dropped');
    expect(v.ra.options.map((o) => (o.kind === 'mtu' ? `mtu ${o.mtu}` : o.kind))).toEqual(['mtu 1280', 'source-lla']);
    expect(v.ignored).toEqual([{ index: 2, type: 5, reason: 'duplicate-option' }]);
  });

  it('optionFault tells a length that does not fit the kind from a bad body', () => {
    const faults = (options: string): string[] => nd(hex('86 00 0000 40 00 0708 00000000 00000000' + options)).options.map((o) => (o.kind === 'malformed' ? optionFault(o) : o.kind));
    expect(faults('1f01 0000 00000e10')).toEqual(['length']); // DNSSL of one unit
    expect(faults('1f02 0000 00000e10 c000000000000000')).toEqual(['contents']); // a compression pointer
    expect(faults('1902 0000 00000e10 20010db800000000')).toEqual(['length']); // RDNSS of even length
    expect(faults('1f00 0000 00000e10')).toEqual(['length-zero']);
    expect(faults('1f09 0000 00000e10')).toEqual(['overrun']);
  });
});
