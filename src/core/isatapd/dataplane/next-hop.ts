/**
 * Where the userspace data plane sends an IPv6 packet the kernel routed into the TUN device. A
 * TUN device hands over the packet but not the next hop the kernel chose, so the data plane keeps
 * the same routes the core installed (RFC 5214 8.1, the kernel's SIT ISATAP rule): the next hop is
 * the destination itself when it is on-link (link-local, or in an on-link prefix), else the
 * router of the longest matching route, else a default router. An on-link next hop must be an
 * ISATAP address; the packet goes to the IPv4 address its identifier embeds. Lookups read the
 * destination from the packet's bytes: no objects per packet.
 */
import type { Ipv6Address } from '../../wire/ipv6-address.js';
import { embeddedIpv4 } from '../../wire/isatap.js';

/** Why a packet from the TUN device was not sent (negative, so a lookup returns one number). */
export const NO_ROUTE = -1;
export const NOT_ISATAP = -2;
export const MULTICAST = -3;

interface Route {
  w0: number;
  w1: number;
  w2: number;
  w3: number;
  len: number;
  /** IPv4 next hop; -1 for an on-link prefix. */
  v4: number;
  key: string;
}

interface DefaultRouter {
  key: string;
  v4: number;
}

function maskWord(w: number, len: number, word: number): number {
  const bits = Math.max(0, Math.min(32, len - 32 * word));
  return bits === 0 ? 0 : bits === 32 ? w >>> 0 : (w & (0xffff_ffff << (32 - bits))) >>> 0;
}

function isIsatapIid(w2: number): boolean {
  return ((w2 | 0x0200_0000) >>> 0) === 0x0200_5efe;
}

export class NextHopTable {
  private routes: Route[] = [];
  private defaults: DefaultRouter[] = [];

  /**
   * `allOnLink`: every destination is on-link (a standalone ISATAP interface, the router side:
   * `ip tunnel add NAME mode isatap` sends everything to the embedded address).
   */
  constructor(readonly allOnLink = false) {}

  /** A route to `prefix/len`: on-link (`via` undefined) or through the router with link-local `via`. */
  setRoute(prefix: Ipv6Address, len: number, via?: Ipv6Address): void {
    const key = `${prefix.mask(len)}/${len}${via ? ` via ${via}` : ''}`;
    this.removeRoute(prefix, len, via);
    const v4 = via ? embeddedIpv4(via) : null;
    if (via && !v4) return; // a router that is not an ISATAP address cannot be reached
    const p = prefix.mask(len);
    this.routes.push({ w0: p.w0, w1: p.w1, w2: p.w2, w3: p.w3, len, v4: v4 ? v4.value : -1, key });
  }

  removeRoute(prefix: Ipv6Address, len: number, via?: Ipv6Address): void {
    const key = `${prefix.mask(len)}/${len}${via ? ` via ${via}` : ''}`;
    this.routes = this.routes.filter((r) => r.key !== key);
  }

  /** A default router (RA with a non-zero router lifetime), by its link-local address. */
  setDefault(via: Ipv6Address): void {
    const v4 = embeddedIpv4(via);
    if (!v4) return;
    const key = via.toString();
    if (!this.defaults.some((d) => d.key === key)) this.defaults.push({ key, v4: v4.value });
  }

  removeDefault(via: Ipv6Address): void {
    const key = via.toString();
    this.defaults = this.defaults.filter((d) => d.key !== key);
  }

  clear(): void {
    this.routes = [];
    this.defaults = [];
  }

  get defaultRouters(): number {
    return this.defaults.length;
  }

  /**
   * The IPv4 address (as an unsigned 32-bit number) to send an IPv6 packet to, given its
   * destination words; or NO_ROUTE, NOT_ISATAP, MULTICAST.
   */
  lookup(w0: number, w1: number, w2: number, w3: number): number {
    if (w0 >>> 24 === 0xff) return MULTICAST;
    // fe80::/10: on-link by definition.
    if ((w0 & 0xffc0_0000) >>> 0 === 0xfe80_0000 || this.allOnLink) return isIsatapIid(w2) ? w3 >>> 0 : NOT_ISATAP;
    let best: Route | undefined;
    for (let i = 0; i < this.routes.length; i++) {
      const r = this.routes[i];
      if (best && r.len <= best.len) continue;
      if (maskWord(w0, r.len, 0) === r.w0 && maskWord(w1, r.len, 1) === r.w1 && maskWord(w2, r.len, 2) === r.w2 && maskWord(w3, r.len, 3) === r.w3) best = r;
    }
    if (best) {
      if (best.v4 >= 0) return best.v4;
      return isIsatapIid(w2) ? w3 >>> 0 : NOT_ISATAP;
    }
    return this.defaults.length > 0 ? this.defaults[0].v4 : NO_ROUTE;
  }
}
