/**
 * The kernel data plane behind the tunnel seam: the SIT driver in ISATAP mode does the
 * encapsulation, the RFC 5214 checks against its Potential Router List, and the address
 * configuration from RAs; isatapd creates the tunnel (SIOCADDTUNNEL, or rtnetlink), fills the
 * kernel's PRL (SIOCADDPRL) and solicits through an ICMPv6 socket on the tunnel, as the original.
 */
import type { Icmpv6Port, Icmpv6Received, Unsubscribe } from '../ports.js';
import type { Ipv4Address } from '../wire/ipv4-address.js';
import type { Ipv6Address } from '../wire/ipv6-address.js';
import { ICMPV6_TYPE } from '../wire/icmpv6-types.js';
import type { IsatapTunnel, TunnelFactory, TunnelParams } from './tunnel.js';


/** What the kernel data plane needs from the system (privileged: the root half does it). */
export interface SitPort {
  /** Creates the SIT ISATAP tunnel, sets its MTU, brings it up, and opens an ICMPv6 socket on it. */
  create(p: TunnelParams, done: (t: { ifindex: number; icmpv6: Icmpv6Port } | null, error?: string) => void): void;
  /** SIOCADDPRL (with PRL_DEFAULT) / SIOCDELPRL. */
  addPrl(ifname: string, v4: Ipv4Address, done?: (error?: string) => void): void;
  removePrl(ifname: string, v4: Ipv4Address, done?: (error?: string) => void): void;
  /** Down and deleted (SIOCDELTUNNEL). */
  remove(ifname: string, done?: (error?: string) => void): void;
}

export class KernelTunnel implements IsatapTunnel {
  readonly mode = 'kernel' as const;
  private sent = 0;
  private received = 0;
  private closed = false;

  constructor(
    private readonly sit: SitPort,
    readonly ifname: string,
    readonly ifindex: number,
    private readonly icmpv6: Icmpv6Port,
  ) {}

  solicit(router: { v4: Ipv4Address; ll: Ipv6Address }, message: Uint8Array): void {
    if (this.closed) return;
    this.icmpv6.send({ ifindex: this.ifindex, dst: router.ll, hopLimit: 255, message });
    this.sent++;
  }

  onRouterAdvert(handler: (m: Icmpv6Received) => void): Unsubscribe {
    return this.icmpv6.onMessage((m) => {
      if (m.message[0] !== ICMPV6_TYPE['router-advert']) return;
      this.received++;
      handler(m);
    });
  }

  addRouter(v4: Ipv4Address, done?: (error?: string) => void): void {
    this.sit.addPrl(this.ifname, v4, done);
  }

  removeRouter(v4: Ipv4Address, done?: (error?: string) => void): void {
    this.sit.removePrl(this.ifname, v4, done);
  }

  close(done?: (error?: string) => void): void {
    if (this.closed) {
      done?.();
      return;
    }
    this.closed = true;
    this.icmpv6.close();
    this.sit.remove(this.ifname, done);
  }

  stats(): Record<string, unknown> {
    return { rsSent: this.sent, raReceived: this.received };
  }
}

export class KernelTunnelFactory implements TunnelFactory {
  readonly mode = 'kernel' as const;

  constructor(private readonly sit: SitPort) {}

  create(p: TunnelParams, done: (tunnel: IsatapTunnel | null, error?: string) => void): void {
    this.sit.create(p, (t, error) => done(t ? new KernelTunnel(this.sit, p.name, t.ifindex, t.icmpv6) : null, error));
  }
}
