/**
 * Whole packets through packet.ts: layer by layer from each starting link, errors with the full
 * field path and the offset in the whole input, and encoding that fills in what is left out.
 */
import { describe, expect, it } from 'vitest';
import * as packet from '../../../src/core/wire/packet.js';
import { describePacket } from '../../../src/core/wire/describe.js';
import { DecodeError, EncodeError } from '../../../src/core/wire/errors.js';
import { hex, toHexString } from './hex.js';

// An RS from fe80::5054:ff:fe12:3456 to ff02::2 in an Ethernet frame (checksum by a separate
// RFC 1071 script, confirmed by tshark).
const RS_FRAME = hex(`
  333300000002 525400123456 86dd
  60000000 0010 3a ff fe80000000000000505400fffe123456 ff020000000000000000000000000002
  85 00 71b5 00000000 0101 525400123456
`);

function decodeError(f: () => unknown): DecodeError {
  try {
    f();
  } catch (err) {
    if (err instanceof DecodeError) return err;
    throw err;
  }
  throw new Error('expected a DecodeError');
}

describe('packet.decode', () => {
  it('decodes Ethernet, IPv6 and ICMPv6 and checks the ICMPv6 checksum', () => {
    const p = packet.decode(RS_FRAME);
    expect(p.ethernet?.etherType).toBe(0x86dd);
    expect(p.ipv6?.hopLimit).toBe(255);
    expect(String(p.ipv6?.src)).toBe('fe80::5054:ff:fe12:3456');
    expect(p.icmpv6?.kind).toBe('router-solicit');
    expect(p.icmpv6ChecksumOk).toBe(true);
    const bad = RS_FRAME.slice();
    bad[bad.length - 1] ^= 1;
    expect(packet.decode(bad).icmpv6ChecksumOk).toBe(false);
  });

  it('starts at any layer', () => {
    expect(packet.decode(RS_FRAME.subarray(14), 'ipv6').icmpv6?.kind).toBe('router-solicit');
    const bare = packet.decode(RS_FRAME.subarray(54), 'icmpv6');
    expect(bare.icmpv6?.kind).toBe('router-solicit');
    expect(bare.icmpv6ChecksumOk).toBeUndefined();
    expect(packet.rawLink(RS_FRAME.subarray(14))).toBe('ipv6');
    expect(packet.rawLink(hex('4500'))).toBe('ipv4');
    expect(decodeError(() => packet.rawLink(hex('5500'))).message).toBe('version: version 5 is neither 4 nor 6 at byte 0');
    expect(decodeError(() => packet.rawLink(new Uint8Array(0))).message).toBe('version: empty packet at byte 0');
  });

  it('keeps layers it does not decode as payload', () => {
    const udp = RS_FRAME.slice();
    udp[20] = 17;
    const p = packet.decode(udp);
    expect(p.icmpv6).toBeUndefined();
    expect(p.ipv6?.protocol).toBe(17);
    expect(p.payload?.length).toBe(16);
    const lldp = packet.decode(hex('0180c200000e 525400123456 88cc 0206'));
    expect(lldp.ethernet?.etherType).toBe(0x88cc);
    expect(toHexString(lldp.payload!)).toBe('0206');
  });

  it('errors carry the path through the layers and the offset in the whole frame', () => {
    const cut = RS_FRAME.subarray(0, 14 + 40 + 3);
    expect(decodeError(() => packet.decode(cut)).message).toBe('ipv6.payloadLength: payload length 16 exceeds the 3 bytes present at byte 18');
    const shortIcmp = RS_FRAME.slice(0, 14 + 40 + 6);
    shortIcmp[19] = 6;
    expect(decodeError(() => packet.decode(shortIcmp)).message).toBe('icmpv6.header: router solicitation needs 8 bytes, 6 present at byte 54');
    expect(decodeError(() => packet.decode(RS_FRAME.subarray(54, 56), 'icmpv6')).message).toBe('icmpv6.header: ICMPv6 header needs 4 bytes, 2 present at byte 0');
  });

  it('malformed options carry the path and the offset in the whole frame', () => {
    const zero = RS_FRAME.slice();
    zero[14 + 40 + 9] = 0; // the SLLA's length byte
    const p = packet.decode(zero);
    const o = (p.icmpv6 as { options: { kind: string; error?: DecodeError }[] }).options[0];
    expect(o.kind).toBe('malformed');
    expect(o.error?.message).toBe('icmpv6.options[0].length: option length 0 at byte 63');
    expect(packet.firstMalformedOption(p)?.message).toBe('icmpv6.options[0].length: option length 0 at byte 63');
    expect(packet.firstMalformedOption(packet.decode(RS_FRAME))).toBeUndefined();
    // From the ICMPv6 layer the offset counts from the message.
    const q = packet.decode(zero.subarray(54), 'icmpv6');
    expect(packet.firstMalformedOption(q)?.message).toBe('icmpv6.options[0].length: option length 0 at byte 9');
  });
});

