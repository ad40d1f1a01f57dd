/**
 * Encapsulation (RFC 4213 3.5, RFC 5214 7.1): an IPv6 packet from the TUN device goes out in an
 * IPv4 header of protocol 41, from the tunnel's local address to the next hop's IPv4 address.
 * These functions work in place on a buffer with the IPv6 packet at `off` and 20 bytes of room in
 * front of it, so the fast path copies nothing.
 */
import { MULTICAST, NO_ROUTE, NOT_ISATAP, type NextHopTable } from './next-hop.js';

export const OUTER_HEADER = 20;
export const NOT_IPV6 = -10;
export const TOO_SHORT = -11;

export { MULTICAST, NO_ROUTE, NOT_ISATAP };

function word(b: Uint8Array, o: number): number {
  return ((b[o] << 24) | (b[o + 1] << 16) | (b[o + 2] << 8) | b[o + 3]) >>> 0;
}

/**
 * The IPv4 next hop (unsigned 32-bit) for the IPv6 packet at `b[off..off+len)`, or a negative
 * reason: NOT_IPV6, TOO_SHORT, MULTICAST, NO_ROUTE, NOT_ISATAP.
 */
export function outboundNextHop(b: Uint8Array, off: number, len: number, table: NextHopTable): number {
  if (len < 40) return TOO_SHORT;
  if (b[off] >>> 4 !== 6) return NOT_IPV6;
  return table.lookup(word(b, off + 24), word(b, off + 28), word(b, off + 32), word(b, off + 36));
}

export interface OuterFields {
  src: number;
  dst: number;
  /** 1..255, or 0 to copy the inner hop limit (ttl inherit). */
  ttl: number;
  dontFragment: boolean;
  identification: number;
}

/**
 * Writes the 20-byte IPv4 header (checksum included) at `b[off..off+20)` for `payloadLength`
 * bytes of IPv6 that follow it. Returns the whole datagram's length.
 */
export function writeOuterHeader(b: Uint8Array, off: number, payloadLength: number, f: OuterFields): number {
  const total = OUTER_HEADER + payloadLength;
  const ttl = f.ttl === 0 ? b[off + OUTER_HEADER + 7] || 1 : f.ttl;
  b[off] = 0x45;
  b[off + 1] = 0;
  b[off + 2] = total >>> 8;
  b[off + 3] = total & 0xff;
  b[off + 4] = (f.identification >>> 8) & 0xff;
  b[off + 5] = f.identification & 0xff;
  b[off + 6] = f.dontFragment ? 0x40 : 0;
  b[off + 7] = 0;
  b[off + 8] = ttl;
  b[off + 9] = 41;
  b[off + 10] = 0;
  b[off + 11] = 0;
  b[off + 12] = f.src >>> 24;
  b[off + 13] = (f.src >>> 16) & 0xff;
  b[off + 14] = (f.src >>> 8) & 0xff;
  b[off + 15] = f.src & 0xff;
  b[off + 16] = f.dst >>> 24;
  b[off + 17] = (f.dst >>> 16) & 0xff;
  b[off + 18] = (f.dst >>> 8) & 0xff;
  b[off + 19] = f.dst & 0xff;
  let sum = 0;
  for (let i = 0; i < OUTER_HEADER; i += 2) sum += (b[off + i] << 8) | b[off + i + 1];
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  const c = ~sum & 0xffff;
  b[off + 10] = c >>> 8;
  b[off + 11] = c & 0xff;
  return total;
}
