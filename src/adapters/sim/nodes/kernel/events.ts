/**
 * What the kernel model tells userspace, as subscriber lists: the sim ports (ports/) subscribe
 * here the way a Linux daemon opens a socket or joins a netlink group. A crash clears them all,
 * as it ends every process.
 */
import type { Icmpv6Received, InterfaceChange, Ip6in4Datagram, NeighborEntry, NeighborState } from '../../../../core/ports.js';
import type { Ipv4Address } from '../../../../core/wire/ipv4-address.js';
import { Handlers } from '../../../../core/handlers.js';

export class KernelEvents {
  /** ICMPv6 messages delivered to raw ICMPv6 sockets. */
  readonly icmpv6 = new Handlers<Icmpv6Received>();
  /** RTM_GETNEIGH requests (app_solicit). */
  readonly neighRequest = new Handlers<{ ifindex: number; ip: Ipv4Address; state: NeighborState }>();
  /** IPv4 neighbour entries created, changed or removed. */
  readonly neighChange = new Handlers<NeighborEntry & { removed: boolean }>();
  readonly ifChange = new Handlers<InterfaceChange>();
  /** Protocol-41 datagrams to this host (a raw IPPROTO_IPV6 socket). */
  readonly ip6in4 = new Handlers<Ip6in4Datagram>();
  /** Raw frames received, by ifindex (packet sockets). */
  private readonly frames = new Map<number, Handlers<Uint8Array>>();
  /** IPv6 packets the stack routes out of a TUN interface, by ifindex. */
  private readonly tunOut = new Map<number, Handlers<Uint8Array>>();

  framesOf(ifindex: number): Handlers<Uint8Array> {
    let l = this.frames.get(ifindex);
    if (!l) {
      l = new Handlers();
      this.frames.set(ifindex, l);
    }
    return l;
  }

  tunOf(ifindex: number): Handlers<Uint8Array> {
    let l = this.tunOut.get(ifindex);
    if (!l) {
      l = new Handlers();
      this.tunOut.set(ifindex, l);
    }
    return l;
  }

  clear(): void {
    this.icmpv6.clear();
    this.neighRequest.clear();
    this.neighChange.clear();
    this.ifChange.clear();
    this.ip6in4.clear();
    this.frames.clear();
    this.tunOut.clear();
  }
}
