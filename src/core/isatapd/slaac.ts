/**
 * Address and route configuration on a userspace ISATAP tunnel, which the kernel does by itself
 * on a SIT ISATAP device: the link-local address fe80::5efe:V, one address PREFIX::5efe:V (u bit
 * set when V is global, RFC 5214 6.1) per autonomous /64 prefix with RFC 4862's lifetime rules
 * (5.5.3 c-e, the two-hour rule included), on-link prefix routes, Route Information routes and a
 * default route through each router with a non-zero router lifetime, and the RA's hop limit and
 * MTU as the kernel's ndisc_router_discovery takes them. Everything has a lifetime:
 * the kernel is told it, and the core removes what expires itself too. The next-hop table of the
 * data plane follows every change.
 */
import type { Clock, InterfaceControl, Ipv6Params, Timer } from '../ports.js';
import { SECOND, type Micros } from '../time.js';
import type { Ipv4Address } from '../wire/ipv4-address.js';
import { Ipv6Address } from '../wire/ipv6-address.js';
import { isatapAddress, isPrivateIpv4 } from '../wire/isatap.js';
import { INFINITE } from '../wire/ndisc/options/prefix-info.js';
import type { RouterAdvert } from '../wire/ndisc/router-advert.js';
import type { NextHopTable } from './dataplane/next-hop.js';
import type { Emit } from './source.js';

const LINK_LOCAL = new Ipv6Address(0xfe80_0000, 0, 0, 0);
const TWO_HOURS = 2 * 3600 * SECOND;

interface Address {
  address: Ipv6Address;
  validUntil: Micros | undefined;
  preferredUntil: Micros | undefined;
  timer: Timer | undefined;
}

interface Route {
  prefix: Ipv6Address;
  prefixLength: number;
  via: Ipv6Address | undefined;
  expires: Micros | undefined;
  timer: Timer | undefined;
}

function life(seconds: number): Micros | undefined {
  return seconds === INFINITE ? undefined : seconds * SECOND;
}

function secondsLeft(until: Micros | undefined, now: Micros): number | undefined {
  return until === undefined ? undefined : Math.max(0, Math.ceil((until - now) / SECOND));
}

export class TunnelSlaac {
  private readonly addresses = new Map<string, Address>();
  private readonly routes = new Map<string, Route>();
  private stopped = false;
  /** The hop limit and IPv6 MTU last set from an RA (undefined: the device's own). */
  private hopLimit: number | undefined;
  private mtu: number | undefined;
  readonly linkLocal: Ipv6Address;
  private readonly global: boolean;

  constructor(
    private readonly clock: Clock,
    private readonly control: InterfaceControl,
    private readonly emit: Emit,
    readonly ifname: string,
    readonly local: Ipv4Address,
    private readonly table: NextHopTable,
    /** The TUN device's MTU: an RA may lower the IPv6 MTU from it, never raise it beyond. */
    private readonly deviceMtu: number,
  ) {
    this.global = !isPrivateIpv4(local);
    this.linkLocal = isatapAddress(LINK_LOCAL, local, this.global);
  }

  /** Puts the link-local address on the tunnel. */
  start(): void {
    this.control.addAddress({ ifname: this.ifname, address: this.linkLocal, prefixLength: 64 }, (error) => this.failed('address', this.linkLocal, error));
  }

  /** Forgets everything without asking the kernel: the tunnel and what was on it are gone. */
  stop(): void {
    this.stopped = true;
    for (const a of this.addresses.values()) a.timer?.cancel();
    for (const r of this.routes.values()) r.timer?.cancel();
    this.addresses.clear();
    this.routes.clear();
    this.table.clear();
  }

  /** An accepted RA from the router with link-local address `router`. */
  advert(router: Ipv6Address, ra: RouterAdvert): void {
    if (this.stopped) return;
    this.linkParams(ra);
    this.route(Ipv6Address.UNSPECIFIED, 0, router, ra.routerLifetime === 0 ? 0 : ra.routerLifetime);
    for (const o of ra.options) {
      if (o.kind === 'prefix-info') {
        if (o.prefix.isLinkLocal || o.prefixLength > 128) continue;
        if (o.onLink) this.route(o.prefix.mask(o.prefixLength), o.prefixLength, undefined, o.validLifetime);
        if (o.autonomous) this.prefix(o.prefix, o.prefixLength, o.validLifetime, o.preferredLifetime);
      } else if (o.kind === 'route-info') {
        if (o.prefixLength === 0) continue; // a default route comes from the router lifetime
        this.route(o.prefix.mask(o.prefixLength), o.prefixLength, router, o.lifetime);
      }
    }
  }

