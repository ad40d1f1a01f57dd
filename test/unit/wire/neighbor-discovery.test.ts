/**
 * RS, NS (also a DAD probe from ::), NA and Redirect vectors written out by hand. Checksums were
 * computed by a separate RFC 1071 script and confirmed by tshark, not by linklab's encoder.
 */
import { describe, expect, it } from 'vitest';
import * as icmpv6 from '../../../src/core/wire/icmpv6.js';
import * as rs from '../../../src/core/wire/ndisc/router-solicit.js';
import * as ns from '../../../src/core/wire/ndisc/neighbor-solicit.js';
import * as na from '../../../src/core/wire/ndisc/neighbor-advert.js';
import * as redirect from '../../../src/core/wire/ndisc/redirect.js';
import * as ipv6 from '../../../src/core/wire/ipv6.js';
import { Ipv6Address } from '../../../src/core/wire/ipv6-address.js';
import { hex, toHexString } from './hex.js';

const HOST = Ipv6Address.parse('fe80::5054:ff:fe12:3456');
const ROUTER = Ipv6Address.parse('fe80::200:5eff:fe00:186');

describe('Router Solicitation vector', () => {
  const RS = hex(`
    85 00 71b5        # type 133, code 0, checksum
    00000000          # reserved
    01 01 525400123456  # source link-layer address 52:54:00:12:34:56
  `);

  it('decodes every field', () => {
    const m = rs.decode(RS);
    expect(m).toMatchObject({ kind: 'router-solicit', code: 0, checksum: 0x71b5, reserved: 0 });
    expect(m.options).toHaveLength(1);
    expect(m.options[0].kind).toBe('source-lla');
    expect(String((m.options[0] as { address: unknown }).address)).toBe('52:54:00:12:34:56');
    expect(icmpv6.checksumOk(RS, HOST, Ipv6Address.ALL_ROUTERS)).toBe(true);
  });

  it('re-encodes to the same bytes, and from JSON with the checksum computed', () => {
    expect(toHexString(rs.encode(rs.decode(RS)))).toBe(toHexString(RS));
    const built = icmpv6.encode(
      { kind: 'router-solicit', options: [{ kind: 'source-lla', address: '52:54:00:12:34:56' }] },
      { src: HOST, dst: 'ff02::2' },
    );
    expect(toHexString(built)).toBe(toHexString(RS));
  });

  it('keeps a non-zero reserved field', () => {
    const b = RS.slice();
    b[7] = 0x01;
    expect(rs.decode(b).reserved).toBe(1);
    expect(toHexString(rs.encode(rs.decode(b)))).toBe(toHexString(b));
  });
});

describe('Neighbor Solicitation vectors', () => {
  const NS = hex(`
    87 00 42ea                          # type 135, code 0, checksum
    00000000                            # reserved
    20010db8000000000000000000000001    # target 2001:db8::1
    01 01 525400123456                  # source link-layer address
  `);
  // Duplicate Address Detection: from ::, to the target's solicited-node group, no SLLA, with a
  // nonce (RFC 7527) instead.
  const DAD = hex(`
    87 00 6a7b
    00000000
    fe80000000000000505400fffe123456    # target fe80::5054:ff:fe12:3456 (tentative)
    0e 01 a1b2c3d4e5f6                  # nonce
  `);

  it('decodes a solicitation for 2001:db8::1', () => {
    const m = ns.decode(NS);
    expect(m).toMatchObject({ kind: 'neighbor-solicit', code: 0, checksum: 0x42ea, reserved: 0 });
    expect(m.target.toString()).toBe('2001:db8::1');
    expect(m.options.map((o) => o.kind)).toEqual(['source-lla']);
    expect(icmpv6.checksumOk(NS, HOST, Ipv6Address.parse('ff02::1:ff00:1'))).toBe(true);
    expect(m.target.solicitedNode().toString()).toBe('ff02::1:ff00:1');
    expect(toHexString(ns.encode(m))).toBe(toHexString(NS));
  });

  it('decodes a DAD probe from the unspecified address', () => {
    const m = ns.decode(DAD);
    expect(m.target.toString()).toBe('fe80::5054:ff:fe12:3456');
    expect(m.options).toHaveLength(1);
    const nonce = m.options[0];
    if (nonce.kind !== 'nonce') throw new Error(`expected a nonce, got ${nonce.kind}`);
    expect(toHexString(nonce.nonce)).toBe('a1b2c3d4e5f6');
    const group = m.target.solicitedNode();
    expect(group.toString()).toBe('ff02::1:ff12:3456');
    expect(icmpv6.checksumOk(DAD, Ipv6Address.UNSPECIFIED, group)).toBe(true);
    expect(toHexString(ns.encode(m))).toBe(toHexString(DAD));
  });
});

