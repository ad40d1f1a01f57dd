/**
 * Neighbor Discovery in the kernel model (RFC 4861, Linux ndisc.c): received RS/RA/NS/NA are
 * validated with wire/ndisc/validate.ts, RAs through its one RA acceptance path (an invalid one is
 * counted by reason, traced and dropped), then NS for our addresses are answered, NAs update the
 * neighbour cache or fail a DAD, and RAs feed the router list, SLAAC and the ND parameters. RDNSS and DNSSL are left to userspace, as
 * in Linux. Route Information options are ignored (accept_ra_rt_info_max_plen is 0 by default).
 */
import type { MacAddress } from '../../../../core/wire/mac-address.js';
import { Ipv6Address } from '../../../../core/wire/ipv6-address.js';
import * as icmpv6 from '../../../../core/wire/icmpv6.js';
import type { Ipv6Packet } from '../../../../core/wire/ipv6.js';
import type { NeighborAdvert } from '../../../../core/wire/ndisc/neighbor-advert.js';
import type { NeighborSolicit } from '../../../../core/wire/ndisc/neighbor-solicit.js';
import type { RouterAdvert } from '../../../../core/wire/ndisc/router-advert.js';
import type { RouterSolicit } from '../../../../core/wire/ndisc/router-solicit.js';
import type { NdOption } from '../../../../core/wire/ndisc/option-list.js';
import { checkRa, RFC4861_RA, validate, type Problem } from '../../../../core/wire/ndisc/validate.js';
import { ETHERTYPE_IPV6 } from '../../../../core/wire/ethernet.js';
import { ethernetFrame, icmpv6Packet, ipv6MulticastMac } from './frames.js';
import { NeighborTable, type NeighEntry, type NeighborHooks, type NudParams } from './neighbor-table.js';
import { lifetime } from './addrconf.js';
import type { NetIf } from './netif.js';
import type { Stack } from './stack.js';

function sourceLla(options: readonly NdOption[], kind: 'source-lla' | 'target-lla'): MacAddress | undefined {
  for (const o of options) if (o.kind === kind) return o.address;
  return undefined;
}

function isNd(m: icmpv6.Icmpv6Message): m is icmpv6.NdMessage {
  return m.kind !== 'echo-request' && m.kind !== 'echo-reply' && m.kind !== 'icmpv6';
}

function key6(a: Ipv6Address): string {
  return `${a.w0}.${a.w1}.${a.w2}.${a.w3}`;
}

export class Ndisc {
  constructor(private readonly s: Stack) {}

  /** accept_ra: 1 means "when not forwarding", 2 means "even when forwarding" (Linux ipv6_accept_ra). */
  acceptsRa(nif: NetIf): boolean {
    const v = this.s.sysctl.ipv6(nif.name, 'accept_ra');
    return v === 2 || (v === 1 && !this.s.isRouter(nif));
  }

  /** Gives an Ethernet interface its IPv6 neighbour cache. */
  attach(nif: NetIf): void {
    nif.nd = new NeighborTable<Ipv6Address>(this.s.clock, this.s.random, new NdHooks(this, this.s, nif));
  }

  params(nif: NetIf): NudParams {
    return this.s.sysctl.nudParams('ipv6', nif.name);
  }

  /** An ICMPv6 ND message (types 133-137) addressed to us, checksum already verified. */
  receive(nif: NetIf, pkt: Ipv6Packet): void {
    let m: icmpv6.Icmpv6Message;
    try {
      m = icmpv6.decode(pkt.payload);
    } catch (err) {
      this.s.malformed(nif, 'icmpv6', err);
      return;
    }
    if (!isNd(m)) return;
    let nd = m;
    let problems: Problem[];
    if (nd.kind === 'router-advert') {
      // Linux's RA checks through the one RA acceptance path; a repeated single-instance option is ignored, as ndisc_parse_options does.
      const v = checkRa({ message: pkt.payload, src: pkt.src, dst: pkt.dst, hopLimit: pkt.hopLimit }, RFC4861_RA, { checksumOk: true, decoded: nd });
      problems = v.ok ? [] : v.problems;
      if (v.ok) {
        for (const x of v.ignored) this.s.counters.drop(`nd-option-${x.reason}`);
        nd = v.ra;
      }
    } else {
      problems = validate(nd, { src: pkt.src, dst: pkt.dst, hopLimit: pkt.hopLimit, checksumOk: true });
    }
    if (problems.length > 0) {
      for (const p of problems) this.s.counters.invalidNd(p.reason);
      this.s.trace('nd.dropped', () => ({ iface: nif.name, message: m.kind, from: pkt.src.toString(), reasons: problems.map((p) => p.reason) }));
      return;
    }
    switch (nd.kind) {
      case 'router-solicit':
        this.routerSolicit(nif, pkt, nd);
        return;
      case 'router-advert':
        this.routerAdvert(nif, pkt, nd);
        return;
      case 'neighbor-solicit':
        this.neighborSolicit(nif, pkt, nd);
        return;
      case 'neighbor-advert':
        this.neighborAdvert(nif, nd);
        return;
      case 'redirect':
        this.s.counters.drop('redirect');
        return;
    }
  }