  /**
   * Linux's rules: a non-zero Cur Hop Limit becomes the interface's hop limit; the first MTU
   * option becomes its IPv6 MTU when it lies in 1280..the device MTU, else it is ignored.
   */
  private linkParams(ra: RouterAdvert): void {
    const p: Ipv6Params = {};
    if (ra.curHopLimit > 0 && ra.curHopLimit !== this.hopLimit) p.hopLimit = ra.curHopLimit;
    const option = ra.options.find((o) => o.kind === 'mtu');
    if (option && (option.mtu < 1280 || option.mtu > this.deviceMtu)) {
      this.emit('debug', 'slaac.mtu-ignored', `RA MTU ${option.mtu} ignored: outside 1280..${this.deviceMtu}`, { mtu: option.mtu });
    } else if (option && option.mtu !== this.mtu) p.mtu = option.mtu;
    if (p.hopLimit === undefined && p.mtu === undefined) return;
    if (p.hopLimit !== undefined) this.hopLimit = p.hopLimit;
    if (p.mtu !== undefined) this.mtu = p.mtu;
    this.emit('info', 'slaac.link', `${this.ifname}:${p.mtu !== undefined ? ` mtu ${p.mtu}` : ''}${p.hopLimit !== undefined ? ` hop limit ${p.hopLimit}` : ''}`, { ...p });
    this.control.setIpv6Params(this.ifname, p, (error) => {
      if (!error) return;
      // Not applied: the next RA tries again.
      if (p.hopLimit !== undefined && this.hopLimit === p.hopLimit) this.hopLimit = undefined;
      if (p.mtu !== undefined && this.mtu === p.mtu) this.mtu = undefined;
      this.failed('IPv6 parameters', JSON.stringify(p), error);
    });
  }

  /** A router left the list: its routes go at once. */
  forgetRouter(v4: Ipv4Address): void {
    for (const [key, r] of [...this.routes]) {
      if (r.via && r.via.w3 === v4.value && r.via.isLinkLocal) this.dropRoute(key, r);
    }
  }

  /** What is configured, for queries and summaries. */
  view(): { addresses: Array<Record<string, unknown>>; routes: Array<Record<string, unknown>>; mtu?: number; hopLimit?: number } {
    const now = this.clock.now();
    return {
      ...(this.mtu !== undefined ? { mtu: this.mtu } : {}),
      ...(this.hopLimit !== undefined ? { hopLimit: this.hopLimit } : {}),
      addresses: [
        { address: this.linkLocal.toString(), prefixLength: 64, validLifetime: 'forever', preferredLifetime: 'forever' },
        ...[...this.addresses.values()].map((a) => ({
          address: a.address.toString(),
          prefixLength: 64,
          validLifetime: secondsLeft(a.validUntil, now) ?? 'forever',
          preferredLifetime: secondsLeft(a.preferredUntil, now) ?? 'forever',
        })),
      ],
      routes: [...this.routes.values()].map((r) => ({
        prefix: `${r.prefix}/${r.prefixLength}`,
        ...(r.via ? { via: r.via.toString() } : {}),
        expires: secondsLeft(r.expires, now) ?? 'forever',
      })),
    };
  }

