// LMDB maps whatever file it is given and trusts its pages: another format crashed the process
// (a segmentation fault on iproute2 arpd's Berkeley DB file). LmdbStore now refuses such a file
// with an error naming it, before LMDB sees it.
import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LmdbStore, StoreError } from '../../../src/adapters/linux/store.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
function dir(): string {
  const d = mkdtempSync(join(tmpdir(), 'll-storefmt-'));
  dirs.push(d);
  return d;
}

describe('LmdbStore and files that are not LMDB', () => {
  it('refuses a Berkeley DB hash file (the original arpd database) and says what it is', () => {
    const path = join(dir(), 'old.db');
    const page = Buffer.alloc(4096);
    page.writeUInt32LE(0x061561, 12); // DB_HASHMAGIC, native order
    page.writeUInt32LE(9, 16); // version 9, as Debian's arpd writes
    writeFileSync(path, page);
    expect(() => new LmdbStore(path)).toThrow(new StoreError(`${path}: not an LMDB database (a Berkeley DB file, as iproute2 arpd writes)`));
    expect(() => new LmdbStore(path, { readOnly: true })).toThrow(StoreError);
    expect(existsSync(`${path}-lock`)).toBe(false);
  });

  it('refuses any other non-empty file, and still opens an empty one and its own files', () => {
    const d = dir();
    writeFileSync(join(d, 'text.db'), '#Ifindex IP              MAC\n');
    expect(() => new LmdbStore(join(d, 'text.db'))).toThrow(`${join(d, 'text.db')}: not an LMDB database`);
    writeFileSync(join(d, 'empty.db'), '');
    const s = new LmdbStore(join(d, 'empty.db'));
    s.put(Uint8Array.of(1), Uint8Array.of(2));
    s.close();
    const again = new LmdbStore(join(d, 'empty.db'), { readOnly: true });
    expect(again.get(Uint8Array.of(1))).toEqual(Uint8Array.of(2));
    again.close();
  });
});