  /** A router learns the soliciting host's address from the RS (ndisc_recv_rs); hosts ignore RS. */
  private routerSolicit(nif: NetIf, pkt: Ipv6Packet, m: RouterSolicit): void {
    if (!this.s.isRouter(nif) || pkt.src.isUnspecified) return;
    const lla = sourceLla(m.options, 'source-lla');
    if (lla) nif.nd?.update(pkt.src, lla, 'stale', { create: true, override: true, weakOverride: true });
  }

  /** ndisc_router_discovery. */
  private routerAdvert(nif: NetIf, pkt: Ipv6Packet, m: RouterAdvert): void {
    const s = this.s;
    if (!this.acceptsRa(nif)) {
      s.counters.raIgnored++;
      return;
    }
    s.counters.raAccepted++;
    nif.raReceived = true;
    s.rs.stop(nif);
    s.trace('ra.accepted', () => ({ iface: nif.name, from: pkt.src.toString(), routerLifetime: m.routerLifetime }));
    s.routers.advertised(nif, pkt.src, m.routerLifetime, m.preference);
    if (m.curHopLimit > 0) s.sysctl.set(`net.ipv6.conf.${nif.name}.hop_limit`, String(m.curHopLimit));
    // Linux keeps the RA's ND parameters in the same place as the sysctls.
    if (m.reachableTime > 0) s.sysctl.set(`net.ipv6.neigh.${nif.name}.base_reachable_time_ms`, String(m.reachableTime));
    if (m.retransTimer > 0) s.sysctl.set(`net.ipv6.neigh.${nif.name}.retrans_time_ms`, String(m.retransTimer));
    const lla = sourceLla(m.options, 'source-lla');
    if (lla && nif.nd) nif.nd.update(pkt.src, lla, 'stale', { create: true, override: true, weakOverride: true, isRouter: true });
    let changed = false;
    for (const o of m.options) {
      if (o.kind === 'prefix-info') {
        if (o.onLink && !o.prefix.isLinkLocal && o.prefixLength <= 128) {
          const valid = lifetime(o.validLifetime);
          s.routers.onLink(nif, o.prefix, o.prefixLength, valid === undefined ? undefined : o.validLifetime);
        }
        if (s.addrconf.prefixInfo(nif, o) !== 'ignored') changed = true;
      } else if (o.kind === 'mtu') {
        const link = nif.ethernet?.mtu ?? nif.mtu;
        if (o.mtu >= 1280 && o.mtu <= link && o.mtu !== nif.mtu) {
          nif.mtu = o.mtu;
          changed = true;
        }
      }
    }
    if (changed) s.ifChanged(nif);
  }

  /** ndisc_recv_ns. */
  private neighborSolicit(nif: NetIf, pkt: Ipv6Packet, m: NeighborSolicit): void {
    const a = nif.find6(m.target);
    if (!a || a.dadFailed) return;
    const dad = pkt.src.isUnspecified;
    if (a.tentative) {
      // Someone else probes the address we are probing: it is a duplicate (RFC 4862 5.4.3).
      if (dad) this.s.addrconf.dadFailure(nif, a);
      return;
    }
    const router = this.s.isRouter(nif);
    if (dad) {
      this.sendNa(nif, Ipv6Address.ALL_NODES, m.target, { solicited: false, router });
      return;
    }
    const lla = sourceLla(m.options, 'source-lla');
    const multicast = pkt.dst.isMulticast;
    nif.nd?.update(pkt.src, lla, 'stale', { create: !multicast || lla !== undefined, override: true, weakOverride: true });
    this.sendNa(nif, pkt.src, m.target, { solicited: true, router });
  }

