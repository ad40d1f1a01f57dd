/**
 * Ip6in4Port over the kernel model: a raw IPPROTO_IPV6 socket. Sends are IPv4 datagrams of
 * protocol 41 routed like any other (on the underlay they go straight to the destination's
 * owner); received ones are every protocol-41 datagram addressed to this host.
 */
import type { Ip6in4Datagram, Ip6in4Port, Unsubscribe } from '../../../../../core/ports.js';
import type { Ipv4Address } from '../../../../../core/wire/ipv4-address.js';
import { PROTO_IPV6 } from '../../../../../core/wire/ipv4.js';
import type { Stack } from '../stack.js';

export class SimIp6in4Port implements Ip6in4Port {
  private readonly subs: Unsubscribe[] = [];
  private closed = false;

  constructor(private readonly s: Stack) {}

  send(d: { src?: Ipv4Address; dst: Ipv4Address; ttl?: number; dontFragment?: boolean; payload: Uint8Array }): void {
    if (this.closed || !this.s.alive) return;
    this.s.ip4.send({ dst: d.dst, src: d.src, ttl: d.ttl, dontFragment: d.dontFragment, protocol: PROTO_IPV6, payload: d.payload });
  }

  onDatagram(handler: (d: Ip6in4Datagram) => void): Unsubscribe {
    const off = this.s.events.ip6in4.add(handler);
    this.subs.push(off);
    return off;
  }

  close(): void {
    this.closed = true;
    for (const off of this.subs.splice(0)) off();
  }
}
