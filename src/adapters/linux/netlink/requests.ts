/**
 * The rtnetlink requests behind kernel changes (what `ip link set`, `ip addr add`, `ip route add`
 * and `ip neigh replace` send), built as codec values so privilege separation can check them.
 */
import * as rtnl from '../../../core/wire/rtnetlink/index.js';
import type { RtnlMessageInput } from '../../../core/wire/rtnetlink/index.js';
import { Ipv4Address } from '../../../core/wire/ipv4-address.js';
import type { Ipv6Address } from '../../../core/wire/ipv6-address.js';
import type { MacAddress } from '../../../core/wire/mac-address.js';
import type { NeighborState } from '../../../core/ports.js';

const NEW = rtnl.NLM_F_REQUEST | rtnl.NLM_F_ACK;
const RTA_EXPIRES = 23;

function header(type: number, flags: number) {
  return { type, flags, seq: 0, pid: 0 };
}

function familyOf(a: Ipv4Address | Ipv6Address): number {
  return a instanceof Ipv4Address ? rtnl.AF_INET : rtnl.AF_INET6;
}

export const NUD: Record<NeighborState, number> = {
  none: rtnl.NUD_NONE,
  incomplete: rtnl.NUD_INCOMPLETE,
  reachable: rtnl.NUD_REACHABLE,
  stale: rtnl.NUD_STALE,
  delay: rtnl.NUD_DELAY,
  probe: rtnl.NUD_PROBE,
  failed: rtnl.NUD_FAILED,
  noarp: rtnl.NUD_NOARP,
  permanent: rtnl.NUD_PERMANENT,
};

/** The port's state name for NUD bits (the highest set bit wins, as `ip neigh` prints one). */
export function neighborState(nud: number): NeighborState {
  for (const s of ['permanent', 'noarp', 'failed', 'probe', 'delay', 'stale', 'reachable', 'incomplete'] as const) if (nud & NUD[s]) return s;
  return 'none';
}

/** `ip link set dev IFINDEX [up|down] [mtu N]`. */
export function setLink(ifindex: number, change: { up?: boolean; mtu?: number }): RtnlMessageInput {
  return {
    kind: 'link',
    header: header(rtnl.RTM_NEWLINK, NEW),
    family: rtnl.AF_UNSPEC,
    deviceType: 0,
    index: ifindex,
    flags: change.up ? rtnl.IFF_UP : 0,
    change: change.up === undefined ? 0 : rtnl.IFF_UP,
    attributes: change.mtu === undefined ? {} : { mtu: change.mtu },
  };
}

export function deleteLink(ifindex: number): RtnlMessageInput {
  return { kind: 'link', header: header(rtnl.RTM_DELLINK, NEW), family: rtnl.AF_UNSPEC, deviceType: 0, index: ifindex, flags: 0, change: 0, attributes: {} };
}

const forever = (s: number | undefined): number => (s === undefined ? rtnl.INFINITY_LIFE_TIME : Math.max(0, Math.min(Math.floor(s), rtnl.INFINITY_LIFE_TIME - 1)));

/** `ip addr add|replace ADDRESS/LEN dev IFINDEX [valid_lft V preferred_lft P]`. */
export function address(
  op: 'add' | 'remove',
  ifindex: number,
  a: { address: Ipv4Address | Ipv6Address; prefixLength: number; validLifetime?: number; preferredLifetime?: number; noDad?: boolean },
): RtnlMessageInput {
  const family = familyOf(a.address);
  const lifetimes = a.validLifetime !== undefined || a.preferredLifetime !== undefined;
  return {
    kind: 'address',
    header: header(op === 'add' ? rtnl.RTM_NEWADDR : rtnl.RTM_DELADDR, op === 'add' ? NEW | rtnl.NLM_F_CREATE | rtnl.NLM_F_REPLACE : NEW),
    family,
    prefixLength: a.prefixLength,
    flags: a.noDad ? rtnl.IFA_F_NODAD : 0,
    scope: rtnl.RT_SCOPE_UNIVERSE,
    index: ifindex,
    attributes: {
      local: a.address,
      ...(family === rtnl.AF_INET ? { address: a.address } : {}),
      ...(op === 'add' && lifetimes ? { cacheInfo: { preferred: forever(a.preferredLifetime ?? a.validLifetime), valid: forever(a.validLifetime), created: 0, updated: 0 } } : {}),
    },
  };
}

/** `ip route add|del PREFIX/LEN [via GW] dev IFINDEX [expires S]`. */
export function route(op: 'add' | 'remove', ifindex: number, r: { prefix: Ipv4Address | Ipv6Address; prefixLength: number; via?: Ipv4Address | Ipv6Address; lifetime?: number }): RtnlMessageInput {
  const other = op === 'add' && r.lifetime !== undefined ? [{ type: RTA_EXPIRES, data: u32le(forever(r.lifetime)) }] : [];
  return {
    kind: 'route',
    header: header(op === 'add' ? rtnl.RTM_NEWROUTE : rtnl.RTM_DELROUTE, op === 'add' ? NEW | rtnl.NLM_F_CREATE | rtnl.NLM_F_REPLACE : NEW),
    family: familyOf(r.prefix),
    dstLength: r.prefixLength,
    srcLength: 0,
    tos: 0,
    table: rtnl.RT_TABLE_MAIN,
    protocol: rtnl.RTPROT_STATIC,
    scope: r.via ? rtnl.RT_SCOPE_UNIVERSE : rtnl.RT_SCOPE_LINK,
    type: rtnl.RTN_UNICAST,
    flags: 0,
    attributes: { destination: r.prefix, oif: ifindex, ...(r.via ? { gateway: r.via } : {}), other },
  };
}

/** `ip neigh replace IP lladdr MAC nud STATE dev IFINDEX` (or `ip neigh del`). */
export function neighbor(op: 'install' | 'remove', ifindex: number, ip: Ipv4Address, mac?: MacAddress, state: NeighborState = 'stale'): RtnlMessageInput {
  return {
    kind: 'neighbor',
    header: header(op === 'install' ? rtnl.RTM_NEWNEIGH : rtnl.RTM_DELNEIGH, op === 'install' ? NEW | rtnl.NLM_F_CREATE | rtnl.NLM_F_REPLACE : NEW),
    family: rtnl.AF_INET,
    index: ifindex,
    state: op === 'install' ? NUD[state] : 0,
    flags: 0,
    type: 0,
    attributes: { destination: ip, ...(mac && op === 'install' ? { lladdr: mac.toBytes() } : {}) },
  };
}

/** `ip route get DST`: the kernel's answer carries the preferred source. */
export function routeGet(dst: Ipv4Address): RtnlMessageInput {
  return {
    kind: 'route',
    header: header(rtnl.RTM_GETROUTE, rtnl.NLM_F_REQUEST),
    family: rtnl.AF_INET,
    dstLength: 32,
    srcLength: 0,
    tos: 0,
    table: 0,
    protocol: 0,
    scope: 0,
    type: 0,
    flags: 0,
    attributes: { destination: dst },
  };
}

function u32le(v: number): Uint8Array {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setUint32(0, v, true);
  return b;
}
