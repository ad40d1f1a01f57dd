/**
 * What segments and the underlay share: the run's scheduler, random streams, tracer and capture,
 * the owner a port checks before it delivers (a crashed node hears nothing), and the counters every
 * port keeps for the run summary.
 */
import type { Scheduler } from './scheduler.js';
import type { RandomStreams } from './prng.js';
import type { TraceBus } from './trace.js';
import type { Capture } from './capture.js';

export interface MediumEnv {
  readonly scheduler: Scheduler;
  readonly streams: RandomStreams;
  readonly trace: TraceBus;
  readonly capture?: Capture;
}

/** The node behind a port; `alive` is false between a crash and the restart. */
export interface PortOwner {
  readonly alive: boolean;
}

/** Always alive: for external ports (a bridge to a real device) and tests. */
export const ALWAYS_ALIVE: PortOwner = { alive: true };

export class PortCounters {
  tx = 0;
  rx = 0;
  /** Lost to the `loss` fault. */
  lost = 0;
  /** Not sent or not received because a link or the node was down (or a runt frame). */
  dropped = 0;
  duplicated = 0;
  corrupted = 0;
  tooBig = 0;
}

/** Adds `b`'s counts to `a`. */
export function addCounters(a: PortCounters, b: PortCounters): void {
  a.tx += b.tx;
  a.rx += b.rx;
  a.lost += b.lost;
  a.dropped += b.dropped;
  a.duplicated += b.duplicated;
  a.corrupted += b.corrupted;
  a.tooBig += b.tooBig;
}

function position<T extends { index: number }>(list: readonly T[], item: T): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (list[mid].index < item.index) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * `list` (sorted by index) with `item` added. Copy on write: a delivery in progress may be walking
 * the old list, and a receiver that joins a group must not change what that walk sees.
 */
export function withItem<T extends { index: number }>(list: readonly T[], item: T): T[] {
  const at = position(list, item);
  if (list[at] === item) return list as T[];
  return [...list.slice(0, at), item, ...list.slice(at)];
}

/** `list` without `item`, copied on write like withItem. */
export function withoutItem<T extends { index: number }>(list: readonly T[], item: T): T[] {
  const at = position(list, item);
  if (list[at] !== item) return list as T[];
  return [...list.slice(0, at), ...list.slice(at + 1)];
}

/** Two lists sorted by index, merged (they hold different items). */
export function mergeSorted<T extends { index: number }>(a: T[], b: T[]): T[] {
  if (a.length === 0) return b;
  if (b.length === 0) return a;
  const out: T[] = new Array<T>(a.length + b.length);
  let i = 0;
  let j = 0;
  let k = 0;
  while (i < a.length && j < b.length) out[k++] = a[i].index < b[j].index ? a[i++] : b[j++];
  while (i < a.length) out[k++] = a[i++];
  while (j < b.length) out[k++] = b[j++];
  return out;
}
