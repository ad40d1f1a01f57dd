/**
 * One network interface of the kernel model: what `ip link` and `ip addr` show (name, index, MAC,
 * MTU, flags, addresses), its multicast memberships, and its two neighbour tables. Ethernet
 * interfaces sit on a segment, underlay interfaces on the IPv4 cloud, TUN interfaces belong to a
 * userspace program, and `lo` is the loopback.
 */
import type { Timer } from '../../../../core/ports.js';
import type { Micros } from '../../../../core/time.js';
import type { MacAddress } from '../../../../core/wire/mac-address.js';
import type { Ipv4Address } from '../../../../core/wire/ipv4-address.js';
import { Ipv6Address } from '../../../../core/wire/ipv6-address.js';
import type { EthernetAttachment, UnderlayAttachment } from '../../link.js';
import type { NeighborTable } from './neighbor-table.js';
import { ipv6MulticastMac } from './frames.js';

export type NetIfKind = 'ethernet' | 'underlay' | 'tun' | 'loopback';

export type AddrOrigin = 'link-local' | 'slaac' | 'static';

export interface Addr6 {
  address: Ipv6Address;
  prefixLength: number;
  origin: AddrOrigin;
  tentative: boolean;
  dadFailed: boolean;
  deprecated: boolean;
  /** Absolute expiry times; undefined means forever. */
  validUntil: Micros | undefined;
  preferredUntil: Micros | undefined;
  /** The next lifetime event (deprecation or removal). */
  lifetimeTimer: Timer | undefined;
  /** DAD in progress: the next probe or the end of the wait. */
  dadTimer: Timer | undefined;
  dadProbesLeft: number;
}

export interface Addr4 {
  address: Ipv4Address;
  prefixLength: number;
}

export class NetIf {
  /** Carrier (IFF_LOWER_UP): the attachment's link state, always true for tun and lo. */
  carrier: boolean;
  /** Administratively up (IFF_UP). */
  up = true;
  mtu: number;
  readonly ipv4: Addr4[] = [];
  readonly ipv6: Addr6[] = [];
  gateway4: Ipv4Address | undefined;
  /** Interface identifier replacing the EUI-64 one (`ip token`); ISATAP tunnels use 0:5efe:V. */
  token: Ipv6Address | undefined;
  /** An RA was received since the link came up (IF_RA_RCVD): no more RS. */
  raReceived = false;
  arp: NeighborTable<Ipv4Address> | undefined;
  nd: NeighborTable<Ipv6Address> | undefined;
  /** What the per-frame ARP check reads (see ArpFilter). */
  readonly rx = new ArpFilter();
  /** IPv6 groups joined, with a count of the reasons for each (addresses share solicited-node groups). */
  private readonly groups: Array<{ group: Ipv6Address; refs: number }> = [];
  private readonly macHi: number;
  private readonly macLo: number;

  constructor(
    readonly ifindex: number,
    readonly name: string,
    readonly kind: NetIfKind,
    readonly mac: MacAddress | undefined,
    mtu: number,
    readonly ethernet: EthernetAttachment | undefined,
    readonly underlay: UnderlayAttachment | undefined,
  ) {
    this.mtu = mtu;
    this.carrier = ethernet?.up ?? underlay?.up ?? true;
    this.macHi = mac ? Math.floor(mac.value / 0x1_0000_0000) : -1;
    this.macLo = mac ? mac.value % 0x1_0000_0000 : -1;
  }

  /** Usable for traffic: up with carrier. */
  get running(): boolean {
    return this.up && this.carrier;
  }

  /**
   * The NIC's address filter, on raw bytes before anything is decoded: this MAC, broadcast, or a
   * joined IPv6 group's 33:33 address.
   */
  accepts(f: Uint8Array): boolean {
    const b0 = f[0];
    if (b0 === 0x33 && f[1] === 0x33) {
      const low = ((f[2] << 24) | (f[3] << 16) | (f[4] << 8) | f[5]) >>> 0;
      for (let i = 0; i < this.groups.length; i++) if (this.groups[i].group.w3 === low) return true;
      return false;
    }
    if (b0 === 0xff) return f[1] === 0xff && f[2] === 0xff && f[3] === 0xff && f[4] === 0xff && f[5] === 0xff;
    return ((f[0] << 8) | f[1]) === this.macHi && (((f[2] << 24) | (f[3] << 16) | (f[4] << 8) | f[5]) >>> 0) === this.macLo;
  }

  /** True when `dst` (an IPv6 multicast address) is a group this interface joined. */
  inGroup(dst: Ipv6Address): boolean {
    for (let i = 0; i < this.groups.length; i++) if (this.groups[i].group.equals(dst)) return true;
    return false;
  }

