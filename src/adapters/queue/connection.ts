/**
 * Connecting to Redis with a bounded first attempt: a server that is not there, refuses the
 * password or has no such database is reported at once, in words, instead of being retried
 * forever. Once connected, a lost connection is retried without end (a Redis restart is waited
 * out) and commands wait for it, as BullMQ requires (maxRetriesPerRequest: null).
 */
import { Redis } from 'ioredis';
import { QueueError } from './errors.js';
import type { RedisTarget } from './redis-url.js';

/** How long the first connection may take. */
export const CONNECT_TIMEOUT_MS = 5000;

/** The reason a first connection failed, in words, with the server's own text after it. */
function reason(err: Error & { code?: string }, target: RedisTarget): string {
  const m = err.message;
  if (err.code === 'ECONNREFUSED') return `cannot connect: nothing listens there (${m})`;
  if (err.code === 'ENOTFOUND' || err.code === 'EAI_AGAIN') return `cannot connect: no such host (${m})`;
  if (err.code === 'ETIMEDOUT' || /timed? ?out/i.test(m)) return `cannot connect: no answer within ${CONNECT_TIMEOUT_MS / 1000} s${target.options.tls ? ' (is it a TLS port?)' : ' (is it a TLS port? use rediss://)'}`;
  if (/CERT|SELF_SIGNED|UNABLE_TO_VERIFY/.test(err.code ?? '')) return `the server's TLS certificate is not trusted (${m}); for a private CA set NODE_EXTRA_CA_CERTS=CA.pem`;
  if (err.code === 'ERR_TLS_CERT_ALTNAME_INVALID') return `the server's TLS certificate is for another name (${m})`;
  if (/^WRONGPASS/.test(m)) return 'the server refused the user name or password';
  if (/^NOAUTH/.test(m)) return 'the server wants a password: redis://:PASSWORD@HOST:PORT (or USER:PASSWORD@)';
  if (/DB index is out of range/.test(m)) return `the server has no database ${target.options.db} (${m})`;
  return `cannot connect: ${m}`;
}

/**
 * Connects, or throws a QueueError naming the redacted URL and the reason. `onStatus` hears about
 * later losses and reconnections.
 */
export async function connectRedis(target: RedisTarget, onStatus?: (line: string) => void): Promise<Redis> {
  let ready = false;
  let lost = false;
  let first: Error | undefined;
  const redis = new Redis({
    ...target.options,
    lazyConnect: true,
    maxRetriesPerRequest: null,
    connectTimeout: CONNECT_TIMEOUT_MS,
    // Before the first success: no retry, so a wrong URL fails in seconds. After it: retry, backing off to 2 s.
    retryStrategy: (times) => (ready ? Math.min(times * 200, 2000) : null),
  });
  redis.on('error', (err: Error) => {
    if (!ready) first ??= err;
    else if (!lost) {
      lost = true;
      onStatus?.(`lost the connection to ${target.shown} (${err.message}); reconnecting`);
    }
  });
  redis.on('ready', () => {
    if (lost) onStatus?.(`connected to ${target.shown} again`);
    lost = false;
  });
  try {
    await redis.connect();
  } catch (err) {
    first ??= err as Error;
  }
  if (first) {
    redis.disconnect();
    throw new QueueError(`${target.shown}: ${reason(first, target)}`, 'queue');
  }
  ready = true;
  return redis;
}
