/**
 * IPv4 with options, IPv6 with its extension headers, and IPv6-in-IPv4, from hand-written bytes.
 * Checksums were computed by a separate RFC 1071 script and confirmed by tshark.
 */
import { describe, expect, it } from 'vitest';
import * as ipv4 from '../../../src/core/wire/ipv4.js';
import * as ipv6 from '../../../src/core/wire/ipv6.js';
import * as ip6in4 from '../../../src/core/wire/ip6in4.js';
import * as icmpv6 from '../../../src/core/wire/icmpv6.js';
import { Ipv6Address } from '../../../src/core/wire/ipv6-address.js';
import * as packet from '../../../src/core/wire/packet.js';
import { internetChecksum } from '../../../src/core/wire/checksum.js';
import { DecodeError } from '../../../src/core/wire/errors.js';
import { hex, toHexString } from './hex.js';

/** The DecodeError `f` throws (fails the test when it throws nothing or something else). */
function decodeError(f: () => unknown): DecodeError {
  try {
    f();
  } catch (err) {
    if (err instanceof DecodeError) return err;
    throw err;
  }
  throw new Error('expected a DecodeError');
}

// An IGMPv2 membership report for 224.0.0.22 with the Router Alert option (RFC 2113).
const IGMP = hex(`
  46              # version 4, IHL 6 (24 bytes)
  c0              # DSCP 48 (CS6), ECN 0
  0020            # total length 32
  0000            # identification
  4000            # DF, offset 0
  01              # TTL 1
  02              # protocol IGMP
  4200            # header checksum
  c0000201        # 192.0.2.1
  e0000016        # 224.0.0.22
  94040000        # option: Router Alert, length 4, value 0
  16 00 09e9 e0000016   # IGMPv2 report
`);

describe('IPv4', () => {
  it('decodes every header field, options and payload', () => {
    const p = ipv4.decode(IGMP);
    expect(p).toMatchObject({
      version: 4,
      ihl: 6,
      dscp: 48,
      ecn: 0,
      totalLength: 32,
      identification: 0,
      reservedFlag: false,
      dontFragment: true,
      moreFragments: false,
      fragmentOffset: 0,
      ttl: 1,
      protocol: 2,
      checksum: 0x4200,
    });
    expect(p.src.toString()).toBe('192.0.2.1');
    expect(p.dst.toString()).toBe('224.0.0.22');
    expect(p.dst.isMulticast).toBe(true);
    expect(toHexString(p.options)).toBe('94040000');
    expect(toHexString(p.payload)).toBe('160009e9e0000016');
  });

  it('verifies the header checksum, and any flipped bit breaks it', () => {
    expect(ipv4.checksumOk(IGMP)).toBe(true);
    expect(internetChecksum(IGMP, 0, 24)).toBe(0);
    const bad = IGMP.slice();
    bad[8] ^= 0x01;
    expect(ipv4.checksumOk(bad)).toBe(false);
  });

  it('re-encodes to the same bytes, and computes the same checksum from a description', () => {
    expect(toHexString(ipv4.encode(ipv4.decode(IGMP)))).toBe(toHexString(IGMP));
    const built = ipv4.encode({ dscp: 48, dontFragment: true, ttl: 1, protocol: 2, src: '192.0.2.1', dst: '224.0.0.22', options: '94040000', payload: '160009e9e0000016' });
    expect(toHexString(built)).toBe(toHexString(IGMP));
  });

  it('reads fragment fields', () => {
    const frag = IGMP.slice();
    frag[6] = 0xa0; // reserved flag and MF
    frag[7] = 0x03; // offset 3 units (24 bytes)
    const p = ipv4.decode(frag);
    expect(p).toMatchObject({ reservedFlag: true, dontFragment: false, moreFragments: true, fragmentOffset: 3 });
  });

  it('rejects bad headers with the field and offset', () => {
    const v6 = IGMP.slice();
    v6[0] = 0x66;
    expect(decodeError(() => ipv4.decode(v6)).message).toBe('version: version 6, expected 4 at byte 0');
    const ihl4 = IGMP.slice();
    ihl4[0] = 0x44;
    expect(decodeError(() => ipv4.decode(ihl4)).message).toBe('ihl: header length 16 below 20 at byte 0');
    expect(decodeError(() => ipv4.decode(IGMP.subarray(0, 22))).message).toBe('options: header with options (ihl 6) needs 24 bytes, 22 present at byte 0');
    expect(decodeError(() => ipv4.decode(IGMP.subarray(0, 30))).message).toBe('totalLength: total length 32 exceeds the 30 bytes present at byte 2');
    const short = IGMP.slice();
    short[3] = 20;
    expect(decodeError(() => ipv4.decode(short)).message).toBe('totalLength: total length 20 shorter than header 24 at byte 2');
  });

  it('ignores link-layer padding after the total length', () => {
    const padded = new Uint8Array(46);
    padded.set(IGMP);
    expect(ipv4.decode(padded).payload.length).toBe(8);
  });

  it('refuses options that are not whole words', () => {
    expect(() => ipv4.encode({ ttl: 1, protocol: 2, src: '192.0.2.1', dst: '192.0.2.2', options: '940400', payload: '' })).toThrowError(
      'options: options take a multiple of 4 bytes up to 40, got 3',
    );
  });
});

