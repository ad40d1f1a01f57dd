/**
 * IPv6 in the kernel model: input (is it for us? ICMPv6 checksum, raw-socket copies, ND, echo),
 * source address selection, routing (on-link prefixes, then the default router), and output
 * through the neighbour cache on Ethernet or to the program behind a TUN interface.
 *
 * No forwarding: a router's kernel here only answers for itself.
 */
import type { Icmpv6Send } from '../../../../core/ports.js';
import type { Ipv6Address } from '../../../../core/wire/ipv6-address.js';
import { DecodeError } from '../../../../core/wire/errors.js';
import * as ipv6 from '../../../../core/wire/ipv6.js';
import * as icmpv6 from '../../../../core/wire/icmpv6.js';
import * as echo from '../../../../core/wire/icmpv6-echo.js';
import { ICMPV6_TYPE, isNdType } from '../../../../core/wire/icmpv6-types.js';
import { ETHERTYPE_IPV6 } from '../../../../core/wire/ethernet.js';
import type { MacAddress } from '../../../../core/wire/mac-address.js';
import { ethernetFrame, icmpv6Packet, icmpv6PacketFromBytes, ipv6MulticastMac } from './frames.js';
import type { NetIf } from './netif.js';
import type { Stack } from './stack.js';


export interface Route6 {
  nif: NetIf;
  nextHop: Ipv6Address;
}

export class Ipv6Layer {
  constructor(private readonly s: Stack) {}

  /** An IPv6 packet from Ethernet or injected into a TUN interface. */
  receive(nif: NetIf, bytes: Uint8Array): void {
    const s = this.s;
    if (s.sysctl.ipv6(nif.name, 'disable_ipv6') === 1) return;
    let pkt: ipv6.Ipv6Packet;
    try {
      pkt = ipv6.decode(bytes);
    } catch (err) {
      s.malformed(nif, 'ipv6', err);
      return;
    }
    if (!this.forUs(nif, pkt.dst)) {
      s.counters.drop('not-for-us');
      return;
    }
    if (pkt.protocol !== ipv6.NH_ICMPV6 || pkt.extensions.some((e) => e.kind === 'fragment')) {
      s.counters.drop('ipv6-protocol');
      return;
    }
    const msg = pkt.payload;
    if (msg.length < 4) {
      s.malformed(nif, 'icmpv6', new DecodeError(`ICMPv6 message of ${msg.length} bytes is shorter than its header`, 'icmpv6.header', ipv6.HEADER_LENGTH));
      return;
    }
    if (!icmpv6.checksumOk(msg, pkt.src, pkt.dst)) {
      s.dropped(nif, 'icmpv6-checksum', () => ({ from: pkt.src.toString() }));
      return;
    }
    if (s.events.icmpv6.size > 0) {
      s.events.icmpv6.emit({ ifindex: nif.ifindex, src: pkt.src, dst: pkt.dst, hopLimit: pkt.hopLimit, message: msg.slice() });
    }
    const type = msg[0];
    if (isNdType(type)) {
      s.ndisc.receive(nif, pkt);
    } else if (type === ICMPV6_TYPE['echo-request']) {
      this.echoRequest(nif, pkt);
    } else if (type === ICMPV6_TYPE['echo-reply']) {
      this.echoReply(pkt);
    }
  }

  /** Our unicast address (not tentative, any interface: Linux's weak host model) or a group we joined. */
  forUs(nif: NetIf, dst: Ipv6Address): boolean {
    if (dst.isMulticast) return nif.inGroup(dst);
    const own = nif.find6(dst);
    // A tentative address receives nothing but ND, which comes to the solicited-node group.
    if (own) return !own.dadFailed && !own.tentative;
    if (dst.isLinkLocal) return false;
    for (const other of this.s.ifs) {
      const a = other.find6(dst);
      if (a && !a.tentative && !a.dadFailed) return true;
    }
    return false;
  }

  /**
   * Source address selection (RFC 6724, reduced to what matters here): the link-local address for
   * link-local and link-scope multicast destinations, else a preferred global address of the
   * outgoing interface, a deprecated one, then the link-local address.
   */
  sourceFor(nif: NetIf, dst: Ipv6Address): Ipv6Address | undefined {
    const linkScope = dst.isLinkLocal || (dst.isMulticast && (dst.w0 >>> 16 & 0xf) <= 2);
    if (!linkScope) {
      let deprecated: Ipv6Address | undefined;
      for (const a of nif.ipv6) {
        if (a.tentative || a.dadFailed || a.address.isLinkLocal || a.address.isLoopback) continue;
        if (!a.deprecated) return a.address;
        deprecated ??= a.address;
      }
      if (deprecated) return deprecated;
    }
    return nif.linkLocal();
  }

  /** Where a packet to `dst` goes, or undefined when there is no route. */
  route(dst: Ipv6Address, ifindex?: number): Route6 | undefined {
    const s = this.s;
    if (ifindex !== undefined) {
      const nif = s.byIndex(ifindex);
      if (!nif) return undefined;
      if (dst.isLinkLocal || dst.isMulticast) return { nif, nextHop: dst };
      const p = s.routers.onLinkFor(dst);
      if (p && p.nif === nif) return { nif, nextHop: p.via ?? dst };
      const r = s.routers.defaultRouter(nif);
      return { nif, nextHop: r ? r.address : dst };
    }
    if (dst.isLoopback) return { nif: s.ifs[0], nextHop: dst };
    if (dst.isLinkLocal || dst.isMulticast) {
      const nif = s.ifs.find((n) => n.kind === 'ethernet' && n.running) ?? s.ifs.find((n) => n.kind === 'tun');
      return nif ? { nif, nextHop: dst } : undefined;
    }
    for (const nif of s.ifs) {
      const a = nif.find6(dst);
      if (a && !a.tentative) return { nif: s.ifs[0], nextHop: dst };
    }
    const p = s.routers.onLinkFor(dst);
    // A static default route (::/0 via ...) counts with the RA-learnt default routers below it.
    if (p && (p.prefixLength > 0 || !s.routers.defaultRouter())) return { nif: p.nif, nextHop: p.via ?? dst };
    const r = s.routers.defaultRouter();
    return r ? { nif: r.nif, nextHop: r.address } : undefined;
  }

