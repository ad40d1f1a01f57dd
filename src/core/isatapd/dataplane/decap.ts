/**
 * Decapsulation checks (RFC 4213 3.6, RFC 5214 7.3), reading only the bytes they need. An IPv4
 * datagram of protocol 41 is taken apart only when it is whole (no fragment) and its lengths
 * hold; its IPv6 packet is accepted only when its source is an ISATAP address embedding the
 * outer IPv4 source, or when the outer source is a router in the Potential Router List.
 */
import { embeddedIpv4 } from '../../wire/isatap.js';
import type { Ipv6Address } from '../../wire/ipv6-address.js';
import { NH_ICMPV6 } from '../../wire/ipv6.js';
import { ICMPV6_TYPE } from '../../wire/icmpv6-types.js';

export const OUTER_MALFORMED = -20;
export const NOT_PROTOCOL_41 = -21;
export const FRAGMENT = -22;
export const INNER_MALFORMED = -23;
export const SOURCE_RULE = -24;

/**
 * Checks the IPv4 header at `b[off..off+len)`: returns the offset of the IPv6 packet inside it,
 * or OUTER_MALFORMED, NOT_PROTOCOL_41, FRAGMENT.
 */
export function outerCheck(b: Uint8Array, off: number, len: number): number {
  if (len < 20 || b[off] >>> 4 !== 4) return OUTER_MALFORMED;
  const ihl = (b[off] & 0x0f) * 4;
  const total = (b[off + 2] << 8) | b[off + 3];
  if (ihl < 20 || total < ihl || total > len) return OUTER_MALFORMED;
  if (b[off + 9] !== 41) return NOT_PROTOCOL_41;
  if ((b[off + 6] & 0x20) !== 0 || (((b[off + 6] & 0x1f) << 8) | b[off + 7]) !== 0) return FRAGMENT;
  return off + ihl;
}

/** The length of the IPv4 datagram at `off` (its total length field). */
export function outerLength(b: Uint8Array, off: number): number {
  return (b[off + 2] << 8) | b[off + 3];
}

export function outerSource(b: Uint8Array, off: number): number {
  return ((b[off + 12] << 24) | (b[off + 13] << 16) | (b[off + 14] << 8) | b[off + 15]) >>> 0;
}

export function outerDestination(b: Uint8Array, off: number): number {
  return ((b[off + 16] << 24) | (b[off + 17] << 16) | (b[off + 18] << 8) | b[off + 19]) >>> 0;
}

/**
 * RFC 5214 7.3 for the IPv6 packet at `b[off..off+len)` that came from IPv4 `outerSrc`. Returns
 * the packet's own length (payload length plus 40, so trailing bytes can be cut) when accepted,
 * else INNER_MALFORMED or SOURCE_RULE.
 */
export function innerCheck(outerSrc: number, b: Uint8Array, off: number, len: number, listed: (v4: number) => boolean): number {
  if (len < 40 || b[off] >>> 4 !== 6) return INNER_MALFORMED;
  const length = 40 + ((b[off + 4] << 8) | b[off + 5]);
  if (length > len) return INNER_MALFORMED;
  const w2 = ((b[off + 16] << 24) | (b[off + 17] << 16) | (b[off + 18] << 8) | b[off + 19]) >>> 0;
  const w3 = ((b[off + 20] << 24) | (b[off + 21] << 16) | (b[off + 22] << 8) | b[off + 23]) >>> 0;
  const isatapSource = ((w2 | 0x0200_0000) >>> 0) === 0x0200_5efe && w3 === outerSrc;
  if (!isatapSource && !listed(outerSrc)) return SOURCE_RULE;
  return length;
}

/** True when the IPv6 packet at `off` is an ICMPv6 Router Advertisement (no extension headers). */
export function isRouterAdvert(b: Uint8Array, off: number, len: number): boolean {
  return len >= 41 && b[off + 6] === NH_ICMPV6 && b[off + 40] === ICMPV6_TYPE['router-advert'];
}

/**
 * True for the ND messages that would change the kernel's routes if it saw them on the TUN
 * device: Router Advertisements (the core configures the tunnel itself) and Redirects (next hops
 * the data plane's table would not know), behind any hop-by-hop, routing or destination options
 * headers too. (A fragmented one the kernel drops itself: RFC 6980, suppress_frag_ndisc.)
 */
export function isRoutingNd(b: Uint8Array, off: number, len: number): boolean {
  let next = b[off + 6];
  let at = off + 40;
  const end = off + len;
  // Hop-by-hop (0), routing (43), destination options (60): 8 * (length + 1) bytes each.
  for (let hops = 0; (next === 0 || next === 43 || next === 60) && hops < 8; hops++) {
    if (at + 2 > end) return false;
    next = b[at];
    at += 8 * (b[at + 1] + 1);
  }
  return next === NH_ICMPV6 && at < end && (b[at] === ICMPV6_TYPE['router-advert'] || b[at] === ICMPV6_TYPE.redirect);
}

/** The same rule over decoded addresses, for tests and the slow path. */
export function sourceAllowed(outerSrc: number, innerSrc: Ipv6Address, listed: (v4: number) => boolean): boolean {
  const e = embeddedIpv4(innerSrc);
  return (e !== null && e.value === outerSrc) || listed(outerSrc);
}
