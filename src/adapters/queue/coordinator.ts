/**
 * `linklab sim explore --queue`: puts an exploration's batches on the queue, waits while workers
 * record the seeds' outcomes, and hands the recorded outcomes back, so the command prints the
 * same report a local run prints. The coordinator holds nothing that is not in Redis: killed and
 * started again with `--resume ID`, it adds only the batches that are missing and waits again.
 */
import { createHash } from 'node:crypto';
import { Queue, QueueEvents } from 'bullmq';
import type { Redis } from 'ioredis';
import { seedList, seedTasks } from '../sim/explore/explore.js';
import type { SeedOutcome } from '../sim/explore/protocol.js';
import { connectRedis } from './connection.js';
import { QueueError } from './errors.js';
import { ExplorationStore, newExplorationId, type ExplorationMeta, type Progress } from './exploration.js';
import { JOB_OPTIONS, PREFIX, QUEUE, batches, jobId, type BatchJob } from './jobs.js';
import type { RedisTarget } from './redis-url.js';
import { liveWorkers } from './workers.js';

export type NewExploration = Omit<ExplorationMeta, 'id' | 'sha256' | 'version'>;

export interface QueueExploreOptions {
  target: RedisTarget;
  version: string;
  /** A new exploration, or the id of one to resume. */
  start: { create: NewExploration } | { resume: string };
  /** Called once the exploration is known (new or resumed). */
  onStart?: (meta: ExplorationMeta, resumed: boolean) => void;
  onProgress?: (p: Progress & { total: number; live: number }) => void;
  /** Lines worth telling the user (refusals, a lost connection, no workers). */
  onNote?: (line: string) => void;
}

export interface QueueExploreResult {
  meta: ExplorationMeta;
  outcomes: SeedOutcome[];
  /** Workers that recorded at least one seed. */
  tookPart: number;
}

const POLL_MS = 250;
const WORKERS_EVERY_MS = 1000;
/** With refusals and no worker of the right version connected this long, the coordinator gives up. */
export const NO_COMPATIBLE_WORKER_MS = 5000;
/** With no worker connected at all this long, it says so (and goes on waiting). */
const NO_WORKER_HINT_MS = 10_000;
const ADD_CHUNK = 500;

export function explorationSeeds(meta: ExplorationMeta): number[] {
  return seedList(meta.from, meta.count, meta.shard);
}

/** Adds the jobs of every batch with a seed not yet recorded; a job that exists already is left alone, one that failed is replaced. */
async function enqueue(queue: Queue<BatchJob>, store: ExplorationStore, meta: ExplorationMeta, resumed: boolean): Promise<void> {
  const all = batches(seedTasks(explorationSeeds(meta)), meta.batch);
  for (let i = 0; i < all.length; i += ADD_CHUNK) {
    const chunk = all.slice(i, i + ADD_CHUNK).map((tasks, k) => ({ tasks, batch: i + k }));
    const missing = resumed ? (await Promise.all(chunk.map(async (b) => ((await store.recorded(b.tasks.map((t) => t.seed))).size < b.tasks.length ? b : undefined)))).filter((b) => b !== undefined) : chunk;
    if (resumed) {
      await Promise.all(
        missing.map(async (b) => {
          const job = await queue.getJob(jobId(meta.id, b.batch));
          if (job && ['failed', 'completed'].includes(await job.getState())) await job.remove();
        }),
      );
    }
    const topology = { file: meta.file, text: meta.text, sha256: meta.sha256 };
    await queue.addBulk(
      missing.map((b) => ({
        name: 'batch',
        data: { exploration: meta.id, version: meta.version, batch: b.batch, topology, until: meta.until, tasks: b.tasks },
        opts: { ...JOB_OPTIONS, jobId: jobId(meta.id, b.batch) },
      })),
    );
  }
}

