import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parseRedisUrl, redact } from '../../../src/adapters/queue/redis-url.js';
import { QueueError } from '../../../src/adapters/queue/errors.js';

describe('--queue URLs', () => {
  it('gives ioredis the host, port, database, user, password and TLS', () => {
    expect(parseRedisUrl('redis://127.0.0.1:6380/2')).toEqual({ options: { host: '127.0.0.1', port: 6380, db: 2 }, shown: 'redis://127.0.0.1:6380/2' });
    expect(parseRedisUrl('redis://queue.example')).toEqual({ options: { host: 'queue.example', port: 6379 }, shown: 'redis://queue.example' });
    expect(parseRedisUrl('redis://:p%40ss@[2001:db8::1]:7000/').options).toEqual({ host: '2001:db8::1', port: 7000, password: 'p@ss' });
    expect(parseRedisUrl('rediss://explorer:pw@queue.example:6380/0')).toEqual({
      options: { host: 'queue.example', port: 6380, db: 0, username: 'explorer', password: 'pw', tls: { servername: 'queue.example' } },
      shown: 'rediss://explorer:***@queue.example:6380/0',
    });
    expect(parseRedisUrl('rediss://192.0.2.7:6380').options.tls).toEqual({});
  });

  it('says what is wrong, showing the URL without its password', () => {
    const why = (url: string): string => {
      try {
        parseRedisUrl(url);
      } catch (err) {
        expect(err).toBeInstanceOf(QueueError);
        expect((err as QueueError).flag).toBe('queue');
        return (err as Error).message;
      }
      throw new Error(`${url} parsed`);
    };
    expect(why('queue.example:6379')).toMatch(/^"queue.example:6379": the scheme must be redis:\/\/ or rediss:\/\//);
    expect(why('redis:///0')).toMatch(/no host/);
    expect(why('redis://:secret@h:70000')).toBe('"redis://:***@h:70000": not a URL (expected redis://[USER:PASSWORD@]HOST[:PORT][/DB] or rediss://... for TLS)');
    expect(why('redis://h:0')).toMatch(/port 0 is not a port/);
    expect(why('redis://h/db1')).toMatch(/the path must be a database number, such as \/0, got "\/db1"/);
    expect(why('redis://h/0?tls=1')).toMatch(/takes no "\?" or "#" part/);
  });

  it('never shows a password, whatever it is made of', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1 }), fc.constantFrom('', 'user'), (password, user) => {
        expect(redact(`redis://${user}:${encodeURIComponent(password)}@h:1/0`)).toBe(`redis://${user}:***@h:1/0`);
        expect(redact(`rediss://${user}:${password}@h:1`)).toBe(`rediss://${user}:***@h:1`);
      }),
      { numRuns: 500 },
    );
  });
});
