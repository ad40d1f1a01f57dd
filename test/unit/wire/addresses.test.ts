/** Address text forms: RFC 5952 output, RFC 4291 input (:: forms, embedded IPv4), bad input refused. */
import { describe, expect, it } from 'vitest';
import { Ipv6Address } from '../../../src/core/wire/ipv6-address.js';
import { Ipv4Address } from '../../../src/core/wire/ipv4-address.js';
import { MacAddress } from '../../../src/core/wire/mac-address.js';
import { EncodeError } from '../../../src/core/wire/errors.js';
import { hex, toHexString } from './hex.js';

describe('IPv6 text (RFC 5952)', () => {
  const cases: [string, string][] = [
    // bytes, canonical text
    ['20010db8000000000000000000000001', '2001:db8::1'], // 4.2.1: shorten as much as possible
    ['20010db8000000010001000100010001', '2001:db8:0:1:1:1:1:1'], // 4.2.2: no :: for one group
    ['20010db8000000000001000000000001', '2001:db8::1:0:0:1'], // 4.2.3: leftmost of equal runs
    ['20010db8000000000000000100000000', '2001:db8::1:0:0'], // longest run wins over a later one
    ['20010db8000100000000000000000000', '2001:db8:1::'],
    ['20010db8aaaabbbbccccddddeeeeffff', '2001:db8:aaaa:bbbb:cccc:dddd:eeee:ffff'], // 4.3: lower case
    ['00000000000000000000000000000000', '::'],
    ['00000000000000000000000000000001', '::1'],
    ['fe800000000000005054 00fffe123456', 'fe80::5054:ff:fe12:3456'], // 4.1: no leading zeros
    ['ff020000000000000000000000000001', 'ff02::1'],
    ['00000000000000000000ffffc0000201', '::ffff:192.0.2.1'], // 5: IPv4-mapped in mixed notation
    ['00010000000000000000000000000000', '1::'],
    ['00000000000000000000000000010000', '::1:0'],
  ];

  for (const [bytes, text] of cases) {
    it(`${text}`, () => {
      const a = Ipv6Address.fromBytes(hex(bytes));
      expect(a.toString()).toBe(text);
      expect(JSON.stringify(a)).toBe(JSON.stringify(text));
      expect(Ipv6Address.parse(text).equals(a)).toBe(true);
      expect(toHexString(a.toBytes())).toBe(toHexString(hex(bytes)));
    });
  }
});

describe('IPv6 parsing (RFC 4291 2.2)', () => {
  it('accepts full, compressed, upper-case and embedded-IPv4 forms', () => {
    const same: [string, string][] = [
      ['2001:0DB8:0000:0000:0000:0000:0000:0001', '2001:db8::1'],
      ['2001:db8:0:0:0:0:0:1', '2001:db8::1'],
      ['2001:db8::0:1', '2001:db8::1'],
      ['::ffff:192.0.2.1', '::ffff:192.0.2.1'],
      ['fe80::5efe:192.0.2.1', 'fe80::5efe:c000:201'],
      ['64:ff9b::203.0.113.1', '64:ff9b::cb00:7101'],
      ['0:0:0:0:0:0:192.0.2.1', '::c000:201'],
      ['1:2:3:4:5:6:7::', '1:2:3:4:5:6:7:0'],
      ['::2:3:4:5:6:7:8', '0:2:3:4:5:6:7:8'],
    ];
    for (const [input, canonical] of same) expect(Ipv6Address.parse(input).toString(), input).toBe(canonical);
  });

  it('refuses what is not an address', () => {
    const bad = [
      '', ':', ':::', '1:::2', '1::2::3', '1:2:3:4:5:6:7:8:9', '1:2:3:4:5:6:7', '1::2:3:4:5:6:7:8',
      '12345::', 'g::1', ':1:2:3:4:5:6:7', '1:2:3:4:5:6:7:', '::ffff:192.0.2', '::ffff:192.0.2.256',
      '::ffff:192.0.02.1', '::192.0.2.1:1', '1:2:3:4:5:6:7:192.0.2.1', '192.0.2.1', 'fe80::1%eth0', ' ::1', '::1 ',
    ];
    for (const text of bad) expect(Ipv6Address.tryParse(text), JSON.stringify(text)).toBeNull();
    expect(() => Ipv6Address.parse('1::2::3')).toThrowError('invalid IPv6 address "1::2::3"');
    expect(() => Ipv6Address.from('2001:db8::g', 'prefix')).toThrowError(EncodeError);
    expect(() => Ipv6Address.from('2001:db8::g', 'prefix')).toThrowError('prefix: expected an IPv6 address, got "2001:db8::g"');
  });

  it('classifies and derives addresses', () => {
    const ll = Ipv6Address.parse('fe80::5054:ff:fe12:3456');
    expect(ll.isLinkLocal).toBe(true);
    expect(Ipv6Address.parse('febf::1').isLinkLocal).toBe(true);
    expect(Ipv6Address.parse('fec0::1').isLinkLocal).toBe(false);
    expect(Ipv6Address.parse('ff02::2').isMulticast).toBe(true);
    expect(Ipv6Address.UNSPECIFIED.isUnspecified).toBe(true);
    expect(Ipv6Address.parse('::1').isLoopback).toBe(true);
    expect(Ipv6Address.linkLocalFromMac(MacAddress.parse('52:54:00:12:34:56')).equals(ll)).toBe(true);
    expect(Ipv6Address.parse('2001:db8::1:2:3').solicitedNode().toString()).toBe('ff02::1:ff02:3');
    expect(Ipv6Address.parse('2001:db8:dead:beef:1::').mask(48).toString()).toBe('2001:db8:dead::');
    expect(Ipv6Address.parse('2001:db8:dead:beef::1').inPrefix(Ipv6Address.parse('2001:db8:dead:be00::'), 56)).toBe(true);
    expect(Ipv6Address.parse('2001:db8:dead:beef::1').inPrefix(Ipv6Address.parse('2001:db8:dead:be00::'), 57)).toBe(false);
  });
});

