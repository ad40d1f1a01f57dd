/** IPv6 in IPv4 (IP protocol 41, RFC 4213 3.5): the carriage ISATAP uses. */
import { DecodeError, nested } from './errors.js';
import * as ipv4 from './ipv4.js';
import * as ipv6 from './ipv6.js';
import type { Ipv4Address } from './ipv4-address.js';

export interface Ip6in4 {
  outer: ipv4.Ipv4Packet;
  inner: ipv6.Ipv6Packet;
}

export interface OuterHeader {
  src: Ipv4Address | string;
  dst: Ipv4Address | string;
  ttl: number;
  dontFragment?: boolean;
  identification?: number;
  dscp?: number;
}

export function decode(b: Uint8Array): Ip6in4 {
  const outer = ipv4.decode(b);
  if (outer.protocol !== ipv4.PROTO_IPV6) {
    throw new DecodeError(`protocol ${outer.protocol}, expected 41`, 'protocol', 9);
  }
  const inner = nested('inner', outer.ihl * 4, () => ipv6.decode(outer.payload));
  return { outer, inner };
}

export function encodingLength(inner: Uint8Array): number {
  return ipv4.MIN_HEADER_LENGTH + inner.length;
}

/** Wraps an encoded IPv6 packet. */
export function encode(inner: Uint8Array, outer: OuterHeader, buf?: Uint8Array, offset = 0): Uint8Array {
  // The fields by name rather than a spread of `outer`: a fresh object of one fixed shape.
  const { src, dst, ttl, dontFragment, identification, dscp } = outer;
  return ipv4.encode({ src, dst, ttl, dontFragment, identification, dscp, protocol: ipv4.PROTO_IPV6, payload: inner }, buf, offset);
}
