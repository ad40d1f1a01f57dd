/**
 * Icmpv6Port over the kernel model: a raw ICMPv6 socket on every interface. Sends go out with hop
 * limit 255 from the interface's link-local address unless told otherwise (and, as on Linux, fail
 * while that address is still tentative); received messages carry source, destination, hop limit
 * and interface, their checksum already verified.
 */
import type { Icmpv6Port, Icmpv6Received, Icmpv6Send, Unsubscribe } from '../../../../../core/ports.js';
import { ICMPV6_TYPE } from '../../../../../core/wire/icmpv6-types.js';
import type { Stack } from '../stack.js';


export class SimIcmpv6Port implements Icmpv6Port {
  private readonly subs: Unsubscribe[] = [];
  private closed = false;

  constructor(private readonly s: Stack) {}

  send(m: Icmpv6Send): void {
    if (this.closed || !this.s.alive) return;
    // An RS a daemon sends is traced like the kernel's own (Linux counts OutRouterSolicits for raw sockets too).
    if (this.s.ip6.sendRaw(m) && m.message[0] === ICMPV6_TYPE['router-solicit']) this.s.trace('rs.sent', () => ({ iface: this.s.byIndex(m.ifindex)?.name }));
  }

  onMessage(handler: (m: Icmpv6Received) => void): Unsubscribe {
    const off = this.s.events.icmpv6.add(handler);
    this.subs.push(off);
    return off;
  }

  close(): void {
    this.closed = true;
    for (const off of this.subs.splice(0)) off();
  }
}
