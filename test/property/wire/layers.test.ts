/**
 * ARP (both forms), Ethernet (with and without 802.1Q), IPv4 with options, IPv6 with extension
 * headers, IPv6-in-IPv4, whole packets through packet.ts, pcapng and classic pcap: round trips
 * both ways, and mutated or arbitrary bytes decode or throw only a DecodeError inside the input.
 */
import { describe, it } from 'vitest';
import fc from 'fast-check';
import * as arp from '../../../src/core/wire/arp.js';
import * as ethernet from '../../../src/core/wire/ethernet.js';
import * as ipv4 from '../../../src/core/wire/ipv4.js';
import * as ipv6 from '../../../src/core/wire/ipv6.js';
import * as ip6in4 from '../../../src/core/wire/ip6in4.js';
import * as packet from '../../../src/core/wire/packet.js';
import * as pcapng from '../../../src/core/wire/pcapng.js';
import * as pcap from '../../../src/core/wire/pcap.js';
import * as A from '../../helpers/arbitraries.js';
import { assertBytes, assertContains, assertSame, check, decodesOrRejects } from './check.js';

const FILE = 'test/property/wire/layers.test.ts';

/** Next-header numbers of the extension headers (RFC 8200 4), for checking the chain. */
const NEXT_HEADER: Record<string, number> = { 'hop-by-hop': 0, routing: 43, fragment: 44, 'destination-options': 60 };

/** What re-encoding a decoded mutant must give: the input, or its start when trailing bytes are not part of the layer. */
function assertPrefix(encoded: Uint8Array, input: Uint8Array, what: string): void {
  if (encoded.length > input.length) throw new Error(`${what}: re-encoded ${encoded.length} bytes from ${input.length}`);
  assertBytes(encoded, input.subarray(0, encoded.length), what);
}

const muts = A.mutations;

describe('ARP', () => {
  for (const [name, arbitrary] of [['Ethernet/IPv4', A.arpEthernetIpv4], ['generic lengths', A.arpGeneric]] as const) {
    it(`${name}: round trip, and mutants`, () => {
      check(FILE, [arbitrary as fc.Arbitrary<arp.Arp>, muts], (a, m) => {
        const b = arp.encode(a);
        const decoded = arp.decode(b);
        assertSame(decoded, a);
        assertBytes(arp.encode(decoded), b);
        const mutant = A.mutate(b, m);
        const again = decodesOrRejects(mutant, arp.decode);
        if (again) assertPrefix(arp.encode(again), mutant, 'ARP');
      });
    });
  }
});

describe('Ethernet', () => {
  for (const tagged of [false, true]) {
    it(`${tagged ? 'with' : 'without'} an 802.1Q tag: round trip, and mutants`, () => {
      check(FILE, [A.ethernetFrame(tagged), muts], (f, m) => {
        const b = ethernet.encode(f);
        const decoded = ethernet.decode(b);
        assertSame(decoded, f);
        assertBytes(ethernet.encode(decoded), b);
        const mutant = A.mutate(b, m);
        const again = decodesOrRejects(mutant, ethernet.decode);
        if (again) assertBytes(ethernet.encode(again), mutant);
      });
    });
  }
});

describe('IPv4', () => {
  it('with options: round trip with length, IHL and checksum computed, and mutants', () => {
    check(FILE, [A.ipv4Input, muts], (p, m) => {
      const b = ipv4.encode(p);
      const decoded = ipv4.decode(b);
      assertContains(decoded, p);
      if (decoded.version !== 4 || decoded.ihl !== (20 + p.options.length) / 4 || decoded.totalLength !== b.length) {
        throw new Error(`computed fields wrong: version ${decoded.version} ihl ${decoded.ihl} total ${decoded.totalLength} for ${b.length} bytes`);
      }
      if (!ipv4.checksumOk(b)) throw new Error('header checksum does not verify');
      assertBytes(ipv4.encode(decoded), b);
      const mutant = A.mutate(b, m);
      const again = decodesOrRejects(mutant, ipv4.decode);
      if (again) assertPrefix(ipv4.encode(again), mutant, 'IPv4');
    });
  });
});

describe('IPv6', () => {
  it('with extension headers: round trip with lengths and next headers computed, and mutants', () => {
    check(FILE, [A.ipv6Input, muts], (p, m) => {
      const b = ipv6.encode(p);
      const decoded = ipv6.decode(b);
      assertContains(decoded, p);
      if (decoded.payloadLength !== b.length - 40) throw new Error(`payload length ${decoded.payloadLength} for ${b.length} bytes`);
      const chain = [...p.extensions.map((e) => NEXT_HEADER[e.kind]), p.protocol];
      if (decoded.nextHeader !== chain[0]) throw new Error(`next header ${decoded.nextHeader}, expected ${chain[0]}`);
      decoded.extensions.forEach((e, i) => {
        if (e.nextHeader !== chain[i + 1]) throw new Error(`extensions[${i}].nextHeader ${e.nextHeader}, expected ${chain[i + 1]}`);
      });
      assertBytes(ipv6.encode(decoded), b);
      const mutant = A.mutate(b, m);
      const again = decodesOrRejects(mutant, ipv6.decode);
      if (again) assertPrefix(ipv6.encode(again), mutant, 'IPv6');
    });
  });

  it('in IPv4 (protocol 41): round trip, and mutants', () => {
    const outer = fc.record({ src: A.ipv4Address, dst: A.ipv4Address, ttl: A.u8, dontFragment: fc.boolean(), identification: A.u16, dscp: fc.integer({ min: 0, max: 63 }) });
    check(FILE, [A.ipv6Input, outer, muts], (inner, o, m) => {
      const innerBytes = ipv6.encode(inner);
      const b = ip6in4.encode(innerBytes, o);
      const decoded = ip6in4.decode(b);
      assertContains(decoded.outer, { ...o, protocol: 41, totalLength: b.length });
      assertContains(decoded.inner, inner);
      if (!ipv4.checksumOk(b)) throw new Error('outer checksum does not verify');
      const mutant = A.mutate(b, m);
      decodesOrRejects(mutant, ip6in4.decode);
    });
  });
});

