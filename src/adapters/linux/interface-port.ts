/**
 * InterfacePort over rtnetlink: a mirror of links and addresses (dumped at open, kept current by
 * RTNLGRP_LINK and the address groups), so reads are immediate; changes as events; after an
 * overrun everything is dumped again and the differences reported. `routeSource` asks the kernel
 * (RTM_GETROUTE, like `ip route get`).
 */
import type { InterfaceChange, InterfaceInfo, InterfacePort, Ipv4AddressInfo, Ipv6AddressInfo, Unsubscribe } from '../../core/ports.js';
import * as rtnl from '../../core/wire/rtnetlink/index.js';
import type { AddressMessage, LinkMessage, RtnlMessage } from '../../core/wire/rtnetlink/index.js';
import { Ipv4Address } from '../../core/wire/ipv4-address.js';
import { Ipv6Address } from '../../core/wire/ipv6-address.js';
import { MacAddress } from '../../core/wire/mac-address.js';
import { Handlers } from '../../core/handlers.js';
import { NetlinkSocket } from './netlink/socket.js';
import { routeGet } from './netlink/requests.js';

const ARPHRD_LOOPBACK = 772;
const LIFE_FOREVER = rtnl.INFINITY_LIFE_TIME;

interface LinkState {
  link: LinkMessage;
  v4: Map<string, Ipv4AddressInfo>;
  v6: Map<string, Ipv6AddressInfo>;
}

function lifetime(v: number | undefined): number | undefined {
  return v === undefined || v === LIFE_FOREVER ? undefined : v;
}

function infoOf(s: LinkState): InterfaceInfo {
  const l = s.link;
  const hw = l.attributes.address;
  const running = (l.flags & (rtnl.IFF_LOWER_UP | rtnl.IFF_RUNNING)) !== 0;
  return {
    ifindex: l.index,
    name: l.attributes.ifname ?? `if${l.index}`,
    ...(hw && hw.length === 6 && l.deviceType !== ARPHRD_LOOPBACK ? { mac: MacAddress.fromBytes(hw) } : {}),
    mtu: l.attributes.mtu ?? 0,
    up: (l.flags & rtnl.IFF_UP) !== 0,
    running,
    loopback: (l.flags & rtnl.IFF_LOOPBACK) !== 0,
    pointToPoint: (l.flags & rtnl.IFF_POINTOPOINT) !== 0,
    multicast: (l.flags & rtnl.IFF_MULTICAST) !== 0,
    ipv4: [...s.v4.values()],
    ipv6: [...s.v6.values()],
  };
}

export class LinuxInterfacePort implements InterfacePort {
  private readonly links = new Map<number, LinkState>();
  private readonly handlers = new Handlers<InterfaceChange>();
  private readonly events: NetlinkSocket;
  private readonly requests: NetlinkSocket;
  private closed = false;

  /**
   * Opens the port and resolves once the first dump is mirrored. `receiveBuffer` sizes the
   * notification socket (small values make overruns, for tests).
   */
  static open(opts: { receiveBuffer?: number } = {}): Promise<LinuxInterfacePort> {
    const port = new LinuxInterfacePort(opts.receiveBuffer ?? 1 << 20);
    return new Promise((resolve, reject) => port.resync((err) => (err ? reject(err) : resolve(port)), false));
  }

  private constructor(receiveBuffer: number) {
    this.events = new NetlinkSocket({ groups: [rtnl.RTNLGRP_LINK, rtnl.RTNLGRP_IPV4_IFADDR, rtnl.RTNLGRP_IPV6_IFADDR], receiveBuffer });
    this.requests = new NetlinkSocket();
    this.events.onEvent((m) => this.apply(m, true));
    this.events.onOverrun(() => this.resync(() => undefined, true));
  }

  list(): InterfaceInfo[] {
    return [...this.links.values()].sort((a, b) => a.link.index - b.link.index).map(infoOf);
  }

  byName(name: string): InterfaceInfo | undefined {
    for (const s of this.links.values()) if (s.link.attributes.ifname === name) return infoOf(s);
    return undefined;
  }

  byIndex(ifindex: number): InterfaceInfo | undefined {
    const s = this.links.get(ifindex);
    return s && infoOf(s);
  }

  onChange(handler: (c: InterfaceChange) => void): Unsubscribe {
    return this.handlers.add(handler);
  }

