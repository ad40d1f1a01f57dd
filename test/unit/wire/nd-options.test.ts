/**
 * Every ND option kind from hand-written bytes, and the malformed ones: a known option with a bad
 * body becomes `malformed` (cause 'contents') with the field and absolute offset of the problem,
 * and the walk goes on; a zero length or an overrun ends the walk.
 */
import { describe, expect, it } from 'vitest';
import { decodeOptions, encodeOptions, optionType, optionsLength, ND_OPTION_TYPE, type NdOption, type NdOptionInput } from '../../../src/core/wire/ndisc/option-list.js';
import * as rs from '../../../src/core/wire/ndisc/router-solicit.js';
import { hex, toHexString } from './hex.js';

/** An RS (8 fixed bytes) carrying `options`: option offsets below count from the RS's first byte. */
function rsWith(options: string): Uint8Array {
  return hex('85 00 0000 00000000 ' + options);
}

function decodeRs(options: string): NdOption[] {
  return rs.decode(rsWith(options)).options;
}

function reencode(options: NdOption[]): string {
  const b = new Uint8Array(optionsLength(options));
  encodeOptions(options, b, 0);
  return toHexString(b);
}

const MTU_1500 = '05 01 0000 000005dc';

describe('option vectors', () => {
  it('MTU', () => {
    const [o] = decodeRs(MTU_1500);
    expect(o).toEqual({ kind: 'mtu', reserved: 0, mtu: 1500 });
  });

  it('source and target link-layer addresses', () => {
    const [s, t] = decodeRs('01 01 525400123456  02 01 02005e000186');
    expect(s.kind).toBe('source-lla');
    expect(t.kind).toBe('target-lla');
    expect(String((s as { address: unknown }).address)).toBe('52:54:00:12:34:56');
    expect(String((t as { address: unknown }).address)).toBe('02:00:5e:00:01:86');
  });

  it('route information of each length (RFC 4191 2.3)', () => {
    const [def, p48, host] = decodeRs(`
      18 01 00 08 ffffffff                                   # ::/0, high, infinite
      18 02 30 18 00000258 20010db800010000                  # 2001:db8:1::/48, low, 600 s
      18 03 80 e7 00000e10 20010db8000000000000000000000001  # 2001:db8::1/128, medium, reserved bits 111/111
    `);
    expect(def).toMatchObject({ kind: 'route-info', prefixLength: 0, preference: 'high', lifetime: 0xffffffff, length: 1, reservedHigh: 0, reservedLow: 0 });
    expect(String((def as { prefix: unknown }).prefix)).toBe('::');
    expect(p48).toMatchObject({ kind: 'route-info', prefixLength: 48, preference: 'low', lifetime: 600, length: 2 });
    expect(String((p48 as { prefix: unknown }).prefix)).toBe('2001:db8:1::');
    expect(host).toMatchObject({ kind: 'route-info', prefixLength: 128, preference: 'medium', reservedHigh: 7, reservedLow: 7, lifetime: 3600, length: 3 });
    expect(String((host as { prefix: unknown }).prefix)).toBe('2001:db8::1');
  });

  it('nonce of 6 and 14 bytes', () => {
    const [a, b] = decodeRs('0e 01 010203040506  0e 02 0102030405060708090a0b0c0d0e');
    expect(toHexString((a as { nonce: Uint8Array }).nonce)).toBe('010203040506');
    expect(toHexString((b as { nonce: Uint8Array }).nonce)).toBe('0102030405060708090a0b0c0d0e');
  });

  it('captive portal (RFC 8910): NUL padding is not part of the URI', () => {
    const uri = 'https://portal.example/';
    const bytes = toHexString(new TextEncoder().encode(uri));
    const [o] = decodeRs(`25 04 ${bytes} 00000000000000`);
    expect(o).toEqual({ kind: 'captive-portal', uri, length: 4 });
  });

  it('captive portal: a leading byte-order mark is part of the URI and survives re-encoding', () => {
    const options = decodeRs('25 01 efbbbf 61 0000');
    expect(options).toEqual([{ kind: 'captive-portal', uri: '\ufeffa', length: 1 }]);
    expect(reencode(options)).toBe('2501efbbbf610000');
  });

  it('PREF64 (RFC 8781): scaled lifetime, PLC and the 96-bit prefix', () => {
    // 1800 s / 8 = 225 = 0b11100001, PLC 1 (/64): (225 << 3) | 1 = 0x0709.
    const [o] = decodeRs('26 02 0709 0064ff9b0000000000000000');
    expect(o).toMatchObject({ kind: 'pref64', scaledLifetime: 225, plc: 1 });
    expect(String((o as { prefix: unknown }).prefix)).toBe('64:ff9b::');
  });

  it('DNSSL with several names, padding, and labels that need escapes', () => {
    const [o] = decodeRs(`
      1f 04 0000 ffffffff
      03 6c6162 05 696e747261 00        # lab.intra
      03 612e62 00                      # one label "a.b"
      02 5c20 00                        # one label: backslash, space
      00000000                          # padding to 32 bytes
    `);
    expect(o).toEqual({ kind: 'dnssl', reserved: 0, lifetime: 0xffffffff, domains: ['lab.intra', 'a\\.b', '\\\\\\032'], length: 4 });
  });

  it('RDNSS with two servers', () => {
    const [o] = decodeRs(`
      19 05 0000 00000384
      20010db8000000000000000000000053
      20010db8000000000000000000000054
    `);
    expect(o).toMatchObject({ kind: 'rdnss', lifetime: 900 });
    expect((o as { servers: unknown[] }).servers.map(String)).toEqual(['2001:db8::53', '2001:db8::54']);
  });

  it('prefix information with R set and non-zero reserved fields', () => {
    const [o] = decodeRs('03 04 80 ff 00000e10 00000708 deadbeef 20010db8000000000000000000000001');
    expect(o).toMatchObject({ kind: 'prefix-info', prefixLength: 128, onLink: true, autonomous: true, routerAddress: true, reserved1: 0x1f, validLifetime: 3600, preferredLifetime: 1800, reserved2: 0xdeadbeef });
  });

  it('redirected header keeps its reserved bytes', () => {
    const [o] = decodeRs('04 02 010203040506 6000000000003a40');
    expect(o).toMatchObject({ kind: 'redirected-header', reserved: 0x010203040506 });
    expect(toHexString((o as { data: Uint8Array }).data)).toBe('6000000000003a40');
  });

  it('an unknown type is kept byte for byte', () => {
    const [o] = decodeRs('c8 01 aabbccddeeff');
    expect(o.kind).toBe('unknown');
    expect(o).toMatchObject({ type: 200 });
    expect(toHexString((o as { data: Uint8Array }).data)).toBe('aabbccddeeff');
  });

  it('every vector above re-encodes to its bytes', () => {
    const all = `
      ${MTU_1500} 01 01 525400123456 02 01 02005e000186
      18 01 00 08 ffffffff 18 02 30 18 00000258 20010db800010000
      0e 01 010203040506 26 02 0709 0064ff9b0000000000000000
      1f 03 0000 ffffffff 03 612e62 00 02 5c20 00 00000000000000
      19 03 0000 00000384 20010db8000000000000000000000053
      03 04 80 ff 00000e10 00000708 deadbeef 20010db8000000000000000000000001
      04 02 010203040506 6000000000003a40 c8 01 aabbccddeeff
    `;
    const options = decodeRs(all);
    expect(options.every((o) => o.kind !== 'malformed')).toBe(true);
    expect(reencode(options)).toBe(toHexString(hex(all)));
  });
});

