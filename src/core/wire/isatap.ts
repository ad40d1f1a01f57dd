/** ISATAP interface identifiers (RFC 5214 6.1) and the address rules isatapd applies. */
import { Ipv4Address } from './ipv4-address.js';
import { Ipv6Address } from './ipv6-address.js';

/** The identifier's upper half for a private IPv4 address (u bit clear). */
export const IID_PRIVATE = 0x0000_5efe;
/** The identifier's upper half for a global IPv4 address (u bit set). */
export const IID_GLOBAL = 0x0200_5efe;

/**
 * isatapd's list of non-global IPv4 ranges: for these only the 0:5efe identifier is formed.
 * (0/8, 10/8, 14/8, 24/8, 39/8, 127/8, 128.0/16, 169.254/16, 172.16/12, 191.255/16, 192.0.0/24,
 * 192.0.2/24, 192.88.99/24, 192.168/16, 198.18/15, 223.255.255/24.)
 */
const PRIVATE_RANGES: ReadonlyArray<readonly [number, number]> = [
  [0x00000000, 8], [0x0a000000, 8], [0x0e000000, 8], [0x18000000, 8], [0x27000000, 8], [0x7f000000, 8],
  [0x80000000, 16], [0xa9fe0000, 16], [0xac100000, 12], [0xbfff0000, 16], [0xc0000000, 24],
  [0xc0000200, 24], [0xc0586300, 24], [0xc0a80000, 16], [0xc6120000, 15], [0xdfffff00, 24],
];

export function isPrivateIpv4(a: Ipv4Address): boolean {
  return PRIVATE_RANGES.some(([net, len]) => a.value >>> (32 - len) === net >>> (32 - len));
}

/** The ISATAP address `prefix`::0:5efe:V (or ::200:5efe:V when `global`). */
export function isatapAddress(prefix: Ipv6Address, v4: Ipv4Address, global = false): Ipv6Address {
  return new Ipv6Address(prefix.w0, prefix.w1, global ? IID_GLOBAL : IID_PRIVATE, v4.value);
}

/** fe80::5efe:V, and fe80::200:5efe:V too when V is not private: the link-local addresses isatapd solicits. */
export function routerLinkLocals(v4: Ipv4Address): Ipv6Address[] {
  const ll = new Ipv6Address(0xfe80_0000, 0, 0, 0);
  const out = [isatapAddress(ll, v4, false)];
  if (!isPrivateIpv4(v4)) out.push(isatapAddress(ll, v4, true));
  return out;
}

/** The IPv4 address embedded in an ISATAP address (0:5efe or 200:5efe identifier), else null. */
export function embeddedIpv4(a: Ipv6Address): Ipv4Address | null {
  return (a.w2 | 0x0200_0000) >>> 0 === IID_GLOBAL ? new Ipv4Address(a.w3) : null;
}
