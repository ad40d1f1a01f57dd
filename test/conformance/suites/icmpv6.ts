/**
 * Icmpv6Port conformance: a port on each end of one link, both interfaces with link-local
 * addresses. Messages are Router Solicitations whose reserved field carries a tag, so the hosts'
 * own ND traffic can be told apart.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Icmpv6Port, Icmpv6Received } from '../../../src/core/ports.js';
import { Ipv6Address } from '../../../src/core/wire/ipv6-address.js';
import * as icmpv6 from '../../../src/core/wire/icmpv6.js';
import { SECOND } from '../../../src/core/time.js';
import { collect, type Fixture } from './fixture.js';

export interface Icmpv6End {
  port: Icmpv6Port;
  ifindex: number;
  linkLocal: Ipv6Address;
}

export interface Icmpv6Fixture extends Fixture {
  a: Icmpv6End;
  b: Icmpv6End;
}

/** An RS whose reserved field holds `tag`, with a bogus checksum the port must replace. */
function rs(tag: number): Uint8Array {
  const m = new Uint8Array(8);
  m[0] = 133;
  m[2] = 0xde;
  m[3] = 0xad;
  new DataView(m.buffer).setUint32(4, tag);
  return m;
}

const tagOf = (m: Icmpv6Received): number => (m.message.length >= 8 && m.message[0] === 133 ? new DataView(m.message.buffer, m.message.byteOffset).getUint32(4) : -1);

export function icmpv6Suite(factory: () => Promise<Icmpv6Fixture>): void {
  describe('Icmpv6Port', () => {
    let f: Icmpv6Fixture;
    beforeEach(async () => {
      f = await factory();
    });
    afterEach(async () => {
      await f.close();
    });

    it('delivers a multicast message with its source, destination, hop limit 255, interface and a valid checksum', async () => {
      const got = collect(f.b.port.onMessage.bind(f.b.port), (m) => tagOf(m) === 1);
      f.a.port.send({ ifindex: f.a.ifindex, dst: Ipv6Address.ALL_NODES, message: rs(1) });
      expect(await f.until(() => got.items.length > 0, SECOND)).toBe(true);
      const m = got.items[0];
      expect(m.ifindex).toBe(f.b.ifindex);
      expect(m.src.equals(f.a.linkLocal)).toBe(true);
      expect(m.dst.equals(Ipv6Address.ALL_NODES)).toBe(true);
      expect(m.hopLimit).toBe(255);
      expect(m.message.length).toBe(8);
      expect(icmpv6.checksumOk(m.message, m.src, m.dst)).toBe(true);
    });

    it('delivers unicast to the link-local address', async () => {
      const got = collect(f.b.port.onMessage.bind(f.b.port), (m) => tagOf(m) === 2);
      f.a.port.send({ ifindex: f.a.ifindex, dst: f.b.linkLocal, message: rs(2) });
      expect(await f.until(() => got.items.length > 0, SECOND)).toBe(true);
      expect(got.items[0].dst.equals(f.b.linkLocal)).toBe(true);
      expect(got.items[0].src.equals(f.a.linkLocal)).toBe(true);
    });

    it('sends with the hop limit and source asked for', async () => {
      const got = collect(f.b.port.onMessage.bind(f.b.port), (m) => tagOf(m) === 3);
      f.a.port.send({ ifindex: f.a.ifindex, dst: f.b.linkLocal, src: f.a.linkLocal, hopLimit: 64, message: rs(3) });
      expect(await f.until(() => got.items.length > 0, SECOND)).toBe(true);
      expect(got.items[0].hopLimit).toBe(64);
      expect(got.items[0].src.equals(f.a.linkLocal)).toBe(true);
    });

    it('does not loop its own multicast back, and answers in both directions', async () => {
      const own = collect(f.a.port.onMessage.bind(f.a.port), (m) => tagOf(m) === 4);
      const back = collect(f.a.port.onMessage.bind(f.a.port), (m) => tagOf(m) === 5);
      f.a.port.send({ ifindex: f.a.ifindex, dst: Ipv6Address.ALL_NODES, message: rs(4) });
      f.b.port.send({ ifindex: f.b.ifindex, dst: Ipv6Address.ALL_NODES, message: rs(5) });
      expect(await f.until(() => back.items.length > 0, SECOND)).toBe(true);
      await f.pass(SECOND / 10);
      expect(own.items).toEqual([]);
      expect(back.items[0].src.equals(f.b.linkLocal)).toBe(true);
    });

    it('stops after close; sending on an unknown interface is dropped, not thrown', async () => {
      const got = collect(f.b.port.onMessage.bind(f.b.port), (m) => tagOf(m) >= 6);
      expect(() => f.a.port.send({ ifindex: 9999, dst: Ipv6Address.ALL_NODES, message: rs(6) })).not.toThrow();
      f.b.port.close();
      f.a.port.send({ ifindex: f.a.ifindex, dst: Ipv6Address.ALL_NODES, message: rs(7) });
      await f.pass(SECOND / 5);
      expect(got.items).toEqual([]);
    });
  });
}
