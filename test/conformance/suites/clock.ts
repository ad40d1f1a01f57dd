/** Clock conformance: monotonic integer microseconds, absolute timers in order, cancellation. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Clock } from '../../../src/core/ports.js';
import { MILLISECOND } from '../../../src/core/time.js';
import type { Fixture } from './fixture.js';

export interface ClockFixture extends Fixture {
  clock: Clock;
}

export function clockSuite(factory: () => Promise<ClockFixture>): void {
  describe('Clock', () => {
    let f: ClockFixture;
    beforeEach(async () => {
      f = await factory();
    });
    afterEach(async () => {
      await f.close();
    });

    it('reads integer microseconds that never go back', async () => {
      const seen: number[] = [];
      for (let i = 0; i < 5; i++) {
        seen.push(f.clock.now());
        await f.pass(3 * MILLISECOND);
      }
      for (const t of seen) expect(Number.isInteger(t)).toBe(true);
      for (let i = 1; i < seen.length; i++) expect(seen[i]).toBeGreaterThanOrEqual(seen[i - 1] + 3 * MILLISECOND);
    });

    it('fires a timer at its time, never before, and reports that time', async () => {
      const at = f.clock.now() + 20 * MILLISECOND;
      let firedAt = -1;
      const t = f.clock.at(at, () => (firedAt = f.clock.now()));
      expect(t.at).toBe(at);
      expect(await f.until(() => firedAt >= 0, 200 * MILLISECOND)).toBe(true);
      expect(firedAt).toBeGreaterThanOrEqual(at);
    });

    it('fires timers in time order, and equal times in the order they were set', async () => {
      const now = f.clock.now();
      const order: string[] = [];
      f.clock.at(now + 30 * MILLISECOND, () => order.push('c'));
      f.clock.at(now + 10 * MILLISECOND, () => order.push('a1'));
      f.clock.at(now + 20 * MILLISECOND, () => order.push('b'));
      f.clock.at(now + 10 * MILLISECOND, () => order.push('a2'));
      f.clock.at(now + 10 * MILLISECOND, () => order.push('a3'));
      expect(await f.until(() => order.length === 5, 300 * MILLISECOND)).toBe(true);
      expect(order).toEqual(['a1', 'a2', 'a3', 'b', 'c']);
    });

    it('runs a timer for a time already past later, never inside at()', async () => {
      let fired = false;
      f.clock.at(f.clock.now() - 5 * MILLISECOND, () => (fired = true));
      expect(fired).toBe(false);
      expect(await f.until(() => fired, 50 * MILLISECOND)).toBe(true);
    });

    it('never fires a cancelled timer; cancelling twice or after firing is harmless', async () => {
      const now = f.clock.now();
      let cancelled = false;
      let kept = false;
      const t1 = f.clock.at(now + 10 * MILLISECOND, () => (cancelled = true));
      const t2 = f.clock.at(now + 15 * MILLISECOND, () => (kept = true));
      t1.cancel();
      t1.cancel();
      expect(await f.until(() => kept, 200 * MILLISECOND)).toBe(true);
      await f.pass(20 * MILLISECOND);
      expect(cancelled).toBe(false);
      expect(() => t2.cancel()).not.toThrow();
    });

    it('lets a timer set another timer', async () => {
      const fired: number[] = [];
      const start = f.clock.now();
      f.clock.at(start + 5 * MILLISECOND, () => {
        fired.push(1);
        f.clock.at(f.clock.now() + 5 * MILLISECOND, () => fired.push(2));
      });
      expect(await f.until(() => fired.length === 2, 200 * MILLISECOND)).toBe(true);
      expect(f.clock.now() - start).toBeGreaterThanOrEqual(10 * MILLISECOND);
    });
  });
}
