/**
 * Over random topologies (beacon nodes on a few segments and the underlay, random fault settings
 * and ranges, random timed events): the same seed gives byte-identical trace and pcapng; with
 * random faults, two seeds give different runs.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { stringify } from 'yaml';
import { loadTopology } from '../../../src/adapters/sim/topology/load.js';
import { runSimulation } from '../../../src/adapters/sim/run.js';
import { fcRuns } from '../../helpers/tier.js';
import { testKinds } from '../../unit/sim/helpers/kinds.js';

const prob = fc.oneof(fc.constant(0), fc.double({ min: 0, max: 0.5, noNaN: true }), fc.record({ min: fc.constant(0), max: fc.double({ min: 0, max: 0.5, noNaN: true }) }));
const ms = (n: number): string => `${n}ms`;
const faults = fc.record(
  {
    latency: fc.integer({ min: 0, max: 20 }).map(ms),
    jitter: fc.integer({ min: 0, max: 5 }).map(ms),
    loss: prob,
    duplicate: prob,
    reorder: prob,
    corrupt: prob,
  },
  { requiredKeys: [] },
);

/** A topology object: segments s0.., beacons b0.. on them, two pingers on the underlay, events. */
const topology = fc
  .record({
    segments: fc.integer({ min: 1, max: 3 }),
    beacons: fc.array(fc.record({ seg: fc.nat(), interval: fc.integer({ min: 1, max: 20 }), faults }), { minLength: 2, maxLength: 6 }),
    segFaults: faults,
    underlayFaults: faults,
    events: fc.array(fc.record({ at: fc.integer({ min: 0, max: 5000 }), kind: fc.constantFrom('linkDown', 'linkUp', 'crash', 'restart', 'burst'), who: fc.nat() }), { maxLength: 6 }),
  })
  .map((r) => {
    const segments = Object.fromEntries(Array.from({ length: r.segments }, (_, i) => [`s${i}`, { faults: r.segFaults }]));
    const nodes: Record<string, unknown> = {};
    r.beacons.forEach((b, i) => {
      nodes[`b${i}`] = { kind: 'beacon', interfaces: { eth0: { segment: `s${b.seg % r.segments}`, faults: b.faults } }, config: { interval: b.interval / 10 } };
    });
    nodes.p1 = { kind: 'pinger', interfaces: { u0: { underlay: true, ipv4: ['192.0.2.1/24'] } }, config: { to: '192.0.2.2' } };
    nodes.p2 = { kind: 'pinger', interfaces: { u0: { underlay: true, ipv4: ['192.0.2.2/24'] } } };
    const events = r.events.map((e) => {
      const b = `b${e.who % r.beacons.length}`;
      const at = ms(e.at);
      if (e.kind === 'linkDown' || e.kind === 'linkUp') return { at, [e.kind]: `${b}:eth0` };
      if (e.kind === 'burst') return { at, tell: { node: b, action: 'burst', frames: 2 } };
      return { at, [e.kind]: b };
    });
    return { duration: '6s', segments, underlay: { faults: r.underlayFaults }, nodes, events };
  });

function run(text: string, seed: number): { trace: string; pcap: Buffer; frames: number } {
  const t = loadTopology(text, { file: 'random.yaml', kinds: testKinds });
  const lines: string[] = [];
  const chunks: Uint8Array[] = [];
  const r = runSimulation(t, { seed, trace: (l) => lines.push(l), pcap: (c) => chunks.push(c) });
  return { trace: lines.join('\n'), pcap: Buffer.concat(chunks), frames: r.frames.sent };
}

describe('simulator determinism', () => {
  it('same topology and seed: the same trace and pcapng, byte for byte', () => {
    fc.assert(
      fc.property(topology, fc.integer({ min: 0, max: 2 ** 40 }), (obj, seed) => {
        const text = stringify(obj);
        const a = run(text, seed);
        const b = run(text, seed);
        expect(b.trace).toBe(a.trace);
        expect(b.pcap.equals(a.pcap)).toBe(true);
      }),
      { numRuns: fcRuns(60) },
    );
  });

  it('with loss on a busy segment, different seeds give different runs', () => {
    fc.assert(
      fc.property(topology, (obj) => {
        const busy = { ...obj, segments: Object.fromEntries(Object.entries(obj.segments).map(([k]) => [k, { faults: { loss: 0.3 } }])) };
        const text = stringify(busy);
        const a = run(text, 1);
        fc.pre(a.frames >= 20);
        expect(run(text, 2).trace).not.toBe(a.trace);
      }),
      { numRuns: fcRuns(30) },
    );
  });
});

/** Random networks of the real node kinds (router, hosts) under random faults and events. */
const realNetwork = fc
  .record({
    hosts: fc.integer({ min: 1, max: 4 }),
    routerStart: fc.integer({ min: 0, max: 3000 }),
    faults,
    events: fc.array(fc.record({ at: fc.integer({ min: 0, max: 8000 }), kind: fc.constantFrom('linkDown', 'linkUp', 'crash', 'restart'), who: fc.nat() }), { maxLength: 5 }),
  })
  .map((r) => {
    const names = ['r1', ...Array.from({ length: r.hosts }, (_, i) => `h${i + 1}`)];
    return {
      duration: '10s',
      segments: { lan: { faults: r.faults } },
      nodes: {
        r1: { kind: 'router', startAt: ms(r.routerStart), interfaces: { eth0: { segment: 'lan', ipv6: ['2001:db8:1::1/64'] } }, config: { maxInterval: 4, prefixes: [{ prefix: '2001:db8:1::/64' }] } },
        'h{i}': { count: r.hosts, kind: 'host', interfaces: { eth0: { segment: 'lan' } }, config: { ping: [{ to: '2001:db8:1::1', start: 5, count: 3 }] } },
      },
      events: r.events.map((e) => {
        const who = names[e.who % names.length];
        return e.kind === 'linkDown' || e.kind === 'linkUp' ? { at: ms(e.at), [e.kind]: `${who}:eth0` } : { at: ms(e.at), [e.kind]: who };
      }),
    };
  });

describe('simulator determinism with the real node kinds', () => {
  it('same topology and seed: the same trace and pcapng', () => {
    fc.assert(
      fc.property(realNetwork, fc.integer({ min: 0, max: 2 ** 40 }), (obj, seed) => {
        const text = stringify(obj);
        const once = (): { trace: string; pcap: Buffer } => {
          const lines: string[] = [];
          const chunks: Uint8Array[] = [];
          runSimulation(loadTopology(text, { file: 'random.yaml' }), { seed, trace: (l) => lines.push(l), pcap: (c) => chunks.push(c) });
          return { trace: lines.join('\n'), pcap: Buffer.concat(chunks) };
        };
        const a = once();
        const b = once();
        expect(b.trace).toBe(a.trace);
        expect(b.pcap.equals(a.pcap)).toBe(true);
      }),
      { numRuns: fcRuns(25) },
    );
  });
});
