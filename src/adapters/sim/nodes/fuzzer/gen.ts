/**
 * What a mutation draws from: the fuzzer's random stream (so every packet is a function of the
 * run's seed) and the fuzzer's own addresses.
 */
import type { Prng } from '../../prng.js';
import type { MacAddress } from '../../../../core/wire/mac-address.js';
import type { Ipv4Address } from '../../../../core/wire/ipv4-address.js';
import type { Ipv6Address } from '../../../../core/wire/ipv6-address.js';

export class Gen {
  constructor(
    readonly random: Prng,
    readonly mac: MacAddress,
    /** The link-local source the fuzzer's ND messages claim. */
    readonly linkLocal: Ipv6Address,
    /** The fuzzer's IPv4 address (underlay), or a documentation address on Ethernet. */
    readonly ipv4: Ipv4Address,
    /** Where underlay packets go. */
    readonly targets: readonly Ipv4Address[],
  ) {}

  int(lo: number, hi: number): number {
    return this.random.int(lo, hi);
  }

  pick<T>(items: readonly T[]): T {
    return items[this.random.int(0, items.length - 1)];
  }

  bytes(n: number): Uint8Array {
    const b = new Uint8Array(n);
    for (let i = 0; i < n; i++) b[i] = this.random.int(0, 255);
    return b;
  }

  chance(p: number): boolean {
    return this.random.chance(p);
  }

  target(): Ipv4Address {
    return this.pick(this.targets);
  }
}
