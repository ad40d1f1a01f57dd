import { describe, expect, it } from 'vitest';
import { loadTopology } from '../../../src/adapters/sim/topology/load.js';
import { Simulation } from '../../../src/adapters/sim/run.js';
import { runRealtime, type RealtimeDriver } from '../../../src/adapters/sim/realtime.js';
import { MacAddress } from '../../../src/core/wire/mac-address.js';
import * as ethernet from '../../../src/core/wire/ethernet.js';
import { ManualClock } from '../../helpers/manual-clock.js';
import { testKinds } from './helpers/kinds.js';

describe('wall-clock mode', () => {
  it('follows the driver\'s clock, and a bridged port sends and receives frames', () => {
    const wall = new ManualClock(5_000_000); // the wall clock does not start at zero
    const driver: RealtimeDriver = { now: () => wall.now(), at: (t, fn) => wall.at(t, fn) };
    const t = loadTopology('duration: 10s\nsegments: {lan: {}}\nnodes:\n  b1: {kind: beacon, interfaces: {eth0: {segment: lan}}, config: {interval: 1}}\n', { file: 'rt.yaml', kinds: testKinds });
    const sim = new Simulation(t, { seed: 1, keepTrace: true });
    let ended = false;
    const rt = runRealtime(sim, driver, () => (ended = true));
    const outside: number[] = [];
    const port = rt.bridge('lan', 'tap0', () => outside.push(sim.scheduler.now()));

    wall.advance(2_500_000);
    expect(rt.virtualNow()).toBe(2_500_000);
    expect(sim.scheduler.peek()).toBeGreaterThan(2_500_000); // everything due has run
    expect(outside.length).toBe(3); // beacons near 0s, 1s and 2s reached the outside

    port.send(ethernet.encode({ dst: MacAddress.BROADCAST, src: MacAddress.parse('02:aa:00:00:00:01'), etherType: 0x88b5, payload: new Uint8Array(46) }));
    wall.advance(100_000);
    const heard = sim.trace.events.filter((e) => e.event === 'beacon.heard');
    expect(heard.map((e) => [e.t, e.from])).toEqual([[2_500_020, '02:aa:00:00:00:01']]);

    wall.advance(10_000_000);
    expect(ended).toBe(true);
    expect(sim.scheduler.now()).toBe(10_000_000);
    expect(rt.stop().until).toBe(10_000_000);
  });
});
