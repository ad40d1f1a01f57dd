/**
 * rtsold -m's router probe on Linux (FreeBSD's probe_defrouters): the IPv6 default routes through
 * an interface, from an RTM_GETROUTE dump (no privilege needed), and to each router an empty IPv6
 * packet (next header 59, hop limit 255) on a raw socket the root half opened. The packet carries
 * nothing; sending it makes the kernel resolve or re-check the router's link-layer address, so a
 * router left behind on the old network is found unreachable at once.
 */
import type { RouterProber } from '../../core/ports.js';
import { Ipv6Address } from '../../core/wire/ipv6-address.js';
import * as rtnl from '../../core/wire/rtnetlink/index.js';
import { native, sys } from './addon.js';
import { NetlinkSocket } from './netlink/socket.js';
import { PortStats } from './port-stats.js';
import { sockaddrIn6 } from './sockaddr.js';

const IPPROTO_NONE = 59;

/** Opens the probe socket (needs CAP_NET_RAW). */
export function openRouterProbeSocket(): number {
  const c = sys();
  const fd = native().socket(c.AF_INET6, c.SOCK_RAW, IPPROTO_NONE);
  try {
    native().setsockopt(fd, c.IPPROTO_IPV6, c.IPV6_UNICAST_HOPS, 255);
  } catch (err) {
    native().close(fd);
    throw err;
  }
  return fd;
}

export class LinuxRouterProber implements RouterProber {
  readonly stats = new PortStats();
  private netlink: NetlinkSocket | undefined;

  constructor(readonly fd: number) {}

  defaultRouters(ifindex: number, done: (routers: Ipv6Address[]) => void): void {
    this.netlink ??= new NetlinkSocket();
    this.netlink.dump(rtnl.RTM_GETROUTE, rtnl.AF_INET6, (err, replies) => {
      if (err) return done([]);
      const routers: Ipv6Address[] = [];
      for (const m of replies) {
        if (m.kind !== 'route' || m.dstLength !== 0 || m.type !== rtnl.RTN_UNICAST) continue;
        if ((m.attributes.table ?? m.table) !== rtnl.RT_TABLE_MAIN || m.attributes.oif !== ifindex) continue;
        const gw = m.attributes.gateway;
        if (gw instanceof Ipv6Address && !routers.some((r) => r.equals(gw))) routers.push(gw);
      }
      done(routers);
    });
  }

  probe(ifindex: number, router: Ipv6Address): void {
    try {
      const n = native().sendmsg(this.fd, new Uint8Array(0), sockaddrIn6(router, ifindex), null);
      if (n === null) this.stats.drop();
      else this.stats.sent++;
    } catch (err) {
      this.stats.drop(err as Error);
    }
  }

  close(): void {
    this.netlink?.close();
    native().close(this.fd);
  }
}
