/**
 * The devices and sockets the privileged half opens before the child starts, and how the child
 * wraps the descriptors it inherits into ports.
 */
import { MacAddress } from '../../../core/wire/mac-address.js';
import { Ipv6Address } from '../../../core/wire/ipv6-address.js';
import { native } from '../addon.js';
import { LinuxFramePort, openFrameSocket } from '../frame-port.js';
import { LinuxIcmpv6Port, openIcmpv6Socket } from '../icmpv6-port.js';
import { LinuxIp6in4Port, openIp6in4Socket } from '../ip6in4-port.js';
import { LinuxTapPort, LinuxTunPort, openTunDevice } from '../tun.js';
import { LinuxRouterProber, openRouterProbeSocket } from '../router-prober.js';
import type { Json } from './channel.js';

/** What a daemon asks the privileged half to open (addresses as text: these cross the channel). */
export type ResourceRequest =
  | { kind: 'frames'; name: string; ifname: string; protocol?: number; promiscuous?: boolean; multicast?: string[]; receiveBuffer?: number; batchSlot?: number }
  | { kind: 'icmpv6'; name: string; ifnames: string[]; types?: number[]; groups?: string[] }
  | { kind: 'ip6in4'; name: string; ifname?: string }
  | { kind: 'tun'; name: string; ifname: string }
  | { kind: 'tap'; name: string; ifname: string }
  | { kind: 'routerProbe'; name: string };

/** What the child is told about each opened resource; its descriptors follow in order. */
export type ResourceDesc =
  | { kind: 'frames'; name: string; ifname: string; ifindex: number; promiscuous: boolean; batchSlot?: number; fds: 1 }
  | { kind: 'icmpv6'; name: string; sockets: Array<{ ifname: string; ifindex: number }>; fds: number }
  | { kind: 'ip6in4'; name: string; fds: 1 }
  | { kind: 'tun' | 'tap'; name: string; ifname: string; ifindex: number; fds: 1 }
  | { kind: 'routerProbe'; name: string; fds: 1 };

function ifindexOf(ifname: string): number {
  const i = native().ifNameToIndex(ifname);
  if (i === 0) throw new Error(`no interface ${ifname}`);
  return i;
}

/** Opens one resource (privileged); returns its description and descriptors. */
export function openResource(r: ResourceRequest): { desc: ResourceDesc; fds: number[] } {
  switch (r.kind) {
    case 'frames': {
      const ifindex = ifindexOf(r.ifname);
      const fd = openFrameSocket(ifindex, { protocol: r.protocol, promiscuous: r.promiscuous, multicast: r.multicast?.map((m) => MacAddress.parse(m)), receiveBuffer: r.receiveBuffer });
      return { desc: { kind: 'frames', name: r.name, ifname: r.ifname, ifindex, promiscuous: r.promiscuous ?? false, batchSlot: r.batchSlot, fds: 1 }, fds: [fd] };
    }
    case 'icmpv6': {
      const fds: number[] = [];
      const sockets: Array<{ ifname: string; ifindex: number }> = [];
      try {
        for (const ifname of r.ifnames) {
          const ifindex = ifindexOf(ifname);
          fds.push(openIcmpv6Socket(ifindex, ifname, { types: r.types, groups: r.groups?.map((g) => Ipv6Address.parse(g)) }));
          sockets.push({ ifname, ifindex });
        }
      } catch (err) {
        for (const fd of fds) native().close(fd);
        throw err;
      }
      return { desc: { kind: 'icmpv6', name: r.name, sockets, fds: fds.length }, fds };
    }
    case 'ip6in4':
      return { desc: { kind: 'ip6in4', name: r.name, fds: 1 }, fds: [openIp6in4Socket(r.ifname)] };
    case 'tun':
    case 'tap': {
      const d = openTunDevice(r.ifname, r.kind === 'tap');
      return { desc: { kind: r.kind, name: r.name, ifname: d.name, ifindex: d.ifindex, fds: 1 }, fds: [d.fd] };
    }
    case 'routerProbe':
      return { desc: { kind: 'routerProbe', name: r.name, fds: 1 }, fds: [openRouterProbeSocket()] };
  }
}

export type Port = LinuxFramePort | LinuxIcmpv6Port | LinuxIp6in4Port | LinuxTunPort | LinuxTapPort | LinuxRouterProber;

/** Wraps inherited descriptors into ports (unprivileged). */
export function wrapResource(desc: ResourceDesc, fds: number[]): Port {
  switch (desc.kind) {
    case 'frames':
      return new LinuxFramePort(fds[0], desc.ifindex, desc.ifname, desc.promiscuous, desc.batchSlot ? { slotSize: desc.batchSlot } : undefined);
    case 'icmpv6':
      return new LinuxIcmpv6Port(desc.sockets.map((s, i) => ({ fd: fds[i], ...s })));
    case 'ip6in4':
      return new LinuxIp6in4Port(fds[0]);
    case 'tun':
      return new LinuxTunPort(fds[0], desc.ifindex, desc.ifname);
    case 'tap':
      return new LinuxTapPort(fds[0], desc.ifindex, desc.ifname);
    case 'routerProbe':
      return new LinuxRouterProber(fds[0]);
  }
}

export function descJson(d: ResourceDesc): Json {
  return d as unknown as Json;
}
