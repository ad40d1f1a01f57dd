/** The Router Advertisement an interface's settings describe, as the codec's input. */
import type { MacAddress } from '../../../../core/wire/mac-address.js';
import type { RouterAdvertInput } from '../../../../core/wire/ndisc/router-advert.js';
import type { NdOptionInput } from '../../../../core/wire/ndisc/option-list.js';
import type { AdvertConfig } from './config.js';

/** `final`: a shutdown RA (router lifetime 0; RFC 4861 6.2.5, radvd's cease_adv). */
export function buildAdvert(c: AdvertConfig, mac: MacAddress | undefined, final = false): RouterAdvertInput {
  const options: NdOptionInput[] = [];
  for (const p of c.prefixes) {
    options.push({
      kind: 'prefix-info',
      prefixLength: p.prefixLength,
      onLink: p.onLink,
      autonomous: p.autonomous,
      routerAddress: p.routerAddress,
      validLifetime: p.validLifetime,
      preferredLifetime: final && c.deprecatePrefix ? 0 : p.preferredLifetime,
      prefix: p.prefix,
    });
  }
  for (const r of c.routes) options.push({ kind: 'route-info', prefixLength: r.prefixLength, preference: r.preference, lifetime: r.lifetime, prefix: r.prefix });
  for (const r of c.rdnss) options.push({ kind: 'rdnss', lifetime: final && c.flushDns ? 0 : r.lifetime, servers: r.servers });
  for (const d of c.dnssl) options.push({ kind: 'dnssl', lifetime: final && c.flushDns ? 0 : d.lifetime, domains: d.domains });
  if (c.mtu > 0) options.push({ kind: 'mtu', mtu: c.mtu });
  if (c.sourceLla && mac) options.push({ kind: 'source-lla', address: mac });
  for (const p of c.pref64) options.push({ kind: 'pref64', scaledLifetime: p.scaledLifetime, plc: p.plc, prefix: p.prefix });
  if (c.captivePortal !== undefined) options.push({ kind: 'captive-portal', uri: c.captivePortal });
  for (const o of c.extraOptions) options.push({ kind: 'unknown', type: o.type, data: o.data });
  return {
    kind: 'router-advert',
    curHopLimit: c.curHopLimit,
    managed: c.managed,
    other: c.other,
    homeAgent: c.homeAgent,
    proxy: c.proxy,
    preference: c.preference,
    routerLifetime: final ? 0 : c.routerLifetime,
    reachableTime: c.reachableTime,
    retransTimer: c.retransTimer,
    options,
  };
}
