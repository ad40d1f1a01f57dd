/** The child's SitPort: each operation is a request to the root parent (sit-services.ts). */
import type { SitPort } from '../../../core/isatapd/kernel.js';
import type { TunnelParams } from '../../../core/isatapd/tunnel.js';
import type { Icmpv6Port } from '../../../core/ports.js';
import type { Ipv4Address } from '../../../core/wire/ipv4-address.js';
import { LinuxIcmpv6Port } from '../icmpv6-port.js';
import type { PrivsepClient } from '../privsep/child.js';
import { PRL_ADD, PRL_REMOVE, SIT_CREATE, SIT_REMOVE } from './sit-services.js';

export class PrivsepSitPort implements SitPort {
  constructor(private readonly parent: PrivsepClient) {}

  create(p: TunnelParams, done: (t: { ifindex: number; icmpv6: Icmpv6Port } | null, error?: string) => void): void {
    this.parent.request({ op: SIT_CREATE, name: p.name, link: p.link, local: p.local.toString(), ttl: p.ttl, pmtudisc: p.pmtudisc, mtu: p.mtu }, (r) => {
      const info = r.result as { ifindex: number } | null;
      if (!r.ok || !info || r.fds.length !== 1) return done(null, r.error ?? 'no ICMPv6 socket came back');
      done({ ifindex: info.ifindex, icmpv6: new LinuxIcmpv6Port([{ fd: r.fds[0], ifindex: info.ifindex, ifname: p.name }]) });
    });
  }

  addPrl(ifname: string, v4: Ipv4Address, done?: (error?: string) => void): void {
    this.parent.request({ op: PRL_ADD, name: ifname, router: v4.toString() }, (r) => done?.(r.ok ? undefined : r.error));
  }

  removePrl(ifname: string, v4: Ipv4Address, done?: (error?: string) => void): void {
    this.parent.request({ op: PRL_REMOVE, name: ifname, router: v4.toString() }, (r) => done?.(r.ok ? undefined : r.error));
  }

  remove(ifname: string, done?: (error?: string) => void): void {
    this.parent.request({ op: SIT_REMOVE, name: ifname }, (r) => done?.(r.ok ? undefined : r.error));
  }
}
