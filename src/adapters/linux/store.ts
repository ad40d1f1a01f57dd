/**
 * Store over LMDB (the lmdb package): byte keys in key order, byte values. Writes wait in memory
 * and go to disk at `sync()` in ONE write transaction, flushed before it returns, so a crash loses
 * at most what was written since the last sync and a reader (this process or another: arpd -l
 * while arpd runs) sees either all of a sync or none of it. LMDB lets readers in other processes
 * work while a writer holds the database.
 */
import { closeSync, mkdirSync, openSync, readSync } from 'node:fs';
import { dirname } from 'node:path';
import { open, type RootDatabase } from 'lmdb';
import type { Store } from '../../core/ports.js';
import { toHex } from '../../core/wire/bytes.js';

export interface StoreOptions {
  /** Open for reading only (a dump while a daemon writes). */
  readOnly?: boolean;
}

export class StoreError extends Error {
  override readonly name = 'StoreError';
}

function compare(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return a.length - b.length;
}

const copy = (b: Uint8Array): Uint8Array => new Uint8Array(b);

const LMDB_MAGIC = 0xbeefc0de;
const BDB_HASH_MAGIC = 0x061561;

/**
 * Refuses a file that is there but is not an LMDB environment: LMDB maps a file it is given and
 * trusts its pages, so another format (iproute2 arpd's Berkeley DB hash, say) crashes the process.
 * LMDB's meta page carries its magic number after the page header (16 or 24 bytes in).
 */
function notLmdb(path: string): void {
  let head: Buffer;
  try {
    const fd = openSync(path, 'r');
    try {
      head = Buffer.alloc(64);
      head = head.subarray(0, readSync(fd, head, 0, 64, 0));
    } finally {
      closeSync(fd);
    }
  } catch {
    return; // missing (LMDB creates it) or unreadable (LMDB says why)
  }
  if (head.length === 0) return;
  const at = (o: number): number => (head.length >= o + 4 ? head.readUInt32LE(o) : -1);
  if (at(16) === LMDB_MAGIC || at(24) === LMDB_MAGIC) return;
  const bdb = at(12) === BDB_HASH_MAGIC || (head.length >= 16 && head.readUInt32BE(12) === BDB_HASH_MAGIC);
  throw new StoreError(`${path}: not an LMDB database${bdb ? ' (a Berkeley DB file, as iproute2 arpd writes)' : ''}`);
}

export class LmdbStore implements Store {
  private readonly db: RootDatabase<Uint8Array, Uint8Array>;
  /** Unsynced writes by hex key: the new value, or null for a delete. */
  private pending = new Map<string, { key: Uint8Array; value: Uint8Array | null }>();
  private closed = false;

  /** Opens (creating unless read-only) the database file at `path` (and `path-lock`). */
  constructor(
    readonly path: string,
    private readonly opts: StoreOptions = {},
  ) {
    notLmdb(path);
    try {
      if (!opts.readOnly) mkdirSync(dirname(path), { recursive: true });
      this.db = open<Uint8Array, Uint8Array>({ path, noSubdir: true, keyEncoding: 'binary', encoding: 'binary', readOnly: opts.readOnly ?? false });
    } catch (err) {
      throw new StoreError(`${path}: cannot open the database: ${(err as Error).message}`);
    }
  }

  get(key: Uint8Array): Uint8Array | undefined {
    const p = this.pending.get(toHex(key));
    if (p) return p.value === null ? undefined : copy(p.value);
    if (this.opts.readOnly) this.db.resetReadTxn(); // lmdb-js reuses a read snapshot until the next tick
    const v = this.db.getBinary(key);
    return v === undefined ? undefined : copy(v);
  }

  put(key: Uint8Array, value: Uint8Array): void {
    this.writable();
    this.pending.set(toHex(key), { key: copy(key), value: copy(value) });
  }

  delete(key: Uint8Array): void {
    this.writable();
    this.pending.set(toHex(key), { key: copy(key), value: null });
  }

  *entries(): Iterable<[Uint8Array, Uint8Array]> {
    // One snapshot of the committed entries, merged in key order with the unsynced writes.
    const committed: Array<[Uint8Array, Uint8Array]> = [];
    this.db.resetReadTxn();
    for (const { key, value } of this.db.getRange({ snapshot: true })) committed.push([copy(key as Uint8Array), copy(value)]);
    const overlay = [...this.pending.values()].sort((a, b) => compare(a.key, b.key));
    let i = 0;
    let j = 0;
    while (i < committed.length || j < overlay.length) {
      const c = committed[i];
      const o = overlay[j];
      const order = !c ? 1 : !o ? -1 : compare(c[0], o.key);
      if (order < 0) {
        yield c;
        i++;
      } else {
        if (o.value !== null) yield [o.key, o.value];
        if (order === 0) i++;
        j++;
      }
    }
  }

  get size(): number {
    let n = this.db.getCount();
    for (const p of this.pending.values()) {
      const exists = this.db.doesExist(p.key);
      if (p.value === null && exists) n--;
      else if (p.value !== null && !exists) n++;
    }
    return n;
  }

  /** Writes waiting for the next sync. */
  get unsynced(): number {
    return this.pending.size;
  }

  sync(): void {
    if (this.pending.size === 0 || this.opts.readOnly) return;
    const batch = [...this.pending.values()];
    this.db.transactionSync(() => {
      for (const p of batch) {
        if (p.value === null) this.db.removeSync(p.key);
        else this.db.putSync(p.key, p.value);
      }
    });
    this.db.resetReadTxn();
    this.pending.clear();
  }

  /**
   * Writes `ops` (null value: delete) in ONE transaction, durable when it returns: what a sync of
   * those writes would do, without holding them in memory first (a privsep parent committing its
   * child's sync). Writes still waiting for `sync()` go first, in the same transaction.
   */
  apply(ops: Iterable<{ key: Uint8Array; value: Uint8Array | null }>): void {
    this.writable();
    const pending = [...this.pending.values()];
    this.db.transactionSync(() => {
      for (const p of pending) {
        if (p.value === null) this.db.removeSync(p.key);
        else this.db.putSync(p.key, p.value);
      }
      for (const op of ops) {
        if (op.value === null) this.db.removeSync(op.key);
        else this.db.putSync(op.key, op.value);
      }
    });
    this.db.resetReadTxn();
    this.pending.clear();
  }

  /** A clean close syncs first (as the simulator's store does); only a crash loses writes. */
  close(): void {
    if (this.closed) return;
    this.sync();
    this.closed = true;
    void this.db.close();
  }

  private writable(): void {
    if (this.opts.readOnly) throw new StoreError(`${this.path}: opened read-only`);
    if (this.closed) throw new StoreError(`${this.path}: closed`);
  }
}
