/** ISATAP identifiers (RFC 5214 6.1) and isatapd's rule for which router addresses to solicit. */
import { describe, expect, it } from 'vitest';
import { embeddedIpv4, isatapAddress, isPrivateIpv4, routerLinkLocals } from '../../../src/core/wire/isatap.js';
import { Ipv4Address } from '../../../src/core/wire/ipv4-address.js';
import { Ipv6Address } from '../../../src/core/wire/ipv6-address.js';

const v4 = (s: string): Ipv4Address => Ipv4Address.parse(s);
const v6 = (s: string): Ipv6Address => Ipv6Address.parse(s);

describe('ISATAP identifiers', () => {
  it('forms ::0:5efe:V and ::200:5efe:V under a prefix', () => {
    const prefix = v6('2001:db8:1:2::');
    expect(isatapAddress(prefix, v4('192.0.2.1')).toString()).toBe('2001:db8:1:2:0:5efe:c000:201');
    expect(isatapAddress(prefix, v4('203.0.113.1'), true).toString()).toBe('2001:db8:1:2:200:5efe:cb00:7101');
    // The same bits, written with the embedded dotted quad.
    expect(isatapAddress(prefix, v4('192.0.2.1')).equals(v6('2001:db8:1:2:0:5efe:192.0.2.1'))).toBe(true);
  });

  it('a private router address gets only fe80::5efe:V (isatapd: 192.0.2.0/24 is not global)', () => {
    expect(isPrivateIpv4(v4('192.0.2.1'))).toBe(true);
    expect(routerLinkLocals(v4('192.0.2.1')).map(String)).toEqual(['fe80::5efe:c000:201']);
  });

  it('a global router address gets fe80::200:5efe:V as well', () => {
    expect(isPrivateIpv4(v4('203.0.113.1'))).toBe(false);
    expect(routerLinkLocals(v4('203.0.113.1')).map(String)).toEqual(['fe80::5efe:cb00:7101', 'fe80::200:5efe:cb00:7101']);
    expect(isPrivateIpv4(v4('198.51.100.7'))).toBe(false);
  });

  it('treats RFC 1918, loopback, link-local and benchmark ranges as private, right up to their edges', () => {
    for (const a of ['10.0.0.1', '10.255.255.255', '172.16.0.1', '172.31.255.255', '192.168.1.1', '127.0.0.1', '169.254.10.20', '198.18.0.1', '198.19.255.255', '0.1.2.3']) {
      expect(isPrivateIpv4(v4(a)), a).toBe(true);
    }
    for (const a of ['172.15.255.255', '172.32.0.0', '198.17.255.255', '198.20.0.0', '11.0.0.1', '192.0.3.1', '192.169.0.1']) {
      expect(isPrivateIpv4(v4(a)), a).toBe(false);
    }
  });

  it('finds the IPv4 address inside either identifier, and nothing in other addresses', () => {
    expect(embeddedIpv4(v6('fe80::5efe:c000:201'))?.toString()).toBe('192.0.2.1');
    expect(embeddedIpv4(v6('2001:db8::200:5efe:cb00:7101'))?.toString()).toBe('203.0.113.1');
    expect(embeddedIpv4(v6('fe80::5054:ff:fe12:3456'))).toBeNull();
    expect(embeddedIpv4(v6('fe80::100:5efe:c000:201'))).toBeNull();
  });
});
