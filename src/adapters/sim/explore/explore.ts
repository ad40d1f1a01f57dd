/**
 * `linklab sim explore`: many seeds of one topology across worker threads, the failures listed by
 * seed, and the first failure shrunk to a minimal fault schedule.
 *
 * Two steps, shared by every way of running an exploration (threads here, `--shard`, or batches
 * on a queue): seeds -> per-seed outcomes (`runTasks` on a pool), then outcomes -> result
 * (`finishExploration`), which sorts them and shrinks the first failure.
 */
import type { Micros } from '../../../core/time.js';
import { loadTopology } from '../topology/load.js';
import type { Topology } from '../topology/types.js';
import type { SeedOutcome, SeedTask, WorkerSetup } from './protocol.js';
import { SeedPool, workerSetup } from './pool.js';
import { shrink, type ShrinkResult } from './shrink.js';

export interface ExploreOptions {
  file: string;
  text: string;
  seeds: readonly number[];
  workers: number;
  until?: Micros;
  /** Shrink the first failing seed (default true). */
  shrink?: boolean;
  /** Called as each seed finishes. */
  onSeed?: (o: SeedOutcome, done: number) => void;
}

export interface ExploreResult {
  outcomes: SeedOutcome[];
  failed: SeedOutcome[];
  shrunk?: { seed: number } & ShrinkResult;
}

/** Seeds `from`, `from`+1, ... (`count` of them), keeping shard `index` of `shards` (1-based). */
export function seedList(from: number, count: number, shard?: { index: number; of: number }): number[] {
  const out: number[] = [];
  for (let i = 0; i < count; i++) if (!shard || i % shard.of === shard.index - 1) out.push(from + i);
  return out;
}

/** The tasks of a seed list: each seed's id is its place in the list, wherever it runs. */
export function seedTasks(seeds: readonly number[]): SeedTask[] {
  return seeds.map((seed, id) => ({ id, seed }));
}

/** Runs `tasks` on `pool`, calling `onSeed` as each finishes; outcomes in task order. */
export function runTasks(pool: SeedPool, setup: WorkerSetup, tasks: readonly SeedTask[], onSeed?: (o: SeedOutcome) => void): Promise<SeedOutcome[]> {
  return Promise.all(
    tasks.map((task) =>
      pool.run(setup, task).then((o) => {
        onSeed?.(o);
        return o;
      }),
    ),
  );
}

/** Seeds -> outcomes on this machine, on a pool of threads made for them. */
export async function runSeeds(o: Omit<ExploreOptions, 'shrink'>): Promise<SeedOutcome[]> {
  const pool = new SeedPool(Math.max(1, Math.min(o.workers, o.seeds.length)));
  let done = 0;
  try {
    return await runTasks(pool, workerSetup(o.file, o.text, o.until), seedTasks(o.seeds), (r) => o.onSeed?.(r, ++done));
  } finally {
    await pool.close();
  }
}

/** Outcomes (in any order, from anywhere) -> the exploration's result. */
export function finishExploration(topology: Topology, outcomes: readonly SeedOutcome[], o: { shrink?: boolean; until?: Micros } = {}): ExploreResult {
  const sorted = [...outcomes].sort((a, b) => a.seed - b.seed);
  const failed = sorted.filter((r) => !r.passed);
  const result: ExploreResult = { outcomes: sorted, failed };
  const first = failed.find((f) => f.error === undefined);
  if (first && o.shrink !== false) {
    result.shrunk = { seed: first.seed, ...shrink(topology, first.seed, first.failures.map((f) => f.index), o.until) };
  }
  return result;
}

export async function explore(o: ExploreOptions): Promise<ExploreResult> {
  const topology = loadTopology(o.text, { file: o.file }); // fails here, once, if the file is bad
  return finishExploration(topology, await runSeeds(o), o);
}