describe('IPv4 text', () => {
  it('prints and parses dotted quads', () => {
    const a = Ipv4Address.read(hex('cb007101'), 0);
    expect(a.toString()).toBe('203.0.113.1');
    expect(Ipv4Address.parse('203.0.113.1').equals(a)).toBe(true);
    expect(Ipv4Address.parse('0.0.0.0').isUnspecified).toBe(true);
    expect(Ipv4Address.parse('255.255.255.255').isBroadcast).toBe(true);
    expect(Ipv4Address.parse('198.51.100.9').inSubnet(Ipv4Address.parse('198.51.100.0'), 24)).toBe(true);
    expect(Ipv4Address.parse('198.51.101.9').inSubnet(Ipv4Address.parse('198.51.100.0'), 24)).toBe(false);
  });

  it('refuses shorthand, leading zeros and out-of-range parts', () => {
    for (const text of ['', '1.2.3', '1.2.3.4.5', '256.0.0.1', '01.2.3.4', '1.2.3.-4', '1..3.4', '0x1.2.3.4', '1.2.3.4 ', '1e2.0.0.1']) {
      expect(Ipv4Address.tryParse(text), JSON.stringify(text)).toBeNull();
    }
    expect(() => Ipv4Address.from('192.0.2.300', 'senderIp')).toThrowError('senderIp: expected an IPv4 address, got "192.0.2.300"');
  });
});

describe('MAC text', () => {
  it('prints lower-case colon form and parses colons or dashes', () => {
    const m = MacAddress.fromBytes(hex('02005E0001AB'));
    expect(m.toString()).toBe('02:00:5e:00:01:ab');
    expect(MacAddress.parse('02-00-5E-00-01-AB').equals(m)).toBe(true);
    expect(MacAddress.parse('2:0:5e:0:1:ab').equals(m)).toBe(true);
    expect(MacAddress.parse('ff:ff:ff:ff:ff:ff').isBroadcast).toBe(true);
    expect(MacAddress.parse('33:33:00:00:00:01').isMulticast).toBe(true);
  });

  it('refuses other forms', () => {
    for (const text of ['', '02:00:5e:00:01', '02:00:5e:00:01:ab:cd', '0200.5e00.01ab', '02:00:5e:00:01:ag', '002:00:5e:00:01:ab']) {
      expect(MacAddress.tryParse(text), JSON.stringify(text)).toBeNull();
    }
    expect(() => MacAddress.from('nope', 'address')).toThrowError('address: expected a MAC address, got "nope"');
  });
});
