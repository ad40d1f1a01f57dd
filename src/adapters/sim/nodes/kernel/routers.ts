/**
 * The IPv6 routes the model keeps (RFC 4861 5, 6.3.4): the Default Router List from accepted RAs
 * (expiring with Router Lifetime; a lifetime of 0 removes the router at once), the on-link
 * prefixes from Prefix Information options with the L flag (expiring with their valid lifetime),
 * and the connected prefixes of static addresses. Traced as route.added / route.removed.
 */
import type { Timer } from '../../../../core/ports.js';
import type { Micros } from '../../../../core/time.js';
import { SECOND } from '../../../../core/time.js';
import type { Ipv6Address } from '../../../../core/wire/ipv6-address.js';
import type { Preference } from '../../../../core/wire/ndisc/preference.js';
import type { NetIf } from './netif.js';
import type { Stack } from './stack.js';

export interface DefaultRouter {
  nif: NetIf;
  address: Ipv6Address;
  preference: Preference;
  expires: Micros;
  timer: Timer | undefined;
}

export interface PrefixRoute {
  nif: NetIf;
  prefix: Ipv6Address;
  prefixLength: number;
  /** undefined: forever (connected routes and infinite lifetimes). */
  expires: Micros | undefined;
  timer: Timer | undefined;
  /** ra: a Prefix Information option; connected: a static address's prefix; static: added by a program. */
  origin: 'ra' | 'connected' | 'static';
  /** The next hop of a static route; undefined means on-link. */
  via?: Ipv6Address;
}

const RANK: Record<Preference, number> = { high: 2, medium: 1, reserved: 1, low: 0 };

export class RouterList {
  readonly routers: DefaultRouter[] = [];
  readonly prefixes: PrefixRoute[] = [];

  constructor(private readonly s: Stack) {}

  /** An accepted RA from `address` with this Router Lifetime (seconds). */
  advertised(nif: NetIf, address: Ipv6Address, lifetimeSeconds: number, preference: Preference): void {
    const i = this.routers.findIndex((r) => r.nif === nif && r.address.equals(address));
    if (lifetimeSeconds === 0) {
      if (i >= 0) this.removeRouter(i);
      return;
    }
    const expires = this.s.clock.now() + lifetimeSeconds * SECOND;
    let r: DefaultRouter;
    if (i >= 0) {
      r = this.routers[i];
      r.expires = expires;
      r.preference = preference;
    } else {
      r = { nif, address, preference, expires, timer: undefined };
      this.routers.push(r);
      this.s.trace('route.added', () => ({ iface: nif.name, prefix: '::/0', via: address.toString() }));
    }
    this.armRouter(r);
  }

  /**
   * Keeps one timer per router at or before its expiry. A refresh that only moves the expiry later
   * (every RA) leaves the timer alone; when it fires early it looks again.
   */
  private armRouter(r: DefaultRouter): void {
    if (r.timer && r.timer.at <= r.expires) return;
    r.timer?.cancel();
    r.timer = this.s.clock.at(r.expires, () => {
      r.timer = undefined;
      if (this.s.clock.now() < r.expires) {
        this.armRouter(r);
        return;
      }
      const j = this.routers.indexOf(r);
      if (j >= 0) this.removeRouter(j);
    });
  }

  /** A neighbour stopped being a router (an NA without R): it leaves the list. */
  notRouter(nif: NetIf, address: Ipv6Address): void {
    const i = this.routers.findIndex((r) => r.nif === nif && r.address.equals(address));
    if (i >= 0) this.removeRouter(i);
  }

  /** An on-link prefix from a Prefix Information option with L set. */
  onLink(nif: NetIf, prefix: Ipv6Address, prefixLength: number, validSeconds: number | undefined): void {
    const p = prefix.mask(prefixLength);
    const i = this.prefixes.findIndex((r) => r.nif === nif && r.prefixLength === prefixLength && r.prefix.equals(p));
    if (validSeconds === 0) {
      if (i >= 0 && this.prefixes[i].origin === 'ra') this.removePrefix(i);
      return;
    }
    const expires = validSeconds === undefined ? undefined : this.s.clock.now() + validSeconds * SECOND;
    let r: PrefixRoute;
    if (i >= 0) {
      r = this.prefixes[i];
      if (r.origin === 'connected') return;
      r.expires = expires;
    } else {
      r = { nif, prefix: p, prefixLength, expires, timer: undefined, origin: 'ra' };
      this.prefixes.push(r);
      this.s.trace('route.added', () => ({ iface: nif.name, prefix: `${p}/${prefixLength}` }));
    }
    this.armPrefix(r);
  }