async function startOrResume(store: ExplorationStore, o: QueueExploreOptions): Promise<{ meta: ExplorationMeta; resumed: boolean }> {
  if ('resume' in o.start) {
    const meta = await store.meta();
    if (!meta) throw new QueueError(`no exploration ${store.id} on ${o.target.shown} (a finished one is kept 7 days)`, 'resume');
    if (meta.version !== o.version) throw new QueueError(`exploration ${meta.id} was started by linklab ${meta.version}; this is linklab ${o.version}`, 'resume');
    return { meta, resumed: true };
  }
  const c = o.start.create;
  const meta: ExplorationMeta = { id: store.id, version: o.version, ...c, sha256: createHash('sha256').update(c.text).digest('hex') };
  if (!(await store.create(meta))) throw new QueueError(`exploration id ${store.id} is taken; run again`);
  return { meta, resumed: false };
}

export async function exploreOnQueue(o: QueueExploreOptions): Promise<QueueExploreResult> {
  const note = o.onNote ?? (() => {});
  const redis = await connectRedis(o.target, note);
  const store = new ExplorationStore(redis, 'resume' in o.start ? o.start.resume : newExplorationId());
  const queue = new Queue<BatchJob>(QUEUE, { connection: redis, prefix: PREFIX });
  queue.on('error', () => {});
  let events: QueueEvents | undefined;
  let eventsRedis: Redis | undefined;
  try {
    const { meta, resumed } = await startOrResume(store, o);
    o.onStart?.(meta, resumed);
    // Failures of this exploration's batches (their attempts used up) end the wait.
    let fatal: string | undefined;
    eventsRedis = redis.duplicate();
    eventsRedis.on('error', () => {});
    events = new QueueEvents(QUEUE, { connection: eventsRedis, prefix: PREFIX });
    events.on('error', () => {});
    events.on('failed', ({ jobId: id, failedReason }) => {
      if (id.startsWith(`${meta.id}-`)) fatal ??= `batch ${id} failed: ${failedReason}`;
    });
    await events.waitUntilReady();
    await enqueue(queue, store, meta, resumed);
    const total = explorationSeeds(meta).length;
    let live = 0;
    let lastWorkers = -Infinity;
    let noCompatibleSince: number | undefined;
    let noWorkerSince: number | undefined;
    let hinted = false;
    const heardRefusals = new Set<string>();
    for (;;) {
      const p = await store.progress();
      const now = Date.now();
      if (now - lastWorkers >= WORKERS_EVERY_MS) {
        lastWorkers = now;
        const workers = await liveWorkers(redis);
        live = workers.length;
        const refusals = await store.refusals();
        for (const [w, why] of refusals) if (!heardRefusals.has(w)) note(`worker ${w} refused exploration ${meta.id}: ${why}`);
        for (const w of refusals.keys()) heardRefusals.add(w);
        const compatible = workers.some((w) => w.version === meta.version);
        noCompatibleSince = refusals.size > 0 && !compatible ? (noCompatibleSince ?? now) : undefined;
        if (noCompatibleSince !== undefined && now - noCompatibleSince >= NO_COMPATIBLE_WORKER_MS && p.done < total) {
          throw new QueueError(
            `no worker of linklab ${meta.version} is there to run exploration ${meta.id} (${refusals.size} worker${refusals.size === 1 ? '' : 's'} of another version refused it); start one and run again with --resume ${meta.id}`,
          );
        }
        if (live > 0) noWorkerSince = undefined;
        else if (!hinted && now - (noWorkerSince ??= now) >= NO_WORKER_HINT_MS) {
          note(`no worker is connected to ${o.target.shown}; start some with: linklab sim worker --queue ${o.target.shown}`);
          hinted = true;
        }
      }
      o.onProgress?.({ ...p, total, live });
      if (p.done >= total) break;
      if (fatal) throw new QueueError(`${fatal}; fix it and run again with --resume ${meta.id}`);
      await new Promise((r) => setTimeout(r, POLL_MS));
    }
    const outcomes = await store.outcomes();
    const { tookPart } = await store.progress();
    await store.keep();
    return { meta, outcomes, tookPart };
  } finally {
    await events?.close().catch(() => {});
    eventsRedis?.disconnect();
    await queue.close().catch(() => {});
    await redis.quit().catch(() => redis.disconnect());
  }
}
