import type { Ipv6Address } from './ipv6-address.js';
import type { Ipv4Address } from './ipv4-address.js';

/** Adds bytes into a ones'-complement 16-bit sum (RFC 1071), unfolded. */
export function sumBytes(b: Uint8Array, start = 0, end = b.length, acc = 0): number {
  let sum = acc;
  let i = start;
  for (; i + 1 < end; i += 2) sum += (b[i] << 8) | b[i + 1];
  if (i < end) sum += b[i] << 8;
  return sum;
}

/** Folds an unfolded sum and complements it: the value that goes into a checksum field. */
export function finish(sum: number): number {
  let s = sum;
  while (s > 0xffff) s = (s & 0xffff) + Math.floor(s / 0x10000);
  return ~s & 0xffff;
}

/** The internet checksum of `b[start..end)`. A region holding its own correct checksum sums to 0. */
export function internetChecksum(b: Uint8Array, start = 0, end = b.length): number {
  return finish(sumBytes(b, start, end));
}

function sumWord32(w: number): number {
  return (w >>> 16) + (w & 0xffff);
}

/** Sum of the IPv6 pseudo-header (RFC 8200 8.1) for an upper-layer packet of `length` bytes. */
export function ipv6PseudoSum(src: Ipv6Address, dst: Ipv6Address, length: number, nextHeader: number): number {
  return (
    sumWord32(src.w0) + sumWord32(src.w1) + sumWord32(src.w2) + sumWord32(src.w3) +
    sumWord32(dst.w0) + sumWord32(dst.w1) + sumWord32(dst.w2) + sumWord32(dst.w3) +
    sumWord32(length >>> 0) + nextHeader
  );
}

/** Sum of the IPv4 pseudo-header (RFC 768) for an upper-layer packet of `length` bytes. */
export function ipv4PseudoSum(src: Ipv4Address, dst: Ipv4Address, length: number, protocol: number): number {
  return sumWord32(src.value) + sumWord32(dst.value) + protocol + length;
}
