/**
 * The ARP database over the Store port: typed entries keyed by (ifindex, IPv4), with the size
 * bound and expiry the original lacked.
 *
 * Eviction rule: when a new key would take the database past `maxEntries`, one sweep removes,
 * in this order, entries past `expireAfter`, negative entries (oldest first), then positive
 * entries least recently heard from, until the database is at 15/16 of the bound. Sweeps are
 * rare (one per maxEntries/16 new keys), so their cost is spread thin.
 */
import type { Store } from '../ports.js';
import type { Ipv4Address } from '../wire/ipv4-address.js';
import type { MacAddress } from '../wire/mac-address.js';
import { decodeEntry, decodeKey, encodeEntry, encodeKey, isPositiveFor, seenOf, type ArpEntry, type ArpKey } from './record.js';

export interface Limits {
  maxEntries: number;
  /** Seconds; 0 keeps entries forever. */
  expireAfter: number;
}

export type PutResult = 'new' | 'changed' | 'same';

export class ArpDatabase {
  /**
   * Entries in the store, kept here: a store's own count may cost a pass over its unsynced
   * writes, and the bound is checked on every new key (quadratic under a flood of new senders).
   */
  private count: number;

  constructor(
    readonly store: Store,
    private readonly limits: Limits,
  ) {
    this.count = store.size;
  }

  get size(): number {
    return this.count;
  }

  get(ifindex: number, ip: Ipv4Address): ArpEntry | undefined {
    const v = this.store.get(encodeKey(ifindex, ip));
    return v ? (decodeEntry(v) ?? undefined) : undefined;
  }

  /**
   * Records `mac` for the address. An unchanged entry is rewritten only to refresh its "seen"
   * time, and only when that time is stale enough to matter for expiry, so a busy sender does
   * not cost a write per packet.
   */
  putPositive(ifindex: number, ip: Ipv4Address, mac: MacAddress, now: number): PutResult {
    const key = encodeKey(ifindex, ip);
    const old = this.store.get(key);
    if (old && isPositiveFor(old, mac)) {
      if (now - seenOf(old) >= this.refreshAfter()) this.store.put(key, encodeEntry({ kind: 'positive', mac, seen: now }));
      return 'same';
    }
    const prev = old ? decodeEntry(old) : null;
    if (!old) {
      this.makeRoom(now);
      this.count++;
    }
    this.store.put(key, encodeEntry({ kind: 'positive', mac, seen: now }));
    return prev?.kind === 'positive' ? 'changed' : 'new';
  }

  putNegative(ifindex: number, ip: Ipv4Address, probes: number, since: number): void {
    const key = encodeKey(ifindex, ip);
    if (!this.store.get(key)) {
      this.makeRoom(since);
      this.count++;
    }
    this.store.put(key, encodeEntry({ kind: 'negative', probes, since }));
  }

  delete(ifindex: number, ip: Ipv4Address): boolean {
    const key = encodeKey(ifindex, ip);
    if (!this.store.get(key)) return false;
    this.store.delete(key);
    this.count--;
    return true;
  }

  /** Every entry in key order (interface, then address). */
  *entries(): Iterable<ArpKey & { entry: ArpEntry }> {
    for (const [k, v] of this.store.entries()) {
      const key = decodeKey(k);
      const entry = decodeEntry(v);
      if (key && entry) yield { ...key, entry };
    }
  }

  /** Drops entries not heard from for `expireAfter` seconds; returns how many. */
  expire(now: number): number {
    if (this.limits.expireAfter <= 0) return 0;
    const old: Uint8Array[] = [];
    for (const [k, v] of this.store.entries()) {
      const e = decodeEntry(v);
      if (e && now - stamp(e) >= this.limits.expireAfter) old.push(k);
    }
    for (const k of old) this.store.delete(k);
    this.count -= old.length;
    return old.length;
  }

  sync(): void {
    this.store.sync();
  }

  private refreshAfter(): number {
    return this.limits.expireAfter > 0 ? Math.max(1, Math.min(60, Math.floor(this.limits.expireAfter / 4))) : Infinity;
  }

  private makeRoom(now: number): void {
    if (this.count < this.limits.maxEntries) return;
    this.expire(now);
    const target = Math.floor((this.limits.maxEntries * 15) / 16);
    if (this.count <= target) return;
    const all: Array<{ key: Uint8Array; negative: boolean; when: number }> = [];
    for (const [k, v] of this.store.entries()) {
      const e = decodeEntry(v);
      all.push({ key: k, negative: e?.kind !== 'positive', when: e ? stamp(e) : 0 });
    }
    // negatives before positives, older before newer; key order breaks ties (already sorted)
    all.sort((a, b) => Number(b.negative) - Number(a.negative) || a.when - b.when);
    for (let i = 0; this.count > target && i < all.length; i++) {
      this.store.delete(all[i].key);
      this.count--;
    }
  }
}

function stamp(e: ArpEntry): number {
  return e.kind === 'positive' ? e.seen : e.since;
}
