/**
 * arpd's database changes as trace events, for the run report's state timeline: the sim wraps the
 * store arpd writes through, so the core stays unchanged. A write that only refreshes an entry's
 * "seen" time is not an event; what arpd finds on disk when it starts (after a restart) is.
 *
 * `arpd.entry` {node, ifindex, ip, state: 'positive' | 'negative' | 'removed', mac?, probes?}
 */
import type { Store } from '../../../core/ports.js';
import { decodeEntry, decodeKey, type ArpEntry } from '../../../core/arpd/record.js';
import type { Tracer } from '../trace.js';

const EVENT = 'arpd.entry';

function sameState(a: ArpEntry | null, b: ArpEntry | null): boolean {
  if (!a || !b) return a === b;
  if (a.kind === 'positive' && b.kind === 'positive') return a.mac.value === b.mac.value;
  if (a.kind === 'negative' && b.kind === 'negative') return a.probes === b.probes;
  return false;
}

function emitEntry(trace: Tracer, node: string, key: Uint8Array, e: ArpEntry | null): void {
  const k = decodeKey(key);
  if (!k) return;
  const where = { event: EVENT, node, ifindex: k.ifindex, ip: k.ip.toString() };
  if (!e) trace.emit({ ...where, state: 'removed' });
  else if (e.kind === 'positive') trace.emit({ ...where, state: 'positive', mac: e.mac.toString() });
  else trace.emit({ ...where, state: 'negative', probes: e.probes });
}

/** `store`, emitting an `arpd.entry` event per change of an entry's state, and one per entry it holds now. */
export function tracedStore(store: Store, trace: Tracer, node: string): Store {
  const wanted = (): boolean => trace.wants?.(EVENT) ?? true;
  if (wanted()) for (const [k, v] of store.entries()) emitEntry(trace, node, k, decodeEntry(v));
  return {
    get: (key) => store.get(key),
    put(key, value) {
      if (!wanted()) return store.put(key, value);
      const before = store.get(key);
      store.put(key, value);
      const now = decodeEntry(value);
      if (!sameState(before ? decodeEntry(before) : null, now)) emitEntry(trace, node, key, now);
    },
    delete(key) {
      if (!wanted()) return store.delete(key);
      const had = store.get(key) !== undefined;
      store.delete(key);
      if (had) emitEntry(trace, node, key, null);
    },
    entries: () => store.entries(),
    get size() {
      return store.size;
    },
    sync: () => store.sync(),
    close: () => store.close(),
  };
}
