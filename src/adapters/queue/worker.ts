/**
 * `linklab sim worker`: takes batches of seeds off the queue, runs them on its own threads and
 * records each seed's outcome as it finishes. A batch whose seeds are partly recorded (its
 * previous worker died) runs only the missing ones. A job of another linklab version is refused
 * and handed back, never run: its results would not be the ones the exploration collects.
 */
import { createHash } from 'node:crypto';
import { DelayedError, UnrecoverableError, Worker, type Job } from 'bullmq';
import { SeedPool, workerSetup } from '../sim/explore/pool.js';
import { runTasks } from '../sim/explore/explore.js';
import type { WorkerSetup } from '../sim/explore/protocol.js';
import { connectRedis } from './connection.js';
import { ExplorationStore } from './exploration.js';
import { PREFIX, QUEUE, type BatchJob } from './jobs.js';
import type { RedisTarget } from './redis-url.js';
import { HEARTBEAT_SECONDS, heartbeat, leave, newWorkerId, type WorkerInfo } from './workers.js';

export interface QueueWorkerOptions {
  target: RedisTarget;
  threads: number;
  version: string;
  /**
   * How long a batch stays locked to this worker without a renewal (renewed every half of it).
   * A worker killed mid-batch loses it this long after its last renewal, and the next check for
   * stalled jobs (every half of it, by any worker) puts it back on the queue.
   */
  lockMs: number;
  log: (line: string) => void;
}

export interface QueueWorker {
  id: string;
  /** Finishes the batches in hand, then disconnects. */
  stop(): Promise<void>;
}

/** A refused job comes back to the queue after this, for a worker of the right version. */
const REFUSED_DELAY_MS = 1000;

export async function startQueueWorker(o: QueueWorkerOptions): Promise<QueueWorker> {
  const redis = await connectRedis(o.target, o.log);
  const info: WorkerInfo = { id: newWorkerId(), version: o.version, threads: o.threads };
  await heartbeat(redis, info);
  const beat = setInterval(() => heartbeat(redis, info).catch(() => {}), (HEARTBEAT_SECONDS * 1000) / 3);
  const pool = new SeedPool(o.threads);
  const refusedOnce = new Set<string>();
  let setup: WorkerSetup | undefined;

  const refuse = async (job: Job<BatchJob>, token: string | undefined, why: string): Promise<never> => {
    const d = job.data;
    await new ExplorationStore(redis, d.exploration).refuse(info.id, why);
    if (!refusedOnce.has(d.exploration)) o.log(`refused exploration ${d.exploration}: ${why}`);
    refusedOnce.add(d.exploration);
    await job.moveToDelayed(Date.now() + REFUSED_DELAY_MS, token);
    throw new DelayedError();
  };

  const processBatch = async (job: Job<BatchJob>, token?: string): Promise<{ ran: number }> => {
    const d = job.data;
    if (d.version !== o.version) {
      return refuse(job, token, `it needs linklab ${d.version} and this worker (${info.id}) runs linklab ${o.version}; start a worker of linklab ${d.version}`);
    }
    if (createHash('sha256').update(d.topology.text).digest('hex') !== d.topology.sha256) {
      throw new UnrecoverableError(`batch ${job.id}: the topology does not match its SHA-256 (the job was damaged)`);
    }
    if (setup?.file !== d.topology.file || setup.text !== d.topology.text || setup.until !== d.until) setup = workerSetup(d.topology.file, d.topology.text, d.until);
    const store = new ExplorationStore(redis, d.exploration);
    const have = await store.recorded(d.tasks.map((t) => t.seed));
    const todo = d.tasks.filter((t) => !have.has(t.seed));
    if (job.stalledCounter > 0) {
      o.log(`batch ${job.id} again: its worker stopped holding it (${job.stalledCounter} time${job.stalledCounter === 1 ? '' : 's'}); ${have.size} of ${d.tasks.length} seeds were recorded already`);
    }
    const writes: Array<Promise<boolean>> = [];
    const outcomes = await runTasks(pool, setup, todo, (r) => writes.push(store.record(r, info.id)));
    await Promise.all(writes);
    const failed = outcomes.filter((r) => !r.passed).length;
    o.log(`ran batch ${job.id}: ${todo.length} seed${todo.length === 1 ? '' : 's'}, ${failed} failed`);
    return { ran: todo.length };
  };

  const worker = new Worker<BatchJob>(QUEUE, processBatch, {
    connection: redis,
    prefix: PREFIX,
    concurrency: o.threads,
    lockDuration: o.lockMs,
    stalledInterval: Math.max(1000, Math.round(o.lockMs / 2)),
    // A batch that keeps killing its workers (out of memory, say) fails after the third time.
    maxStalledCount: 3,
    name: info.id,
  });
  worker.on('error', () => {}); // connection losses: connectRedis reports them once
  worker.on('failed', (job, err) => {
    if (job && job.attemptsMade >= (job.opts.attempts ?? 1)) o.log(`batch ${job.id} failed: ${err.message}`);
  });
  await worker.waitUntilReady();
  o.log(`worker ${info.id} (linklab ${o.version}, ${o.threads} thread${o.threads === 1 ? '' : 's'}) takes batches from ${o.target.shown}`);

  return {
    id: info.id,
    async stop() {
      await worker.close();
      clearInterval(beat);
      await pool.close();
      await leave(redis, info.id).catch(() => {});
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}

