/**
 * The unprivileged child's side of StoreService: a Store whose reads come from a copy in memory
 * (loaded from the parent at start) and whose writes go to the parent at each `sync()`, where
 * one transaction makes them durable. `sync()` returns at once (ports never block); `flushed()`
 * says when everything synced so far has been committed, which a clean exit waits for.
 */
import type { Store } from '../../../core/ports.js';
import type { PrivsepClient } from './child.js';
import type { Json } from './channel.js';
import { fromBase64, packOps, toBase64, unpackEntries, type StoreOp } from './store-batch.js';

/** The key's bytes as a string; spelled out for arpd's 8-byte keys (apply() on a typed array is slow). */
function keyText(k: Uint8Array): string {
  if (k.length === 8) return String.fromCharCode(k[0], k[1], k[2], k[3], k[4], k[5], k[6], k[7]);
  return String.fromCharCode.apply(null, k as unknown as number[]);
}

function keyBytes(k: string): Uint8Array {
  const b = new Uint8Array(k.length);
  for (let i = 0; i < k.length; i++) b[i] = k.charCodeAt(i);
  return b;
}

export class RemoteStore implements Store {
  /** Everything, synced or not, by the key's bytes as a string (latin1: sorts as the bytes do). */
  private readonly live = new Map<string, Uint8Array>();
  /** Writes not yet sent: the value, or null for a delete. */
  private dirty = new Map<string, Uint8Array | null>();
  private sending: Promise<void> = Promise.resolve();
  private closed = false;
  /** Syncs the parent refused or failed, with its reason (logged by the daemon). */
  onError: (message: string) => void = () => undefined;

  private constructor(private readonly parent: PrivsepClient) {}

  /** Reads the whole database from the parent. */
  static async load(parent: PrivsepClient): Promise<RemoteStore> {
    const s = new RemoteStore(parent);
    for (let chunk = 0; ; chunk++) {
      const r = await s.call({ op: 'store.read', chunk });
      const res = r as { data: string; more: boolean };
      for (const [k, v] of unpackEntries(fromBase64(res.data, 'data'))) s.live.set(keyText(k), v);
      if (!res.more) return s;
    }
  }

  get(key: Uint8Array): Uint8Array | undefined {
    return this.live.get(keyText(key));
  }

  /** Keeps `value` itself (no copy: this is the per-packet path); the caller must not change it. */
  put(key: Uint8Array, value: Uint8Array): void {
    this.check();
    const k = keyText(key);
    this.live.set(k, value);
    this.dirty.set(k, value);
  }

  delete(key: Uint8Array): void {
    this.check();
    const k = keyText(key);
    this.live.delete(k);
    this.dirty.set(k, null);
  }

  *entries(): Iterable<[Uint8Array, Uint8Array]> {
    const keys = [...this.live.keys()].sort();
    for (const k of keys) {
      const v = this.live.get(k);
      if (v) yield [keyBytes(k), v];
    }
  }

  get size(): number {
    return this.live.size;
  }

  /** Writes not yet handed to the parent. */
  get unsynced(): number {
    return this.dirty.size;
  }

  sync(): void {
    if (this.dirty.size === 0) return;
    const batch = this.dirty;
    this.dirty = new Map();
    this.sending = this.sending.then(() => this.send(batch));
  }

  /** Resolves when every sync so far has been committed by the parent (or has failed). */
  flushed(): Promise<void> {
    return this.sending;
  }

  close(): void {
    if (this.closed) return;
    this.sync();
    this.closed = true;
  }

  private async send(batch: Map<string, Uint8Array | null>): Promise<void> {
    const ops: StoreOp[] = [];
    for (const [k, value] of batch) ops.push({ key: keyBytes(k), value });
    const chunks = packOps(ops);
    try {
      for (let i = 0; i < chunks.length; i++) await this.call({ op: 'store.write', data: toBase64(chunks[i]), commit: i === chunks.length - 1 });
    } catch (err) {
      this.onError((err as Error).message);
      // Nothing of this sync was committed: send it again with the next one, unless newer.
      for (const [k, v] of batch) if (!this.dirty.has(k)) this.dirty.set(k, v);
    }
  }

  private call(args: Record<string, Json | undefined>): Promise<Json | undefined> {
    return new Promise((resolve, reject) => {
      this.parent.request(args, (r) => (r.ok ? resolve(r.result) : reject(new Error(r.error ?? 'the parent refused'))));
    });
  }

  private check(): void {
    if (this.closed) throw new Error('the store is closed');
  }
}