  /** Sends a finished IPv6 packet out of `nif` towards `nextHop`. */
  transmit(nif: NetIf, packet: Uint8Array, dst: Ipv6Address, nextHop: Ipv6Address): void {
    const s = this.s;
    if (!nif.running) {
      s.counters.drop('link-down');
      return;
    }
    switch (nif.kind) {
      case 'tun':
        s.events.tunOf(nif.ifindex).emit(packet);
        return;
      case 'loopback':
        // Delivered to ourselves, later, as Linux does through lo's backlog.
        s.clock.at(s.clock.now(), () => {
          if (s.alive) this.receive(this.ownerOf(dst) ?? nif, packet);
        });
        return;
      case 'underlay':
        s.counters.drop('no-ipv6-on-underlay');
        return;
      case 'ethernet': {
        const mac = nif.mac!;
        if (dst.isMulticast) {
          s.transmitFrame(nif, ethernetFrame(ipv6MulticastMac(dst), mac, ETHERTYPE_IPV6, packet));
          return;
        }
        nif.nd!.output(nextHop, (to: MacAddress) => s.transmitFrame(nif, ethernetFrame(to, mac, ETHERTYPE_IPV6, packet)));
        return;
      }
    }
  }

  /** An ICMPv6 message from the kernel itself (echo replies, pings). */
  sendIcmp(message: icmpv6.Icmpv6Input, dst: Ipv6Address, opts: { ifindex?: number; src?: Ipv6Address; hopLimit?: number } = {}): boolean {
    const route = this.route(dst, opts.ifindex);
    if (!route) {
      this.s.counters.drop('no-route');
      return false;
    }
    const src = opts.src ?? this.sourceFor(route.nif, dst) ?? this.anySource(dst);
    if (!src) {
      this.s.counters.drop('no-source-address');
      return false;
    }
    const hop = opts.hopLimit ?? this.s.sysctl.ipv6(route.nif.name, 'hop_limit');
    this.transmit(route.nif, icmpv6Packet(src, dst, hop, message), dst, route.nextHop);
    return true;
  }

  /**
   * An ICMPv6 message from a raw socket (Icmpv6Port): hop limit 255 and the interface's
   * link-local source unless given. Returns false when it could not be sent.
   */
  sendRaw(m: Icmpv6Send): boolean {
    const s = this.s;
    const route = this.route(m.dst, m.ifindex);
    if (!route) {
      s.counters.drop('no-route');
      return false;
    }
    if (m.message.length < 4 || m.message.length > 0xffff) {
      s.counters.drop('bad-length'); // EINVAL / EMSGSIZE on Linux
      return false;
    }
    const src = m.src ?? route.nif.linkLocal() ?? (route.nif.kind === 'tun' ? this.sourceFor(route.nif, m.dst) : undefined);
    if (!src) {
      // Linux refuses to send from a tentative or missing link-local address (EADDRNOTAVAIL).
      s.counters.drop('no-source-address');
      return false;
    }
    this.transmit(route.nif, icmpv6PacketFromBytes(src, m.dst, m.hopLimit ?? 255, m.message), m.dst, route.nextHop);
    return true;
  }

  private anySource(dst: Ipv6Address): Ipv6Address | undefined {
    for (const nif of this.s.ifs) {
      const a = this.sourceFor(nif, dst);
      if (a && !a.isLinkLocal) return a;
    }
    return undefined;
  }

  private ownerOf(dst: Ipv6Address): NetIf | undefined {
    return this.s.ifs.find((n) => n.find6(dst));
  }

  private echoRequest(nif: NetIf, pkt: ipv6.Ipv6Packet): void {
    const s = this.s;
    if (pkt.src.isUnspecified || pkt.src.isMulticast) return;
    let m: echo.Echo;
    try {
      m = echo.decode(pkt.payload);
    } catch (err) {
      s.malformed(nif, 'icmpv6', err);
      return;
    }
    const src = pkt.dst.isMulticast ? this.sourceFor(nif, pkt.src) : pkt.dst;
    if (!src) return;
    const ifindex = pkt.src.isLinkLocal || nif.kind === 'tun' ? nif.ifindex : undefined;
    const sent = this.sendIcmp({ kind: 'echo-reply', identifier: m.identifier, sequence: m.sequence, data: m.data }, pkt.src, { ifindex, src });
    if (!sent) return;
    s.counters.echoReplies++;
    s.trace('echo.reply', () => ({ iface: nif.name, from: pkt.src.toString(), to: pkt.dst.toString(), id: m.identifier, seq: m.sequence }));
  }

  private echoReply(pkt: ipv6.Ipv6Packet): void {
    let m: echo.Echo;
    try {
      m = echo.decode(pkt.payload);
    } catch {
      return;
    }
    this.s.traffic.echoReply(pkt.src, m.identifier, m.sequence);
  }
}