interface MalformedCase {
  name: string;
  option: string;
  field: string;
  /** Offset of the problem from the start of the option. */
  at: number;
  what: RegExp;
}

// Each option sits after an MTU option (so it is options[1], starting at byte 16 of the RS) and
// before another MTU option that must still decode.
const CONTENTS: MalformedCase[] = [
  { name: 'SLLA of 16 bytes', option: '01 02 525400123456 0000000000000000', field: 'length', at: 1, what: /8 bytes, not 16/ },
  { name: 'prefix information of 24 bytes', option: '03 03 40c0 00000000 00000000 00000000 20010db800000000', field: 'length', at: 1, what: /32 bytes, not 24/ },
  { name: 'MTU of 16 bytes', option: '05 02 0000 000005dc 0000000000000000', field: 'length', at: 1, what: /8 bytes, not 16/ },
  { name: 'RDNSS of 1 unit (no address)', option: '19 01 0000 00000e10', field: 'length', at: 1, what: /RDNSS length 1/ },
  { name: 'RDNSS of 2 units (half an address)', option: '19 02 0000 00000e10 20010db800000000', field: 'length', at: 1, what: /RDNSS length 2/ },
  { name: 'RDNSS of 4 units (even)', option: '19 04 0000 00000e10 20010db8000000000000000000000053 20010db800000000', field: 'length', at: 1, what: /RDNSS length 4/ },
  { name: 'DNSSL of 1 unit (too short)', option: '1f 01 0000 00000e10', field: 'length', at: 1, what: /below the minimum of 2/ },
  { name: 'DNSSL label longer than 63', option: '1f 02 0000 00000e10 40 61626364656667', field: 'domains', at: 8, what: /label of 64 bytes exceeds 63/ },
  { name: 'DNSSL compression pointer', option: '1f 02 0000 00000e10 03 6c6162 c0 0c 0000', field: 'domains', at: 12, what: /compression pointer/ },
  { name: 'DNSSL name without its terminating zero', option: '1f 02 0000 00000e10 03 6c6162 03 6c6162', field: 'domains', at: 8, what: /without its terminating zero/ },
  { name: 'DNSSL label running past the option', option: '1f 02 0000 00000e10 03 6c6162 05 616263', field: 'domains', at: 12, what: /runs past the option/ },
  { name: 'DNSSL zero-length label (empty name) before another name', option: '1f 02 0000 00000e10 00 03 6c6162 00 0000', field: 'domains', at: 8, what: /zero-length label/ },
  { name: 'route information of 4 units', option: '18 04 40 00 00000e10 20010db800000000 0000000000000000 0000000000000000', field: 'length', at: 1, what: /1, 2 or 3, not 4/ },
  { name: 'route information prefix length 129', option: '18 03 81 00 00000e10 20010db8000000000000000000000000', field: 'prefixLength', at: 2, what: /129 exceeds 128/ },
  { name: 'route information too short for its prefix', option: '18 01 40 00 00000e10', field: 'length', at: 1, what: /cannot carry a \/64/ },
  { name: 'PREF64 of 8 bytes', option: '26 01 0709 0064ff9b', field: 'length', at: 1, what: /16 bytes, not 8/ },
  { name: 'captive portal that is not UTF-8', option: '25 01 68 ff fe 00 00 00', field: 'uri', at: 2, what: /not UTF-8/ },
  // "é" takes two bytes: the NUL is the option's byte 5, though it is the URI's second character.
  { name: 'captive portal with a NUL inside', option: '25 01 68 c3a9 00 78 00', field: 'uri', at: 5, what: /NUL byte/ },
];

