/**
 * InterfaceControl over the kernel model: what `ip tuntap add`, `ip link del`, `ip addr` and
 * `ip -6 route` do, applied to the simulated host. Outcomes come back through `done`, later, with
 * the words Linux's tools print for the usual failures.
 */
import type { AddressRequest, InterfaceControl, Ipv6Params, RouteRequest, TunPort } from '../../../../../core/ports.js';
import { SECOND } from '../../../../../core/time.js';
import type { Stack } from '../stack.js';
import type { NetIf } from '../netif.js';
import { SimTunPort } from './tun.js';

export class SimInterfaceControl implements InterfaceControl {
  /** TUN devices this control created, by name: `deleteLink` closes them. */
  private readonly tuns = new Map<string, SimTunPort>();
  /** Their device MTUs: the IPv6 MTU may go down from there and back up to it, not beyond. */
  private readonly tunMtu = new Map<string, number>();

  constructor(private readonly s: Stack) {}

  private later(fn: () => void): void {
    const s = this.s;
    s.clock.at(s.clock.now(), () => {
      if (s.alive) fn();
    });
  }

  private find(ifname: string, done: ((error?: string) => void) | undefined): NetIf | undefined {
    const nif = this.s.byName(ifname);
    if (!nif) this.later(() => done?.(`Cannot find device "${ifname}"`));
    return nif;
  }

  createTun(ifname: string, mtu: number, done: (tun: TunPort | null, error?: string) => void): void {
    if (!this.s.alive) return;
    if (this.s.byName(ifname)) {
      this.later(() => done(null, `${ifname}: File exists`));
      return;
    }
    if (!Number.isInteger(mtu) || mtu < 68 || mtu > 65535) {
      this.later(() => done(null, `mtu ${mtu}: Invalid argument`));
      return;
    }
    const tun = new SimTunPort(this.s, ifname, { mtu });
    this.tuns.set(ifname, tun);
    this.tunMtu.set(ifname, mtu);
    this.later(() => done(tun));
  }

  deleteLink(ifname: string, done?: (error?: string) => void): void {
    if (!this.s.alive) return;
    const tun = this.tuns.get(ifname);
    if (!tun) {
      this.later(() => done?.(this.s.byName(ifname) ? `${ifname}: Operation not supported` : `Cannot find device "${ifname}"`));
      return;
    }
    this.tuns.delete(ifname);
    this.tunMtu.delete(ifname);
    tun.close();
    this.later(() => done?.());
  }

  setIpv6Params(ifname: string, p: Ipv6Params, done?: (error?: string) => void): void {
    if (!this.s.alive) return;
    const nif = this.find(ifname, done);
    if (!nif) return;
    const device = nif.ethernet?.mtu ?? this.tunMtu.get(ifname) ?? nif.mtu;
    // Linux refuses the whole write of a value out of range: "Invalid argument".
    if ((p.mtu !== undefined && (p.mtu < 1280 || p.mtu > device)) || (p.hopLimit !== undefined && (p.hopLimit < 1 || p.hopLimit > 255))) {
      this.later(() => done?.('Invalid argument'));
      return;
    }
    if (p.hopLimit !== undefined) this.s.sysctl.set(`net.ipv6.conf.${ifname}.hop_limit`, String(p.hopLimit));
    if (p.mtu !== undefined && p.mtu !== nif.mtu) {
      nif.mtu = p.mtu;
      this.s.ifChanged(nif);
    }
    this.later(() => done?.());
  }

  addAddress(a: AddressRequest, done?: (error?: string) => void): void {
    if (!this.s.alive) return;
    const nif = this.find(a.ifname, done);
    if (!nif) return;
    const valid = a.validLifetime === undefined ? undefined : a.validLifetime * SECOND;
    const preferred = a.preferredLifetime === undefined ? undefined : a.preferredLifetime * SECOND;
    const existing = nif.find6(a.address);
    if (existing) this.s.addrconf.setLifetimes(nif, existing, valid, preferred);
    else this.s.addrconf.add(nif, a.address, a.prefixLength, 'static', valid, preferred);
    if (a.prefixLength < 128 && !a.address.isLinkLocal) this.s.routers.connected(nif, a.address.mask(a.prefixLength), a.prefixLength);
    this.later(() => done?.());
  }

  removeAddress(a: Pick<AddressRequest, 'ifname' | 'address' | 'prefixLength'>, done?: (error?: string) => void): void {
    if (!this.s.alive) return;
    const nif = this.find(a.ifname, done);
    if (!nif) return;
    const entry = nif.find6(a.address);
    if (!entry || entry.prefixLength !== a.prefixLength) {
      this.later(() => done?.('Cannot assign requested address'));
      return;
    }
    this.s.addrconf.remove(nif, entry);
    this.later(() => done?.());
  }

  addRoute(r: RouteRequest, done?: (error?: string) => void): void {
    if (!this.s.alive) return;
    const nif = this.find(r.ifname, done);
    if (!nif) return;
    this.s.routers.addStatic(nif, r.prefix, r.prefixLength, r.via, r.lifetime);
    this.later(() => done?.());
  }

  removeRoute(r: Omit<RouteRequest, 'lifetime'>, done?: (error?: string) => void): void {
    if (!this.s.alive) return;
    const nif = this.find(r.ifname, done);
    if (!nif) return;
    const ok = this.s.routers.removeStatic(nif, r.prefix, r.prefixLength, r.via);
    this.later(() => done?.(ok ? undefined : 'No such process'));
  }
}
