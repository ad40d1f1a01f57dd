/**
 * IPv4 in the kernel model: enough to drive ARP and to carry protocol 41. Input checks the header
 * (a bad checksum is dropped, as Linux does) and the destination; protocol-41 datagrams go to raw
 * IPPROTO_IPV6 sockets (the Ip6in4Port), and the talker's datagrams (protocol 253, RFC 3692's
 * experimentation number) are counted. Output routes to an Ethernet subnet (resolved by ARP), a
 * gateway on one, or the underlay, which delivers by destination address.
 */
import * as ipv4 from '../../../../core/wire/ipv4.js';
import type { EthernetFrame } from '../../../../core/wire/ethernet.js';
import { ETHERTYPE_IPV4 } from '../../../../core/wire/ethernet.js';
import type { Ipv4Address } from '../../../../core/wire/ipv4-address.js';
import { MacAddress } from '../../../../core/wire/mac-address.js';
import { ethernetFrame } from './frames.js';
import type { NetIf } from './netif.js';
import type { Stack } from './stack.js';

/** IP protocol number of the talker's datagrams (RFC 3692: for experiments). */
export const TALK_PROTOCOL = 253;
export const DEFAULT_TTL = 64;

export interface Route4 {
  nif: NetIf;
  /** The address to resolve on Ethernet (the destination or the gateway). */
  nextHop: Ipv4Address;
  src: Ipv4Address;
}

export class Ipv4Layer {
  private identification = 0;

  constructor(private readonly s: Stack) {}

  receiveEthernet(nif: NetIf, eth: EthernetFrame): void {
    this.receive(nif, eth.payload, eth.dst.isBroadcast);
  }

  receiveUnderlay(nif: NetIf, packet: Uint8Array): void {
    if (!this.s.alive) return;
    this.s.counters.framesIn++;
    this.receive(nif, packet, false);
  }

  private receive(nif: NetIf, bytes: Uint8Array, linkBroadcast: boolean): void {
    const s = this.s;
    let p: ipv4.Ipv4Packet;
    try {
      p = ipv4.decode(bytes);
    } catch (err) {
      s.malformed(nif, 'ipv4', err);
      return;
    }
    if (!ipv4.checksumOk(bytes)) {
      s.dropped(nif, 'ipv4-checksum', () => ({ from: p.src.toString() }));
      return;
    }
    const forUs = s.arp.isLocal(p.dst) || p.dst.isBroadcast || (linkBroadcast && this.isSubnetBroadcast(nif, p.dst));
    if (!forUs) {
      s.counters.drop('not-for-us');
      return;
    }
    if (p.moreFragments || p.fragmentOffset !== 0) {
      s.counters.drop('ipv4-fragment');
      return;
    }
    if (p.protocol === ipv4.PROTO_IPV6) {
      if (s.events.ip6in4.size === 0) {
        s.counters.drop('ip6in4-no-listener');
        return;
      }
      s.events.ip6in4.emit({ src: p.src, dst: p.dst, ttl: p.ttl, payload: p.payload.slice() });
      return;
    }
    if (p.protocol === TALK_PROTOCOL) {
      s.counters.talkReceived++;
      return;
    }
    s.counters.drop('ipv4-protocol');
  }

  private isSubnetBroadcast(nif: NetIf, dst: Ipv4Address): boolean {
    for (const a of nif.ipv4) {
      if (a.prefixLength >= 31) continue;
      const host = 2 ** (32 - a.prefixLength) - 1;
      if (dst.inSubnet(a.address, a.prefixLength) && (dst.value & host) === host) return true;
    }
    return false;
  }

  /** Where a datagram to `dst` goes: an Ethernet subnet, a gateway, then the underlay. */
  route(dst: Ipv4Address): Route4 | undefined {
    const s = this.s;
    for (const nif of s.ifs) {
      if (nif.kind !== 'ethernet') continue;
      for (const a of nif.ipv4) if (dst.inSubnet(a.address, a.prefixLength)) return { nif, nextHop: dst, src: a.address };
    }
    for (const nif of s.ifs) {
      if (nif.kind === 'underlay' && nif.underlay && nif.underlay.addresses.length > 0) {
        return { nif, nextHop: dst, src: nif.underlay.addresses[0] };
      }
    }
    for (const nif of s.ifs) {
      if (nif.kind === 'ethernet' && nif.gateway4 && nif.ipv4.length > 0) {
        const src = nif.ipv4.find((a) => nif.gateway4!.inSubnet(a.address, a.prefixLength))?.address ?? nif.ipv4[0].address;
        return { nif, nextHop: nif.gateway4, src };
      }
    }
    return undefined;
  }

  /** Sends an IPv4 datagram; false when there is no route. */
  send(d: { dst: Ipv4Address; protocol: number; payload: Uint8Array; src?: Ipv4Address; ttl?: number; dontFragment?: boolean }): boolean {
    const s = this.s;
    const r = this.route(d.dst);
    if (!r) {
      s.counters.drop('no-route');
      return false;
    }
    if (ipv4.MIN_HEADER_LENGTH + d.payload.length > 0xffff) {
      s.counters.drop('too-big'); // EMSGSIZE on Linux; a port drops, it never throws
      return false;
    }
    this.identification = (this.identification + 1) & 0xffff;
    const packet = ipv4.encode({
      src: d.src ?? r.src,
      dst: d.dst,
      ttl: d.ttl ?? DEFAULT_TTL,
      protocol: d.protocol,
      identification: this.identification,
      dontFragment: d.dontFragment ?? false,
      payload: d.payload,
    });
    const nif = r.nif;
    if (!nif.running) {
      s.counters.drop('link-down');
      return false;
    }
    if (nif.kind === 'underlay') {
      s.counters.framesOut++;
      nif.underlay!.send(packet);
      return true;
    }
    const mac = nif.mac!;
    if (d.dst.isBroadcast || this.isSubnetBroadcast(nif, d.dst)) {
      s.transmitFrame(nif, ethernetFrame(MacAddress.BROADCAST, mac, ETHERTYPE_IPV4, packet));
      return true;
    }
    return nif.arp!.output(r.nextHop, (to) => s.transmitFrame(nif, ethernetFrame(to, mac, ETHERTYPE_IPV4, packet)));
  }
}