describe('malformed option contents: reported, and the walk goes on', () => {
  for (const c of CONTENTS) {
    it(c.name, () => {
      const optionBytes = hex(c.option);
      expect(optionBytes.length % 8).toBe(0);
      const options = decodeRs(`${MTU_1500} ${c.option} ${MTU_1500}`);
      expect(options).toHaveLength(3);
      expect(options[0].kind).toBe('mtu');
      expect(options[2]).toEqual({ kind: 'mtu', reserved: 0, mtu: 1500 });
      const bad = options[1];
      if (bad.kind !== 'malformed') throw new Error(`expected malformed, got ${JSON.stringify(bad)}`);
      expect(bad.cause).toBe('contents');
      expect(bad.error.field).toBe(`options[1].${c.field}`);
      expect(bad.error.offset).toBe(16 + c.at);
      expect(bad.error.what).toMatch(c.what);
      expect(toHexString(bad.bytes)).toBe(toHexString(optionBytes));
      // A malformed option re-encodes unchanged.
      expect(reencode(options)).toBe(toHexString(hex(`${MTU_1500} ${c.option} ${MTU_1500}`)));
    });
  }

  it('a DNSSL name of more than 255 bytes', () => {
    const label63 = '3f' + '61'.repeat(63);
    // Four labels of 63 make 256 bytes with their length bytes, 257 with the final zero.
    const names = label63.repeat(4) + '00';
    const body = '1f 00 0000 00000e10 ' + names;
    const units = Math.ceil(hex(body).length / 8);
    const option = '1f' + units.toString(16).padStart(2, '0') + '0000 00000e10' + names + '00'.repeat(units * 8 - hex(body).length);
    const options = decodeRs(`${option} ${MTU_1500}`);
    const bad = options[0];
    if (bad.kind !== 'malformed') throw new Error('expected malformed');
    expect(bad.cause).toBe('contents');
    expect(bad.error.field).toBe('options[0].domains');
    expect(bad.error.offset).toBe(8 + 8); // where the name starts
    expect(bad.error.what).toMatch(/exceeds 255/);
    expect(options[1].kind).toBe('mtu');
  });

  it('a DNSSL name of exactly 255 bytes is fine', () => {
    // 3 labels of 63 + one of 61: 4 * 1 + 250 = 254 bytes, 255 with the final zero.
    const names = ('3f' + '61'.repeat(63)).repeat(3) + '3d' + '62'.repeat(61) + '00';
    const len = 8 + 255;
    const units = Math.ceil(len / 8);
    const option = '1f' + units.toString(16).padStart(2, '0') + '0000 00000e10' + names + '00'.repeat(units * 8 - len);
    const [o] = decodeRs(option);
    expect(o.kind).toBe('dnssl');
    const domain = (o as { domains: string[] }).domains[0];
    expect(domain.length).toBe(63 * 3 + 61 + 3);
  });
});

