/**
 * The internal Potential Router List (RFC 5214 8.3.2; isatapd's PRLENTRY list): one entry per
 * link-local ISATAP address to solicit. A router's IPv4 address V gives fe80::5efe:V, and for a V
 * outside isatapd's private ranges also its sibling fe80::200:5efe:V (RFC 5214 6.1's u bit), since
 * a router may use either. Entries are kept in the order their names were given and resolved
 * (the original pushed each onto the head, reversing it). A DNS re-check marks every entry stale,
 * refreshes the ones still resolved, and prunes the rest.
 */
import type { Ipv4Address } from '../wire/ipv4-address.js';
import type { Ipv6Address } from '../wire/ipv6-address.js';
import { isatapAddress, isPrivateIpv4 } from '../wire/isatap.js';
import { Ipv6Address as V6 } from '../wire/ipv6-address.js';

const LINK_LOCAL = new V6(0xfe80_0000, 0, 0, 0);

export interface PrlEntry {
  readonly v4: Ipv4Address;
  /** The link-local ISATAP address RSs go to and RAs must come from. */
  readonly ll: Ipv6Address;
  /** The other link-local address of the same router (only for a non-private V). */
  sibling: PrlEntry | undefined;
  stale: boolean;
}

export type AddOutcome = 'added' | 'refreshed' | 'duplicate';

export class PotentialRouterList {
  private list: PrlEntry[] = [];

  get entries(): readonly PrlEntry[] {
    return this.list;
  }

  get size(): number {
    return this.list.length;
  }

  /** Distinct router IPv4 addresses, in list order. */
  addresses(): Ipv4Address[] {
    const out: Ipv4Address[] = [];
    for (const e of this.list) if (!out.some((a) => a.value === e.v4.value)) out.push(e.v4);
    return out;
  }

  byV4(v4: Ipv4Address): PrlEntry | undefined {
    return this.list.find((e) => e.v4.value === v4.value);
  }

  byLinkLocal(ll: Ipv6Address): PrlEntry | undefined {
    return this.list.find((e) => e.ll.equals(ll));
  }

  has(v4: Ipv4Address): boolean {
    return this.byV4(v4) !== undefined;
  }

  /** fill_internal_prl's first step: everything is stale until resolved again. */
  markStale(): void {
    for (const e of this.list) e.stale = true;
  }

  /** One resolved address: a new entry (with its sibling), or a refreshed or duplicate one. */
  add(v4: Ipv4Address): AddOutcome {
    const existing = this.byV4(v4);
    if (existing) {
      const wasStale = existing.stale;
      for (const e of this.list) if (e.v4.value === v4.value) e.stale = false;
      return wasStale ? 'refreshed' : 'duplicate';
    }
    const first: PrlEntry = { v4, ll: isatapAddress(LINK_LOCAL, v4, false), sibling: undefined, stale: false };
    this.list.push(first);
    if (!isPrivateIpv4(v4)) {
      const second: PrlEntry = { v4, ll: isatapAddress(LINK_LOCAL, v4, true), sibling: first, stale: false };
      first.sibling = second;
      this.list.push(second);
    }
    return 'added';
  }

  /** Removes every stale entry; returns the IPv4 addresses that left the list. */
  prune(): Ipv4Address[] {
    const gone: Ipv4Address[] = [];
    for (const e of this.list) if (e.stale && !gone.some((a) => a.value === e.v4.value)) gone.push(e.v4);
    this.list = this.list.filter((e) => !e.stale);
    return gone;
  }

  /** Removes a router (both its entries). */
  removeV4(v4: Ipv4Address): void {
    this.list = this.list.filter((e) => e.v4.value !== v4.value);
  }
}
