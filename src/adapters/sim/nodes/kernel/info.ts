/** What the kernel model shows of itself: `ip link`/`ip addr` records, and the query views. */
import type { InterfaceInfo } from '../../../../core/ports.js';
import { SECOND } from '../../../../core/time.js';
import type { NetIf } from './netif.js';
import type { Stack } from './stack.js';

function secondsLeft(until: number | undefined, now: number): number | undefined {
  return until === undefined ? undefined : Math.max(0, Math.floor((until - now) / SECOND));
}

export function interfaceInfo(s: Stack, nif: NetIf): InterfaceInfo {
  const now = s.clock.now();
  return {
    ifindex: nif.ifindex,
    name: nif.name,
    mac: nif.mac,
    mtu: nif.mtu,
    up: nif.up,
    running: nif.running,
    loopback: nif.kind === 'loopback',
    pointToPoint: nif.kind === 'tun',
    multicast: nif.kind === 'ethernet',
    ipv4: nif.addresses4().map((a) => ({ address: a.address, prefixLength: a.prefixLength })),
    ipv6: nif.ipv6
      .filter((a) => !a.dadFailed)
      .map((a) => ({
        address: a.address,
        prefixLength: a.prefixLength,
        tentative: a.tentative,
        validLifetime: secondsLeft(a.validUntil, now),
        preferredLifetime: a.deprecated ? 0 : secondsLeft(a.preferredUntil, now),
      })),
  };
}

/** `addresses`: every IPv6 and IPv4 address with its state, as text. */
export function addressesView(s: Stack): Array<Record<string, unknown>> {
  const now = s.clock.now();
  const out: Array<Record<string, unknown>> = [];
  for (const nif of s.ifs) {
    for (const a of nif.addresses4()) out.push({ iface: nif.name, family: 'ipv4', address: a.address.toString(), prefixLength: a.prefixLength });
    for (const a of nif.ipv6) {
      out.push({
        iface: nif.name,
        family: 'ipv6',
        address: a.address.toString(),
        prefixLength: a.prefixLength,
        origin: a.origin,
        state: a.dadFailed ? 'dadfailed' : a.tentative ? 'tentative' : a.deprecated ? 'deprecated' : 'preferred',
        validLifetime: secondsLeft(a.validUntil, now) ?? 'forever',
        preferredLifetime: a.deprecated ? 0 : (secondsLeft(a.preferredUntil, now) ?? 'forever'),
      });
    }
  }
  return out;
}

/** `neighbors` (IPv4, ARP) or `neighbors6` (ND). */
export function neighborsView(s: Stack, family: 'ipv4' | 'ipv6'): Array<Record<string, unknown>> {
  const out: Array<Record<string, unknown>> = [];
  for (const nif of s.ifs) {
    const table = family === 'ipv4' ? nif.arp : nif.nd;
    if (!table) continue;
    for (const e of table.list()) out.push({ iface: nif.name, ip: e.ip.toString(), state: e.state, mac: e.mac?.toString(), router: e.isRouter || undefined });
  }
  return out;
}

export function routesView(s: Stack): Array<Record<string, unknown>> {
  const now = s.clock.now();
  return [
    ...s.routers.prefixes.map((p) => ({
      iface: p.nif.name,
      prefix: `${p.prefix}/${p.prefixLength}`,
      ...(p.via ? { via: p.via.toString() } : {}),
      expires: secondsLeft(p.expires, now) ?? 'forever',
    })),
    ...s.routers.routers.map((r) => ({ iface: r.nif.name, prefix: '::/0', via: r.address.toString(), preference: r.preference, expires: secondsLeft(r.expires, now) })),
  ];
}
