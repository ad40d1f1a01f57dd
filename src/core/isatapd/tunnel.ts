/**
 * The seam between isatapd's control plane and a data plane. A data plane makes the tunnel
 * interface, carries the control plane's RSs and hands it the RAs, and takes the potential
 * routers' IPv4 addresses (which may source any inner address, RFC 5214 7.3). Two kinds exist:
 * the kernel's SIT driver in ISATAP mode (SIOCADDTUNNEL, SIOCADDPRL, an ICMPv6 socket on the
 * tunnel), and the userspace one (a TUN device and a protocol-41 socket), for which the core also
 * configures addresses and routes itself and keeps `nextHops` in step with them.
 */
import type { Icmpv6Received, Unsubscribe } from '../ports.js';
import type { Ipv4Address } from '../wire/ipv4-address.js';
import type { Ipv6Address } from '../wire/ipv6-address.js';
import type { DataplaneMode } from './config.js';
import type { NextHopTable } from './dataplane/next-hop.js';

export interface TunnelParams {
  name: string;
  /** --link: the tunnel is bound to this device. */
  link: string | undefined;
  /** The local IPv4 endpoint (the source isatapd found). */
  local: Ipv4Address;
  /** 1..255, or 0: inherit the inner hop limit. */
  ttl: number;
  /** DF on outer packets. */
  pmtudisc: boolean;
  /** The tunnel MTU, "auto" already worked out for a TUN device; 0: the kernel's choice (SIT). */
  mtu: number;
}

export interface IsatapTunnel {
  readonly mode: DataplaneMode;
  readonly ifname: string;
  readonly ifindex: number;
  /** Userspace only: the routes the data plane sends by; the core updates it with its SLAAC. */
  readonly nextHops?: NextHopTable;
  /**
   * Sends a Router Solicitation (its ICMPv6 bytes, checksum left 0) to a potential router's
   * link-local address, from the tunnel's link-local address with hop limit 255.
   */
  solicit(router: { v4: Ipv4Address; ll: Ipv6Address }, message: Uint8Array): void;
  /** ICMPv6 Router Advertisements received on the tunnel (checksum already verified). */
  onRouterAdvert(handler: (m: Icmpv6Received) => void): Unsubscribe;
  /** A potential router (the kernel's PRL; the userspace plane's source rule). */
  addRouter(v4: Ipv4Address, done?: (error?: string) => void): void;
  removeRouter(v4: Ipv4Address, done?: (error?: string) => void): void;
  /** Takes the tunnel down and deletes it. */
  close(done?: (error?: string) => void): void;
  /** Counters for summaries and `linklab isatapd --json`. */
  stats(): Record<string, unknown>;
}

export interface TunnelFactory {
  readonly mode: DataplaneMode;
  create(p: TunnelParams, done: (tunnel: IsatapTunnel | null, error?: string) => void): void;
}
