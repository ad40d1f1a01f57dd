/**
 * Conformance factories over the Linux adapters: real sockets in test namespaces joined by veth
 * pairs (built with the netns harness; the sockets are opened inside the namespaces through
 * setns, so this process owns them). Time is real: `until` polls, bounded by the suite's limit
 * times SLACK so a loaded CI machine does not fail a test that would pass.
 */
import { Netns } from '../../netns/harness.js';
import type { Fixture } from '../suites/fixture.js';
import type { FrameFixture } from '../suites/frame.js';
import type { Icmpv6Fixture } from '../suites/icmpv6.js';
import type { Ip6in4Fixture } from '../suites/ip6in4.js';
import type { NeighborFixture } from '../suites/neighbor.js';
import type { ClockFixture } from '../suites/clock.js';
import type { Micros } from '../../../src/core/time.js';
import { Ipv4Address } from '../../../src/core/wire/ipv4-address.js';
import { Ipv6Address } from '../../../src/core/wire/ipv6-address.js';
import { LinuxFramePort } from '../../../src/adapters/linux/frame-port.js';
import { LinuxIcmpv6Port } from '../../../src/adapters/linux/icmpv6-port.js';
import { LinuxIp6in4Port } from '../../../src/adapters/linux/ip6in4-port.js';
import { LinuxNeighborPort } from '../../../src/adapters/linux/neighbor-port.js';
import { NetlinkInterfaceControl } from '../../../src/adapters/linux/interface-control.js';
import { MonotonicClock } from '../../../src/adapters/linux/clock.js';
import { native, sys } from '../../../src/adapters/linux/addon.js';
import { sockaddrIn } from '../../../src/adapters/linux/sockaddr.js';

const SLACK = 3;
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function realtime(close: () => void): Fixture {
  return {
    async until(pred, within: Micros) {
      const deadline = performance.now() + (within / 1000) * SLACK;
      while (!pred()) {
        if (performance.now() > deadline) return pred();
        await sleep(2);
      }
      return true;
    },
    async pass(d: Micros) {
      // setTimeout may wake a little early by the monotonic clock; wait out the rest.
      const end = performance.now() + d / 1000;
      while (performance.now() < end) await sleep(Math.max(1, Math.ceil(end - performance.now())));
    },
    close,
  };
}

/**
 * Two namespaces joined by veth a0 <-> b0, operationally up, with IPv6 DAD off so link-locals are
 * usable at once.
 */
async function pair(): Promise<{ a: Netns; b: Netns; cleanup: () => void }> {
  const a = Netns.create();
  const b = Netns.create();
  try {
    for (const ns of [a, b]) {
      ns.sysctl('net.ipv6.conf.all.accept_dad', 0);
      ns.sysctl('net.ipv6.conf.default.accept_dad', 0);
    }
    a.veth('a0', 'b0', b);
    await a.operUp('a0');
    await b.operUp('b0');
  } catch (err) {
    a.delete();
    b.delete();
    throw err;
  }
  return {
    a,
    b,
    cleanup: () => {
      a.delete();
      b.delete();
    },
  };
}

async function linkLocal(ns: Netns, ifname: string): Promise<Ipv6Address> {
  for (let i = 0; i < 200; i++) {
    const m = /inet6 (fe80::[0-9a-f:]+)\/64/.exec(ns.ip('-6', 'addr', 'show', 'dev', ifname, 'scope', 'link'));
    if (m) return Ipv6Address.parse(m[1]);
    await sleep(10);
  }
  throw new Error(`${ifname} in ${ns.name} got no link-local address`);
}

export async function linuxFrames(): Promise<FrameFixture> {
  const { a, b, cleanup } = await pair();
  const pa = a.enter(() => LinuxFramePort.open('a0'));
  const pb = b.enter(() => LinuxFramePort.open('b0'));
  return {
    a: pa,
    b: pb,
    ...realtime(() => {
      pa.close();
      pb.close();
      cleanup();
    }),
  };
}

export async function linuxIcmpv6(): Promise<Icmpv6Fixture> {
  const { a, b, cleanup } = await pair();
  const [llA, llB] = [await linkLocal(a, 'a0'), await linkLocal(b, 'b0')];
  const pa = a.enter(() => LinuxIcmpv6Port.open(['a0']));
  const pb = b.enter(() => LinuxIcmpv6Port.open(['b0']));
  return {
    a: { port: pa, ifindex: a.ifindex('a0'), linkLocal: llA },
    b: { port: pb, ifindex: b.ifindex('b0'), linkLocal: llB },
    ...realtime(() => {
      pa.close();
      pb.close();
      cleanup();
    }),
  };
}

export async function linuxIp6in4(): Promise<Ip6in4Fixture> {
  const { a, b, cleanup } = await pair();
  a.addr('a0', '192.0.2.1/24');
  b.addr('b0', '192.0.2.2/24');
  const pa = a.enter(() => LinuxIp6in4Port.open());
  const pb = b.enter(() => LinuxIp6in4Port.open());
  return {
    a: { port: pa, address: Ipv4Address.parse('192.0.2.1') },
    b: { port: pb, address: Ipv4Address.parse('192.0.2.2') },
    ...realtime(() => {
      pa.close();
      pb.close();
      cleanup();
    }),
  };
}

export async function linuxNeighbors(): Promise<NeighborFixture> {
  const { a, b, cleanup } = await pair();
  a.addr('a0', '192.0.2.1/24');
  b.addr('b0', '192.0.2.2/24');
  // Ask userspace first (app_solicit), send no broadcast, give up quickly.
  a.sysctl('net.ipv4.neigh.a0.app_solicit', 1);
  a.sysctl('net.ipv4.neigh.a0.mcast_solicit', 0);
  a.sysctl('net.ipv4.neigh.a0.ucast_solicit', 0);
  a.sysctl('net.ipv4.neigh.a0.retrans_time_ms', 300);
  const control = a.enter(() => new NetlinkInterfaceControl());
  // A small receive buffer, so `overrun` can overflow it.
  const port = a.enter(() => new LinuxNeighborPort({ writer: control, receiveBuffer: 4096 }));
  const udp = a.enter(() => native().socket(sys().AF_INET, sys().SOCK_DGRAM, 0));
  return {
    port,
    ifindex: a.ifindex('a0'),
    unused: (n) => Ipv4Address.parse(`192.0.2.${10 + n}`),
    provoke: (ip) => {
      native().sendmsg(udp, new Uint8Array(8), sockaddrIn(ip, 9), null);
    },
    overrun: async () => {
      // Many table changes while this process is blocked in execFileSync and cannot read.
      const lines = Array.from({ length: 150 }, (_, i) => `neigh add 192.0.2.${100 + i} lladdr 02:00:5e:00:53:${(i + 16).toString(16)} dev a0 nud permanent`);
      a.exec(['ip', '-batch', '-'], { input: lines.join('\n') + '\n' });
    },
    ...realtime(() => {
      port.close();
      control.close();
      native().close(udp);
      cleanup();
    }),
  };
}

export async function linuxClock(): Promise<ClockFixture> {
  const clock = new MonotonicClock().unref();
  return { clock, ...realtime(() => undefined) };
}
