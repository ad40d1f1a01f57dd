/**
 * Resolver for programs on the simulated host: the topology's DNS (ctx.resolver). An answer that
 * arrives after the host crashed is not delivered: the program that asked is gone.
 */
import type { Resolver } from '../../../../../core/ports.js';
import type { Ipv4Address } from '../../../../../core/wire/ipv4-address.js';
import type { Stack } from '../stack.js';

export class SimResolver implements Resolver {
  constructor(
    private readonly s: Stack,
    private readonly dns: Resolver,
  ) {}

  resolve4(name: string, done: (addresses: Ipv4Address[], error?: string) => void): void {
    const s = this.s;
    this.dns.resolve4(name, (addresses, error) => {
      if (s.alive) done(addresses, error);
    });
  }
}