  /** As armRouter, for a prefix route; an infinite lifetime keeps no timer (one set earlier just looks again). */
  private armPrefix(r: PrefixRoute): void {
    if (r.expires === undefined || (r.timer && r.timer.at <= r.expires)) return;
    r.timer?.cancel();
    r.timer = this.s.clock.at(r.expires, () => {
      r.timer = undefined;
      if (r.expires === undefined || this.s.clock.now() < r.expires) {
        this.armPrefix(r);
        return;
      }
      const j = this.prefixes.indexOf(r);
      if (j >= 0) this.removePrefix(j);
    });
  }

  /** The prefix route of a static address. */
  connected(nif: NetIf, prefix: Ipv6Address, prefixLength: number): void {
    if (this.prefixes.some((r) => r.nif === nif && r.prefixLength === prefixLength && r.prefix.equals(prefix))) return;
    this.prefixes.push({ nif, prefix, prefixLength, expires: undefined, timer: undefined, origin: 'connected' });
    this.s.trace('route.added', () => ({ iface: nif.name, prefix: `${prefix}/${prefixLength}` }));
  }

  /** A route a program added (InterfaceControl.addRoute, `ip -6 route replace`); `lifetime` in seconds. */
  addStatic(nif: NetIf, prefix: Ipv6Address, prefixLength: number, via: Ipv6Address | undefined, lifetimeSeconds: number | undefined): void {
    const p = prefix.mask(prefixLength);
    this.removeStatic(nif, p, prefixLength, via, false);
    const expires = lifetimeSeconds === undefined ? undefined : this.s.clock.now() + lifetimeSeconds * SECOND;
    const r: PrefixRoute = { nif, prefix: p, prefixLength, expires, timer: undefined, origin: 'static', via };
    this.prefixes.push(r);
    if (expires !== undefined) {
      r.timer = this.s.clock.at(expires, () => {
        r.timer = undefined;
        const j = this.prefixes.indexOf(r);
        if (j >= 0) this.removePrefix(j);
      });
    }
    this.s.trace('route.added', () => ({ iface: nif.name, prefix: `${p}/${prefixLength}`, ...(via ? { via: via.toString() } : {}) }));
  }

  /** Removes a static route; false when there was none. */
  removeStatic(nif: NetIf, prefix: Ipv6Address, prefixLength: number, via: Ipv6Address | undefined, trace = true): boolean {
    const p = prefix.mask(prefixLength);
    const i = this.prefixes.findIndex(
      (r) => r.origin === 'static' && r.nif === nif && r.prefixLength === prefixLength && r.prefix.equals(p) && (via === undefined ? r.via === undefined : r.via !== undefined && r.via.equals(via)),
    );
    if (i < 0) return false;
    if (trace) this.removePrefix(i);
    else this.prefixes.splice(i, 1)[0].timer?.cancel();
    return true;
  }

  /** The longest on-link prefix or static route holding `dst`, or undefined. */
  onLinkFor(dst: Ipv6Address): PrefixRoute | undefined {
    let best: PrefixRoute | undefined;
    for (const r of this.prefixes) {
      if (!r.nif.running && r.nif.kind !== 'tun') continue;
      if (dst.inPrefix(r.prefix, r.prefixLength) && (!best || r.prefixLength > best.prefixLength)) best = r;
    }
    return best;
  }

  /**
   * The default router to use (rt6_select, simplified): the most preferred one whose neighbour
   * entry has not FAILED, in the order they were learnt; any of them when all have failed.
   */
  defaultRouter(onlyOn?: NetIf): DefaultRouter | undefined {
    let best: DefaultRouter | undefined;
    let bestRank = -1;
    for (const r of this.routers) {
      if (onlyOn && r.nif !== onlyOn) continue;
      if (!r.nif.running) continue;
      const failed = r.nif.nd?.lookup(r.address)?.state === 'failed';
      const rank = RANK[r.preference] * 2 + (failed ? 0 : 1);
      if (rank > bestRank) {
        best = r;
        bestRank = rank;
      }
    }
    return best;
  }

  dropInterface(nif: NetIf): void {
    for (let i = this.routers.length - 1; i >= 0; i--) if (this.routers[i].nif === nif) this.removeRouter(i);
    for (let i = this.prefixes.length - 1; i >= 0; i--) if (this.prefixes[i].nif === nif) this.removePrefix(i);
  }

  destroy(): void {
    for (const r of this.routers) r.timer?.cancel();
    for (const p of this.prefixes) p.timer?.cancel();
    this.routers.length = 0;
    this.prefixes.length = 0;
  }

  private removeRouter(i: number): void {
    const [r] = this.routers.splice(i, 1);
    r.timer?.cancel();
    this.s.trace('route.removed', () => ({ iface: r.nif.name, prefix: '::/0', via: r.address.toString() }));
  }

  private removePrefix(i: number): void {
    const [r] = this.prefixes.splice(i, 1);
    r.timer?.cancel();
    this.s.trace('route.removed', () => ({ iface: r.nif.name, prefix: `${r.prefix}/${r.prefixLength}`, ...(r.via ? { via: r.via.toString() } : {}) }));
  }
}
