/**
 * rtsold -a: the interfaces to probe. Up, multicast, neither loopback nor point-to-point, with
 * IPv6, and (unless -F) accepting RAs.
 */
import type { InterfaceInfo, SysctlPort } from '../ports.js';

export function acceptsRa(sysctl: SysctlPort | undefined, ifname: string): boolean {
  const v = sysctl?.read(`net.ipv6.conf.${ifname}.accept_ra`);
  if (v === null || v === undefined) return true;
  return Number(v) > 0;
}

export function autoprobe(interfaces: readonly InterfaceInfo[], sysctl: SysctlPort | undefined, force: boolean): string[] {
  const names: string[] = [];
  for (const i of interfaces) {
    if (!i.up || i.pointToPoint || i.loopback || !i.multicast) continue;
    if (i.ipv6.length === 0) continue;
    if (!force && !acceptsRa(sysctl, i.name)) continue;
    if (!names.includes(i.name)) names.push(i.name);
  }
  return names;
}