  /** ndisc_recv_na. */
  private neighborAdvert(nif: NetIf, m: NeighborAdvert): void {
    const a = nif.find6(m.target);
    if (a) {
      if (a.tentative) this.s.addrconf.dadFailure(nif, a);
      else this.s.dropped(nif, 'na-for-own-address', () => ({ target: m.target.toString() }));
      return;
    }
    const nd = nif.nd;
    const e = nd?.lookup(m.target);
    if (!nd || !e) return;
    const wasRouter = e.isRouter;
    nd.update(m.target, sourceLla(m.options, 'target-lla'), m.solicited ? 'reachable' : 'stale', {
      override: m.override,
      weakOverride: true,
      isRouter: m.router,
    });
    if (wasRouter && !m.router) this.s.routers.notRouter(nif, m.target);
  }

  /** A DAD probe: NS from ::, to the target's solicited-node group, no source link-layer option. */
  sendDadProbe(nif: NetIf, target: Ipv6Address): void {
    const dst = target.solicitedNode();
    this.s.counters.nsSent++;
    this.s.trace('ns.sent', () => ({ iface: nif.name, target: target.toString(), dad: true }));
    const pkt = icmpv6Packet(Ipv6Address.UNSPECIFIED, dst, 255, { kind: 'neighbor-solicit', target });
    this.s.transmitFrame(nif, ethernetFrame(ipv6MulticastMac(dst), nif.mac!, ETHERTYPE_IPV6, pkt));
  }

  /** An address-resolution or NUD probe: multicast to the solicited-node group, or unicast to `mac`. */
  sendNs(nif: NetIf, target: Ipv6Address, mac: MacAddress | undefined): void {
    const src = this.s.ip6.sourceFor(nif, target);
    if (!src) {
      this.s.counters.drop('no-source-address');
      return;
    }
    const dst = mac ? target : target.solicitedNode();
    this.s.counters.nsSent++;
    this.s.trace('ns.sent', () => ({ iface: nif.name, target: target.toString(), dad: false, unicast: mac !== undefined }));
    const pkt = icmpv6Packet(src, dst, 255, { kind: 'neighbor-solicit', target, options: [{ kind: 'source-lla', address: nif.mac! }] });
    this.s.transmitFrame(nif, ethernetFrame(mac ?? ipv6MulticastMac(dst), nif.mac!, ETHERTYPE_IPV6, pkt));
  }

  /** An NA for our `target`, with its link-layer address; unicast replies go through the cache. */
  sendNa(nif: NetIf, dst: Ipv6Address, target: Ipv6Address, flags: { solicited: boolean; router: boolean }): void {
    this.s.counters.naSent++;
    this.s.trace('na.sent', () => ({ iface: nif.name, target: target.toString(), to: dst.toString(), solicited: flags.solicited }));
    const pkt = icmpv6Packet(target, dst, 255, {
      kind: 'neighbor-advert',
      router: flags.router,
      solicited: flags.solicited,
      override: true,
      target,
      options: [{ kind: 'target-lla', address: nif.mac! }],
    });
    this.s.ip6.transmit(nif, pkt, dst, dst);
  }

  sendRs(nif: NetIf, src: Ipv6Address): void {
    this.s.counters.rsSent++;
    this.s.trace('rs.sent', () => ({ iface: nif.name }));
    const dst = Ipv6Address.ALL_ROUTERS;
    const pkt = icmpv6Packet(src, dst, 255, { kind: 'router-solicit', options: [{ kind: 'source-lla', address: nif.mac! }] });
    this.s.transmitFrame(nif, ethernetFrame(ipv6MulticastMac(dst), nif.mac!, ETHERTYPE_IPV6, pkt));
  }
}

/** What the ND cache asks of the protocol (a class, so 10,000 hosts share its methods). */
class NdHooks implements NeighborHooks<Ipv6Address> {
  constructor(
    private readonly nd: Ndisc,
    private readonly s: Stack,
    private readonly nif: NetIf,
  ) {}

  key(a: Ipv6Address): string {
    return key6(a);
  }

  params(): NudParams {
    return this.nd.params(this.nif);
  }

  solicit(ip: Ipv6Address, mac: MacAddress | undefined): void {
    this.nd.sendNs(this.nif, ip, mac);
  }

  appRequest(): void {
    // IPv6 app_solicit goes to the same netlink group; no linklab core listens for IPv6 misses.
    this.s.counters.neighRequests++;
  }

  changed(e: NeighEntry<Ipv6Address>, removed: boolean): void {
    const nif = this.nif;
    this.s.trace('neigh6.state', () => ({ iface: nif.name, ip: e.ip.toString(), state: removed ? 'deleted' : e.state, mac: e.mac?.toString() }));
  }

  unreachable(_ip: Ipv6Address, dropped: number): void {
    this.s.counters.unreachable += dropped;
  }
}
