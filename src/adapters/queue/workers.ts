/**
 * Which workers are connected to the queue, whatever they are doing: each one refreshes a key
 * with a short lifetime (linklab:worker:ID) and is listed in linklab:workers. The coordinator
 * counts them for its progress bar and knows from their versions whether any can run its jobs.
 */
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';

export interface WorkerInfo {
  id: string;
  version: string;
  threads: number;
}

/** A worker's key lives this long; it is refreshed three times as often. */
export const HEARTBEAT_SECONDS = 15;

const SET = 'linklab:workers';
const key = (id: string): string => `linklab:worker:${id}`;

/** host:pid, and a few random characters in case two containers share both. */
export function newWorkerId(): string {
  return `${hostname()}:${process.pid}:${randomBytes(2).toString('hex')}`;
}

export async function heartbeat(redis: Redis, info: WorkerInfo): Promise<void> {
  await redis.multi().set(key(info.id), JSON.stringify(info), 'EX', HEARTBEAT_SECONDS).sadd(SET, info.id).exec();
}

export async function leave(redis: Redis, id: string): Promise<void> {
  await redis.multi().del(key(id)).srem(SET, id).exec();
}

/** The workers whose key is still alive; the others are taken off the list. */
export async function liveWorkers(redis: Redis): Promise<WorkerInfo[]> {
  const ids = await redis.smembers(SET);
  if (ids.length === 0) return [];
  const infos = await redis.mget(...ids.map(key));
  const gone = ids.filter((_, i) => infos[i] === null);
  if (gone.length) await redis.srem(SET, ...gone);
  return infos.filter((x): x is string => x !== null).map((x) => JSON.parse(x) as WorkerInfo);
}
