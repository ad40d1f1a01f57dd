/**
 * Icmpv6Port over raw ICMPv6 sockets, one per interface, set up the way well-kept ND
 * implementations do (rtsold, sd-ndisc): an ICMP6 filter passing only the wanted types, unicast and
 * multicast hop limit 255, IPV6_RECVHOPLIMIT and IPV6_RECVPKTINFO (so the core can check hop limit
 * 255 and the arrival interface), SO_BINDTODEVICE, the multicast groups asked for, and multicast
 * loop off. The kernel verifies the checksum of what arrives and fills it in on what leaves.
 */
import type { Icmpv6Port, Icmpv6Received, Icmpv6Send, Unsubscribe } from '../../core/ports.js';
import type { Ipv6Address } from '../../core/wire/ipv6-address.js';
import { ICMPV6_TYPE } from '../../core/wire/icmpv6-types.js';
import { native, sys } from './addon.js';
import { FdWatch } from './fd-watch.js';
import { Handlers } from '../../core/handlers.js';
import { PortStats } from './port-stats.js';
import { icmp6Filter, in6Pktinfo, int32, ipv6Mreq, parseIn6Pktinfo, parseSockaddrIn6, readInt32, sockaddrIn6 } from './sockaddr.js';

/** Router Solicitation .. Redirect: what rtsold and isatapd listen to. */
export const ND_TYPES = [ICMPV6_TYPE['router-solicit'], ICMPV6_TYPE['router-advert'], ICMPV6_TYPE['neighbor-solicit'], ICMPV6_TYPE['neighbor-advert'], ICMPV6_TYPE.redirect];

export interface Icmpv6SocketOptions {
  /** ICMPv6 types to receive (ND_TYPES by default). */
  types?: number[];
  /** Multicast groups to join on the interface (ff02::1 is always joined by the kernel). */
  groups?: Ipv6Address[];
}

/** Opens and configures the raw ICMPv6 socket of one interface (needs CAP_NET_RAW). */
export function openIcmpv6Socket(ifindex: number, ifname: string, opts: Icmpv6SocketOptions = {}): number {
  const addon = native();
  const c = sys();
  const fd = addon.socket(c.AF_INET6, c.SOCK_RAW, c.IPPROTO_ICMPV6);
  try {
    addon.setsockopt(fd, c.IPPROTO_ICMPV6, c.ICMP6_FILTER, icmp6Filter(opts.types ?? ND_TYPES));
    addon.setsockopt(fd, c.IPPROTO_IPV6, c.IPV6_UNICAST_HOPS, 255);
    addon.setsockopt(fd, c.IPPROTO_IPV6, c.IPV6_MULTICAST_HOPS, 255);
    addon.setsockopt(fd, c.IPPROTO_IPV6, c.IPV6_RECVHOPLIMIT, 1);
    addon.setsockopt(fd, c.IPPROTO_IPV6, c.IPV6_RECVPKTINFO, 1);
    addon.setsockopt(fd, c.IPPROTO_IPV6, c.IPV6_MULTICAST_LOOP, 0);
    addon.setsockopt(fd, c.IPPROTO_IPV6, c.IPV6_MULTICAST_IF, ifindex);
    addon.setsockopt(fd, c.SOL_SOCKET, c.SO_BINDTODEVICE, new TextEncoder().encode(ifname + '\0'));
    for (const g of opts.groups ?? []) addon.setsockopt(fd, c.IPPROTO_IPV6, c.IPV6_ADD_MEMBERSHIP, ipv6Mreq(g, ifindex));
  } catch (err) {
    addon.close(fd);
    throw err;
  }
  return fd;
}

/** One interface's socket. */
export interface Icmpv6Socket {
  fd: number;
  ifindex: number;
  ifname: string;
}

export class LinuxIcmpv6Port implements Icmpv6Port {
  readonly stats = new PortStats();
  private readonly handlers = new Handlers<Icmpv6Received>();
  private readonly sockets = new Map<number, { fd: number; watch: FdWatch }>();
  private readonly buf = new Uint8Array(65536);
  private closed = false;

  /** Opens a socket on each named interface. */
  static open(ifnames: string[], opts: Icmpv6SocketOptions = {}): LinuxIcmpv6Port {
    const sockets: Icmpv6Socket[] = [];
    try {
      for (const ifname of ifnames) {
        const ifindex = native().ifNameToIndex(ifname);
        if (ifindex === 0) throw new Error(`no interface ${ifname}`);
        sockets.push({ fd: openIcmpv6Socket(ifindex, ifname, opts), ifindex, ifname });
      }
    } catch (err) {
      for (const s of sockets) native().close(s.fd);
      throw err;
    }
    return new LinuxIcmpv6Port(sockets);
  }

  /** Wraps open sockets (handed over by privilege separation). */
  constructor(sockets: Icmpv6Socket[]) {
    for (const s of sockets) this.sockets.set(s.ifindex, { fd: s.fd, watch: new FdWatch(s.fd, () => this.drain(s.fd, s.ifindex)) });
  }

  send(m: Icmpv6Send): void {
    if (this.closed) return;
    const s = this.sockets.get(m.ifindex);
    if (!s) {
      this.stats.drop(new Error(`ICMPv6 send on interface ${m.ifindex}, which this port was not opened on`));
      return;
    }
    const c = sys();
    const cmsgs = [{ level: c.IPPROTO_IPV6, type: c.IPV6_HOPLIMIT, data: int32(m.hopLimit ?? 255) }];
    if (m.src) cmsgs.push({ level: c.IPPROTO_IPV6, type: c.IPV6_PKTINFO, data: in6Pktinfo(m.src, m.ifindex) });
    try {
      const n = native().sendmsg(s.fd, m.message, sockaddrIn6(m.dst, m.ifindex), cmsgs);
      if (n === null) this.stats.drop();
      else this.stats.sent++;
    } catch (err) {
      this.stats.drop(err as Error);
    }
  }

  onMessage(handler: (m: Icmpv6Received) => void): Unsubscribe {
    return this.handlers.add(handler);
  }

  private drain(fd: number, boundIfindex: number): void {
    const addon = native();
    const c = sys();
    while (!this.closed) {
      let r;
      try {
        r = addon.recvmsg(fd, this.buf);
      } catch (err) {
        if (this.stats.readFailed(err as Error)) this.sockets.get(boundIfindex)?.watch.stop();
        return;
      }
      if (r === null) return;
      this.stats.readOk();
      const from = parseSockaddrIn6(r.address);
      let info: { addr: Ipv6Address; ifindex: number } | null = null;
      let hopLimit = -1;
      for (const cm of r.cmsgs) {
        if (cm.level !== c.IPPROTO_IPV6) continue;
        if (cm.type === c.IPV6_PKTINFO) info = parseIn6Pktinfo(cm.data);
        else if (cm.type === c.IPV6_HOPLIMIT) hopLimit = readInt32(cm.data);
      }
      if (!from || !info || hopLimit < 0 || r.length < 4 || (r.flags & c.MSG_TRUNC) !== 0) {
        this.stats.malformed++;
        continue;
      }
      this.stats.received++;
      this.handlers.emit({ ifindex: info.ifindex || boundIfindex, src: from.addr, dst: info.addr, hopLimit, message: this.buf.slice(0, r.length) });
    }
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.handlers.clear();
    for (const s of this.sockets.values()) {
      s.watch.stop();
      native().close(s.fd);
    }
    this.sockets.clear();
  }
}
