/** The scheduler runs any mix of schedules and cancels in (time, order scheduled) order. */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Scheduler } from '../../../src/adapters/sim/scheduler.js';
import { fcRuns } from '../../helpers/tier.js';

describe('Scheduler order', () => {
  it('is (time, sequence) for any schedule, with cancelled events never run', () => {
    fc.assert(
      fc.property(fc.array(fc.record({ at: fc.integer({ min: 0, max: 50 }), cancel: fc.boolean(), nested: fc.option(fc.integer({ min: 0, max: 50 })) }), { maxLength: 200 }), (items) => {
        const s = new Scheduler();
        const ran: Array<{ at: number; seq: number }> = [];
        let seq = 0;
        const add = (at: number, nested: number | null): { cancel(): void } => {
          const mine = seq++;
          return s.schedule(at, () => {
            ran.push({ at: s.now(), seq: mine });
            if (nested !== null) add(s.now() + nested, null);
          });
        };
        const cancelled = new Set<number>();
        items.forEach((it) => {
          const id = seq;
          const t = add(it.at, it.nested);
          if (it.cancel) {
            t.cancel();
            cancelled.add(id);
          }
        });
        s.runUntil(1000);
        for (let i = 1; i < ran.length; i++) {
          const a = ran[i - 1];
          const b = ran[i];
          expect(a.at < b.at || (a.at === b.at && a.seq < b.seq)).toBe(true);
        }
        for (const r of ran) expect(cancelled.has(r.seq)).toBe(false);
        expect(ran.length).toBe(items.filter((x) => !x.cancel).length + items.filter((x) => !x.cancel && x.nested !== null).length);
      }),
      { numRuns: fcRuns(2000) },
    );
  });
});
