/**
 * IPv6 address configuration (RFC 4862, Linux's addrconf.c): the link-local address from the
 * interface identifier, Duplicate Address Detection, SLAAC from Prefix Information options with
 * the two-hour rule, and address lifetimes (deprecation, then removal).
 *
 * Linux's timing: DAD starts after a random delay of up to rtr_solicit_delay (1 s), sends
 * dad_transmits (1) NS from :: to the solicited-node group, and succeeds retrans_time (1 s) after
 * the last one. An address is usable ("added" in the trace) once DAD succeeded.
 */
import type { Micros } from '../../../../core/time.js';
import { SECOND } from '../../../../core/time.js';
import { Ipv6Address } from '../../../../core/wire/ipv6-address.js';
import { INFINITE } from '../../../../core/wire/ndisc/options/prefix-info.js';
import type { PrefixInfoOption } from '../../../../core/wire/ndisc/options/prefix-info.js';
import type { Addr6, AddrOrigin, NetIf } from './netif.js';
import type { Stack } from './stack.js';

const TWO_HOURS = 2 * 3600 * SECOND;
const LINK_LOCAL_PREFIX = new Ipv6Address(0xfe80_0000, 0, 0, 0);

export class Addrconf {
  constructor(private readonly s: Stack) {}

  /** Carrier came (back): make the link-local address, rerun DAD where it did not finish, solicit routers. */
  linkUp(nif: NetIf): void {
    if (nif.kind === 'underlay' || nif.kind === 'loopback') return;
    if (this.s.sysctl.ipv6(nif.name, 'disable_ipv6') === 1) return;
    nif.join(Ipv6Address.ALL_NODES);
    if (this.s.isRouter(nif)) nif.join(Ipv6Address.ALL_ROUTERS);
    const iid = nif.interfaceId();
    if (iid && !nif.linkLocalEntry()) this.add(nif, LINK_LOCAL_PREFIX.withInterfaceId(iid), 64, 'link-local', undefined, undefined);
    for (const a of nif.ipv6) if (a.tentative && !a.dadFailed && !a.dadTimer) this.startDad(nif, a);
    nif.raReceived = false;
    this.s.rs.start(nif);
  }

  /** Carrier lost: addresses stay; a DAD in progress waits for the link to come back. */
  linkDown(nif: NetIf): void {
    for (const a of nif.ipv6) {
      if (a.dadTimer) {
        a.dadTimer.cancel();
        a.dadTimer = undefined;
      }
    }
  }

  /** An address given in the config or by a program; it goes through DAD like any other. */
  addStatic(nif: NetIf, address: Ipv6Address, prefixLength: number): Addr6 {
    const a = this.add(nif, address, prefixLength, 'static', undefined, undefined);
    if (prefixLength < 128 && !address.isLinkLocal && nif.kind !== 'loopback') this.s.routers.connected(nif, address.mask(prefixLength), prefixLength);
    return a;
  }

  /** Adds an address (tentative when DAD applies) and starts DAD if the link is up. */
  add(nif: NetIf, address: Ipv6Address, prefixLength: number, origin: AddrOrigin, valid: Micros | undefined, preferred: Micros | undefined): Addr6 {
    const existing = nif.find6(address);
    if (existing) return existing;
    const now = this.s.clock.now();
    const a: Addr6 = {
      address,
      prefixLength,
      origin,
      tentative: this.needsDad(nif),
      dadFailed: false,
      deprecated: preferred !== undefined && preferred <= 0,
      validUntil: valid === undefined ? undefined : now + valid,
      preferredUntil: preferred === undefined ? undefined : now + preferred,
      lifetimeTimer: undefined,
      dadTimer: undefined,
      dadProbesLeft: 0,
    };
    nif.ipv6.push(a);
    if (!address.isMulticast && nif.kind !== 'loopback') nif.join(address.solicitedNode());
    this.armLifetime(nif, a);
    if (a.tentative) {
      this.s.trace('addr.tentative', () => ({ iface: nif.name, address: address.toString(), prefixLength }));
      if (nif.running) this.startDad(nif, a);
    } else {
      this.ready(nif, a);
    }
    this.s.ifChanged(nif);
    return a;
  }

