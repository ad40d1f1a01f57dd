import { describe, expect, it } from 'vitest';
import { loadTopology } from '../../../src/adapters/sim/topology/load.js';
import { Simulation, runSimulation } from '../../../src/adapters/sim/run.js';
import type { NodeContext, NodeEvent, NodeKind, SimNode } from '../../../src/adapters/sim/node.js';
import { MacAddress } from '../../../src/core/wire/mac-address.js';
import * as ethernet from '../../../src/core/wire/ethernet.js';
import { SECOND } from '../../../src/core/time.js';
import { testKinds } from './helpers/kinds.js';

/** Records its life: starts, crashes, frames heard (by subscriptions made in create and in start), events. */
class Probe implements SimNode {
  readonly kind = 'probe';
  log: string[] = [];
  constructor(readonly ctx: NodeContext) {
    ctx.ethernet('eth0').onFrame(() => this.log.push(`create-sub heard at ${ctx.clock.now()}`));
  }
  get name() {
    return this.ctx.name;
  }
  start() {
    this.log.push(`start at ${this.ctx.clock.now()}`);
    this.ctx.ethernet('eth0').onFrame(() => this.log.push(`start-sub heard at ${this.ctx.clock.now()}`));
    this.ctx.clock.at(this.ctx.clock.now() + 5 * SECOND, () => this.log.push(`timer at ${this.ctx.clock.now()}`));
  }
  crash() {
    this.log.push(`crash at ${this.ctx.clock.now()}`);
  }
  handle(e: NodeEvent) {
    this.log.push(`event ${e.action} ${JSON.stringify(e.value)} at ${this.ctx.clock.now()}`);
  }
  query(what: string) {
    return what === 'log' ? this.log : undefined;
  }
}

const probeKind: NodeKind = { kind: 'probe', configSchema: { type: 'object' }, create: (_c, ctx) => new Probe(ctx) };
/** Sends one broadcast frame every second from 1s. */
const tickerKind: NodeKind = {
  kind: 'ticker',
  configSchema: { type: 'object' },
  create: (_c, ctx) => ({
    name: ctx.name,
    kind: 'ticker',
    start() {
      const port = ctx.ethernet('eth0');
      const tick = () => {
        port.send(ethernet.encode({ dst: MacAddress.BROADCAST, src: port.mac, etherType: 0x88b5, payload: new Uint8Array(46) }));
        ctx.clock.at(ctx.clock.now() + SECOND, tick);
      };
      ctx.clock.at(SECOND, tick);
    },
    crash() {},
  }),
};
const kinds = [...testKinds, probeKind, tickerKind];

describe('World: crash, restart and timed events', () => {
  const text = [
    'segments: {lan: {faults: {latency: 0us}}}',
    'duration: 12s',
    'nodes:',
    '  p: {kind: probe, interfaces: {eth0: {segment: lan}}}',
    '  t: {kind: ticker, interfaces: {eth0: {segment: lan}}}',
    'events:',
    '  - {at: 2500ms, crash: p}',
    '  - {at: 3500ms, tell: {node: p, action: poke, value: 1}}',
    '  - {at: 4500ms, restart: p}',
    '  - {at: 6500ms, tell: {node: p, action: poke, value: 2}}',
    '',
  ].join('\n');

  it('a crash cancels timers and ends subscriptions made since start; a restart starts again', () => {
    const t = loadTopology(text, { file: 't.yaml', kinds });
    const sim = new Simulation(t, { seed: 1, keepTrace: true });
    sim.run();
    const log = sim.world.node('p')!.node.query!('log') as string[];
    expect(log).toEqual([
      'start at 0',
      'create-sub heard at 1000000',
      'start-sub heard at 1000000',
      'create-sub heard at 2000000',
      'start-sub heard at 2000000',
      'crash at 2500000',
      'start at 4500000',
      'create-sub heard at 5000000',
      'start-sub heard at 5000000',
      'create-sub heard at 6000000',
      'start-sub heard at 6000000',
      'event poke 2 at 6500000',
      'create-sub heard at 7000000',
      'start-sub heard at 7000000',
      'create-sub heard at 8000000',
      'start-sub heard at 8000000',
      'create-sub heard at 9000000',
      'start-sub heard at 9000000',
      'timer at 9500000',
      'create-sub heard at 10000000',
      'start-sub heard at 10000000',
      'create-sub heard at 11000000',
      'start-sub heard at 11000000',
      'create-sub heard at 12000000',
      'start-sub heard at 12000000',
    ]);
    const names = sim.trace.events.filter((e) => e.node === 'p' && e.event.startsWith('node.')).map((e) => `${e.event}@${e.t}`);
    expect(names).toEqual(['node.start@0', 'node.crash@2500000', 'node.restart@4500000']);
    expect(sim.world.node('p')!.crashes).toBe(1);
  });

  it('reports each node, counts frames, and checks expectations', () => {
    const withExpect = `${text}expect:\n  - frames: {node: t, min: 12, max: 12}\n  - event: {event: node.crash, node: p, max: 0}\n`;
    const r = runSimulation(loadTopology(withExpect, { file: 't.yaml', kinds }), { seed: 1 });
    expect(r.frames.sent).toBe(12);
    expect(r.nodes.map((n) => [n.name, n.sent, n.received, n.crashes])).toEqual([
      ['p', 0, 10, 1],
      ['t', 12, 0, 0],
    ]);
    expect(r.frames.dropped).toBe(2); // the two ticks while p was down
    expect(r.frames.lost).toBe(0);
    expect(r.expectations.map((e) => [e.pass, e.why])).toEqual([
      [true, '12 sent'],
      [false, '1 seen'],
    ]);
    expect(r.passed).toBe(false);
  });

  it('a node event for a kind that handles none fails with a message naming the event', () => {
    const t = loadTopology('segments: {lan: {}}\nnodes:\n  x: {kind: ticker, interfaces: {eth0: {segment: lan}}}\nevents:\n  - {at: 1s, tell: {node: x, action: go}}\n', { file: 't.yaml', kinds });
    expect(() => runSimulation(t, { seed: 1 })).toThrow(/event 1: a ticker node handles no events/);
  });
});

describe('World: streams', () => {
  it("adding a node leaves another node's random choices unchanged", () => {
    const base = 'segments: {lan: {}}\nduration: 20s\nnodes:\n  b1: {kind: beacon, interfaces: {eth0: {segment: lan}}}\n';
    const more = base + '  b0: {kind: beacon, interfaces: {eth0: {segment: lan}}, config: {interval: 0.3}}\n';
    const sentTimes = (text: string) => {
      const sim = new Simulation(loadTopology(text, { file: 't.yaml', kinds }), { seed: 9, keepTrace: true });
      sim.run();
      return sim.trace.events.filter((e) => e.event === 'beacon.sent' && e.node === 'b1').map((e) => e.t);
    };
    const alone = sentTimes(base);
    expect(alone.length).toBeGreaterThan(10);
    expect(sentTimes(more)).toEqual(alone);
  });
});
