/**
 * `linklab sim explore`: many seeds of one topology across worker threads, the failures listed by
 * seed, and the first failure shrunk to a minimal fault schedule.
 */
import type { Micros } from '../../../core/time.js';
import { loadTopology } from '../topology/load.js';
import type { SeedOutcome } from './protocol.js';
import { SeedPool } from './pool.js';
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

export async function explore(o: ExploreOptions): Promise<ExploreResult> {
  const topology = loadTopology(o.text, { file: o.file }); // fails here, once, if the file is bad
  const pool = new SeedPool(Math.max(1, Math.min(o.workers, o.seeds.length)), { file: o.file, text: o.text, until: o.until });
  let done = 0;
  let outcomes: SeedOutcome[];
  try {
    outcomes = await Promise.all(
      o.seeds.map((seed, id) =>
        pool.run({ id, seed }).then((r) => {
          o.onSeed?.(r, ++done);
          return r;
        }),
      ),
    );
  } finally {
    await pool.close();
  }
  outcomes.sort((a, b) => a.seed - b.seed);
  const failed = outcomes.filter((r) => !r.passed);
  const result: ExploreResult = { outcomes, failed };
  const first = failed.find((f) => f.error === undefined);
  if (first && o.shrink !== false) {
    result.shrunk = { seed: first.seed, ...shrink(topology, first.seed, first.failures.map((f) => f.index), o.until) };
  }
  return result;
}
