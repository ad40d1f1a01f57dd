/**
 * The Linux sockaddr and option structs linklab passes to the addon, as bytes (x86-64/arm64 ABI:
 * host order little-endian, network order where the struct says so).
 */
import { Ipv4Address } from '../../core/wire/ipv4-address.js';
import { Ipv6Address } from '../../core/wire/ipv6-address.js';
import { sys } from './addon.js';

function view(b: Uint8Array): DataView {
  return new DataView(b.buffer, b.byteOffset, b.byteLength);
}

/** struct sockaddr_in (16 bytes). */
export function sockaddrIn(addr: Ipv4Address, port = 0): Uint8Array {
  const b = new Uint8Array(16);
  const v = view(b);
  v.setUint16(0, sys().AF_INET, true);
  v.setUint16(2, port, false);
  addr.write(b, 4);
  return b;
}

/** struct sockaddr_in6 (28 bytes); `scopeId` is the ifindex for link-local and multicast. */
export function sockaddrIn6(addr: Ipv6Address, scopeId = 0, port = 0): Uint8Array {
  const b = new Uint8Array(28);
  const v = view(b);
  v.setUint16(0, sys().AF_INET6, true);
  v.setUint16(2, port, false);
  addr.write(b, 8);
  v.setUint32(24, scopeId, true);
  return b;
}

export function parseSockaddrIn6(b: Uint8Array): { addr: Ipv6Address; scopeId: number } | null {
  if (b.length < 28 || view(b).getUint16(0, true) !== sys().AF_INET6) return null;
  return { addr: Ipv6Address.read(b, 8), scopeId: view(b).getUint32(24, true) };
}

export function parseSockaddrIn(b: Uint8Array): Ipv4Address | null {
  if (b.length < 8 || view(b).getUint16(0, true) !== sys().AF_INET) return null;
  return Ipv4Address.read(b, 4);
}

/** struct sockaddr_ll (20 bytes) for binding a packet socket to an interface. */
export function sockaddrLl(protocol: number, ifindex: number): Uint8Array {
  const b = new Uint8Array(20);
  const v = view(b);
  v.setUint16(0, sys().AF_PACKET, true);
  v.setUint16(2, protocol, false);
  v.setInt32(4, ifindex, true);
  return b;
}

export function parseSockaddrLl(b: Uint8Array): { protocol: number; ifindex: number; hatype: number; pktType: number; halen: number } | null {
  if (b.length < 12 || view(b).getUint16(0, true) !== sys().AF_PACKET) return null;
  const v = view(b);
  return { protocol: v.getUint16(2, false), ifindex: v.getInt32(4, true), hatype: v.getUint16(8, true), pktType: b[10], halen: b[11] };
}

/** sll_hatype of an Ethernet device. */
export const ARPHRD_ETHER = 1;

/** struct sockaddr_nl (12 bytes). `groups` is the legacy 32-bit group mask. */
export function sockaddrNl(pid = 0, groups = 0): Uint8Array {
  const b = new Uint8Array(12);
  const v = view(b);
  v.setUint16(0, sys().AF_NETLINK, true);
  v.setUint32(4, pid, true);
  v.setUint32(8, groups, true);
  return b;
}

export function parseSockaddrNl(b: Uint8Array): { pid: number; groups: number } | null {
  if (b.length < 12 || view(b).getUint16(0, true) !== sys().AF_NETLINK) return null;
  return { pid: view(b).getUint32(4, true), groups: view(b).getUint32(8, true) };
}

/** struct in6_pktinfo (20 bytes): address and interface of an IPv6 packet. */
export function in6Pktinfo(addr: Ipv6Address, ifindex: number): Uint8Array {
  const b = new Uint8Array(20);
  addr.write(b, 0);
  view(b).setUint32(16, ifindex, true);
  return b;
}

export function parseIn6Pktinfo(b: Uint8Array): { addr: Ipv6Address; ifindex: number } | null {
  if (b.length < 20) return null;
  return { addr: Ipv6Address.read(b, 0), ifindex: view(b).getUint32(16, true) };
}

/** struct ipv6_mreq (20 bytes). */
export function ipv6Mreq(group: Ipv6Address, ifindex: number): Uint8Array {
  return in6Pktinfo(group, ifindex);
}

/** struct packet_mreq (16 bytes). */
export function packetMreq(ifindex: number, type: number, address?: Uint8Array): Uint8Array {
  const b = new Uint8Array(16);
  const v = view(b);
  v.setInt32(0, ifindex, true);
  v.setUint16(4, type, true);
  v.setUint16(6, address?.length ?? 0, true);
  if (address) b.set(address.subarray(0, 8), 8);
  return b;
}

/** struct icmp6_filter (32 bytes): a set bit blocks a type; only `pass` types get through. */
export function icmp6Filter(pass: Iterable<number>): Uint8Array {
  const words = new Uint32Array(8).fill(0xffff_ffff);
  for (const t of pass) words[t >>> 5] &= ~(1 << (t & 31));
  const b = new Uint8Array(32);
  const v = view(b);
  words.forEach((w, i) => v.setUint32(4 * i, w >>> 0, true));
  return b;
}

/** A C int as 4 bytes (ancillary data such as IPV6_HOPLIMIT). */
export function int32(n: number): Uint8Array {
  const b = new Uint8Array(4);
  view(b).setInt32(0, n, true);
  return b;
}

export function readInt32(b: Uint8Array): number {
  return b.length >= 4 ? view(b).getInt32(0, true) : -1;
}
