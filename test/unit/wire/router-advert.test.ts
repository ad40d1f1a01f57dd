/**
 * A Router Advertisement written out field by field (104 bytes: prefix 2001:db8:dead:beef::/64,
 * RDNSS, DNSSL "lab.intra", SLLA). Its checksum was computed by a separate RFC 1071 script and
 * confirmed by tshark ("Checksum Status: Good"), not by linklab's encoder.
 */
import { describe, expect, it } from 'vitest';
import * as ra from '../../../src/core/wire/ndisc/router-advert.js';
import * as icmpv6 from '../../../src/core/wire/icmpv6.js';
import { Ipv6Address } from '../../../src/core/wire/ipv6-address.js';
import { hex, toHexString } from './hex.js';

const SRC = Ipv6Address.parse('fe80::200:5eff:fe00:186');
const DST = Ipv6Address.parse('ff02::1');

const RA = hex(`
  86                                   # type 134
  00                                   # code
  b638                                 # checksum
  40                                   # cur hop limit 64
  c8                                   # M=1 O=1 H=0 Prf=01 (high) P=0 reserved=00
  0708                                 # router lifetime 1800 s
  00007530                             # reachable time 30000 ms
  000003e8                             # retrans timer 1000 ms
  # Prefix Information (type 3, 4 units)
  03 04 40 c0                          # prefix length 64, L=1 A=1 R=0
  00278d00                             # valid lifetime 2592000 s
  00093a80                             # preferred lifetime 604800 s
  00000000                             # reserved2
  20010db8deadbeef0000000000000000     # prefix 2001:db8:dead:beef::
  # RDNSS (type 25, 3 units)
  19 03 0000 00000e10                  # lifetime 3600 s
  20010db8deadbeef0000000000000053     # 2001:db8:dead:beef::53
  # DNSSL (type 31, 3 units)
  1f 03 0000 00000e10                  # lifetime 3600 s
  03 6c6162 05 696e747261 00           # lab.intra
  0000000000                           # padding
  # Source Link-Layer Address (type 1, 1 unit)
  01 01 02005e000186
`);

describe('Router Advertisement vector', () => {
  it('is the 104-byte message the comments describe', () => {
    expect(RA.length).toBe(104);
  });

  it('decodes every fixed field', () => {
    const m = ra.decode(RA);
    expect(m.kind).toBe('router-advert');
    expect(m.code).toBe(0);
    expect(m.checksum).toBe(0xb638);
    expect(m.curHopLimit).toBe(64);
    expect(m.managed).toBe(true);
    expect(m.other).toBe(true);
    expect(m.homeAgent).toBe(false);
    expect(m.preference).toBe('high');
    expect(m.proxy).toBe(false);
    expect(m.reservedFlags).toBe(0);
    expect(m.routerLifetime).toBe(1800);
    expect(m.reachableTime).toBe(30000);
    expect(m.retransTimer).toBe(1000);
    expect(m.options.map((o) => o.kind)).toEqual(['prefix-info', 'rdnss', 'dnssl', 'source-lla']);
  });

  it('decodes every option field', () => {
    const [pio, rdnss, dnssl, slla] = ra.decode(RA).options;
    if (pio.kind !== 'prefix-info' || rdnss.kind !== 'rdnss' || dnssl.kind !== 'dnssl' || slla.kind !== 'source-lla') {
      throw new Error('option kinds differ');
    }
    expect(pio.prefixLength).toBe(64);
    expect(pio.onLink).toBe(true);
    expect(pio.autonomous).toBe(true);
    expect(pio.routerAddress).toBe(false);
    expect(pio.reserved1).toBe(0);
    expect(pio.validLifetime).toBe(2_592_000);
    expect(pio.preferredLifetime).toBe(604_800);
    expect(pio.reserved2).toBe(0);
    expect(pio.prefix.toString()).toBe('2001:db8:dead:beef::');

    expect(rdnss.reserved).toBe(0);
    expect(rdnss.lifetime).toBe(3600);
    expect(rdnss.servers.map(String)).toEqual(['2001:db8:dead:beef::53']);

    expect(dnssl.reserved).toBe(0);
    expect(dnssl.lifetime).toBe(3600);
    expect(dnssl.domains).toEqual(['lab.intra']);
    expect(dnssl.length).toBe(3);

    expect(slla.address.toString()).toBe('02:00:5e:00:01:86');
  });

  it('dispatches through icmpv6.decode and verifies the checksum over the pseudo-header', () => {
    expect(icmpv6.decode(RA).kind).toBe('router-advert');
    expect(icmpv6.checksumOk(RA, SRC, DST)).toBe(true);
    expect(icmpv6.checksumOk(RA, SRC, Ipv6Address.parse('ff02::2'))).toBe(false);
  });

  it('re-encodes the decoded value to the same bytes', () => {
    expect(toHexString(ra.encode(ra.decode(RA)))).toBe(toHexString(RA));
  });

  it('encodes the same bytes from a plain JSON description, checksum computed', () => {
    const fromJson = icmpv6.encode(
      {
        kind: 'router-advert',
        curHopLimit: 64,
        managed: true,
        other: true,
        preference: 'high',
        routerLifetime: 1800,
        reachableTime: 30000,
        retransTimer: 1000,
        options: [
          { kind: 'prefix-info', prefixLength: 64, onLink: true, autonomous: true, validLifetime: 2592000, preferredLifetime: 604800, prefix: '2001:db8:dead:beef::' },
          { kind: 'rdnss', lifetime: 3600, servers: ['2001:db8:dead:beef::53'] },
          { kind: 'dnssl', lifetime: 3600, domains: ['lab.intra'] },
          { kind: 'source-lla', address: '02:00:5e:00:01:86' },
        ],
      },
      { src: SRC, dst: DST },
    );
    expect(toHexString(fromJson)).toBe(toHexString(RA));
  });

  it('reads each preference value and the H and P flags', () => {
    const cases: [number, ra.RouterAdvert['preference']][] = [
      [0x00, 'medium'],
      [0x08, 'high'],
      [0x10, 'reserved'],
      [0x18, 'low'],
    ];
    for (const [bits, pref] of cases) {
      const b = RA.slice(0, 16);
      b[5] = bits | 0x20 | 0x04 | 0x01;
      const m = ra.decode(b);
      expect(m.preference).toBe(pref);
      expect(m.homeAgent).toBe(true);
      expect(m.proxy).toBe(true);
      expect(m.reservedFlags).toBe(1);
      expect(m.managed).toBe(false);
      expect(toHexString(ra.encode(m))).toBe(toHexString(b));
    }
  });

  it('rejects a message shorter than the fixed part, naming the header and byte 0', () => {
    expect(() => ra.decode(RA.subarray(0, 15))).toThrowError(/^header: router advertisement needs 16 bytes, 15 present at byte 0$/);
  });
});
