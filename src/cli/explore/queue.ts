/**
 * The queue half of `linklab sim explore`: the exploration's seeds, topology and replay settings
 * come from the command line for a new one and from Redis for `--resume ID`; the outcomes come
 * from the workers. The report is printed by the same code as a local run.
 */
import { exploreOnQueue, explorationSeeds } from '../../adapters/queue/coordinator.js';
import { QueueError } from '../../adapters/queue/errors.js';
import type { ExplorationMeta } from '../../adapters/queue/exploration.js';
import { defaultBatch } from '../../adapters/queue/jobs.js';
import { parseRedisUrl, type RedisTarget } from '../../adapters/queue/redis-url.js';
import { seedList } from '../../adapters/sim/explore/explore.js';
import type { SeedOutcome } from '../../adapters/sim/explore/protocol.js';
import { UsageError } from '../errors.js';
import { exploreBar } from './progress.js';

/** A QueueError as a command's one-line error, naming the flag it is about. */
export function queueUsageError(err: unknown): unknown {
  if (err instanceof QueueError) return new UsageError(err.flag ? `--${err.flag} ${err.message}` : err.message);
  return err;
}

export function queueTarget(url: string): RedisTarget {
  try {
    return parseRedisUrl(url);
  } catch (err) {
    throw queueUsageError(err);
  }
}

export interface QueuedInput {
  url: string;
  version: string;
  json: boolean;
  /** A new exploration: what the command line says. */
  create?: { file: string; text: string; until?: number; untilText?: string; from: number; count: number; shard?: { index: number; of: number }; batch?: number };
  resume?: string;
  /** With --resume, what the command line gave, which must be what the exploration is. */
  expect?: { sha256?: string; from?: number; count?: number; shard?: { index: number; of: number }; until?: number };
}

export interface Queued {
  meta: ExplorationMeta;
  outcomes: SeedOutcome[];
  /** The line printed after the report. */
  line: string;
  tookPart: number;
  shown: string;
}

function checkResumed(meta: ExplorationMeta, e: NonNullable<QueuedInput['expect']>): void {
  const differs = (what: string): UsageError => new UsageError(`--resume ${meta.id}: the exploration has another ${what} (${meta.file}, seeds ${meta.from}.. x${meta.count}${meta.shard ? ` shard ${meta.shard.index}/${meta.shard.of}` : ''}${meta.untilText ? `, --until ${meta.untilText}` : ''}); leave the file and seed flags out to resume it as it is`);
  if (e.sha256 !== undefined && e.sha256 !== meta.sha256) throw differs('topology');
  if (e.count !== undefined && (e.count !== meta.count || e.from !== meta.from || JSON.stringify(e.shard) !== JSON.stringify(meta.shard))) throw differs('seed range');
  if (e.until !== undefined && e.until !== meta.until) throw differs('run length');
}

export async function exploreQueued(i: QueuedInput): Promise<Queued> {
  const target = queueTarget(i.url);
  const say = (line: string): void => void process.stderr.write(`linklab: ${line}\n`);
  let bar: ReturnType<typeof exploreBar>;
  let onInterrupt: (() => void) | undefined;
  try {
    const start = i.create ? { create: { ...i.create, batch: i.create.batch ?? defaultBatch(seedList(i.create.from, i.create.count, i.create.shard).length) } } : { resume: i.resume! };
    const r = await exploreOnQueue({
      target,
      version: i.version,
      start,
      onStart: (meta, resumed) => {
        if (i.expect) checkResumed(meta, i.expect);
        const n = explorationSeeds(meta).length;
        say(`${resumed ? 'resumed' : 'queued'} exploration ${meta.id} on ${target.shown}: ${n} seeds in batches of ${meta.batch}; if this stops, run again with --resume ${meta.id}`);
        onInterrupt = () => {
          bar?.stop();
          say(`stopped waiting; the workers go on with exploration ${meta.id}: --resume ${meta.id} waits for it again`);
          process.exit(130);
        };
        process.once('SIGINT', onInterrupt);
        bar = exploreBar(n, { json: i.json, queue: true });
      },
      onProgress: (p) => bar?.update(p.done, p.failed, p.live),
      onNote: (line) => {
        if (bar) process.stderr.write('\n');
        say(line);
      },
    });
    return { ...r, shown: target.shown, line: `queued as exploration ${r.meta.id} on ${target.shown}: ${r.tookPart} worker${r.tookPart === 1 ? '' : 's'} took part\n` };
  } catch (err) {
    throw queueUsageError(err);
  } finally {
    bar?.stop();
    if (onInterrupt) process.off('SIGINT', onInterrupt);
  }
}