  // RFC 4862 5.5.3 for one autonomous prefix.
  private prefix(prefix: Ipv6Address, prefixLength: number, validS: number, preferredS: number): void {
    if (preferredS > validS) return; // c)
    if (prefixLength !== 64) {
      this.emit('debug', 'slaac.prefix-length', `prefix ${prefix}/${prefixLength}: an ISATAP identifier needs a /64`, { prefix: `${prefix}/${prefixLength}` });
      return;
    }
    const now = this.clock.now();
    const address = isatapAddress(prefix.mask(64), this.local, this.global);
    const key = address.toString();
    const valid = life(validS);
    const preferred = life(preferredS);
    let a = this.addresses.get(key);
    if (!a) {
      if (valid === 0) return; // d)
      a = { address, validUntil: undefined, preferredUntil: undefined, timer: undefined };
      this.addresses.set(key, a);
      a.validUntil = valid === undefined ? undefined : now + valid;
      this.emit('info', 'slaac.address', `address ${address}/64 on ${this.ifname}`, { address: key, valid: validS, preferred: preferredS });
    } else {
      // e) the two-hour rule: a short valid lifetime may not cut a long-lived address short.
      const remaining = a.validUntil === undefined ? Infinity : a.validUntil - now;
      let v: Micros | undefined;
      if (valid === undefined || valid > TWO_HOURS || valid > remaining) v = valid;
      else if (remaining <= TWO_HOURS) v = remaining;
      else v = TWO_HOURS;
      a.validUntil = v === undefined ? undefined : now + v;
    }
    a.preferredUntil = preferred === undefined ? undefined : now + Math.min(preferred, a.validUntil === undefined ? Infinity : a.validUntil - now);
    const left = secondsLeft(a.validUntil, now);
    const pref = secondsLeft(a.preferredUntil, now);
    this.control.addAddress({ ifname: this.ifname, address, prefixLength: 64, validLifetime: left, preferredLifetime: pref }, (error) => this.failed('address', address, error));
    a.timer?.cancel();
    a.timer = a.validUntil === undefined ? undefined : this.clock.at(a.validUntil, () => this.expireAddress(key));
  }

  private expireAddress(key: string): void {
    const a = this.addresses.get(key);
    if (!a || this.stopped) return;
    this.addresses.delete(key);
    this.emit('info', 'slaac.expired', `address ${a.address}/64 expired`, { address: key });
    // The kernel removes it at the same moment; asking too covers a kernel that kept it.
    this.control.removeAddress({ ifname: this.ifname, address: a.address, prefixLength: 64 }, () => undefined);
  }

  private route(prefix: Ipv6Address, prefixLength: number, via: Ipv6Address | undefined, lifetimeS: number): void {
    const key = `${prefix}/${prefixLength}${via ? ` via ${via}` : ''}`;
    const existing = this.routes.get(key);
    if (lifetimeS === 0) {
      if (existing) this.dropRoute(key, existing);
      return;
    }
    const now = this.clock.now();
    const lifetime = life(lifetimeS);
    const r: Route = existing ?? { prefix, prefixLength, via, expires: undefined, timer: undefined };
    r.expires = lifetime === undefined ? undefined : now + lifetime;
    if (!existing) {
      this.routes.set(key, r);
      this.emit('info', 'slaac.route', `route ${prefix}/${prefixLength}${via ? ` via ${via}` : ''} dev ${this.ifname}`, { prefix: `${prefix}/${prefixLength}`, via: via?.toString() });
      if (prefixLength === 0 && via) this.table.setDefault(via);
      else this.table.setRoute(prefix, prefixLength, via);
    }
    this.control.addRoute({ ifname: this.ifname, prefix, prefixLength, via, lifetime: lifetime === undefined ? undefined : lifetimeS }, (error) => this.failed('route', key, error));
    r.timer?.cancel();
    r.timer = r.expires === undefined ? undefined : this.clock.at(r.expires, () => {
      if (this.routes.get(key) === r && !this.stopped) this.dropRoute(key, r);
    });
  }

  private dropRoute(key: string, r: Route): void {
    r.timer?.cancel();
    this.routes.delete(key);
    if (r.prefixLength === 0 && r.via) this.table.removeDefault(r.via);
    else this.table.removeRoute(r.prefix, r.prefixLength, r.via);
    this.emit('info', 'slaac.route-removed', `route ${key} removed`, { prefix: `${r.prefix}/${r.prefixLength}`, via: r.via?.toString() });
    this.control.removeRoute({ ifname: this.ifname, prefix: r.prefix, prefixLength: r.prefixLength, via: r.via }, () => undefined);
  }

  private failed(what: string, item: unknown, error: string | undefined): void {
    if (error && !this.stopped) this.emit('warning', 'slaac.failed', `cannot configure ${what} ${String(item)} on ${this.ifname}: ${error}`);
  }
}
