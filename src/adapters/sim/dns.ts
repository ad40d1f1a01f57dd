/**
 * The simulated DNS: names to IPv4 lists from the topology's `dns:` section, changed by `dns` timed
 * events. Each node gets a Resolver that answers after a small virtual delay, through the node's
 * clock, so an answer due to a node that crashed meanwhile is never delivered.
 */
import type { Clock, Resolver } from '../../core/ports.js';
import type { Ipv4Address } from '../../core/wire/ipv4-address.js';
import { MILLISECOND, type Micros } from '../../core/time.js';
import type { Tracer } from './trace.js';

/** How long a lookup takes in virtual time. */
export const DNS_DELAY: Micros = 1 * MILLISECOND;

function canonical(name: string): string {
  return name.trim().toLowerCase().replace(/\.$/, '');
}

export class SimDns {
  private readonly names = new Map<string, Ipv4Address[]>();

  constructor(
    entries: ReadonlyArray<{ name: string; addresses: Ipv4Address[] }>,
    private readonly trace?: Tracer,
  ) {
    for (const e of entries) this.names.set(canonical(e.name), [...e.addresses]);
  }

  /** The addresses of `name` now (empty when it does not resolve). */
  lookup(name: string): Ipv4Address[] {
    return [...(this.names.get(canonical(name)) ?? [])];
  }

  /** Replaces `name`'s addresses; an empty list removes the name. */
  set(name: string, addresses: Ipv4Address[]): void {
    if (addresses.length === 0) this.names.delete(canonical(name));
    else this.names.set(canonical(name), [...addresses]);
    this.trace?.emit({ event: 'dns', name: canonical(name), addresses: addresses.map((a) => a.toString()) });
  }

  /** A Resolver whose answers arrive through `clock` after DNS_DELAY. */
  resolver(clock: Clock): Resolver {
    return {
      resolve4: (name, done) => {
        clock.at(clock.now() + DNS_DELAY, () => {
          const found = this.lookup(name);
          if (found.length === 0) done([], `${name}: no such name`);
          else done(found);
        });
      },
    };
  }
}
