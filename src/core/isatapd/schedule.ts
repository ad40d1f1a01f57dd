/**
 * When isatapd sends its Router Solicitations, as pure functions (isatap.c
 * run_solicitation_loop, rdisc.c parseadv): the first RS to each entry after a uniform 0..1 s,
 * then MAX_RTR_SOLICITATIONS RSs RTR_SOLICITATION_INTERVAL apart and a pause of
 * DEFAULT_MINROUTERSOLICITINTERVAL, again and again until an RA; after a valid RA, the next RS
 * at 80% of the shortest positive lifetime the RA carries (router, prefix preferred and valid,
 * route), no later than --interval and no sooner than 120 s.
 */
import type { Random } from '../ports.js';
import { SECOND, type Micros } from '../time.js';
import type { RouterAdvert } from '../wire/ndisc/router-advert.js';
import { DEFAULT_MINROUTERSOLICITINTERVAL, MAX_RTR_SOLICITATION_DELAY, MAX_RTR_SOLICITATIONS, RTR_SOLICITATION_INTERVAL } from './constants.js';

/** Delay of an entry's first RS in a solicitation round: uniform in [0, 1 s]. */
export function firstRsDelay(random: Random): Micros {
  return Math.floor(random.next() * (MAX_RTR_SOLICITATION_DELAY + 1));
}

/** After sending RS number `rsSent + 1`: the new count and the wait before the next one. */
export function afterRs(rsSent: number): { rsSent: number; delay: Micros } {
  const sent = rsSent + 1;
  if (sent >= MAX_RTR_SOLICITATIONS) return { rsSent: 0, delay: DEFAULT_MINROUTERSOLICITINTERVAL * SECOND };
  return { rsSent: sent, delay: RTR_SOLICITATION_INTERVAL };
}

/**
 * The lifetimes (seconds) of an RA that bound the next RS: the router lifetime, each Prefix
 * Information option's preferred and valid lifetimes, each Route Information option's lifetime.
 */
export function raLifetimes(ra: RouterAdvert): number[] {
  const out = [ra.routerLifetime];
  for (const o of ra.options) {
    if (o.kind === 'prefix-info') out.push(o.preferredLifetime, o.validLifetime);
    else if (o.kind === 'route-info') out.push(o.lifetime);
  }
  return out;
}

/**
 * The wait before the next RS to a router that just advertised: the smallest of `interval` and
 * 0.8 x each positive lifetime, rounded down to the millisecond, but at least 120 s. (The
 * original compared its millisecond count with 120, a floor of 120 ms; the 120 s floor is the one
 * its constant's name and --interval's minimum mean.)
 */
export function nextRsAfterRa(lifetimes: readonly number[], interval: number): Micros {
  let t = interval;
  for (const l of lifetimes) {
    const v = 0.8 * l;
    if (v > 0 && v < t) t = v;
  }
  const ms = Math.floor(t * 1000);
  return Math.max(ms * 1000, DEFAULT_MINROUTERSOLICITINTERVAL * SECOND);
}
