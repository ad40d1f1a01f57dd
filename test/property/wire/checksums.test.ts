/**
 * Checksums: an ICMPv6 message encoded with its pseudo-header verifies, and any single flipped bit
 * (in the message or in the addresses of the pseudo-header) breaks it; the same for the IPv4
 * header checksum. A ones'-complement sum changes by ±2^k mod 0xffff for one flipped bit, never
 * by a multiple of 0xffff, so every such flip must be caught.
 */
import { describe, it } from 'vitest';
import fc from 'fast-check';
import * as icmpv6 from '../../../src/core/wire/icmpv6.js';
import * as ipv4 from '../../../src/core/wire/ipv4.js';
import * as packet from '../../../src/core/wire/packet.js';
import { Ipv6Address } from '../../../src/core/wire/ipv6-address.js';
import * as A from '../../helpers/arbitraries.js';
import { check } from './check.js';

const FILE = 'test/property/wire/checksums.test.ts';

function flipAddress(a: Ipv6Address, bit: number): Ipv6Address {
  const b = a.toBytes();
  b[bit >>> 3] ^= 0x80 >>> (bit & 7);
  return Ipv6Address.fromBytes(b);
}

describe('ICMPv6 checksum', () => {
  it('verifies after encoding with the pseudo-header; one flipped bit anywhere breaks it', () => {
    check(FILE, [A.icmpv6Message, A.ipv6Address, A.ipv6Address, fc.nat(), fc.nat(255)], (m, src, dst, at, addrBit) => {
      const b = icmpv6.encode(A.withoutChecksum(m) as icmpv6.Icmpv6Input, { src, dst });
      if (!icmpv6.checksumOk(b, src, dst)) throw new Error('fresh checksum does not verify');
      const bit = at % (8 * b.length);
      const flipped = b.slice();
      flipped[bit >>> 3] ^= 0x80 >>> (bit & 7);
      if (icmpv6.checksumOk(flipped, src, dst)) throw new Error(`bit ${bit} flipped and the checksum still verifies`);
      const [s2, d2] = addrBit < 128 ? [flipAddress(src, addrBit), dst] : [src, flipAddress(dst, addrBit - 128)];
      if (icmpv6.checksumOk(b, s2, d2)) throw new Error(`pseudo-header bit ${addrBit} flipped and the checksum still verifies`);
    });
  });

  it('in a whole packet: the decoder reports it good, and bad after a flip inside the IPv6 addresses or the message', () => {
    const packets = fc.record({ ipv6: fc.record({ src: A.ipv6Address, dst: A.ipv6Address, hopLimit: A.u8 }), icmpv6: A.icmpv6Message.map((m) => A.withoutChecksum(m)) });
    check(FILE, [packets, fc.nat()], (p, at) => {
      const b = packet.encode(p as packet.PacketInput);
      if (packet.decode(b, 'ipv6').icmpv6ChecksumOk !== true) throw new Error('decoder says the checksum is bad');
      // Bytes 8..40 are the addresses, 40.. the message: all under the checksum.
      const bit = 64 + (at % (8 * (b.length - 8)));
      const flipped = b.slice();
      flipped[bit >>> 3] ^= 0x80 >>> (bit & 7);
      let decoded: packet.Packet;
      try {
        decoded = packet.decode(flipped, 'ipv6');
      } catch {
        return; // the flip made the message undecodable: nothing to verify
      }
      if (decoded.icmpv6ChecksumOk !== false) throw new Error(`bit ${bit} flipped and the decoder still says ${decoded.icmpv6ChecksumOk}`);
    });
  });
});

describe('IPv4 header checksum', () => {
  it('verifies after encoding; one flipped header bit breaks it', () => {
    check(FILE, [A.ipv4Input, fc.nat()], (p, at) => {
      const b = ipv4.encode(p);
      if (!ipv4.checksumOk(b)) throw new Error('fresh checksum does not verify');
      const headerBits = 8 * (20 + p.options.length);
      // Not the IHL nibble: changing it changes which bytes the checksum covers.
      let bit = at % headerBits;
      if (bit >= 4 && bit < 8) bit -= 4;
      const flipped = b.slice();
      flipped[bit >>> 3] ^= 0x80 >>> (bit & 7);
      if (ipv4.checksumOk(flipped)) throw new Error(`header bit ${bit} flipped and the checksum still verifies`);
      // The payload is not covered.
      if (b.length > 20 + p.options.length) {
        const payloadFlip = b.slice();
        payloadFlip[b.length - 1] ^= 1;
        if (!ipv4.checksumOk(payloadFlip)) throw new Error('a payload bit changed the header checksum');
      }
    });
  });
});
