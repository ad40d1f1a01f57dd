/**
 * The jobs of a queued exploration: one BullMQ job per batch of seeds. A job carries everything a
 * worker needs (the topology's text and its SHA-256, the run length, the seeds and their places in
 * the exploration), so workers share no file system with the coordinator, and the linklab version
 * that must run it.
 */
import type { JobsOptions } from 'bullmq';
import type { Micros } from '../../core/time.js';
import type { SeedTask } from '../sim/explore/protocol.js';

/** BullMQ's queue name and key prefix: its keys are linklab:explore:*. */
export const QUEUE = 'explore';
export const PREFIX = 'linklab';

export interface BatchJob {
  exploration: string;
  /** The linklab version whose results the exploration collects. */
  version: string;
  batch: number;
  topology: { file: string; text: string; sha256: string };
  until?: Micros;
  tasks: SeedTask[];
}

/**
 * Seeds per job when `--batch` is not given, from bench/explore-queue.bench.ts (BENCHMARKS.md):
 * the queue costs about 2 ms of CPU per job and 2 ms per seed, so at 10 seeds a job adds a tenth
 * to the cost per seed and larger batches save little, while a killed worker's retried batch and
 * the last batches of a run (when some workers idle) stay short. Smaller explorations get
 * smaller batches, so that every worker gets some.
 */
export const BATCH = 10;
export function defaultBatch(seeds: number): number {
  return Math.max(1, Math.min(BATCH, Math.ceil(seeds / 64)));
}

/** The tasks cut into batches of `size`, in seed-list order. */
export function batches(tasks: readonly SeedTask[], size: number): SeedTask[][] {
  const out: SeedTask[][] = [];
  for (let i = 0; i < tasks.length; i += size) out.push(tasks.slice(i, i + size));
  return out;
}

/** A batch's job id: adding it again (a restarted coordinator) is a no-op while the job exists. */
export function jobId(exploration: string, batch: number): string {
  return `${exploration}-${batch}`;
}

/**
 * A batch whose processing throws (a thread died, a bug) is tried 3 times, a second apart; a
 * worker that dies holding it loses its lock and the batch goes back to the queue (that is not an
 * attempt). Finished jobs are removed: the results are in the exploration's own records.
 */
export const JOB_OPTIONS: JobsOptions = { attempts: 3, backoff: { type: 'fixed', delay: 1000 }, removeOnComplete: true, removeOnFail: false };
