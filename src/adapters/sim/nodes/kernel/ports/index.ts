/**
 * The core ports of one boot of a simulated host, as a daemon core gets them: the same contracts
 * (src/core/ports.ts) the Linux adapters implement. Per-interface and per-socket ports are opened
 * by the core when it needs them, as a Linux daemon opens its sockets.
 */
import type { Clock, FramePort, Icmpv6Port, InterfaceControl, InterfacePort, Ip6in4Port, Log, NeighborPort, Random, Resolver, ScriptRunner, Store, SysctlPort, TunPort } from '../../../../../core/ports.js';
import type { Stack } from '../stack.js';
import { SimIcmpv6Port } from './icmpv6.js';
import { SimFramePort } from './frame.js';
import { SimNeighborPort } from './neighbor.js';
import { SimInterfacePort } from './interface.js';
import { SimSysctlPort } from './sysctl.js';
import { SimScriptRunner } from './script-runner.js';
import { SimStore, type Disk } from './store.js';
import { SimIp6in4Port } from './ip6in4.js';
import { SimTunPort, type TunOptions } from './tun.js';
import { SimResolver } from './resolver.js';
import { SimInterfaceControl } from './interface-control.js';

export interface HostPorts {
  /** The host's name in the topology. */
  readonly host: string;
  readonly clock: Clock;
  readonly random: Random;
  readonly log: Log;
  readonly interfaces: InterfacePort;
  /** Links, addresses and routes a program changes (`ip tuntap`, `ip addr`, `ip -6 route`). */
  readonly control: InterfaceControl;
  readonly neighbors: NeighborPort;
  readonly sysctl: SysctlPort;
  readonly scripts: ScriptRunner;
  readonly resolver: Resolver;
  /** A raw ICMPv6 socket on every interface. */
  icmpv6(): Icmpv6Port;
  /** A packet socket on one Ethernet interface; throws an Error naming it when there is none. */
  frames(ifname: string): FramePort;
  /** A raw protocol-41 socket. */
  ip6in4(): Ip6in4Port;
  /** Creates TUN interface `ifname`; throws when the name is taken. */
  tun(ifname: string, opts?: TunOptions): TunPort;
  /** The database file at `path` on this host's disk. */
  store(path: string): Store;
}

export function hostPorts(s: Stack, disk: Disk, random: Random, dns: Resolver): HostPorts {
  return {
    host: s.name,
    clock: s.clock,
    random,
    log: s.log,
    interfaces: new SimInterfacePort(s),
    control: new SimInterfaceControl(s),
    neighbors: new SimNeighborPort(s),
    sysctl: new SimSysctlPort(s),
    scripts: new SimScriptRunner(s),
    resolver: new SimResolver(s, dns),
    icmpv6: () => new SimIcmpv6Port(s),
    frames: (ifname) => {
      const nif = s.byName(ifname);
      if (!nif) throw new Error(`${s.name}: no interface ${ifname}`);
      return new SimFramePort(s, nif);
    },
    ip6in4: () => new SimIp6in4Port(s),
    tun: (ifname, opts) => new SimTunPort(s, ifname, opts),
    store: (path) => new SimStore(disk.file(path)),
  };
}

export { Disk } from './store.js';
export { neighborOverrun } from './neighbor.js';
export type { TunOptions } from './tun.js';
