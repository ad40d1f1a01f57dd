/**
 * The userspace ISATAP data plane over the core's ports: a TUN device and a protocol-41 socket.
 * Packets the kernel routes into the TUN device are sent in IPv4 to their next hop (next-hop.ts);
 * protocol-41 datagrams to the local address pass RFC 5214 7.3's source rule (decap.ts) and are
 * written to the TUN device, except Router Advertisements and Redirects: RAs to the tunnel's
 * link-local address (or all-nodes) go to the control plane as an ICMPv6 socket would hand them
 * over, the rest are dropped, so the kernel never takes routes from what arrives on the tunnel. Nothing a
 * peer sends can throw: every refusal is counted.
 *
 * This is the port-level path (the simulator's, and the portable one on Linux); the Linux adapter
 * has a batched path over the same checks.
 */
import type { Icmpv6Received, Ip6in4Datagram, Ip6in4Port, TunPort, Unsubscribe } from '../../ports.js';
import * as icmpv6 from '../../wire/icmpv6.js';
import * as ipv6 from '../../wire/ipv6.js';
import { Ipv4Address } from '../../wire/ipv4-address.js';
import { Ipv6Address } from '../../wire/ipv6-address.js';
import { isatapAddress, isPrivateIpv4 } from '../../wire/isatap.js';
import type { IsatapTunnel } from '../tunnel.js';
import { DataplaneCounters, reasonOf } from './counters.js';
import { innerCheck, isRouterAdvert, isRoutingNd } from './decap.js';
import { outboundNextHop } from './encap.js';
import { NextHopTable } from './next-hop.js';
import { TunnelRouters } from './routers.js';

const LINK_LOCAL = new Ipv6Address(0xfe80_0000, 0, 0, 0);

export interface UserspaceOptions {
  local: Ipv4Address;
  /** 1..255, or 0 to copy the inner hop limit. */
  ttl: number;
  pmtudisc: boolean;
  /** Default: a client's table (link-local on-link, the rest by the routes the core adds). */
  nextHops?: NextHopTable;
  /** The tunnel's MTU (a batched data plane sizes its buffers from it). */
  mtu?: number;
}

/** The tunnel's own link-local address: fe80::5efe:V, or fe80::200:5efe:V for a global V. */
export function tunnelLinkLocal(local: Ipv4Address): Ipv6Address {
  return isatapAddress(LINK_LOCAL, local, !isPrivateIpv4(local));
}

/** An RA for the control plane must be addressed to the tunnel's link-local address or all-nodes. */
export function raForUs(dst: Ipv6Address, linkLocal: Ipv6Address): boolean {
  return dst.equals(linkLocal) || dst.equals(Ipv6Address.ALL_NODES);
}

export class UserspaceTunnel implements IsatapTunnel {
  readonly mode = 'userspace' as const;
  readonly counters = new DataplaneCounters();
  readonly nextHops: NextHopTable;
  readonly linkLocal: Ipv6Address;
  private readonly routers = new TunnelRouters();
  private readonly subs: Unsubscribe[] = [];
  private closed = false;

  constructor(
    private readonly tun: TunPort,
    private readonly p41: Ip6in4Port,
    private readonly opts: UserspaceOptions,
  ) {
    this.nextHops = opts.nextHops ?? new NextHopTable();
    this.linkLocal = tunnelLinkLocal(opts.local);
    this.subs.push(tun.onPacket((p) => this.fromTun(p)));
    this.subs.push(p41.onDatagram((d) => this.fromNetwork(d)));
  }

  get ifname(): string {
    return this.tun.ifname;
  }

  get ifindex(): number {
    return this.tun.ifindex;
  }

  /** An IPv6 packet the kernel sent into the tunnel. */
  fromTun(pkt: Uint8Array): void {
    if (this.closed) return;
    this.counters.fromTun++;
    const hop = outboundNextHop(pkt, 0, pkt.length, this.nextHops);
    if (hop < 0) {
      this.counters.drop(reasonOf(hop));
      return;
    }
    this.send(hop, pkt);
  }

  private send(dst: number, pkt: Uint8Array): void {
    const ttl = this.opts.ttl === 0 ? pkt[7] || 1 : this.opts.ttl;
    this.p41.send({ src: this.opts.local, dst: new Ipv4Address(dst), ttl, dontFragment: this.opts.pmtudisc, payload: pkt });
    this.counters.encapsulated++;
  }

  /** A protocol-41 datagram from the IPv4 network. */
  fromNetwork(d: Ip6in4Datagram): void {
    if (this.closed) return;
    this.counters.fromNetwork++;
    if (d.dst.value !== this.opts.local.value) {
      this.counters.drop('not-local');
      return;
    }
    const p = d.payload;
    const n = innerCheck(d.src.value, p, 0, p.length, this.routers.listed);
    if (n < 0) {
      this.counters.drop(reasonOf(n));
      return;
    }
    const pkt = n < p.length ? p.subarray(0, n) : p;
    if (isRoutingNd(pkt, 0, pkt.length)) {
      // The kernel must never see these on the tunnel: it would take routes from them.
      const dst = Ipv6Address.read(pkt, 24);
      if (isRouterAdvert(pkt, 0, pkt.length) && raForUs(dst, this.linkLocal)) this.toControl(pkt, dst);
      else this.counters.drop('nd-not-for-us');
      return;
    }
    this.tun.send(pkt);
    this.counters.toTun++;
  }

  private toControl(pkt: Uint8Array, dst: Ipv6Address): void {
    const src = Ipv6Address.read(pkt, 8);
    const message = pkt.slice(ipv6.HEADER_LENGTH);
    if (!icmpv6.checksumOk(message, src, dst)) {
      this.counters.drop('icmpv6-checksum');
      return;
    }
    this.counters.toControl++;
    const m: Icmpv6Received = { ifindex: this.ifindex, src, dst, hopLimit: pkt[7], message };
    this.routers.deliver(m);
  }

  solicit(router: { v4: Ipv4Address; ll: Ipv6Address }, message: Uint8Array): void {
    if (this.closed) return;
    const payload = icmpv6Bytes(message, this.linkLocal, router.ll);
    this.send(router.v4.value, ipv6.encode({ hopLimit: 255, src: this.linkLocal, dst: router.ll, protocol: ipv6.NH_ICMPV6, payload }));
  }

  onRouterAdvert(handler: (m: Icmpv6Received) => void): Unsubscribe {
    return this.routers.onRouterAdvert(handler);
  }

  addRouter(v4: Ipv4Address, done?: (error?: string) => void): void {
    this.routers.add(v4, done);
  }

  removeRouter(v4: Ipv4Address, done?: (error?: string) => void): void {
    this.routers.remove(v4, done);
  }

  close(done?: (error?: string) => void): void {
    if (!this.closed) {
      this.closed = true;
      for (const u of this.subs.splice(0)) u();
      this.routers.clear();
      this.tun.close();
    }
    done?.();
  }

  stats(): Record<string, unknown> {
    return this.counters.toJSON();
  }
}

/** A copy of an ICMPv6 message with its checksum filled in for `src` -> `dst`. */
export function icmpv6Bytes(message: Uint8Array, src: Ipv6Address, dst: Ipv6Address): Uint8Array {
  const m = message.slice();
  m[2] = 0;
  m[3] = 0;
  const c = icmpv6.checksum(m, src, dst);
  m[2] = c >>> 8;
  m[3] = c & 0xff;
  return m;
}
