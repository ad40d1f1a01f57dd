/**
 * Segment invariants under random faults, partitions and link flaps: a frame reaches only ports in
 * its sender's partition group, never its sender, never before both cables' latency, at most
 * twice per cable crossing that may duplicate it; with no loss, no flaps and no partition, every
 * other port gets every frame.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { MacAddress } from '../../../src/core/wire/mac-address.js';
import { ALWAYS_ALIVE } from '../../../src/adapters/sim/medium.js';
import type { SegmentPort } from '../../../src/adapters/sim/segment.js';
import { fcRuns } from '../../helpers/tier.js';
import { cable, env, frame, mac, segment } from '../../unit/sim/helpers/medium.js';

const portFaults = fc.record({
  latency: fc.integer({ min: 0, max: 50 }),
  jitter: fc.integer({ min: 0, max: 30 }),
  loss: fc.constantFrom(0, 0.2, 0.6),
  duplicate: fc.constantFrom(0, 0.3),
  reorder: fc.constantFrom(0, 0.3),
  reorderDelay: fc.integer({ min: 1, max: 100 }),
});

const op = fc.oneof(
  fc.record({ kind: fc.constant('send' as const), from: fc.nat(), to: fc.oneof(fc.constant(-1), fc.nat()) }),
  fc.record({ kind: fc.constant('flap' as const), port: fc.nat(), up: fc.boolean() }),
  fc.record({ kind: fc.constant('partition' as const), split: fc.array(fc.nat({ max: 2 }), { minLength: 8, maxLength: 8 }) }),
  fc.record({ kind: fc.constant('heal' as const) }),
);

describe('segment invariants', () => {
  it('hold under random faults, flaps and partitions', () => {
    fc.assert(
      fc.property(fc.array(portFaults, { minLength: 2, maxLength: 8 }), fc.array(fc.record({ gap: fc.integer({ min: 0, max: 200 }), op }), { maxLength: 60 }), fc.nat(), (faults, ops, seed) => {
        const e = env(seed);
        const seg = segment(e);
        const ports: SegmentPort[] = faults.map((f, i) => seg.attach({ node: `n${i}`, ifname: 'eth0', mac: mac(i + 1), mtu: 1500, cable: cable(e, `link:lan/n${i}:eth0`, f), owner: ALWAYS_ALIVE }));
        const sent = new Map<number, { from: number; at: number; dupFrom: boolean }>();
        const got = new Map<string, number>();
        ports.forEach((p, i) =>
          p.onFrame((f) => {
            const id = f[14] | (f[15] << 8);
            const s = sent.get(id)!;
            expect(s.from).not.toBe(i);
            expect(ports[s.from].group).toBe(p.group); // same partition group at arrival
            expect(e.scheduler.now()).toBeGreaterThanOrEqual(s.at + faults[s.from].latency + faults[i].latency);
            const key = `${id}/${i}`;
            got.set(key, (got.get(key) ?? 0) + 1);
            const cap = (faults[s.from].duplicate > 0 ? 2 : 1) * (faults[i].duplicate > 0 ? 2 : 1);
            expect(got.get(key)).toBeLessThanOrEqual(cap);
          }),
        );
        let t = 0;
        let id = 0;
        for (const { gap, op: o } of ops) {
          t += gap;
          e.scheduler.runUntil(t);
          if (o.kind === 'send') {
            const from = o.from % ports.length;
            const dst = o.to < 0 ? MacAddress.BROADCAST : ports[o.to % ports.length].mac;
            const f = frame(ports[from].mac, dst);
            f[14] = id & 0xff;
            f[15] = id >> 8;
            sent.set(id++, { from, at: t, dupFrom: false });
            ports[from].send(f);
          } else if (o.kind === 'flap') ports[o.port % ports.length].setLink(o.up);
          else if (o.kind === 'partition') seg.partition([0, 1, 2].map((g) => ports.filter((_, i) => o.split[i] === g)).filter((g) => g.length > 0));
          else seg.heal();
        }
        e.scheduler.runUntil(t + 10_000);
      }),
      { numRuns: fcRuns(300) },
    );
  });

  it('delivers every frame to every other port when nothing is lost, flapped or split', () => {
    fc.assert(
      fc.property(fc.array(portFaults.map((f) => ({ ...f, loss: 0 })), { minLength: 2, maxLength: 8 }), fc.array(fc.nat(), { minLength: 1, maxLength: 30 }), fc.nat(), (faults, senders, seed) => {
        const e = env(seed);
        const seg = segment(e);
        const ports = faults.map((f, i) => seg.attach({ node: `n${i}`, ifname: 'eth0', mac: mac(i + 1), mtu: 1500, cable: cable(e, `link:lan/n${i}:eth0`, f), owner: ALWAYS_ALIVE }));
        const heard = ports.map(() => new Set<number>());
        ports.forEach((p, i) => p.onFrame((f) => heard[i].add(f[14] | (f[15] << 8))));
        senders.forEach((s, id) => {
          const f = frame(ports[s % ports.length].mac, MacAddress.BROADCAST);
          f[14] = id & 0xff;
          f[15] = id >> 8;
          ports[s % ports.length].send(f);
        });
        e.scheduler.runUntil(1_000_000);
        senders.forEach((s, id) => {
          ports.forEach((_, i) => {
            if (i !== s % ports.length) expect(heard[i].has(id)).toBe(true);
          });
        });
      }),
      { numRuns: fcRuns(300) },
    );
  });
});
