/**
 * TunPort over the kernel model: opening it creates a TUN interface on the host. IPv6 packets the
 * host routes to that interface come out of `onPacket`; packets given to `send` enter the host's
 * stack as if received on it (an RA there is processed like any other: with a `token`, the kernel
 * forms its addresses from it, which is how an ISATAP tunnel gets ::0:5efe:V). Closing it removes
 * the interface and what was configured on it.
 */
import type { TunPort, Unsubscribe } from '../../../../../core/ports.js';
import type { Ipv6Address } from '../../../../../core/wire/ipv6-address.js';
import type { NetIf } from '../netif.js';
import type { Stack } from '../stack.js';

export interface TunOptions {
  mtu?: number;
  /** Interface identifier for addresses formed on the tunnel (`ip token`). */
  token?: Ipv6Address;
}

export class SimTunPort implements TunPort {
  readonly ifindex: number;
  readonly ifname: string;
  private readonly nif: NetIf;
  private readonly subs: Unsubscribe[] = [];
  private closed = false;

  constructor(
    private readonly s: Stack,
    ifname: string,
    opts: TunOptions = {},
  ) {
    this.nif = s.addTun(ifname, opts);
    this.ifindex = this.nif.ifindex;
    this.ifname = ifname;
  }

  send(packet: Uint8Array): void {
    if (this.closed || !this.s.alive) return;
    if (packet.length === 0 || packet[0] >>> 4 !== 6) {
      this.s.counters.drop('tun-not-ipv6');
      return;
    }
    this.s.ip6.receive(this.nif, packet);
  }

  onPacket(handler: (packet: Uint8Array) => void): Unsubscribe {
    const off = this.s.events.tunOf(this.ifindex).add(handler);
    this.subs.push(off);
    return off;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const off of this.subs.splice(0)) off();
    if (this.s.alive) this.s.removeTun(this.nif);
  }
}
