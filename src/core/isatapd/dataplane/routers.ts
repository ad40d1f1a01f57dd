/**
 * What both userspace data planes (the port-level one and Linux's batched one) keep for the
 * control plane: the potential routers' IPv4 addresses, which RFC 5214 7.3 lets source any inner
 * address, and the handlers that receive Router Advertisements.
 */
import type { Icmpv6Received, Unsubscribe } from '../../ports.js';
import type { Ipv4Address } from '../../wire/ipv4-address.js';
import { Handlers } from '../../handlers.js';

export class TunnelRouters {
  private readonly routers = new Set<number>();
  private readonly handlers = new Handlers<Icmpv6Received>();
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
    return this.handlers.add(handler);
  }

  /** Hands an RA to every handler. */
  deliver(m: Icmpv6Received): void {
    this.handlers.emit(m);
  }

  clear(): void {
    this.handlers.clear();
  }
}
