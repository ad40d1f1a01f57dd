/**
 * Shrinking a failing run's fault schedule: drop timed events and set fault probabilities to zero,
 * one at a time, keeping each change while the run still fails (the same expectation fails, same
 * seed), until no single change keeps it failing. What is left is a minimal schedule: every event
 * and fault in it is needed for the failure.
 */
import type { Micros } from '../../../core/time.js';
import { faultKnobs, type Overrides } from '../overrides.js';
import type { Topology } from '../topology/types.js';
import { runSeed } from './run-seed.js';

export interface ShrinkResult {
  overrides: { dropEvents: number[]; zero: string[] };
  /** Runs made while shrinking. */
  runs: number;
}

export function shrink(topology: Topology, seed: number, failing: readonly number[], until?: Micros): ShrinkResult {
  let runs = 0;
  const stillFails = (o: Overrides): boolean => {
    runs++;
    const r = runSeed(topology, { id: runs, seed, overrides: o }, until);
    return r.error !== undefined || r.failures.some((f) => failing.includes(f.index));
  };
  const current = { dropEvents: [] as number[], zero: [] as string[] };
  const knobs = faultKnobs(topology);
  for (let changed = true; changed; ) {
    changed = false;
    for (const e of topology.events) {
      if (current.dropEvents.includes(e.index)) continue;
      const candidate = { ...current, dropEvents: [...current.dropEvents, e.index].sort((a, b) => a - b) };
      if (stillFails(candidate)) {
        current.dropEvents = candidate.dropEvents;
        changed = true;
      }
    }
    for (const k of knobs) {
      if (current.zero.includes(k)) continue;
      const candidate = { ...current, zero: [...current.zero, k] };
      if (stillFails(candidate)) {
        current.zero = candidate.zero;
        changed = true;
      }
    }
  }
  return { overrides: current, runs };
}