describe('packet.encode', () => {
  it('fills in lengths, next headers, EtherType and the checksum', () => {
    const built = packet.encode({
      ethernet: { dst: '33:33:00:00:00:02', src: '52:54:00:12:34:56' },
      ipv6: { src: 'fe80::5054:ff:fe12:3456', dst: 'ff02::2', hopLimit: 255 },
      icmpv6: { kind: 'router-solicit', options: [{ kind: 'source-lla', address: '52:54:00:12:34:56' }] },
    });
    expect(toHexString(built)).toBe(toHexString(RS_FRAME));
  });

  it('re-encodes a decoded packet, JSON round trip included', () => {
    const p = packet.decode(RS_FRAME);
    expect(toHexString(packet.encode(p as packet.PacketInput))).toBe(toHexString(RS_FRAME));
    const json = JSON.parse(JSON.stringify(p, (_k, v: unknown) => (v instanceof Uint8Array ? toHexString(v) : v))) as packet.PacketInput;
    expect(toHexString(packet.encode(json))).toBe(toHexString(RS_FRAME));
  });

  it('names the field that cannot be encoded, through the layers', () => {
    const cases: [packet.PacketInput, string][] = [
      [{ ipv6: { src: 'fe80::1', dst: 'ff02::2', hopLimit: 256 }, icmpv6: { kind: 'router-solicit' } }, 'ipv6.hopLimit: expected an integer 0..255, got 256'],
      [{ ipv6: { src: 'fe80::1', dst: 'nowhere', hopLimit: 255 }, icmpv6: { kind: 'router-solicit' } }, 'ipv6.dst: expected an IPv6 address, got "nowhere"'],
      [{ icmpv6: { kind: 'router-advert', curHopLimit: 64, routerLifetime: 0, options: [{ kind: 'mtu', mtu: -1 }] } }, 'icmpv6.options[0].mtu: expected an integer 0..4294967295, got -1'],
      [{ icmpv6: { kind: 'router-advert', curHopLimit: 64, routerLifetime: 0, preference: 'best' as never } }, 'icmpv6.preference: expected one of medium, high, reserved, low, got "best"'],
      [{ ipv6: { src: 'fe80::1', dst: 'ff02::2', hopLimit: 255 } }, 'ipv6.protocol: needed when no ICMPv6 layer follows'],
      [{ ethernet: { src: '52:54:00:12:34:56' }, payload: '00' }, 'ethernet.etherType: needed when no ARP or IP layer follows'],
      [{ ethernet: { src: '52:54:00:12:34:56', etherType: 0x88cc }, payload: '00' }, 'ethernet: src and dst are required'],
      [{ payload: 'xyz' }, 'payload: expected bytes as hex, got "xyz"'],
      [{ icmpv6: { kind: 'router-advert', curHopLimit: 64, routerLifetime: 0, options: [{ kind: 'route-info', prefixLength: 0, preference: 'top' as never, lifetime: 0, prefix: '::' }] } }, 'icmpv6.options[0].preference: expected one of medium, high, reserved, low, got "top"'],
    ];
    for (const [input, message] of cases) {
      expect(() => packet.encode(input), message).toThrowError(EncodeError);
      expect(() => packet.encode(input), message).toThrowError(message);
    }
  });
});

describe('describePacket', () => {
  it('prints one line per layer and one per option', () => {
    expect(describePacket(packet.decode(RS_FRAME))).toEqual([
      'ethernet 52:54:00:12:34:56 > 33:33:00:00:00:02 type 0x86dd',
      'ipv6 fe80::5054:ff:fe12:3456 > ff02::2 hop limit 255 payload 16 next header 58',
      'icmpv6 router solicitation code 0 checksum 0x71b5 (ok)',
      '  source-lla 52:54:00:12:34:56',
    ]);
  });
});