// An echo request whose IPv6 header is followed by hop-by-hop, routing (segment routing, one
// segment, none left), fragment (atomic) and destination-options headers.
const EXT = hex(`
  60000000 003c 00 40                      # payload 60, next header 0 (hop-by-hop), hop limit 64
  20010db8000000000000000000000001         # src
  20010db8000000000000000000000002         # dst
  2b 00 05 02 0000 01 00                   # hop-by-hop: next 43, Router Alert, PadN
  2c 02 04 00 00 00 0000                   # routing: next 44, 24 bytes, type 4, segments left 0
  20010db8000000000000000000000002         #   segment list[0]
  3c 00 0000 deadbeef                      # fragment: next 60, offset 0, M=0, id 0xdeadbeef
  3a 00 01 04 00000000                     # destination options: next 58, PadN
  80 00 4570 0001 0002 70696e67            # ICMPv6 echo request "ping"
`);

describe('IPv6 and its extension headers', () => {
  it('walks every extension header to ICMPv6', () => {
    const p = ipv6.decode(EXT);
    expect(p).toMatchObject({ version: 6, trafficClass: 0, flowLabel: 0, payloadLength: 60, nextHeader: 0, hopLimit: 64, protocol: 58 });
    expect(p.src.toString()).toBe('2001:db8::1');
    expect(p.dst.toString()).toBe('2001:db8::2');
    expect(p.extensions.map((e) => e.kind)).toEqual(['hop-by-hop', 'routing', 'fragment', 'destination-options']);
    const [hbh, rt, frag, dst] = p.extensions;
    expect(hbh).toMatchObject({ nextHeader: 43 });
    expect(toHexString((hbh as ipv6.OptionsHeader).data)).toBe('050200000100');
    expect(rt).toMatchObject({ kind: 'routing', nextHeader: 44, routingType: 4, segmentsLeft: 0 });
    expect(toHexString((rt as ipv6.RoutingHeader).data)).toBe('0000000020010db8000000000000000000000002');
    expect(frag).toEqual({ kind: 'fragment', nextHeader: 60, reserved: 0, fragmentOffset: 0, reserved2: 0, moreFragments: false, identification: 0xdeadbeef });
    expect(dst).toMatchObject({ nextHeader: 58 });
    expect(toHexString((dst as ipv6.OptionsHeader).data)).toBe('010400000000');
    expect(toHexString(p.payload)).toBe('800045700001000270696e67');
    expect(icmpv6.checksumOk(p.payload, p.src, p.dst)).toBe(true);
    expect(toHexString(ipv6.encode(p))).toBe(toHexString(EXT));
  });

  it('packet.decode reaches the ICMPv6 echo through them', () => {
    const p = packet.decode(EXT, 'ipv6');
    expect(p.icmpv6).toMatchObject({ kind: 'echo-request', identifier: 1, sequence: 2 });
    expect(p.icmpv6ChecksumOk).toBe(true);
    expect(p.payload).toBeUndefined();
  });

  it.each([
    ['segment routing (type 4): segment list [0]', 4, '01000000' + '20010db8000000000000000000000002' + '20010db800000000000000000000000a'],
    ['type 2 (Mobile IPv6): the home address', 2, '00000000' + '20010db8000000000000000000000002'],
    ['type 0: the last address', 0, '00000000' + '20010db800000000000000000000000a' + '20010db8000000000000000000000002'],
  ])('with segments left, the checksum covers the final destination (RFC 8200 8.1): %s', (_what, routingType, data) => {
    const bytes = packet.encode({
      ipv6: { hopLimit: 64, src: '2001:db8::1', dst: '2001:db8::a', extensions: [{ kind: 'routing', routingType, segmentsLeft: 1, data }] },
      icmpv6: { kind: 'echo-request', identifier: 1, sequence: 2, data: '70696e67' },
    });
    const p = ipv6.decode(bytes);
    const final = Ipv6Address.parse('2001:db8::2');
    expect(ipv6.checksumDestination(p.dst, p.extensions).equals(final)).toBe(true);
    expect(icmpv6.checksumOk(p.payload, p.src, final)).toBe(true);
    expect(icmpv6.checksumOk(p.payload, p.src, p.dst)).toBe(false);
    expect(packet.decode(bytes, 'ipv6').icmpv6ChecksumOk).toBe(true);
    // With no segments left the packet is at its final destination: the header's.
    const arrived = packet.encode({
      ipv6: { hopLimit: 64, src: '2001:db8::1', dst: '2001:db8::a', extensions: [{ kind: 'routing', routingType, segmentsLeft: 0, data }] },
      icmpv6: { kind: 'echo-request', identifier: 1, sequence: 2, data: '70696e67' },
    });
    const q = ipv6.decode(arrived);
    expect(icmpv6.checksumOk(q.payload, q.src, q.dst)).toBe(true);
  });

  it('stops at a non-first fragment: what follows is not a header', () => {
    const later = hex(`
      6e0abcde 0010 2c 40                  # traffic class 0xe0, flow label 0xabcde
      20010db8000000000000000000000001
      20010db8000000000000000000000002
      3a 00 05c9 deadbeef                  # fragment: next 58, offset 185 (1480 bytes), M=1
      0000000000000000                     # the middle of some ICMPv6 message
    `);
    const p = ipv6.decode(later);
    expect(p).toMatchObject({ trafficClass: 0xe0, flowLabel: 0xabcde, protocol: 58 });
    expect(p.extensions).toEqual([{ kind: 'fragment', nextHeader: 58, reserved: 0, fragmentOffset: 185, reserved2: 0, moreFragments: true, identification: 0xdeadbeef }]);
    expect(p.payload.length).toBe(8);
    const whole = packet.decode(later, 'ipv6');
    expect(whole.icmpv6).toBeUndefined();
    expect(whole.payload?.length).toBe(8);
    expect(toHexString(ipv6.encode(p))).toBe(toHexString(later));
  });

  it('rejects headers that do not fit, naming the extension and its offset', () => {
    const short = EXT.slice(0, 40 + 8 + 8);
    short[5] = 16; // payload length 16: the routing header (24 bytes) cannot fit
    expect(decodeError(() => ipv6.decode(short)).message).toBe('extensions[1].length: routing header of 24 bytes runs past the payload at byte 49');
    const cut = EXT.slice(0, 44);
    expect(decodeError(() => ipv6.decode(cut)).message).toBe('payloadLength: payload length 60 exceeds the 4 bytes present at byte 4');
    const noRoom = EXT.slice(0, 40);
    noRoom[5] = 0;
    expect(decodeError(() => ipv6.decode(noRoom)).message).toBe('extensions[0]: hop-by-hop header truncated at byte 40');
    const v4 = EXT.slice();
    v4[0] = 0x40;
    expect(decodeError(() => ipv6.decode(v4)).message).toBe('version: version 4, expected 6 at byte 0');
    // Seen from an Ethernet frame, the same error has the frame's path and offsets.
    const frame = new Uint8Array(14 + short.length);
    frame.set(hex('333300000002 525400123456 86dd'));
    frame.set(short, 14);
    expect(decodeError(() => packet.decode(frame)).message).toBe('ipv6.extensions[1].length: routing header of 24 bytes runs past the payload at byte 63');
  });
});

