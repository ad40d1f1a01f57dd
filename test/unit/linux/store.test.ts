// The LMDB store: unsynced writes are visible to the writer but not durable; one sync is one
// transaction; a crash keeps exactly the synced state; readers in other processes never see half a
// sync while a writer runs.
import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LmdbStore, StoreError } from '../../../src/adapters/linux/store.js';
import { lineFrom, runProgram, startProgram } from './programs/run.js';

const dirs: string[] = [];
function dbPath(): string {
  const d = mkdtempSync(join(tmpdir(), 'll-store-'));
  dirs.push(d);
  return join(d, 'arpd.db');
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const b = (...xs: number[]): Uint8Array => new Uint8Array(xs);

describe('LmdbStore', () => {
  it('reads its own unsynced writes; another handle sees them only after sync', () => {
    const path = dbPath();
    const w = new LmdbStore(path);
    w.put(b(1), b(10));
    expect(w.get(b(1))).toEqual(b(10));
    const r = new LmdbStore(path, { readOnly: true });
    expect(r.get(b(1))).toBeUndefined();
    w.sync();
    expect(r.get(b(1))).toEqual(b(10));
    w.put(b(1), b(11));
    w.sync();
    expect(w.get(b(1))).toEqual(b(11));
    expect(r.get(b(1))).toEqual(b(11));
    w.close();
    r.close();
  });

  it('lists entries in byte order, merging unsynced puts and deletes, with the right size', () => {
    const w = new LmdbStore(dbPath());
    for (const k of [5, 1, 3]) w.put(b(k), b(k * 10));
    w.sync();
    w.put(b(2), b(20));
    w.put(b(3), b(33));
    w.delete(b(5));
    w.put(b(1, 0), b(100));
    expect([...w.entries()]).toEqual([
      [b(1), b(10)],
      [b(1, 0), b(100)],
      [b(2), b(20)],
      [b(3), b(33)],
    ]);
    expect(w.size).toBe(4);
    expect(w.unsynced).toBe(4);
    w.sync();
    expect(w.unsynced).toBe(0);
    expect(w.size).toBe(4);
    expect(w.get(b(5))).toBeUndefined();
    w.close();
  });

  it('syncs on a clean close', () => {
    const path = dbPath();
    const w = new LmdbStore(path);
    w.put(b(9), b(90));
    w.close();
    const r = new LmdbStore(path, { readOnly: true });
    expect(r.get(b(9))).toEqual(b(90));
    r.close();
  });

  it('refuses writes when read-only, naming the file', () => {
    const path = dbPath();
    new LmdbStore(path).close();
    const r = new LmdbStore(path, { readOnly: true });
    expect(() => r.put(b(1), b(1))).toThrowError(StoreError);
    expect(() => r.put(b(1), b(1))).toThrowError(path);
    r.close();
  });

  it('after a SIGKILL keeps exactly what was synced', async () => {
    const path = dbPath();
    const writer = startProgram('store-writer.ts', [path, 'crash', '20']);
    await lineFrom(writer, /^unsynced$/);
    writer.kill('SIGKILL');
    await new Promise((r) => writer.on('close', r));
    const s = new LmdbStore(path, { readOnly: true });
    const values = [...s.entries()].map(([, v]) => v[3]);
    expect(values).toEqual(new Array(20).fill(1));
    expect(s.get(b(1))).toBeUndefined();
    s.close();
  });

  it('never shows a reader in another process half a sync while the writer runs', async () => {
    const path = dbPath();
    const writer = startProgram('store-writer.ts', [path, 'run', '200']);
    try {
      await lineFrom(writer, /^first sync$/);
      const reader = await runProgram('store-reader.ts', [path, '300']);
      const m = /reads (\d+) torn (\d+) seen (\d+)/.exec(reader.stdout);
      expect(m, reader.stderr).not.toBeNull();
      expect(Number(m![1])).toBeGreaterThanOrEqual(300);
      expect(Number(m![2])).toBe(0);
      expect(Number(m![3])).toBeGreaterThanOrEqual(5); // it did read while syncs went on
    } finally {
      writer.kill('SIGKILL');
    }
  });
});
