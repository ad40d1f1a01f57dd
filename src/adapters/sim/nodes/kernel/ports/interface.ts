/**
 * InterfacePort over the kernel model: `ip link` and `ip addr` as immediate reads, changes as
 * events (addresses added, DAD finished, carrier lost...), and the IPv4 source address the kernel
 * would pick towards a destination (`ip route get`), answered later as on Linux.
 */
import type { InterfaceChange, InterfaceInfo, InterfacePort, Unsubscribe } from '../../../../../core/ports.js';
import type { Ipv4Address } from '../../../../../core/wire/ipv4-address.js';
import { interfaceInfo } from '../info.js';
import type { Stack } from '../stack.js';

export class SimInterfacePort implements InterfacePort {
  constructor(private readonly s: Stack) {}

  list(): InterfaceInfo[] {
    return this.s.ifs.map((nif) => interfaceInfo(this.s, nif));
  }

  byName(name: string): InterfaceInfo | undefined {
    const nif = this.s.byName(name);
    return nif && interfaceInfo(this.s, nif);
  }

  byIndex(ifindex: number): InterfaceInfo | undefined {
    const nif = this.s.byIndex(ifindex);
    return nif && interfaceInfo(this.s, nif);
  }

  onChange(handler: (c: InterfaceChange) => void): Unsubscribe {
    return this.s.events.ifChange.add(handler);
  }

  routeSource(dst: Ipv4Address, done: (src: Ipv4Address | null) => void): void {
    const s = this.s;
    s.clock.at(s.clock.now(), () => {
      if (s.alive) done(s.ip4.route(dst)?.src ?? null);
    });
  }
}
