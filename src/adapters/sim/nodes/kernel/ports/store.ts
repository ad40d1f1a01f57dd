/**
 * Store over the simulated host's disk: a key-ordered map whose writes become durable at `sync`
 * (and at a clean `close`). A crash loses whatever was written since the last sync and nothing
 * more; the disk outlives the boot.
 */
import type { Store } from '../../../../../core/ports.js';
import { fromHex, toHex } from '../../../../../core/wire/bytes.js';

/** The durable part: path -> hex key -> value. Lives as long as the node. */
export class Disk {
  private readonly files = new Map<string, Map<string, Uint8Array>>();

  file(path: string): Map<string, Uint8Array> {
    let f = this.files.get(path);
    if (!f) {
      f = new Map();
      this.files.set(path, f);
    }
    return f;
  }

  paths(): string[] {
    return [...this.files.keys()].sort();
  }
}

export class SimStore implements Store {
  /** Writes since the last sync: a value, or null for a deletion. */
  private readonly pending = new Map<string, Uint8Array | null>();
  private closed = false;

  constructor(private readonly durable: Map<string, Uint8Array>) {}

  get(key: Uint8Array): Uint8Array | undefined {
    const k = toHex(key);
    const p = this.pending.get(k);
    if (p !== undefined) return p === null ? undefined : p;
    return this.durable.get(k);
  }

  put(key: Uint8Array, value: Uint8Array): void {
    this.check();
    this.pending.set(toHex(key), Uint8Array.from(value));
  }

  delete(key: Uint8Array): void {
    this.check();
    this.pending.set(toHex(key), null);
  }

  /** Every entry in key order (hex order of equal-width bytes is byte order). */
  entries(): Iterable<[Uint8Array, Uint8Array]> {
    const merged = new Map(this.durable);
    for (const [k, v] of this.pending) {
      if (v === null) merged.delete(k);
      else merged.set(k, v);
    }
    const keys = [...merged.keys()].sort();
    return keys.map((k) => [fromHex(k)!, merged.get(k)!] as [Uint8Array, Uint8Array]);
  }

  get size(): number {
    let n = this.durable.size;
    for (const [k, v] of this.pending) {
      const had = this.durable.has(k);
      if (v === null && had) n--;
      else if (v !== null && !had) n++;
    }
    return n;
  }

  sync(): void {
    for (const [k, v] of this.pending) {
      if (v === null) this.durable.delete(k);
      else this.durable.set(k, v);
    }
    this.pending.clear();
  }

  close(): void {
    if (this.closed) return;
    this.sync();
    this.closed = true;
  }

  private check(): void {
    if (this.closed) throw new Error('store is closed');
  }
}