  join(group: Ipv6Address): void {
    const g = this.groups.find((x) => x.group.equals(group));
    if (g) {
      g.refs++;
      return;
    }
    this.groups.push({ group, refs: 1 });
    this.ethernet?.joinMulticast(ipv6MulticastMac(group));
  }

  leave(group: Ipv6Address): void {
    const i = this.groups.findIndex((x) => x.group.equals(group));
    if (i < 0) return;
    if (--this.groups[i].refs > 0) return;
    this.groups.splice(i, 1);
    // Another group may share the 33:33 address (same low 32 bits): keep the NIC filter then.
    if (!this.groups.some((x) => x.group.w3 === group.w3)) this.ethernet?.leaveMulticast(ipv6MulticastMac(group));
  }

  joinedGroups(): Ipv6Address[] {
    return this.groups.map((g) => g.group);
  }

  find6(a: Ipv6Address): Addr6 | undefined {
    for (let i = 0; i < this.ipv6.length; i++) if (this.ipv6[i].address.equals(a)) return this.ipv6[i];
    return undefined;
  }

  /** The link-local address, when it finished DAD. */
  linkLocal(): Ipv6Address | undefined {
    for (const a of this.ipv6) if (a.address.isLinkLocal && !a.tentative && !a.dadFailed) return a.address;
    return undefined;
  }

  linkLocalEntry(): Addr6 | undefined {
    return this.ipv6.find((a) => a.address.isLinkLocal);
  }

  has4(a: Ipv4Address): boolean {
    for (let i = 0; i < this.ipv4.length; i++) if (this.ipv4[i].address.value === a.value) return true;
    if (this.underlay) for (const u of this.underlay.addresses) if (u.value === a.value) return true;
    return false;
  }

  /** The interface's IPv4 addresses: configured ones, and the underlay attachment's. */
  addresses4(): Addr4[] {
    if (!this.underlay) return this.ipv4;
    return [...this.ipv4, ...this.underlay.addresses.map((address) => ({ address, prefixLength: 32 }))];
  }

  /** The interface identifier for SLAAC: the token, else modified EUI-64 from the MAC. */
  interfaceId(): Ipv6Address | undefined {
    if (this.token) return this.token;
    if (!this.mac) return undefined;
    return Ipv6Address.linkLocalFromMac(this.mac);
  }
}

/**
 * The first thing every received frame meets: a few fields, in one small object, so that on a big
 * segment an ARP broadcast about others costs a handful of byte comparisons and no more than a
 * cache line or two of this host's memory.
 */
export class ArpFilter {
  /** The host's IPv4 addresses as signed 32-bit integers (0.0.0.0 is never one). */
  local4a = 0;
  local4b = 0;
  local4rest: number[] | undefined = undefined;
  /** The ARP table's key bits (NeighborTable.keyBits), and the table, when there is one. */
  keyBits = 0;
  table: NeighborTable<Ipv4Address> | undefined = undefined;
  /** Packet sockets listening: they must see every frame. */
  rawListeners = 0;
  /** Frames let go here, for the counters. */
  ignored = 0;

  setLocal4(values: readonly number[]): void {
    this.local4a = (values[0] ?? 0) | 0;
    this.local4b = (values[1] ?? 0) | 0;
    this.local4rest = values.length > 2 ? values.slice(2).map((v) => v | 0) : undefined;
  }

  /**
   * True for a well-formed Ethernet/IPv4 ARP request or reply broadcast that Linux's arp_process
   * would ignore: its target is not one of our addresses and we have no entry for its sender.
   * Read from the raw frame; anything odd returns false and goes the long way.
   */
  ignorable(f: Uint8Array): boolean {
    if (f[12] !== 0x08 || f[13] !== 0x06 || f[0] !== 0xff || this.rawListeners !== 0 || this.table === undefined || f.length < 42) return false;
    if (f[14] !== 0 || f[15] !== 1 || f[16] !== 0x08 || f[17] !== 0x00 || f[18] !== 6 || f[19] !== 4 || f[20] !== 0) return false;
    const op = f[21];
    if (op !== 1 && op !== 2) return false;
    if ((f[22] & 1) !== 0 || f[28] >= 224 || f[38] >= 224 || f[38] === 127) return false;
    const target = (f[38] << 24) | (f[39] << 16) | (f[40] << 8) | f[41];
    if (target === this.local4a || target === this.local4b || (this.local4rest !== undefined && this.local4rest.includes(target))) return false;
    const sender = (f[28] << 24) | (f[29] << 16) | (f[30] << 8) | f[31];
    if ((this.keyBits & (1 << (sender & 31))) === 0) return true;
    return !this.table.hasKey(sender);
  }
}