  routeSource(dst: Ipv4Address, done: (src: Ipv4Address | null) => void): void {
    this.requests.request(routeGet(dst), (err, replies) => {
      if (err) return done(null);
      for (const m of replies) {
        if (m.kind === 'route' && m.attributes.prefSource instanceof Ipv4Address) return done(m.attributes.prefSource);
      }
      done(null);
    });
  }

  /** Dumps links and addresses again; with `report`, tells subscribers what differs. */
  private resync(done: (err?: Error) => void, report: boolean): void {
    this.requests.dump(rtnl.RTM_GETLINK, rtnl.AF_UNSPEC, (err, links) => {
      if (err) return done(err);
      this.requests.dump(rtnl.RTM_GETADDR, rtnl.AF_UNSPEC, (err2, addrs) => {
        if (err2) return done(err2);
        const before = new Map([...this.links].map(([i, s]) => [i, JSON.stringify(infoOf(s))]));
        this.links.clear();
        for (const m of links) this.apply(m, false);
        for (const m of addrs) this.apply(m, false);
        if (report) {
          for (const [i, s] of this.links) if (before.get(i) !== JSON.stringify(infoOf(s))) this.handlers.emit({ kind: 'changed', info: infoOf(s) });
          for (const [i, text] of before) {
            if (!this.links.has(i)) this.handlers.emit({ kind: 'removed', ifindex: i, name: (JSON.parse(text) as InterfaceInfo).name });
          }
        }
        done();
      });
    });
  }

  private apply(m: RtnlMessage, report: boolean): void {
    if (this.closed) return;
    if (m.kind === 'link') this.applyLink(m, report);
    else if (m.kind === 'address') this.applyAddress(m, report);
  }

  private applyLink(m: LinkMessage, report: boolean): void {
    if (m.header.type === rtnl.RTM_DELLINK) {
      const s = this.links.get(m.index);
      if (!s) return;
      this.links.delete(m.index);
      if (report) this.handlers.emit({ kind: 'removed', ifindex: m.index, name: s.link.attributes.ifname ?? `if${m.index}` });
      return;
    }
    if (m.header.type !== rtnl.RTM_NEWLINK) return;
    const s = this.links.get(m.index);
    if (s) {
      // A notification may leave attributes out; keep what we knew.
      s.link = { ...m, attributes: { ...s.link.attributes, ...definedOnly(m.attributes) } };
    } else {
      this.links.set(m.index, { link: m, v4: new Map(), v6: new Map() });
    }
    if (report) this.handlers.emit({ kind: 'changed', info: infoOf(this.links.get(m.index)!) });
  }

  private applyAddress(m: AddressMessage, report: boolean): void {
    const s = this.links.get(m.index);
    if (!s) return;
    const a = m.attributes.local ?? m.attributes.address;
    const removed = m.header.type === rtnl.RTM_DELADDR;
    if (m.family === rtnl.AF_INET && a instanceof Ipv4Address) {
      if (removed) s.v4.delete(`${a}/${m.prefixLength}`);
      else s.v4.set(`${a}/${m.prefixLength}`, { address: a, prefixLength: m.prefixLength });
    } else if (m.family === rtnl.AF_INET6 && a instanceof Ipv6Address) {
      const key = `${a}/${m.prefixLength}`;
      if (removed) s.v6.delete(key);
      else {
        const flags = m.attributes.flags ?? m.flags;
        const ci = m.attributes.cacheInfo;
        s.v6.set(key, {
          address: a,
          prefixLength: m.prefixLength,
          tentative: (flags & rtnl.IFA_F_TENTATIVE) !== 0,
          ...(lifetime(ci?.valid) !== undefined ? { validLifetime: ci!.valid } : {}),
          ...(lifetime(ci?.preferred) !== undefined ? { preferredLifetime: ci!.preferred } : {}),
        });
      }
    } else return;
    if (report) this.handlers.emit({ kind: 'changed', info: infoOf(s) });
  }

  /** Netlink datagrams that did not decode, and overruns, since open. */
  get stats(): { malformed: number; overruns: number } {
    return { malformed: this.events.stats.malformed + this.requests.stats.malformed, overruns: this.events.stats.overruns };
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.handlers.clear();
    this.events.close();
    this.requests.close();
  }
}

function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