// An ISATAP router solicitation (RFC 5214): 192.0.2.1 asks the router at 203.0.113.1.
const ISATAP_RS = hex(`
  45 00 0044 1234 4000 40 29 2a5a          # IPv4: 68 bytes, DF, TTL 64, protocol 41, checksum
  c0000201 cb007101                        # 192.0.2.1 -> 203.0.113.1
  60000000 0008 3a ff                      # IPv6: payload 8, ICMPv6, hop limit 255
  fe8000000000000000005efec0000201         # fe80::5efe:192.0.2.1
  fe8000000000000002005efecb007101         # fe80::200:5efe:203.0.113.1
  85 00 bfba 00000000                      # router solicitation
`);

describe('IPv6 in IPv4 (protocol 41)', () => {
  it('decodes both headers', () => {
    const t = ip6in4.decode(ISATAP_RS);
    expect(t.outer).toMatchObject({ protocol: 41, ttl: 64, totalLength: 68, identification: 0x1234, dontFragment: true });
    expect(t.outer.src.toString()).toBe('192.0.2.1');
    expect(t.outer.dst.toString()).toBe('203.0.113.1');
    expect(ipv4.checksumOk(ISATAP_RS)).toBe(true);
    expect(t.inner.src.toString()).toBe('fe80::5efe:c000:201');
    expect(t.inner.dst.toString()).toBe('fe80::200:5efe:cb00:7101');
    expect(t.inner.hopLimit).toBe(255);
    expect(icmpv6.decode(t.inner.payload)).toMatchObject({ kind: 'router-solicit', checksum: 0xbfba });
    expect(icmpv6.checksumOk(t.inner.payload, t.inner.src, t.inner.dst)).toBe(true);
  });

  it('wraps an encoded IPv6 packet into the same bytes', () => {
    const inner = ISATAP_RS.subarray(20);
    const built = ip6in4.encode(inner, { src: '192.0.2.1', dst: '203.0.113.1', ttl: 64, dontFragment: true, identification: 0x1234 });
    expect(toHexString(built)).toBe(toHexString(ISATAP_RS));
  });

  it('packet.decode goes through all three layers from raw IPv4', () => {
    const p = packet.decode(ISATAP_RS, 'ipv4');
    expect(p.ipv4?.checksumOk).toBe(true);
    expect(p.ipv6?.hopLimit).toBe(255);
    expect(p.icmpv6?.kind).toBe('router-solicit');
    expect(p.icmpv6ChecksumOk).toBe(true);
  });

  it('refuses another protocol, and reports inner errors at their offset in the whole packet', () => {
    const udp = ISATAP_RS.slice();
    udp[9] = 17;
    expect(decodeError(() => ip6in4.decode(udp)).message).toBe('protocol: protocol 17, expected 41 at byte 9');
    const badInner = ISATAP_RS.slice();
    badInner[20] = 0x50;
    expect(decodeError(() => ip6in4.decode(badInner)).message).toBe('inner.version: version 5, expected 6 at byte 20');
  });
});
