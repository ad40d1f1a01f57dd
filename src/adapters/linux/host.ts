/**
 * The ports a daemon core gets on a real Linux host, in one place and with the same member names
 * as the simulator's HostPorts (src/adapters/sim/nodes/kernel/ports), so a daemon command builds
 * its core the way a simulated daemon node does. Two ways in:
 * - `openLinuxHost()`: everything in this process (a daemon run as root without --user, tools);
 * - `childHost(ctx)`: inside the unprivileged child of privilege separation, where sockets come
 *   from the parent and kernel changes go to it.
 */
import type { Clock, FramePort, Icmpv6Port, InterfaceControl, Ip6in4Port, Log, Random, Resolver, ScriptRunner, Store, SysctlPort, TunPort, WallClock } from '../../core/ports.js';
import { MonotonicClock, SystemWallClock } from './clock.js';
import { CryptoRandom } from './random.js';
import { LinuxInterfacePort } from './interface-port.js';
import { LinuxNeighborPort } from './neighbor-port.js';
import { NetlinkInterfaceControl, type NeighborWriter } from './interface-control.js';
import { LinuxSysctl } from './sysctl.js';
import { LinuxScriptRunner } from './script-runner.js';
import { LinuxResolver, type ResolverOptions } from './resolver.js';
import { LinuxFramePort, type FrameSocketOptions } from './frame-port.js';
import { LinuxIcmpv6Port, type Icmpv6SocketOptions } from './icmpv6-port.js';
import { LinuxIp6in4Port } from './ip6in4-port.js';
import { LinuxTunPort } from './tun.js';
import { LmdbStore, type StoreOptions } from './store.js';
import type { ChildContext } from './privsep/child.js';

export interface LinuxHost {
  readonly clock: Clock;
  readonly wall: WallClock;
  readonly random: Random;
  readonly log: Log;
  readonly interfaces: LinuxInterfacePort;
  readonly neighbors: LinuxNeighborPort;
  readonly sysctl: SysctlPort;
  readonly scripts: ScriptRunner;
  readonly resolver: Resolver;
  readonly control: InterfaceControl;
  /** Raw ICMPv6 sockets on the named interfaces (in a privsep child: the ones the parent opened). */
  icmpv6(ifnames?: string[], opts?: Icmpv6SocketOptions): Icmpv6Port;
  frames(ifname: string, opts?: FrameSocketOptions): FramePort;
  ip6in4(ifname?: string): Ip6in4Port;
  tun(ifname: string): TunPort;
  store(path: string, opts?: StoreOptions): Store;
  /** Closes the netlink sockets this host opened (ports opened through it close themselves). */
  close(): void;
}

export interface LinuxHostOptions {
  log: Log;
  /** The sysctl journal of this daemon instance (crash recovery), e.g. /run/linklab/arpd-eth0.sysctl. */
  sysctlJournal?: string;
  resolver?: ResolverOptions;
}

/** Everything in this process: needs root (CAP_NET_RAW, CAP_NET_ADMIN) for sockets and changes. */
export async function openLinuxHost(opts: LinuxHostOptions): Promise<LinuxHost> {
  // Every socket is made before the first await, so a caller inside a namespace (setns) gets
  // them all there.
  const control = new NetlinkInterfaceControl();
  const neighbors = new LinuxNeighborPort({ writer: control });
  const resolver = new LinuxResolver(opts.resolver);
  const interfaces = await LinuxInterfacePort.open();
  return {
    clock: new MonotonicClock(),
    wall: new SystemWallClock(),
    random: new CryptoRandom(),
    log: opts.log,
    interfaces,
    neighbors,
    sysctl: new LinuxSysctl({ journal: opts.sysctlJournal }),
    scripts: new LinuxScriptRunner(),
    resolver,
    control,
    icmpv6: (ifnames = [], o) => LinuxIcmpv6Port.open(ifnames, o),
    frames: (ifname, o) => LinuxFramePort.open(ifname, o),
    ip6in4: (ifname) => LinuxIp6in4Port.open(ifname),
    tun: (ifname) => LinuxTunPort.open(ifname),
    store: (path, o) => new LmdbStore(path, o),
    close: () => {
      neighbors.close();
      interfaces.close();
      control.close();
      resolver.close();
    },
  };
}

/**
 * In the unprivileged child: ports come from the resources the parent opened, named by the
 * daemon (`icmpv6`, `frames:eth0`, `ip6in4`, `tun:is0` below); netlink reading needs no privilege,
 * so the interface mirror and neighbour events are this process's own; every change is the parent's.
 */
export async function childHost(ctx: ChildContext, opts: { log: Log; resolver?: ResolverOptions }): Promise<LinuxHost> {
  const writer: NeighborWriter = ctx.parent;
  const neighbors = new LinuxNeighborPort({ writer });
  const resolver = new LinuxResolver(opts.resolver);
  const interfaces = await LinuxInterfacePort.open();
  return {
    clock: new MonotonicClock(),
    wall: new SystemWallClock(),
    random: new CryptoRandom(),
    log: opts.log,
    interfaces,
    neighbors,
    sysctl: ctx.parent,
    scripts: ctx.parent,
    resolver,
    control: ctx.parent,
    icmpv6: () => ctx.icmpv6('icmpv6'),
    frames: (ifname) => ctx.frames(`frames:${ifname}`),
    ip6in4: () => ctx.ip6in4('ip6in4'),
    tun: (ifname) => ctx.tun(`tun:${ifname}`),
    store: (path, o) => new LmdbStore(path, o),
    close: () => {
      neighbors.close();
      interfaces.close();
      resolver.close();
    },
  };
}