describe('Neighbor Advertisement vector', () => {
  const NA = hex(`
    88 00 251e                          # type 136, code 0, checksum
    e0000000                            # R=1 S=1 O=1, reserved 0
    20010db8000000000000000000000001    # target 2001:db8::1
    02 01 02005e000186                  # target link-layer address
  `);

  it('decodes flags, target and TLLA', () => {
    const m = na.decode(NA);
    expect(m).toMatchObject({ kind: 'neighbor-advert', code: 0, checksum: 0x251e, router: true, solicited: true, override: true, reserved: 0 });
    expect(m.target.toString()).toBe('2001:db8::1');
    expect(m.options[0].kind).toBe('target-lla');
    expect(String((m.options[0] as { address: unknown }).address)).toBe('02:00:5e:00:01:86');
    expect(icmpv6.checksumOk(NA, ROUTER, HOST)).toBe(true);
    expect(toHexString(na.encode(m))).toBe(toHexString(NA));
  });

  it('reads each flag on its own and keeps the reserved bits', () => {
    for (const [byte, flags] of [
      [0x80, { router: true, solicited: false, override: false }],
      [0x40, { router: false, solicited: true, override: false }],
      [0x20, { router: false, solicited: false, override: true }],
    ] as const) {
      const b = NA.slice();
      b[4] = byte;
      b[7] = 0x05;
      const m = na.decode(b);
      expect(m).toMatchObject({ ...flags, reserved: 5 });
      expect(toHexString(na.encode(m))).toBe(toHexString(b));
    }
  });
});

describe('Redirect vector with a redirected header', () => {
  // The router fe80::1 tells 2001:db8::10 that 2001:db8:1::99 is better reached through fe80::2,
  // and quotes the packet that triggered it (an echo request, 56 bytes = 7 units + 1 for the header).
  const REDIRECT = hex(`
    89 00 d506                          # type 137, code 0, checksum
    00000000                            # reserved
    fe800000000000000000000000000002    # target (better first hop) fe80::2
    20010db8000100000000000000000099    # destination 2001:db8:1::99
    02 01 02005e000002                  # target link-layer address
    04 08 000000000000                  # redirected header, 8 units, 6 reserved bytes
    60000000 0010 3a 40                 #   IPv6: payload 16, next header 58, hop limit 64
    20010db8000000000000000000000010    #   src 2001:db8::10
    20010db8000100000000000000000099    #   dst 2001:db8:1::99
    80 00 1234 abcd 0001                #   echo request id 0xabcd seq 1
    68696a6b6c6d6e6f                    #   data
  `);

  it('decodes target, destination and both options', () => {
    const m = redirect.decode(REDIRECT);
    expect(m).toMatchObject({ kind: 'redirect', code: 0, checksum: 0xd506, reserved: 0 });
    expect(m.target.toString()).toBe('fe80::2');
    expect(m.destination.toString()).toBe('2001:db8:1::99');
    expect(m.options.map((o) => o.kind)).toEqual(['target-lla', 'redirected-header']);
    expect(icmpv6.checksumOk(REDIRECT, Ipv6Address.parse('fe80::1'), Ipv6Address.parse('2001:db8::10'))).toBe(true);
    expect(toHexString(redirect.encode(m))).toBe(toHexString(REDIRECT));
  });

  it('carries the quoted packet, which decodes as IPv6 in turn', () => {
    const rh = redirect.decode(REDIRECT).options[1];
    if (rh.kind !== 'redirected-header') throw new Error(`expected a redirected header, got ${rh.kind}`);
    expect(rh.reserved).toBe(0);
    expect(rh.data).toHaveLength(56);
    const quoted = ipv6.decode(rh.data);
    expect(quoted.src.toString()).toBe('2001:db8::10');
    expect(quoted.dst.toString()).toBe('2001:db8:1::99');
    expect(quoted.protocol).toBe(58);
    const echo = icmpv6.decode(quoted.payload);
    expect(echo).toMatchObject({ kind: 'echo-request', identifier: 0xabcd, sequence: 1 });
  });

  it('rejects a Redirect cut inside its destination address', () => {
    expect(() => redirect.decode(REDIRECT.subarray(0, 39))).toThrowError('header: redirect needs 40 bytes, 39 present at byte 0');
  });
});

describe('ICMPv6 dispatch', () => {
  it('refuses a type byte that is not the decoder\'s', () => {
    const b = hex('86 00 0000 00000000');
    expect(() => rs.decode(b)).toThrowError('type: type 134 is not router solicitation (133) at byte 0');
  });

  it('decodes echo request and reply, and keeps other types as header plus body', () => {
    const echo = hex('80 00 ce3b 1234 0001 68656c6c6f'); // to 2001:db8::2 from 2001:db8::1, "hello"
    const m = icmpv6.decode(echo);
    expect(m).toMatchObject({ kind: 'echo-request', code: 0, checksum: 0xce3b, identifier: 0x1234, sequence: 1 });
    if (m.kind !== 'echo-request') throw new Error('not an echo request');
    expect(new TextDecoder().decode(m.data)).toBe('hello');
    expect(icmpv6.checksumOk(echo, Ipv6Address.parse('2001:db8::1'), Ipv6Address.parse('2001:db8::2'))).toBe(true);
    expect(toHexString(icmpv6.encode(m))).toBe(toHexString(echo));

    const reply = echo.slice();
    reply[0] = 129;
    expect(icmpv6.decode(reply).kind).toBe('echo-reply');

    // Destination Unreachable, code 4 (port unreachable), with 4 unused bytes and a quoted header.
    const unreachable = hex('01 04 1a2b 00000000 6000');
    const other = icmpv6.decode(unreachable);
    expect(other).toMatchObject({ kind: 'icmpv6', type: 1, code: 4, checksum: 0x1a2b });
    if (other.kind !== 'icmpv6') throw new Error('not kept as other ICMPv6');
    expect(toHexString(other.body)).toBe('000000006000');
    expect(toHexString(icmpv6.encode(other))).toBe(toHexString(unreachable));
  });

  it('rejects fewer than 4 bytes', () => {
    expect(() => icmpv6.decode(hex('8600'))).toThrowError('header: ICMPv6 header needs 4 bytes, 2 present at byte 0');
  });
});
