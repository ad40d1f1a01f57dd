/**
 * The neighbour state machine under random interleavings of traffic, wire evidence, helper
 * answers, confirmations, deletions, carrier loss and time: it never throws, an entry holds a
 * timer exactly in the timed states, every valid entry has an address, a resolution round never
 * sends more solicitations than ucast + app + mcast allow, and queued packets only leave once an
 * address is known.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { fcRuns } from '../../../helpers/tier.js';
import { ManualClock } from '../../../helpers/manual-clock.js';
import { NeighborTable, isValid, type NeighborHooks, type NudParams, type NudState } from '../../../../src/adapters/sim/nodes/kernel/neighbor-table.js';
import { Prng } from '../../../../src/adapters/sim/prng.js';
import { MacAddress } from '../../../../src/core/wire/mac-address.js';
import { MILLISECOND, SECOND } from '../../../../src/core/time.js';

const MACS = [MacAddress.parse('02:00:00:00:00:01'), MacAddress.parse('02:00:00:00:00:02')];
const STATES: NudState[] = ['reachable', 'stale', 'delay', 'probe', 'failed', 'permanent', 'noarp', 'incomplete', 'none'];

const op = fc.oneof(
  fc.record({ kind: fc.constant('output' as const), ip: fc.integer({ min: 1, max: 3 }) }),
  fc.record({
    kind: fc.constant('update' as const),
    ip: fc.integer({ min: 1, max: 3 }),
    mac: fc.option(fc.integer({ min: 0, max: 1 }), { nil: undefined }),
    state: fc.constantFrom(...STATES),
    override: fc.boolean(),
    weak: fc.boolean(),
    admin: fc.boolean(),
    create: fc.boolean(),
  }),
  fc.record({ kind: fc.constant('confirm' as const), ip: fc.integer({ min: 1, max: 3 }) }),
  fc.record({ kind: fc.constant('remove' as const), ip: fc.integer({ min: 1, max: 3 }) }),
  fc.record({ kind: fc.constant('flush' as const) }),
  fc.record({ kind: fc.constant('wait' as const), ms: fc.integer({ min: 0, max: 40_000 }) }),
);

const params = fc.record({
  ucastProbes: fc.integer({ min: 0, max: 4 }),
  mcastProbes: fc.integer({ min: 0, max: 4 }),
  appProbes: fc.integer({ min: 0, max: 4 }),
  mcastReprobes: fc.integer({ min: 0, max: 2 }),
  retransTime: fc.integer({ min: 1, max: 3000 }).map((ms) => ms * MILLISECOND),
  baseReachableTime: fc.integer({ min: 1, max: 60 }).map((s) => s * SECOND),
  delayProbeTime: fc.integer({ min: 0, max: 8 }).map((s) => s * SECOND),
  unresQlen: fc.integer({ min: 1, max: 5 }),
});

const TIMED = new Set<NudState>(['incomplete', 'reachable', 'delay', 'probe']);

describe('neighbour table under random events (property)', () => {
  it('keeps its invariants', () => {
    fc.assert(
      fc.property(params, fc.array(op, { maxLength: 60 }), fc.integer(), (p: NudParams, ops, seed) => {
        const clock = new ManualClock(0);
        /** Solicitations per entry since it last entered INCOMPLETE or PROBE. */
        const round = new Map<number, { state: NudState; sent: number }>();
        let sentWithoutAddress = 0;
        const table: NeighborTable<number> = new NeighborTable<number>(clock, new Prng(seed, 'p'), {
          key: (a) => a,
          params: () => p,
          solicit: (ip) => {
            round.get(ip)!.sent++;
          },
          appRequest: (ip) => {
            round.get(ip)!.sent++;
          },
          changed: (e, removed) => {
            if (removed) round.delete(e.ip);
            else if (e.state === 'incomplete' || e.state === 'probe') round.set(e.ip, { state: e.state, sent: 0 });
          },
        } satisfies NeighborHooks<number>);
        const check = (): void => {
          for (const e of table.list()) {
            expect(e.timer !== undefined, `${e.state} timer`).toBe(TIMED.has(e.state));
            if (isValid(e.state) && e.state !== 'noarp') expect(e.mac).toBeDefined();
            const r = round.get(e.ip);
            if (r && (e.state === 'incomplete' || e.state === 'probe')) {
              const max = p.ucastProbes + p.appProbes + (e.state === 'probe' ? p.mcastReprobes : p.mcastProbes);
              // INCOMPLETE starts counting at ucastProbes: its unicast turns are skipped.
              expect(r.sent).toBeLessThanOrEqual(e.state === 'incomplete' ? max - p.ucastProbes : max);
            }
            if (e.queue.length > 0) expect(e.state).toBe('incomplete');
          }
        };
        for (const o of ops) {
          switch (o.kind) {
            case 'output':
              table.output(o.ip, (mac) => {
                if (!mac) sentWithoutAddress++;
              });
              break;
            case 'update':
              table.update(o.ip, o.mac === undefined ? undefined : MACS[o.mac], o.state, { override: o.override, weakOverride: o.weak, admin: o.admin, create: o.create });
              break;
            case 'confirm':
              table.confirm(o.ip);
              break;
            case 'remove':
              table.remove(o.ip);
              break;
            case 'flush':
              table.flush();
              break;
            case 'wait':
              clock.advance(o.ms * MILLISECOND);
              break;
          }
          check();
        }
        clock.advance(10 * 60 * SECOND);
        check();
        expect(sentWithoutAddress).toBe(0);
      }),
      { numRuns: fcRuns(3000) },
    );
  });
});