  remove(nif: NetIf, a: Addr6): void {
    const i = nif.ipv6.indexOf(a);
    if (i < 0) return;
    a.lifetimeTimer?.cancel();
    a.dadTimer?.cancel();
    nif.ipv6.splice(i, 1);
    if (!a.address.isMulticast && nif.kind !== 'loopback') nif.leave(a.address.solicitedNode());
    this.s.trace('addr.removed', () => ({ iface: nif.name, address: a.address.toString(), prefixLength: a.prefixLength }));
    this.s.ifChanged(nif);
  }

  /**
   * RFC 4862 5.5.3 for one Prefix Information option of an accepted RA. Returns what happened,
   * for tests and counters.
   */
  prefixInfo(nif: NetIf, pi: PrefixInfoOption): 'ignored' | 'created' | 'updated' {
    if (!pi.autonomous || this.s.sysctl.ipv6(nif.name, 'autoconf') !== 1) return 'ignored';
    if (pi.prefix.isLinkLocal) return 'ignored';
    if (pi.preferredLifetime > pi.validLifetime) return 'ignored';
    const iid = nif.interfaceId();
    // A device without a link-layer address or token (a plain TUN) has no identifier to use.
    if (!iid) return 'ignored';
    // The identifier is 64 bits long, so only a /64 can take it (5.5.3 d).
    if (pi.prefixLength !== 64) {
      this.s.dropped(nif, 'slaac-prefix-length', () => ({ prefix: `${pi.prefix}/${pi.prefixLength}` }));
      return 'ignored';
    }
    const valid = lifetime(pi.validLifetime);
    const preferred = lifetime(pi.preferredLifetime);
    const prefix = pi.prefix.mask(64);
    const existing = nif.ipv6.find((a) => a.origin === 'slaac' && a.address.inPrefix(prefix, 64));
    if (!existing) {
      if (valid === 0) return 'ignored';
      this.add(nif, prefix.withInterfaceId(iid), 64, 'slaac', valid, preferred);
      return 'created';
    }
    const now = this.s.clock.now();
    const remaining = existing.validUntil === undefined ? Infinity : existing.validUntil - now;
    // The two-hour rule (5.5.3 e): a short valid lifetime may not cut a long-lived address short.
    let newValid: Micros | undefined;
    if (valid === undefined || valid > TWO_HOURS || valid > remaining) newValid = valid;
    else if (remaining <= TWO_HOURS) newValid = remaining;
    else newValid = TWO_HOURS;
    existing.validUntil = newValid === undefined ? undefined : now + newValid;
    existing.preferredUntil = preferred === undefined ? undefined : now + preferred;
    const wasDeprecated = existing.deprecated;
    existing.deprecated = preferred !== undefined && preferred <= 0;
    if (existing.deprecated && !wasDeprecated) this.traceDeprecated(nif, existing);
    this.armLifetime(nif, existing);
    if (wasDeprecated !== existing.deprecated) this.s.ifChanged(nif);
    return 'updated';
  }

  /** New lifetimes for an address (`ip addr replace ... valid_lft X preferred_lft Y`). */
  setLifetimes(nif: NetIf, a: Addr6, valid: Micros | undefined, preferred: Micros | undefined): void {
    const now = this.s.clock.now();
    a.validUntil = valid === undefined ? undefined : now + valid;
    a.preferredUntil = preferred === undefined ? undefined : now + preferred;
    const was = a.deprecated;
    a.deprecated = preferred !== undefined && preferred <= 0;
    if (a.deprecated && !was) this.traceDeprecated(nif, a);
    this.armLifetime(nif, a);
    this.s.ifChanged(nif);
  }

  /** DAD found someone else with `a` (an NS from :: for it, or an NA for it). */
  dadFailure(nif: NetIf, a: Addr6): void {
    if (!a.tentative || a.dadFailed) return;
    a.dadFailed = true;
    a.dadTimer?.cancel();
    a.dadTimer = undefined;
    this.s.trace('addr.dad-failed', () => ({ iface: nif.name, address: a.address.toString() }));
    this.s.ifChanged(nif);
  }

