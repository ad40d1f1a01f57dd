// A database the privileged parent holds for the unprivileged child (arpd's): the child loads it
// in chunks over a real SEQPACKET channel, reads its own writes at once, and a sync becomes
// durable in the parent's LMDB file in one transaction, or not at all when a record is refused.
import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LmdbStore } from '../../../src/adapters/linux/store.js';
import { Channel } from '../../../src/adapters/linux/privsep/channel.js';
import { PrivsepClient } from '../../../src/adapters/linux/privsep/child.js';
import { StoreService } from '../../../src/adapters/linux/privsep/store-service.js';
import { RemoteStore } from '../../../src/adapters/linux/privsep/remote-store.js';
import { packOps, unpackOps, BatchError } from '../../../src/adapters/linux/privsep/store-batch.js';

const cleanups: Array<() => void> = [];
afterEach(() => {
  for (const c of cleanups.splice(0).reverse()) c();
});

const key = (i: number): Uint8Array => Uint8Array.of(0, 0, 0, 2, 198, 18, i >> 8, i & 0xff);
const value = (i: number): Uint8Array => Uint8Array.of(1, 2, 0, 0, 0, i >> 8, i & 0xff, 0, 0, 0, 9);

/** The parent's side as PrivsepParent wires it: requests to the service, replies back. */
function connected(check?: (k: Uint8Array, v: Uint8Array) => string | undefined) {
  const dir = mkdtempSync(join(tmpdir(), 'll-pstore-'));
  const lmdb = new LmdbStore(join(dir, 'arpd.db'));
  const service = new StoreService(lmdb, { check });
  const [a, b] = Channel.pair();
  const parentEnd = new Channel(a);
  const services = service.services();
  parentEnd.onMessage(({ message: m }) => {
    const args = m.args as Record<string, never>;
    services[args.op as string](args, (error, result) => parentEnd.send(error ? { t: 'reply', id: m.id, ok: false, error } : { t: 'reply', id: m.id, ok: true, result: result ?? null }));
  });
  const childEnd = new Channel(b);
  const client = new PrivsepClient(childEnd);
  childEnd.onMessage(({ message, fds }) => client.deliver(message, fds));
  cleanups.push(() => {
    parentEnd.close();
    childEnd.close();
    lmdb.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return { lmdb, service, client, dbPath: join(dir, 'arpd.db') };
}

describe('store batches', () => {
  it('pack and unpack puts and deletes, in chunks below the channel limit', () => {
    const ops = Array.from({ length: 6000 }, (_, i) => ({ key: key(i), value: i % 3 === 0 ? null : value(i) }));
    const chunks = packOps(ops);
    expect(chunks.length).toBeGreaterThan(1);
    for (const c of chunks) expect(c.length).toBeLessThanOrEqual(45_000);
    expect(chunks.flatMap((c) => unpackOps(c))).toEqual(ops);
  });

  it('name where a malformed chunk goes wrong', () => {
    expect(() => unpackOps(Uint8Array.of(1, 8, 1, 2))).toThrow(new BatchError('the key of the record at byte 0 runs past the end (8 bytes)'));
    expect(() => unpackOps(Uint8Array.of(7))).toThrow('operation 7 at byte 0 is neither put nor delete');
  });
});

describe('RemoteStore over StoreService', () => {
  it("loads the parent's database in chunks, reads its own writes, and makes a sync durable in the parent's file", async () => {
    const { lmdb, client, dbPath } = connected();
    for (let i = 0; i < 5000; i++) lmdb.put(key(i), value(i));
    lmdb.sync();
    const store = await RemoteStore.load(client);
    expect(store.size).toBe(5000);
    expect(store.get(key(4321))).toEqual(value(4321));

    store.put(key(6000), value(6000));
    store.delete(key(1));
    expect(store.get(key(6000))).toEqual(value(6000));
    expect(store.get(key(1))).toBeUndefined();
    const reader = new LmdbStore(dbPath, { readOnly: true });
    cleanups.push(() => reader.close());
    expect(reader.get(key(6000))).toBeUndefined(); // not synced yet

    store.sync();
    await store.flushed();
    expect(reader.get(key(6000))).toEqual(value(6000));
    expect(reader.get(key(1))).toBeUndefined();
    expect(reader.size).toBe(5000);
    expect([...store.entries()].map(([k]) => k)).toEqual([...reader.entries()].map(([k]) => k));
  });

  it('commits a sync bigger than one message in one transaction', async () => {
    const { client, dbPath, service } = connected();
    const store = await RemoteStore.load(client);
    for (let i = 0; i < 20_000; i++) store.put(key(i), value(i));
    store.sync();
    await store.flushed();
    expect(service.commits).toBe(1);
    const reader = new LmdbStore(dbPath, { readOnly: true });
    cleanups.push(() => reader.close());
    expect(reader.size).toBe(20_000);
  });

  it('refuses a whole sync when one record is malformed, and says why', async () => {
    const { client, dbPath } = connected((k, v) => (k.length !== 8 ? `a key of ${k.length} bytes` : v[0] !== 1 ? 'not a record' : undefined));
    const store = await RemoteStore.load(client);
    const errors: string[] = [];
    store.onError = (m) => errors.push(m);
    for (let i = 0; i < 10; i++) store.put(key(i), value(i));
    store.put(Uint8Array.of(1, 2, 3), value(1));
    store.sync();
    await store.flushed();
    expect(errors).toEqual(['store.write refused: a key of 3 bytes']);
    const reader = new LmdbStore(dbPath, { readOnly: true });
    cleanups.push(() => reader.close());
    expect(reader.size).toBe(0);
    expect(store.unsynced).toBe(11); // kept for the next sync
  });

  it('drops staged writes of a sync whose commit never came (the child died halfway)', async () => {
    const { client, service, lmdb } = connected();
    const store = await RemoteStore.load(client);
    for (let i = 0; i < 20_000; i++) store.put(key(i), value(i));
    // Send only the first chunk of the sync, as a child killed in the middle would have.
    const [first] = packOps([...store.entries()].map(([k, v]) => ({ key: k, value: v })));
    await new Promise<void>((resolve) => client.request({ op: 'store.write', data: Buffer.from(first).toString('base64'), commit: false }, () => resolve()));
    service.discard();
    await new Promise<void>((resolve) => client.request({ op: 'store.write', data: '', commit: true }, () => resolve()));
    expect(lmdb.size).toBe(0);
  });
});