describe('option lengths that stop the walk', () => {
  it('a zero length ends the walk with the rest of the bytes kept', () => {
    const options = decodeRs(`${MTU_1500} 01 00 525400123456 ${MTU_1500}`);
    expect(options).toHaveLength(2);
    const bad = options[1];
    if (bad.kind !== 'malformed') throw new Error('expected malformed');
    expect(bad.cause).toBe('length-zero');
    expect(bad.error.field).toBe('options[1].length');
    expect(bad.error.offset).toBe(17);
    expect(bad.bytes).toHaveLength(16);
  });

  it('an option running past the end ends the walk', () => {
    const options = decodeRs(`${MTU_1500} 03 04 40c0 00000000`);
    const bad = options[1];
    if (bad.kind !== 'malformed') throw new Error('expected malformed');
    expect(bad.cause).toBe('overrun');
    expect(bad.error.field).toBe('options[1].length');
    expect(bad.error.offset).toBe(17);
    expect(bad.error.what).toMatch(/32 bytes runs past the end/);
  });

  it('a single byte where an option header should be', () => {
    const options = decodeRs(`${MTU_1500} 05`);
    const bad = options[1];
    if (bad.kind !== 'malformed') throw new Error('expected malformed');
    expect(bad.cause).toBe('overrun');
    expect(bad.error.field).toBe('options[1]');
    expect(bad.error.offset).toBe(16);
  });

  it('decodeOptions on a bare option area counts offsets from the buffer given', () => {
    const area = hex(`${MTU_1500} 19 02 0000 00000e10 20010db800000000`);
    const options = decodeOptions(area, 0);
    const bad = options[1];
    if (bad.kind !== 'malformed') throw new Error('expected malformed');
    expect(bad.error.offset).toBe(9);
  });
});

