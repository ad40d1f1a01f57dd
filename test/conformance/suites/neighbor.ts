/**
 * NeighborPort conformance: the IPv4 neighbour table of host A, whose interface `ifindex` shares
 * a link with a peer, with app_solicit on so the kernel asks userspace to resolve. `unused(n)` are
 * addresses on that link nobody owns.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { NeighborEntry, NeighborPort } from '../../../src/core/ports.js';
import type { Ipv4Address } from '../../../src/core/wire/ipv4-address.js';
import { MacAddress } from '../../../src/core/wire/mac-address.js';
import { SECOND } from '../../../src/core/time.js';
import { collect, type Fixture } from './fixture.js';

export interface NeighborFixture extends Fixture {
  port: NeighborPort;
  ifindex: number;
  /** An address on A's link that no host owns (distinct for distinct n). */
  unused(n: number): Ipv4Address;
  /** Makes A's kernel need `ip` resolved (sends it a packet). */
  provoke(ip: Ipv4Address): void;
  /** Makes the port lose notifications (a netlink overrun); resolves once that has happened. */
  overrun(): Promise<void>;
}

const MAC = MacAddress.parse('02:00:5e:00:53:01');

async function dumped(f: NeighborFixture, pred: (entries: NeighborEntry[]) => boolean, within = 2 * SECOND): Promise<NeighborEntry[]> {
  let last: NeighborEntry[] = [];
  let pending = false;
  await f.until(() => {
    if (!pending) {
      pending = true;
      f.port.dump((e) => {
        last = e;
        pending = false;
      });
    }
    return pred(last);
  }, within);
  return last;
}

const find = (entries: NeighborEntry[], ifindex: number, ip: Ipv4Address): NeighborEntry | undefined => entries.find((e) => e.ifindex === ifindex && e.ip.equals(ip));

export function neighborSuite(factory: () => Promise<NeighborFixture>): void {
  describe('NeighborPort', () => {
    let f: NeighborFixture;
    beforeEach(async () => {
      f = await factory();
    });
    afterEach(async () => {
      await f.close();
    });

    it('installs an entry that dumps show and change events report', async () => {
      const ip = f.unused(1);
      const changes = collect(f.port.onChange.bind(f.port), (e) => e.ip.equals(ip));
      f.port.install({ ifindex: f.ifindex, ip, mac: MAC, state: 'permanent' });
      const entries = await dumped(f, (es) => find(es, f.ifindex, ip) !== undefined);
      expect(find(entries, f.ifindex, ip)).toEqual({ ifindex: f.ifindex, ip, mac: MAC, state: 'permanent' });
      expect(await f.until(() => changes.items.length > 0, SECOND)).toBe(true);
      expect(changes.items[0]).toMatchObject({ ifindex: f.ifindex, state: 'permanent', removed: false });
      expect(changes.items[0].mac?.equals(MAC)).toBe(true);
    });

    it('removes an entry, reported as removed', async () => {
      const ip = f.unused(2);
      f.port.install({ ifindex: f.ifindex, ip, mac: MAC, state: 'permanent' });
      await dumped(f, (es) => find(es, f.ifindex, ip) !== undefined);
      const changes = collect(f.port.onChange.bind(f.port), (e) => e.ip.equals(ip) && e.removed);
      f.port.remove(f.ifindex, ip);
      const entries = await dumped(f, (es) => find(es, f.ifindex, ip) === undefined);
      expect(find(entries, f.ifindex, ip)).toBeUndefined();
      expect(await f.until(() => changes.items.length > 0, SECOND)).toBe(true);
    });

    it('passes on the kernel asking to resolve, and the answer installed is used', async () => {
      const ip = f.unused(3);
      const asks = collect(f.port.onRequest.bind(f.port), (r) => r.ip.equals(ip));
      f.provoke(ip);
      expect(await f.until(() => asks.items.length > 0, 3 * SECOND)).toBe(true);
      expect(asks.items[0]).toMatchObject({ ifindex: f.ifindex, state: 'incomplete' });
      f.port.install({ ifindex: f.ifindex, ip, mac: MAC, state: 'stale' });
      const entries = await dumped(f, (es) => find(es, f.ifindex, ip)?.mac !== undefined);
      const e = find(entries, f.ifindex, ip);
      expect(e?.mac?.equals(MAC)).toBe(true);
      expect(['stale', 'delay', 'probe', 'reachable']).toContain(e?.state);
    });

    it('reports a resolution nobody answers as failed', async () => {
      const ip = f.unused(4);
      const failed = collect(f.port.onChange.bind(f.port), (e) => e.ip.equals(ip) && e.state === 'failed');
      f.provoke(ip);
      expect(await f.until(() => failed.items.length > 0, 10 * SECOND)).toBe(true);
      expect(failed.items[0]).toMatchObject({ ifindex: f.ifindex, removed: false });
    });

    it('after lost notifications, hands subscribers a fresh dump', async () => {
      const ip = f.unused(5);
      f.port.install({ ifindex: f.ifindex, ip, mac: MAC, state: 'permanent' });
      await dumped(f, (es) => find(es, f.ifindex, ip) !== undefined);
      const resyncs = collect(f.port.onResync.bind(f.port));
      await f.overrun();
      expect(await f.until(() => resyncs.items.length > 0, 2 * SECOND)).toBe(true);
      expect(find(resyncs.items[0], f.ifindex, ip)?.mac?.equals(MAC)).toBe(true);
    });

    it('dumps asynchronously: the callback never runs before dump() returns', async () => {
      let returned = false;
      let calledEarly = false;
      let called = false;
      f.port.dump(() => {
        calledEarly = !returned;
        called = true;
      });
      returned = true;
      expect(await f.until(() => called, SECOND)).toBe(true);
      expect(calledEarly).toBe(false);
    });
  });
}
