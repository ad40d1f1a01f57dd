/** Ip6in4Port conformance: protocol-41 datagrams between two IPv4 hosts on one network. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Ip6in4Datagram, Ip6in4Port } from '../../../src/core/ports.js';
import type { Ipv4Address } from '../../../src/core/wire/ipv4-address.js';
import { Ipv6Address } from '../../../src/core/wire/ipv6-address.js';
import * as ipv6 from '../../../src/core/wire/ipv6.js';
import { SECOND } from '../../../src/core/time.js';
import { collect, type Fixture } from './fixture.js';

export interface Ip6in4End {
  port: Ip6in4Port;
  address: Ipv4Address;
}

export interface Ip6in4Fixture extends Fixture {
  a: Ip6in4End;
  b: Ip6in4End;
}

/** An IPv6 packet (no next header) whose flow label carries `tag`. */
function inner(tag: number, extra = 0): Uint8Array {
  return ipv6.encode({
    trafficClass: 0,
    flowLabel: tag,
    protocol: ipv6.NH_NONE,
    hopLimit: 64,
    src: Ipv6Address.parse('fe80::5efe:c000:201'),
    dst: Ipv6Address.parse('fe80::5efe:c000:202'),
    payload: new Uint8Array(extra).map((_, i) => i & 0xff),
  });
}

const tagOf = (d: Ip6in4Datagram): number => (d.payload.length >= 4 ? ((d.payload[1] & 0x0f) << 16) | (d.payload[2] << 8) | d.payload[3] : -1);

export function ip6in4Suite(factory: () => Promise<Ip6in4Fixture>): void {
  describe('Ip6in4Port', () => {
    let f: Ip6in4Fixture;
    beforeEach(async () => {
      f = await factory();
    });
    afterEach(async () => {
      await f.close();
    });

    it('carries an IPv6 packet to the destination with source, destination and TTL', async () => {
      const got = collect(f.b.port.onDatagram.bind(f.b.port), (d) => tagOf(d) === 1);
      const packet = inner(1, 100);
      f.a.port.send({ dst: f.b.address, payload: packet });
      expect(await f.until(() => got.items.length > 0, SECOND)).toBe(true);
      const d = got.items[0];
      expect(d.src.equals(f.a.address)).toBe(true);
      expect(d.dst.equals(f.b.address)).toBe(true);
      expect(d.ttl).toBeGreaterThan(0);
      expect(d.payload).toEqual(packet);
    });

    it('sends with the TTL and source asked for', async () => {
      const got = collect(f.b.port.onDatagram.bind(f.b.port), (d) => tagOf(d) === 2);
      f.a.port.send({ src: f.a.address, dst: f.b.address, ttl: 17, dontFragment: true, payload: inner(2) });
      expect(await f.until(() => got.items.length > 0, SECOND)).toBe(true);
      expect(got.items[0].ttl).toBe(17);
      expect(got.items[0].src.equals(f.a.address)).toBe(true);
    });

    it('works both ways and keeps order', async () => {
      const atB = collect(f.b.port.onDatagram.bind(f.b.port), (d) => tagOf(d) >= 10 && tagOf(d) < 20);
      const atA = collect(f.a.port.onDatagram.bind(f.a.port), (d) => tagOf(d) === 30);
      for (let i = 10; i < 20; i++) f.a.port.send({ dst: f.b.address, payload: inner(i) });
      f.b.port.send({ dst: f.a.address, payload: inner(30) });
      expect(await f.until(() => atB.items.length === 10 && atA.items.length === 1, SECOND)).toBe(true);
      expect(atB.items.map(tagOf)).toEqual([10, 11, 12, 13, 14, 15, 16, 17, 18, 19]);
    });

    it('stops after close, and a send that cannot go out is dropped, not thrown', async () => {
      const got = collect(f.b.port.onDatagram.bind(f.b.port), (d) => tagOf(d) >= 40);
      expect(() => f.a.port.send({ dst: f.b.address, payload: new Uint8Array(70_000) })).not.toThrow();
      f.b.port.close();
      f.a.port.send({ dst: f.b.address, payload: inner(41) });
      await f.pass(SECOND / 5);
      expect(got.items).toEqual([]);
    });
  });
}
