/**
 * A test-only ISATAP client core: the smallest userspace data plane (TUN + protocol 41, as isatapd
 * runs where the kernel has no SIT). Everything goes to the router, except link-local ISATAP
 * destinations, which go straight to their embedded IPv4 address. It sends one RS at start; the
 * host's kernel does SLAAC on the tunnel from the answer.
 */
import { daemonCores, type DaemonCore, type HostPorts } from '../../../../src/adapters/sim/nodes/daemons.js';
import * as icmpv6 from '../../../../src/core/wire/icmpv6.js';
import * as ipv6 from '../../../../src/core/wire/ipv6.js';
import { Ipv4Address } from '../../../../src/core/wire/ipv4-address.js';
import { Ipv6Address } from '../../../../src/core/wire/ipv6-address.js';
import { isatapAddress, isPrivateIpv4, routerLinkLocals } from '../../../../src/core/wire/isatap.js';
import type { Ip6in4Datagram } from '../../../../src/core/ports.js';

export const CORE = 'test-isatap';

/** Datagrams each client received, by host name. */
export const received = new Map<string, Ip6in4Datagram[]>();

const LINK_LOCAL = new Ipv6Address(0xfe80_0000, 0, 0, 0);

export function registerIsatapClient(): void {
  received.clear();
  daemonCores[CORE] = (options, ports: HostPorts): DaemonCore => {
    const router = Ipv4Address.parse(String(options.router));
    return {
      start() {
        const w = ports.interfaces.byName('wan')!.ipv4[0].address;
        const token = isatapAddress(Ipv6Address.UNSPECIFIED, w, !isPrivateIpv4(w));
        const tun = ports.tun('is0', { token });
        const p41 = ports.ip6in4();
        const spoof = options.spoof === true;
        tun.onPacket((pkt) => {
          const p = ipv6.decode(pkt);
          const to = p.dst.isLinkLocal && !p.dst.isMulticast ? new Ipv4Address(p.dst.w3) : router;
          // A broken client claims someone else's address: the router's source check must stop it.
          const payload = spoof ? ipv6.encode({ ...p, src: isatapAddress(LINK_LOCAL, Ipv4Address.parse('203.0.113.66')) }) : pkt;
          p41.send({ dst: to, payload });
        });
        p41.onDatagram((d) => {
          const list = received.get(ports.host) ?? [];
          list.push(d);
          received.set(ports.host, list);
          tun.send(d.payload);
        });
        const icmp = ports.icmpv6();
        icmp.send({ ifindex: tun.ifindex, dst: routerLinkLocals(router).at(-1)!, message: icmpv6.encode({ kind: 'router-solicit' }) });
      },
      stop() {},
    };
  };
}

export function unregisterIsatapClient(): void {
  delete daemonCores[CORE];
}
