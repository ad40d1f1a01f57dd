import { describe, expect, it } from 'vitest';
import { ALWAYS_ALIVE } from '../../../src/adapters/sim/medium.js';
import { Ipv4Address } from '../../../src/core/wire/ipv4-address.js';
import * as ipv4 from '../../../src/core/wire/ipv4.js';
import { cable, env, underlay, type Env } from './helpers/medium.js';
import type { Underlay } from '../../../src/adapters/sim/underlay.js';

const addr = (t: string): Ipv4Address => Ipv4Address.parse(t);

function plug(e: Env, u: Underlay, name: string, address: string, faults = {}) {
  return u.attach({ node: name, ifname: 'u0', addresses: [addr(address)], mtu: 1500, cable: cable(e, `link:underlay/${name}:u0`, faults), owner: ALWAYS_ALIVE });
}

const packet = (src: string, dst: string, tag = 0): Uint8Array => ipv4.encode({ src: addr(src), dst: addr(dst), ttl: 64, protocol: 41, payload: Uint8Array.of(tag) });

describe('Underlay', () => {
  it('delivers each packet to the port owning its destination, after both cables', () => {
    const e = env();
    const u = underlay(e);
    const a = plug(e, u, 'a', '192.0.2.1', { latency: 1000 });
    const b = plug(e, u, 'b', '192.0.2.2', { latency: 500 });
    const c = plug(e, u, 'c', '192.0.2.3');
    const got: Record<string, number[]> = { b: [], c: [] };
    b.onPacket((p) => got.b.push(e.scheduler.now() * 1000 + p[20]));
    c.onPacket((p) => got.c.push(p[20]));
    a.send(packet('192.0.2.1', '192.0.2.2', 7));
    e.scheduler.runUntil(10_000);
    expect(got).toEqual({ b: [1500 * 1000 + 7], c: [] });
  });

  it('loses packets with no owner, not IPv4, or from a port that is down', () => {
    const e = env();
    const u = underlay(e);
    const a = plug(e, u, 'a', '192.0.2.1');
    const b = plug(e, u, 'b', '192.0.2.2');
    let got = 0;
    b.onPacket(() => got++);
    a.send(packet('192.0.2.1', '198.51.100.9'));
    a.send(Uint8Array.of(0x60, 0, 0, 0));
    a.setLink(false);
    a.send(packet('192.0.2.1', '192.0.2.2'));
    e.scheduler.runUntil(10_000);
    expect(got).toBe(0);
    expect(e.trace.events.filter((x) => x.event === 'ip4.lost').map((x) => x.reason)).toEqual(['no-route', 'not-ipv4', 'link-down']);
  });

  it('refuses an address already owned', () => {
    const e = env();
    const u = underlay(e);
    plug(e, u, 'a', '192.0.2.1');
    expect(() => plug(e, u, 'b', '192.0.2.1')).toThrow(/already a:u0's/);
  });

  it('applies loss on the receiving cable', () => {
    const e = env(3);
    const u = underlay(e);
    const a = plug(e, u, 'a', '192.0.2.1');
    const b = plug(e, u, 'b', '192.0.2.2', { loss: 0.5 });
    let got = 0;
    b.onPacket(() => got++);
    for (let i = 0; i < 1000; i++) a.send(packet('192.0.2.1', '192.0.2.2'));
    e.scheduler.runUntil(10_000);
    expect(got).toBeGreaterThan(430);
    expect(got).toBeLessThan(570);
  });
});
