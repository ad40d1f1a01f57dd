/**
 * Virtual time. One scheduler per run orders every event by (time, sequence number): a binary
 * heap with ties broken by the order events were scheduled, so a run is a pure function of its
 * inputs. Time is integer microseconds and only moves when the next event is taken.
 */
import type { Clock, Timer } from '../../core/ports.js';
import type { Micros } from '../../core/time.js';

interface Entry {
  at: Micros;
  seq: number;
  fn: () => void;
  live: boolean;
}

export class Scheduler {
  private heap: Entry[] = [];
  private seq = 0;
  private time: Micros = 0;
  private executed = 0;

  now(): Micros {
    return this.time;
  }

  /** Events run so far. */
  get eventsRun(): number {
    return this.executed;
  }

  /** Events waiting (cancelled ones included until they reach the top). */
  get pending(): number {
    return this.heap.length;
  }

  /** Schedules `fn` at `at` (never before now); returns a handle that can cancel it. */
  schedule(at: Micros, fn: () => void): Timer {
    if (!Number.isInteger(at)) throw new RangeError(`event time ${at} is not an integer number of microseconds`);
    const e: Entry = { at: Math.max(at, this.time), seq: this.seq++, fn, live: true };
    this.push(e);
    return {
      at: e.at,
      cancel: () => {
        e.live = false;
      },
    };
  }

  /** Time of the next live event, or undefined when none is left. */
  peek(): Micros | undefined {
    while (this.heap.length > 0 && !this.heap[0].live) this.pop();
    return this.heap.length > 0 ? this.heap[0].at : undefined;
  }

  /** Runs the next event; false when none is left. */
  step(): boolean {
    for (;;) {
      const e = this.pop();
      if (e === undefined) return false;
      if (!e.live) continue;
      e.live = false;
      this.time = e.at;
      this.executed++;
      e.fn();
      return true;
    }
  }

  /** Runs every event up to and including `until`, then sets the time to `until`. */
  runUntil(until: Micros): void {
    for (;;) {
      const next = this.peek();
      if (next === undefined || next > until) break;
      this.step();
    }
    if (until > this.time) this.time = until;
  }

  /** A Clock whose timers live on this scheduler. */
  clock(): Clock {
    return { now: () => this.time, at: (at, fn) => this.schedule(at, fn) };
  }

  private push(e: Entry): void {
    const h = this.heap;
    h.push(e);
    let i = h.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(e, h[parent])) break;
      h[i] = h[parent];
      i = parent;
    }
    h[i] = e;
  }

  private pop(): Entry | undefined {
    const h = this.heap;
    if (h.length === 0) return undefined;
    const top = h[0];
    const last = h.pop()!;
    if (h.length > 0) {
      let i = 0;
      const n = h.length;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= n) break;
        const r = l + 1;
        const c = r < n && before(h[r], h[l]) ? r : l;
        if (!before(h[c], last)) break;
        h[i] = h[c];
        i = c;
      }
      h[i] = last;
    }
    return top;
  }
}

function before(a: Entry, b: Entry): boolean {
  return a.at < b.at || (a.at === b.at && a.seq < b.seq);
}

/**
 * A node's view of the clock: the same time, but its timers can all be cancelled at once when the
 * node crashes, so a crashed node does nothing until it restarts.
 */
export class NodeClock implements Clock {
  private timers = new Set<Timer>();

  constructor(private readonly scheduler: Scheduler) {}

  now(): Micros {
    return this.scheduler.now();
  }

  at(at: Micros, fn: () => void): Timer {
    const t = this.scheduler.schedule(at, () => {
      this.timers.delete(t);
      fn();
    });
    this.timers.add(t);
    return {
      at: t.at,
      cancel: () => {
        this.timers.delete(t);
        t.cancel();
      },
    };
  }

  /** Cancels every timer this node set. */
  cancelAll(): void {
    for (const t of this.timers) t.cancel();
    this.timers.clear();
  }
}
