/**
 * IPv4 path MTUs towards tunnel next hops, learned from "fragmentation needed" (ICMPv4 type 3
 * code 4), and what they mean for an IPv6 packet about to be encapsulated (RFC 4213 3.2, as
 * Linux's sit does it): the tunnel's MTU towards that hop is the path MTU less the 20-byte outer
 * header; a packet above it gets a Packet Too Big back; below 1280 the tunnel clears DF for
 * packets of up to 1280 bytes and lets IPv4 fragment them, since IPv6 promises 1280 on every link.
 */
import { SECOND, type Micros } from '../../time.js';

export const OUTER_HEADER = 20;
export const IPV6_MIN_MTU = 1280;
/** How long a learned path MTU holds: Linux's net.ipv4.route.mtu_expires (600 s). */
export const MTU_EXPIRES = 600 * SECOND;
/** The smallest MTU an IPv4 router may report (RFC 791); a smaller report is ignored. */
const IPV4_MIN_MTU = 68;

/** Send as it is; send with DF cleared; or a positive number: the MTU to report in a Packet Too Big. */
export const SEND = 0;
export const SEND_WITHOUT_DF = -1;

export class PathMtuTable {
  private readonly entries = new Map<number, { mtu: number; expires: Micros }>();

  constructor(private readonly maxEntries = 4096) {}

  get size(): number {
    return this.entries.size;
  }

  /** A router on the way to `dst` (unsigned 32-bit IPv4) said it cannot forward more than `mtu`. */
  learn(dst: number, mtu: number, now: Micros): boolean {
    if (!Number.isInteger(mtu) || mtu < IPV4_MIN_MTU || mtu > 65535) return false;
    const old = this.entries.get(dst);
    if (old && old.expires > now && old.mtu <= mtu) return false; // only ever lowered until it expires
    this.entries.delete(dst);
    if (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value!); // the oldest learned
    this.entries.set(dst, { mtu, expires: now + MTU_EXPIRES });
    return true;
  }

  /** The IPv4 path MTU to `dst`, or undefined when none is known (the link's MTU applies). */
  get(dst: number, now: Micros): number | undefined {
    const e = this.entries.get(dst);
    if (!e) return undefined;
    if (e.expires <= now) {
      this.entries.delete(dst);
      return undefined;
    }
    return e.mtu;
  }
}

/**
 * What to do with an IPv6 packet of `length` bytes to a hop with IPv4 path MTU `pathMtu`
 * (undefined: unknown). Without path MTU discovery (-N) DF is never set, so everything is sent.
 */
export function fit(length: number, pathMtu: number | undefined, pmtudisc: boolean): number {
  if (!pmtudisc || pathMtu === undefined) return SEND;
  const inner = pathMtu - OUTER_HEADER;
  if (inner < IPV6_MIN_MTU) return length <= IPV6_MIN_MTU ? SEND_WITHOUT_DF : IPV6_MIN_MTU;
  return length <= inner ? SEND : inner;
}
