import { describe, expect, it } from 'vitest';
import { loadTopology } from '../../../src/adapters/sim/topology/load.js';
import { runSimulation } from '../../../src/adapters/sim/run.js';
import { applyOverrides, describeSchedule, faultKnobs, overrideFlags, OverrideError } from '../../../src/adapters/sim/overrides.js';
import { shrink } from '../../../src/adapters/sim/explore/shrink.js';
import { testKinds } from './helpers/kinds.js';

const text = [
  'duration: 12s',
  'segments:',
  '  lan: {faults: {reorder: 0.2}}',
  'dns: {isatap: [192.0.2.1]}',
  'nodes:',
  '  b1: {kind: beacon, interfaces: {eth0: {segment: lan}}, config: {count: 10}}',
  '  b2: {kind: beacon, interfaces: {eth0: {segment: lan, faults: {loss: 0.5}}}, config: {count: 0}}',
  'events:',
  '  - {at: 3s, linkDown: "b2:eth0"}',
  '  - {at: 8s, linkUp: "b2:eth0"}',
  '  - {at: 9s, dns: {name: isatap, addresses: []}}',
  'expect:',
  '  - event: {event: beacon.heard, node: b2, min: 9}',
  '',
].join('\n');

const topology = () => loadTopology(text, { file: 's.yaml', kinds: testKinds });

describe('fault knobs and overrides', () => {
  it('names every probability the file sets, where it sets it', () => {
    expect(faultKnobs(topology())).toEqual(['lan.reorder', 'b2:eth0.loss']);
  });

  it('drops events and zeroes knobs; refuses ones that do not exist', () => {
    const t = applyOverrides(topology(), { dropEvents: [1, 3], zero: ['b2:eth0.loss'] });
    expect(t.events.map((e) => e.index)).toEqual([2]);
    expect(faultKnobs(t)).toEqual(['lan.reorder']);
    expect(() => applyOverrides(topology(), { dropEvents: [4] })).toThrow(OverrideError);
    expect(() => applyOverrides(topology(), { zero: ['lan.loss'] })).toThrow(/no fault "lan.loss" to zero \(faults: lan.reorder, b2:eth0.loss\)/);
    expect(overrideFlags({ dropEvents: [1], zero: ['lan.reorder'] })).toEqual(['--drop-event', '1', '--zero', 'lan.reorder']);
  });
});

describe('shrink', () => {
  it('keeps only what the failure needs, and the result replays to the same failure', () => {
    const t = topology();
    const seed = 4;
    const before = runSimulation(t, { seed });
    expect(before.passed).toBe(false);
    const r = shrink(t, seed, [0]);
    expect(r.overrides).toEqual({ dropEvents: [1, 2, 3], zero: ['lan.reorder'] });
    expect(describeSchedule(t, r.overrides)).toEqual(['  fault b2:eth0.loss']);
    // Minimal: it still fails, and taking away what is left makes it pass.
    expect(runSimulation(applyOverrides(t, r.overrides), { seed }).passed).toBe(false);
    expect(runSimulation(applyOverrides(t, { ...r.overrides, zero: [...r.overrides.zero, 'b2:eth0.loss'] }), { seed }).passed).toBe(true);
    expect(r.runs).toBeGreaterThanOrEqual(5);
  });
});
