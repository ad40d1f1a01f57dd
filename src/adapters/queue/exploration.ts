/**
 * An exploration's records in Redis, under linklab:exploration:{ID}:* (one hash slot, so the
 * record script also runs on a cluster):
 *
 *   meta      JSON: the topology, the seeds, the version, the batch size (what --resume needs)
 *   results   hash seed -> outcome JSON, written with HSETNX: the first result for a seed is the
 *             one kept, so a retried batch or a duplicate completion never counts twice
 *   failed    how many recorded outcomes failed (moves with results, in the same script)
 *   workers   hash worker -> seeds it recorded (the workers that took part)
 *   refused   hash worker -> why it refused the exploration's jobs
 *
 * The report is computed from `results` alone.
 */
import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Micros } from '../../core/time.js';
import type { SeedOutcome } from '../sim/explore/protocol.js';

export interface ExplorationMeta {
  id: string;
  version: string;
  file: string;
  text: string;
  sha256: string;
  /** Virtual time per run, and the --until text for replay lines. */
  until?: Micros;
  untilText?: string;
  from: number;
  count: number;
  shard?: { index: number; of: number };
  batch: number;
}

export interface Progress {
  done: number;
  failed: number;
  /** Workers that recorded at least one seed. */
  tookPart: number;
}

/** How long a finished exploration's records stay, so `--resume ID` can print it again. */
export const KEEP_SECONDS = 7 * 24 * 3600;

const RECORD = `
if redis.call('HSETNX', KEYS[1], ARGV[1], ARGV[2]) == 0 then return 0 end
if ARGV[3] == '0' then redis.call('INCR', KEYS[2]) end
redis.call('HINCRBY', KEYS[3], ARGV[4], 1)
return 1`;

type WithRecord = Redis & { linklabRecord(results: string, failed: string, workers: string, seed: number, json: string, passed: string, worker: string): Promise<number> };

export function newExplorationId(): string {
  return randomBytes(6).toString('hex');
}

export class ExplorationStore {
  private readonly redis: WithRecord;
  private readonly key: (part: string) => string;

  constructor(redis: Redis, readonly id: string) {
    if (!('linklabRecord' in redis)) redis.defineCommand('linklabRecord', { numberOfKeys: 3, lua: RECORD });
    this.redis = redis as WithRecord;
    this.key = (part) => `linklab:exploration:{${id}}:${part}`;
  }

  /** Stores the meta of a new exploration; false when the id is taken. */
  async create(meta: ExplorationMeta): Promise<boolean> {
    return (await this.redis.set(this.key('meta'), JSON.stringify(meta), 'NX')) === 'OK';
  }

  async meta(): Promise<ExplorationMeta | undefined> {
    const text = await this.redis.get(this.key('meta'));
    return text === null ? undefined : (JSON.parse(text) as ExplorationMeta);
  }

  /** Records a seed's outcome unless one is recorded already; true when this one was kept. */
  async record(o: SeedOutcome, worker: string): Promise<boolean> {
    return (await this.redis.linklabRecord(this.key('results'), this.key('failed'), this.key('workers'), o.seed, JSON.stringify(o), o.passed ? '1' : '0', worker)) === 1;
  }

  /** Which of `seeds` have an outcome recorded. */
  async recorded(seeds: readonly number[]): Promise<Set<number>> {
    if (seeds.length === 0) return new Set();
    const have = await this.redis.hmget(this.key('results'), ...seeds.map(String));
    return new Set(seeds.filter((_, i) => have[i] !== null));
  }

  async progress(): Promise<Progress> {
    const [done, failed, tookPart] = await Promise.all([this.redis.hlen(this.key('results')), this.redis.get(this.key('failed')), this.redis.hlen(this.key('workers'))]);
    return { done, failed: Number(failed ?? 0), tookPart };
  }

  /** Every recorded outcome, read in chunks. */
  async outcomes(): Promise<SeedOutcome[]> {
    const out: SeedOutcome[] = [];
    let cursor = '0';
    do {
      const [next, flat] = await this.redis.hscan(this.key('results'), cursor, 'COUNT', 1000);
      for (let i = 1; i < flat.length; i += 2) out.push(JSON.parse(flat[i]) as SeedOutcome);
      cursor = next;
    } while (cursor !== '0');
    return out;
  }

  async refuse(worker: string, why: string): Promise<void> {
    await this.redis.hset(this.key('refused'), worker, why);
  }

  async refusals(): Promise<Map<string, string>> {
    return new Map(Object.entries(await this.redis.hgetall(this.key('refused'))));
  }

  /** Lets a finished exploration's records expire after KEEP_SECONDS. */
  async keep(): Promise<void> {
    await Promise.all(['meta', 'results', 'failed', 'workers', 'refused'].map((p) => this.redis.expire(this.key(p), KEEP_SECONDS)));
  }
}
