/** One seed of an exploration, as a worker (or the main thread) runs it. */
import type { Micros } from '../../../core/time.js';
import { runSimulation } from '../run.js';
import { applyOverrides } from '../overrides.js';
import type { Topology } from '../topology/types.js';
import type { SeedOutcome, SeedTask } from './protocol.js';

export function runSeed(topology: Topology, task: SeedTask, until?: Micros): SeedOutcome {
  try {
    const t = task.overrides ? applyOverrides(topology, task.overrides) : topology;
    const r = runSimulation(t, { seed: task.seed, until });
    const failures = r.expectations.flatMap((e, index) => (e.pass ? [] : [{ index, text: e.text, why: e.why }]));
    const values = r.expectations.map((e) => e.value ?? null);
    return { id: task.id, seed: task.seed, passed: r.passed, events: r.events, failures, values };
  } catch (err) {
    const error = err instanceof Error ? (err.stack ?? err.message) : String(err);
    return { id: task.id, seed: task.seed, passed: false, events: 0, failures: [], error };
  }
}
