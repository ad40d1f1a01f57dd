/** A rtsold core on fake ports with a manual clock, for unit and property tests. */
import { ManualClock } from '../../helpers/manual-clock.js';
import { FakeIcmpv6, FakeInterfaces, MemoryLog, MemorySysctl, RecordingScripts, seededRandom } from '../../helpers/fake-ports.js';
import { Rtsold } from '../../../src/core/rtsold/rtsold.js';
import { defaultConfig, type RtsoldConfig } from '../../../src/core/rtsold/config.js';
import type { InterfaceInfo, RouterProber } from '../../../src/core/ports.js';
import { MacAddress } from '../../../src/core/wire/mac-address.js';
import { Ipv6Address } from '../../../src/core/wire/ipv6-address.js';
import * as icmpv6 from '../../../src/core/wire/icmpv6.js';
import type { RouterAdvertInput } from '../../../src/core/wire/ndisc/router-advert.js';

export const ETH0_MAC = MacAddress.parse('02:00:00:00:00:10');
export const ROUTER = Ipv6Address.parse('fe80::1');

export function ethernet(name: string, ifindex: number, mac = ETH0_MAC, tentative = false): InterfaceInfo {
  return {
    ifindex,
    name,
    mac,
    mtu: 1500,
    up: true,
    running: true,
    loopback: false,
    pointToPoint: false,
    multicast: true,
    ipv4: [],
    ipv6: [{ address: Ipv6Address.linkLocalFromMac(mac), prefixLength: 64, tentative }],
  };
}

/** The kernel's default routers per interface, and the probes sent to them. */
export class FakeRouters implements RouterProber {
  readonly routers = new Map<number, Ipv6Address[]>();
  readonly probes: Array<{ ifindex: number; router: string; at: number }> = [];
  constructor(private readonly now: () => number) {}
  defaultRouters(ifindex: number, done: (routers: Ipv6Address[]) => void): void {
    done(this.routers.get(ifindex) ?? []);
  }
  probe(ifindex: number, router: Ipv6Address): void {
    this.probes.push({ ifindex, router: router.toString(), at: this.now() });
  }
}

export function setup(config: Partial<RtsoldConfig> = {}, infos: InterfaceInfo[] = [ethernet('eth0', 2)], seed = 1) {
  const clock = new ManualClock();
  const now = () => clock.now();
  const icmp = new FakeIcmpv6(now);
  const ifs = new FakeInterfaces(infos);
  const scripts = new RecordingScripts(now);
  const log = new MemoryLog(now);
  const sysctl = new MemorySysctl();
  const cfg = defaultConfig({ interfaces: infos.map((i) => i.name), ...config });
  const routers = new FakeRouters(now);
  const rtsold = new Rtsold(cfg, { clock, random: seededRandom(seed), icmpv6: icmp, interfaces: ifs, scripts, log, sysctl, routers });
  return { rtsold, clock, icmp, ifs, scripts, log, sysctl, routers };
}

/** An RA as the wire carries it (ICMPv6 message bytes). */
export function raBytes(ra: Partial<RouterAdvertInput> = {}): Uint8Array {
  return icmpv6.encode({ kind: 'router-advert', curHopLimit: 64, routerLifetime: 1800, ...ra } as RouterAdvertInput);
}

export function deliverRa(
  h: ReturnType<typeof setup>,
  ra: Partial<RouterAdvertInput> = {},
  over: { ifindex?: number; src?: Ipv6Address; hopLimit?: number; message?: Uint8Array } = {},
): void {
  h.icmp.deliver({
    ifindex: over.ifindex ?? 2,
    src: over.src ?? ROUTER,
    dst: Ipv6Address.ALL_NODES,
    hopLimit: over.hopLimit ?? 255,
    message: over.message ?? raBytes(ra),
  });
}