describe('whole packets (packet.ts)', () => {
  it('every layer combination: round trip with every computed field right, and mutants', () => {
    check(FILE, [A.packetCase, muts], ({ link, input }, m) => {
      const b = packet.encode(input);
      const decoded = packet.decode(b, link);
      assertContains(decoded, input);
      if (decoded.ipv4 && !decoded.ipv4.checksumOk) throw new Error('IPv4 checksum does not verify');
      if (decoded.ipv6 && decoded.icmpv6 && decoded.icmpv6ChecksumOk !== true) throw new Error('ICMPv6 checksum does not verify');
      if (input.icmpv6 && !decoded.icmpv6) throw new Error('ICMPv6 layer missing');
      assertBytes(packet.encode(decoded as packet.PacketInput), b);
      const mutant = A.mutate(b, m);
      const again = decodesOrRejects(mutant, (x) => packet.decode(x, link));
      if (again) assertPrefix(packet.encode(again as packet.PacketInput), mutant, 'packet');
    });
  });

  it('arbitrary bytes from every starting layer', () => {
    const link = fc.constantFrom<packet.LinkKind>('ethernet', 'ipv4', 'ipv6', 'icmpv6');
    check(FILE, [link, A.bytes(0, 120)], (l, b) => {
      decodesOrRejects(b, (x) => packet.decode(x, l));
      decodesOrRejects(b, packet.rawLink);
    });
  });

  it('arbitrary bytes for each layer decoder', () => {
    check(FILE, [A.bytes(0, 100)], (b) => {
      decodesOrRejects(b, arp.decode);
      decodesOrRejects(b, ethernet.decode);
      decodesOrRejects(b, ipv4.decode);
      decodesOrRejects(b, ipv6.decode);
      decodesOrRejects(b, ip6in4.decode);
    });
  });
});

/** A classic pcap file written by the test itself: either byte order, micro- or nanoseconds. */
function classicPcap(cap: A.CaptureInput, le: boolean, nanos: boolean): Uint8Array {
  const size = 24 + cap.packets.reduce((n, p) => n + 16 + p.data.length, 0);
  const b = new Uint8Array(size);
  const v = new DataView(b.buffer);
  v.setUint32(0, nanos ? 0xa1b23c4d : 0xa1b2c3d4, le);
  v.setUint16(4, 2, le);
  v.setUint16(6, 4, le);
  v.setUint32(16, cap.interfaces[0].snapLength, le);
  v.setUint32(20, cap.interfaces[0].linkType, le);
  let o = 24;
  for (const p of cap.packets) {
    const sec = Math.floor(p.timestamp / 1e6) % 2 ** 32;
    const micros = p.timestamp % 1e6;
    v.setUint32(o, sec, le);
    v.setUint32(o + 4, nanos ? micros * 1000 + 999 : micros, le); // ns past the µs are truncated
    v.setUint32(o + 8, p.data.length, le);
    v.setUint32(o + 12, p.originalLength, le);
    b.set(p.data, o + 16);
    o += 16 + p.data.length;
  }
  return b;
}

describe('capture files', () => {
  it('pcapng: what the writer wrote, the reader reads; mutants fail cleanly', () => {
    check(FILE, [A.captureInput, muts], (cap, m) => {
      const w = new pcapng.PcapngWriter();
      for (const i of cap.interfaces) w.addInterface(i.linkType, i.name, i.snapLength);
      for (const p of cap.packets) w.packet(p.interfaceId, p.timestamp, p.data, p.originalLength, p.comment);
      const b = w.bytes();
      const read = pcapng.read(b);
      assertSame(read.interfaces, cap.interfaces.map((i) => ({ ...i, unitsPerSecond: 1_000_000 })));
      assertSame(read.packets, cap.packets);
      decodesOrRejects(A.mutate(b, m), pcapng.read);
      decodesOrRejects(A.mutate(b, m), pcap.readCapture);
    });
  });

  it('classic pcap in both byte orders and both magics; mutants fail cleanly', () => {
    check(FILE, [A.captureInput, fc.boolean(), fc.boolean(), muts], (cap, le, nanos, m) => {
      const b = classicPcap(cap, le, nanos);
      const read = pcap.readCapture(b);
      assertSame(read.interfaces, [{ linkType: cap.interfaces[0].linkType, snapLength: cap.interfaces[0].snapLength, unitsPerSecond: 1_000_000 }]);
      assertSame(
        read.packets,
        cap.packets.map((p) => ({ interfaceId: 0, timestamp: (Math.floor(p.timestamp / 1e6) % 2 ** 32) * 1e6 + (p.timestamp % 1e6), data: p.data, originalLength: p.originalLength })),
      );
      decodesOrRejects(A.mutate(b, m), pcap.readCapture);
    });
  });

  it('arbitrary bytes, and bytes after a capture magic', () => {
    const magic = fc.constantFrom('0a0d0d0a', 'd4c3b2a1', 'a1b2c3d4', '4d3cb2a1', 'a1b23c4d', '');
    check(FILE, [magic, A.bytes(0, 120)], (mg, rest) => {
      const b = A.concat([Uint8Array.from(mg.match(/../g) ?? [], (h) => parseInt(h, 16)), rest]);
      decodesOrRejects(b, pcap.readCapture);
      decodesOrRejects(b, pcapng.read);
      decodesOrRejects(b, pcap.read);
    });
  });
});
