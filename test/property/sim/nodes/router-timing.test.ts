/**
 * The router's RA timing over random seeds, interval settings and host arrivals (RFC 4861 6.2.4,
 * 6.2.6): unsolicited intervals stay in their bounds, multicast RAs are never closer than
 * MIN_DELAY_BETWEEN_RAS, every solicited RA answers an RS as the rules say, and every RS the
 * router hears while advertising is answered.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { fcRuns } from '../../../helpers/tier.js';
import { TestWorld } from '../../../unit/sim/nodes/world.js';
import { SECOND } from '../../../../src/core/time.js';

const MIN_GAP = 3 * SECOND;
const MAX_DELAY = SECOND / 2;

describe('router timing over seeds (property)', () => {
  it('intervals, the 3 s rate limit, solicited delays and answers hold for every seed', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2 ** 31 - 1 }),
        fc.integer({ min: 4, max: 60 }),
        fc.double({ min: 0.05, max: 0.75, noNaN: true }),
        fc.array(fc.integer({ min: 0, max: 80_000 }), { minLength: 1, maxLength: 6 }),
        (seed, maxS, minFrac, startsMs) => {
          const minS = Math.max(3, Math.round(maxS * minFrac * 1000) / 1000);
          fc.pre(minS <= 0.75 * maxS);
          const hosts = startsMs
            .map((ms, i) => `  h${i}: {kind: host, startAt: ${ms}ms, interfaces: {eth0: {segment: lan}}}`)
            .join('\n');
          const w = new TestWorld(
            `
duration: 120s
segments: {lan: {}}
nodes:
  r1:
    kind: router
    interfaces: {eth0: {segment: lan}}
    config: {minInterval: ${minS}, maxInterval: ${maxS}, prefixes: [{prefix: "2001:db8:1::/64"}]}
${hosts}
`,
            { seed },
          ).until(120);
          const min = Math.round(minS * SECOND);
          const max = maxS * SECOND;
          const multicast = w.events('ra.sent', 'r1').filter((e) => e.dst === 'ff02::1');
          expect(multicast.length).toBeGreaterThan(0);
          const rs = w.events('rs.received', 'r1').filter((e) => e.answered);
          multicast.forEach((ra, k) => {
            if (k === 0) return;
            const prev = multicast[k - 1].t;
            const gap = ra.t - prev;
            expect(gap).toBeGreaterThanOrEqual(MIN_GAP);
            if (!ra.solicited) {
              // The k-th interval: the first three are capped at MAX_INITIAL_RTR_ADVERT_INTERVAL.
              const hi = k <= 3 ? Math.min(max, 16 * SECOND) : max;
              const lo = k <= 3 ? Math.min(min, 16 * SECOND) : min;
              expect(gap).toBeGreaterThanOrEqual(lo);
              expect(gap).toBeLessThanOrEqual(hi);
            } else {
              // Delayed 0..0.5 s after an RS, or after last + 3 s when that RS came sooner.
              const ok = rs.some((r) => r.t <= ra.t && (ra.t - r.t <= MAX_DELAY || (r.t - prev < MIN_GAP && ra.t - prev >= MIN_GAP && ra.t - prev <= MIN_GAP + MAX_DELAY)));
              expect(ok).toBe(true);
            }
          });
          // Every RS heard while advertising is followed by a multicast RA: within 3.5 s, or by
          // the periodic one that was already due sooner.
          for (const r of rs) {
            const next = multicast.find((ra) => ra.t >= r.t);
            if (!next) continue; // the run ended first
            expect(next.t - r.t <= MIN_GAP + MAX_DELAY || !next.solicited).toBe(true);
          }
        },
      ),
      { numRuns: fcRuns(40) },
    );
  });
});