describe('DNSSL names from text', () => {
  const encodeDnssl = (domains: string[]): string => reencode([{ kind: 'dnssl', reserved: 0, lifetime: 1, domains, length: 0 }].map(({ length: _l, ...o }) => o as unknown as NdOption));

  it('a final dot (the root) changes nothing', () => {
    expect(encodeDnssl(['lab.intra.'])).toBe(encodeDnssl(['lab.intra']));
  });

  it('an escaped final dot belongs to the label, an escaped backslash before a final dot does not', () => {
    expect(encodeDnssl(['a\\.'])).toBe(toHexString(hex('1f 02 0000 00000001 02 612e 00 00000000')));
    expect(encodeDnssl(['a\\\\.'])).toBe(toHexString(hex('1f 02 0000 00000001 02 615c 00 00000000')));
  });

  it('\\DDD escapes give any byte', () => {
    expect(encodeDnssl(['\\000\\255'])).toBe(toHexString(hex('1f 02 0000 00000001 02 00ff 00 00000000')));
  });

  it('rejects empty names and labels, long labels, bad escapes, with the domain named', () => {
    const bad: [string, RegExp][] = [
      ['', /options\[0\]\.domains\[0\]: empty domain name/],
      ['.', /empty domain name/],
      ['a..b', /empty label in "a..b"/],
      ['x'.repeat(64), /label of 64 bytes exceeds 63/],
      ['a\\256', /escape \\256 exceeds 255/],
      ['a\\', /dangling backslash/],
      ['\u0101', /non-Latin-1 character/],
      ['\\\u0101', /non-Latin-1 character/],
    ];
    for (const [name, why] of bad) expect(() => encodeDnssl([name]), name).toThrowError(why);
  });
});

describe('the option registry', () => {
  // One sound option per kind; a kind added to ND_OPTION_TYPE without a sample here fails below.
  const samples: Record<string, NdOptionInput> = {
    'source-lla': { kind: 'source-lla', address: '02:00:00:00:00:01' },
    'target-lla': { kind: 'target-lla', address: '02:00:00:00:00:02' },
    'prefix-info': { kind: 'prefix-info', prefixLength: 64, onLink: true, autonomous: true, validLifetime: 600, preferredLifetime: 300, prefix: '2001:db8::' },
    'redirected-header': { kind: 'redirected-header', data: '0000000000000000' },
    mtu: { kind: 'mtu', mtu: 1500 },
    nonce: { kind: 'nonce', nonce: '010203040506' },
    'route-info': { kind: 'route-info', prefixLength: 48, preference: 'high', lifetime: 60, prefix: '2001:db8:1::' },
    rdnss: { kind: 'rdnss', lifetime: 60, servers: ['2001:db8::53'] },
    dnssl: { kind: 'dnssl', lifetime: 60, domains: ['lab.example'] },
    'captive-portal': { kind: 'captive-portal', uri: 'https://portal.example/' },
    pref64: { kind: 'pref64', scaledLifetime: 10, plc: 0, prefix: '64:ff9b::' },
  };

  it.each(Object.entries(ND_OPTION_TYPE))('%s is type %i: encoded with that type byte, decoded back to its kind', (kind, type) => {
    const sample = samples[kind];
    expect(sample, `a sample for ${kind}`).toBeDefined();
    const b = new Uint8Array(optionsLength([sample]));
    expect(encodeOptions([sample], b, 0)).toBe(b.length);
    expect(b[0]).toBe(type);
    const [o] = decodeOptions(b, 0);
    expect(o.kind).toBe(kind);
    expect(optionType(o)).toBe(type);
  });

  it('refuses a kind it does not know, naming the option', () => {
    expect(() => optionsLength([{ kind: 'mtu', mtu: 1280 }, { kind: 'toString' } as unknown as NdOptionInput])).toThrow('options[1].kind: unknown option kind "toString"');
  });
});
