/**
 * NeighborPort over the kernel model's ARP tables: RTM_GETNEIGH requests (app_solicit), change
 * notifications (FAILED among them), installs and removals as `ip neigh replace/del` would make
 * them, and dumps. A `neigh-overrun` event on the host stands for a netlink overrun: subscribers
 * get onResync with a fresh dump, as the Linux adapter does after ENOBUFS.
 */
import type { NeighborEntry, NeighborPort, NeighborState, Unsubscribe } from '../../../../../core/ports.js';
import type { Ipv4Address } from '../../../../../core/wire/ipv4-address.js';
import type { MacAddress } from '../../../../../core/wire/mac-address.js';
import { Handlers } from '../../../../../core/handlers.js';
import type { Stack } from '../stack.js';

export function dumpNeighbors(s: Stack): NeighborEntry[] {
  const out: NeighborEntry[] = [];
  for (const nif of s.ifs) {
    if (!nif.arp) continue;
    for (const e of nif.arp.list()) out.push({ ifindex: nif.ifindex, ip: e.ip, mac: e.mac, state: e.state });
  }
  return out;
}

export class SimNeighborPort implements NeighborPort {
  /** Every open port of a boot, so an overrun reaches them all. */
  static readonly resync = new WeakMap<Stack, Handlers<NeighborEntry[]>>();

  constructor(private readonly s: Stack) {}

  onRequest(handler: (r: { ifindex: number; ip: Ipv4Address; state: NeighborState }) => void): Unsubscribe {
    return this.s.events.neighRequest.add(handler);
  }

  onChange(handler: (e: NeighborEntry & { removed: boolean }) => void): Unsubscribe {
    return this.s.events.neighChange.add(handler);
  }

  onResync(handler: (entries: NeighborEntry[]) => void): Unsubscribe {
    let l = SimNeighborPort.resync.get(this.s);
    if (!l) {
      l = new Handlers();
      SimNeighborPort.resync.set(this.s, l);
    }
    return l.add(handler);
  }

  install(e: { ifindex: number; ip: Ipv4Address; mac: MacAddress; state: NeighborState }): void {
    if (!this.s.alive) return;
    const nif = this.s.byIndex(e.ifindex);
    if (!nif?.arp) {
      this.s.counters.drop('neigh-install-no-interface');
      return;
    }
    nif.arp.update(e.ip, e.mac, e.state, { create: true, override: true, admin: true });
  }

  remove(ifindex: number, ip: Ipv4Address): void {
    if (!this.s.alive) return;
    this.s.byIndex(ifindex)?.arp?.remove(ip);
  }

  dump(done: (entries: NeighborEntry[]) => void): void {
    const s = this.s;
    s.clock.at(s.clock.now(), () => {
      if (s.alive) done(dumpNeighbors(s));
    });
  }
}

/** The host saw a netlink overrun: every port's subscribers get a fresh dump, later. */
export function neighborOverrun(s: Stack): void {
  const l = SimNeighborPort.resync.get(s);
  if (!l || l.size === 0) return;
  s.clock.at(s.clock.now(), () => {
    if (s.alive) l.emit(dumpNeighbors(s));
  });
}
