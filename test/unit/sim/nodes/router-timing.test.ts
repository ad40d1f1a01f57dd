/** RFC 4861 6.2.4 / 6.2.6 timing rules of the router model, on their own. */
import { describe, expect, it } from 'vitest';
import { AdvertTiming, MAX_INITIAL_RTR_ADVERT_INTERVAL, MAX_RA_DELAY_TIME, MIN_DELAY_BETWEEN_RAS } from '../../../../src/adapters/sim/nodes/router/timing.js';
import { Prng } from '../../../../src/adapters/sim/prng.js';
import { SECOND } from '../../../../src/core/time.js';

describe('router timing', () => {
  it('uses the RFC constants', () => {
    expect([MAX_INITIAL_RTR_ADVERT_INTERVAL, MIN_DELAY_BETWEEN_RAS, MAX_RA_DELAY_TIME]).toEqual([16 * SECOND, 3 * SECOND, SECOND / 2]);
  });

  it('caps the first three intervals at 16 s and keeps every later one in [min, max]', () => {
    for (let seed = 0; seed < 50; seed++) {
      const t = new AdvertTiming(200 * SECOND, 600 * SECOND, new Prng(seed, 'ra'));
      const intervals = Array.from({ length: 10 }, (_, i) => t.multicastSent(i));
      expect(intervals.slice(0, 3)).toEqual([16 * SECOND, 16 * SECOND, 16 * SECOND]);
      for (const i of intervals.slice(3)) {
        expect(i).toBeGreaterThanOrEqual(200 * SECOND);
        expect(i).toBeLessThanOrEqual(600 * SECOND);
      }
      t.reset();
      expect(t.multicastSent(0)).toBe(16 * SECOND);
    }
  });

  it('draws intervals below 16 s unchanged, uniformly over [min, max]', () => {
    const t = new AdvertTiming(3 * SECOND, 10 * SECOND, new Prng(7, 'ra'));
    const xs = Array.from({ length: 2000 }, () => t.multicastSent(0));
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(3 * SECOND);
    expect(Math.max(...xs)).toBeLessThanOrEqual(10 * SECOND);
    const below = xs.filter((x) => x < 6.5 * SECOND).length / xs.length;
    expect(below).toBeGreaterThan(0.45);
    expect(below).toBeLessThan(0.55);
  });

  it('answers an RS after 0..0.5 s, after last + 3 s + delay within 3 s of a multicast RA, and not at all when the next RA is sooner', () => {
    for (let seed = 0; seed < 50; seed++) {
      const t = new AdvertTiming(4 * SECOND, 10 * SECOND, new Prng(seed, 'ra'));
      const free = t.solicitedAt(100 * SECOND, undefined)!;
      expect(free - 100 * SECOND).toBeGreaterThanOrEqual(0);
      expect(free - 100 * SECOND).toBeLessThanOrEqual(SECOND / 2);
      t.multicastSent(100 * SECOND);
      const limited = t.solicitedAt(101 * SECOND, undefined)!;
      expect(limited - 103 * SECOND).toBeGreaterThanOrEqual(0);
      expect(limited - 103 * SECOND).toBeLessThanOrEqual(SECOND / 2);
      expect(t.solicitedAt(101 * SECOND, 102 * SECOND)).toBeUndefined();
    }
  });

  it('with fast advertising (min below 3 s) the gap is MinRtrAdvInterval, as radvd does', () => {
    const t = new AdvertTiming(SECOND / 10, SECOND / 5, new Prng(1, 'ra'));
    expect(t.minDelay).toBe(SECOND / 10);
  });
});
