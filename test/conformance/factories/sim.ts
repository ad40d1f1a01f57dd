/**
 * Conformance factories over the simulator: two kernel-model hosts on one segment, and the ports
 * a daemon core gets from its host (src/adapters/sim/nodes/kernel/ports). Time is virtual: `until`
 * runs the scheduler event by event until the condition holds or the limit is reached.
 */
import { loadTopology } from '../../../src/adapters/sim/topology/load.js';
import { Simulation } from '../../../src/adapters/sim/run.js';
import { Prng } from '../../../src/adapters/sim/prng.js';
import type { HostNode } from '../../../src/adapters/sim/nodes/host.js';
import type { HostPorts } from '../../../src/adapters/sim/nodes/kernel/ports/index.js';
import type { Micros } from '../../../src/core/time.js';
import { SECOND } from '../../../src/core/time.js';
import { Ipv4Address } from '../../../src/core/wire/ipv4-address.js';
import type { Ipv6Address } from '../../../src/core/wire/ipv6-address.js';
import type { Fixture } from '../suites/fixture.js';
import type { FrameFixture } from '../suites/frame.js';
import type { Icmpv6Fixture } from '../suites/icmpv6.js';
import type { Ip6in4Fixture } from '../suites/ip6in4.js';
import type { NeighborFixture } from '../suites/neighbor.js';
import type { ClockFixture } from '../suites/clock.js';

interface World {
  sim: Simulation;
  ports(node: string): HostPorts;
  fixture: Fixture;
}

function world(h1Config = '{}'): World {
  const sim = new Simulation(
    loadTopology(`
duration: 1h
segments: {lan: {}}
nodes:
  h1: {kind: host, interfaces: {eth0: {segment: lan, mac: "02:00:00:00:01:01", ipv4: [192.0.2.1/24]}}, config: ${h1Config}}
  h2: {kind: host, interfaces: {eth0: {segment: lan, mac: "02:00:00:00:01:02", ipv4: [192.0.2.2/24]}}}
`),
    { seed: 1 },
  );
  const s = sim.scheduler;
  sim.runUntil(0); // boot the hosts
  const fixture: Fixture = {
    async until(pred, within: Micros) {
      const end = s.now() + within;
      while (!pred()) {
        const next = s.peek();
        if (next === undefined || next > end) {
          sim.runUntil(end);
          return pred();
        }
        s.step();
      }
      return true;
    },
    async pass(d: Micros) {
      sim.runUntil(s.now() + d);
    },
    close: () => undefined,
  };
  const cache = new Map<string, HostPorts>();
  return {
    sim,
    fixture,
    ports(node) {
      let p = cache.get(node);
      if (!p) {
        p = (sim.world.node(node)!.node as HostNode).kernel.ports(new Prng(1, `conformance:${node}`));
        cache.set(node, p);
      }
      return p;
    },
  };
}

export async function simFrames(): Promise<FrameFixture> {
  const w = world();
  return { ...w.fixture, a: w.ports('h1').frames('eth0'), b: w.ports('h2').frames('eth0') };
}

async function linkLocal(w: World, node: string): Promise<{ ifindex: number; ll: Ipv6Address }> {
  const iface = (): ReturnType<HostPorts['interfaces']['byName']> => w.ports(node).interfaces.byName('eth0');
  const usable = (): Ipv6Address | undefined => iface()?.ipv6.find((a) => !a.tentative && a.address.w0 >>> 16 === 0xfe80)?.address;
  await w.fixture.until(() => usable() !== undefined, 10 * SECOND); // DAD takes a second or so
  const ll = usable();
  if (!ll) throw new Error(`${node} has no usable link-local address`);
  return { ifindex: iface()!.ifindex, ll };
}

export async function simIcmpv6(): Promise<Icmpv6Fixture> {
  const w = world();
  const a = await linkLocal(w, 'h1');
  const b = await linkLocal(w, 'h2');
  return {
    ...w.fixture,
    a: { port: w.ports('h1').icmpv6(), ifindex: a.ifindex, linkLocal: a.ll },
    b: { port: w.ports('h2').icmpv6(), ifindex: b.ifindex, linkLocal: b.ll },
  };
}

export async function simIp6in4(): Promise<Ip6in4Fixture> {
  const w = world();
  return {
    ...w.fixture,
    a: { port: w.ports('h1').ip6in4(), address: Ipv4Address.parse('192.0.2.1') },
    b: { port: w.ports('h2').ip6in4(), address: Ipv4Address.parse('192.0.2.2') },
  };
}

export async function simNeighbors(): Promise<NeighborFixture> {
  // The same settings as the Linux fixture: ask userspace first, no broadcast, give up quickly.
  const w = world(
    '{sysctl: {"net.ipv4.neigh.eth0.app_solicit": 1, "net.ipv4.neigh.eth0.mcast_solicit": 0, "net.ipv4.neigh.eth0.ucast_solicit": 0, "net.ipv4.neigh.eth0.retrans_time_ms": 300}}',
  );
  const p = w.ports('h1');
  const h1 = w.sim.world.node('h1')!.node as HostNode;
  return {
    ...w.fixture,
    port: p.neighbors,
    ifindex: p.interfaces.byName('eth0')!.ifindex,
    unused: (n) => Ipv4Address.parse(`192.0.2.${10 + n}`),
    provoke: (ip) => h1.handle({ action: 'talk', to: [String(ip)], count: 1 }),
    overrun: async () => h1.handle({ action: 'neigh-overrun' }),
  };
}

export async function simClock(): Promise<ClockFixture> {
  const w = world();
  return { ...w.fixture, clock: w.ports('h1').clock };
}