  /** The TUN interface went away. */
  dropInterface(nif: NetIf): void {
    for (const a of [...nif.ipv6]) {
      a.lifetimeTimer?.cancel();
      a.dadTimer?.cancel();
    }
    nif.ipv6.length = 0;
  }

  destroy(): void {
    for (const nif of this.s.ifs) for (const a of nif.ipv6) {
      a.lifetimeTimer?.cancel();
      a.dadTimer?.cancel();
    }
  }

  private needsDad(nif: NetIf): boolean {
    if (nif.kind !== 'ethernet') return false; // IFF_NOARP devices (tun, lo) skip DAD
    return this.s.sysctl.ipv6(nif.name, 'accept_dad') > 0 && this.s.sysctl.ipv6(nif.name, 'dad_transmits') > 0;
  }

  private startDad(nif: NetIf, a: Addr6): void {
    a.dadTimer?.cancel();
    a.dadProbesLeft = Math.max(0, this.s.sysctl.ipv6(nif.name, 'dad_transmits'));
    const delay = Math.max(0, this.s.sysctl.ipv6(nif.name, 'router_solicitation_delay')) * SECOND;
    const wait = delay > 0 ? Math.floor(this.s.random.next() * delay) : 0;
    a.dadTimer = this.s.clock.at(this.s.clock.now() + wait, () => this.dadStep(nif, a));
  }

  /** addrconf_dad_work: one more probe, or success after the last probe's wait. */
  private dadStep(nif: NetIf, a: Addr6): void {
    a.dadTimer = undefined;
    if (!a.tentative || a.dadFailed || !nif.ipv6.includes(a)) return;
    if (!nif.running) return; // resumes at link up
    if (a.dadProbesLeft === 0) {
      a.tentative = false;
      this.ready(nif, a);
      this.s.ifChanged(nif);
      return;
    }
    a.dadProbesLeft--;
    this.s.ndisc.sendDadProbe(nif, a.address);
    const retrans = Math.max(1, this.s.sysctl.neigh('ipv6', nif.name, 'retrans_time_ms')) * 1000;
    a.dadTimer = this.s.clock.at(this.s.clock.now() + retrans, () => this.dadStep(nif, a));
  }

  /** The address is usable. */
  private ready(nif: NetIf, a: Addr6): void {
    if (nif.kind === 'loopback') return;
    this.s.trace('addr.added', () => ({ iface: nif.name, address: a.address.toString(), prefixLength: a.prefixLength, origin: a.origin }));
    if (a.address.isLinkLocal) this.s.rs.linkLocalReady(nif);
  }

  /**
   * Keeps one timer at or before the address's next lifetime event. A refresh that only moves it
   * later (every RA) leaves the timer alone; lifetimeEvent looks again when it fires.
   */
  private armLifetime(nif: NetIf, a: Addr6): void {
    const next = a.deprecated || a.preferredUntil === undefined ? a.validUntil : Math.min(a.preferredUntil, a.validUntil ?? Infinity);
    if (a.lifetimeTimer && (next === undefined || a.lifetimeTimer.at <= next)) return;
    a.lifetimeTimer?.cancel();
    a.lifetimeTimer = next === undefined ? undefined : this.s.clock.at(next, () => this.lifetimeEvent(nif, a));
  }

  private lifetimeEvent(nif: NetIf, a: Addr6): void {
    a.lifetimeTimer = undefined;
    const now = this.s.clock.now();
    if (a.validUntil !== undefined && now >= a.validUntil) {
      this.remove(nif, a);
      return;
    }
    if (!a.deprecated && a.preferredUntil !== undefined && now >= a.preferredUntil) {
      a.deprecated = true;
      this.traceDeprecated(nif, a);
      this.s.ifChanged(nif);
    }
    this.armLifetime(nif, a);
  }

  private traceDeprecated(nif: NetIf, a: Addr6): void {
    this.s.trace('addr.deprecated', () => ({ iface: nif.name, address: a.address.toString(), prefixLength: a.prefixLength }));
  }
}

/** A lifetime field in seconds to microseconds; infinity becomes undefined. */
export function lifetime(s: number): Micros | undefined {
  return s === INFINITE ? undefined : s * SECOND;
}
