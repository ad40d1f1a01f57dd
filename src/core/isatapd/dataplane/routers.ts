/**
 * What both userspace data planes (the port-level one and Linux's batched one) keep for the
 * control plane: the potential routers' IPv4 addresses, which RFC 5214 7.3 lets source any inner
 * address, and the handlers that receive Router Advertisements.
 */
import type { Icmpv6Received, Unsubscribe } from '../../ports.js';
import type { Ipv4Address } from '../../wire/ipv4-address.js';

export class TunnelRouters {
  private readonly routers = new Set<number>();
  private readonly handlers = new Set<(m: Icmpv6Received) => void>();
  /** Whether an IPv4 address (as a number) is a listed router; handed to innerCheck. */
  readonly listed = (v4: number): boolean => this.routers.has(v4);

  add(v4: Ipv4Address, done?: (error?: string) => void): void {
    this.routers.add(v4.value);
    done?.();
  }

  remove(v4: Ipv4Address, done?: (error?: string) => void): void {
    this.routers.delete(v4.value);
    done?.();
  }

  onRouterAdvert(handler: (m: Icmpv6Received) => void): Unsubscribe {
    this.handlers.add(handler);
    return () => this.handlers.delete(handler);
  }

  /** Hands an RA to every handler (a copy of the set: a handler may unsubscribe). */
  deliver(m: Icmpv6Received): void {
    for (const h of [...this.handlers]) h(m);
  }

  clear(): void {
    this.handlers.clear();
  }
}
