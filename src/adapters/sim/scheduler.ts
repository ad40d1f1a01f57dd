/**
 * Virtual time. One scheduler per run orders every event by (time, sequence number): a binary
 * heap with ties broken by the order events were scheduled, so a run is a pure function of its
 * inputs. Time is integer microseconds and only moves when the next event is taken.
 */
import type { Clock, Timer } from '../../core/ports.js';
import type { Micros } from '../../core/time.js';
import { TimerHeap } from '../../core/timer-heap.js';

/**
 * A scheduled event; it is also the Timer handed back, so scheduling allocates one object. An
 * event set through a NodeClock remembers the clock's generation and is dead once the node
 * crashes (the generation moves on), without the clock keeping a list of its timers.
 */
class Entry implements Timer {
  live = true;

  constructor(
    readonly at: Micros,
    readonly seq: number,
    readonly fn: () => void,
    readonly owner: NodeClock | null,
    readonly generation: number,
  ) {}

  cancel(): void {
    this.live = false;
  }

  /** Still to run: not cancelled, and its node has not crashed since. */
  get runnable(): boolean {
    return this.live && (this.owner === null || this.owner.generation === this.generation);
  }
}

export class Scheduler {
  private readonly heap = new TimerHeap<Entry>();
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
    return this.heap.size;
  }

  /** Schedules `fn` at `at` (never before now); returns a handle that can cancel it. */
  schedule(at: Micros, fn: () => void): Timer {
    return this.add(at, fn, null, 0);
  }

  /** Schedules on behalf of a node clock (see Entry). */
  add(at: Micros, fn: () => void, owner: NodeClock | null, generation: number): Entry {
    if (!Number.isInteger(at)) throw new RangeError(`event time ${at} is not an integer number of microseconds`);
    const e = new Entry(at > this.time ? at : this.time, this.seq++, fn, owner, generation);
    this.heap.push(e);
    return e;
  }

  /** Time of the next live event, or undefined when none is left. */
  peek(): Micros | undefined {
    const h = this.heap;
    while (h.size > 0 && !h.top()!.runnable) h.pop();
    return h.top()?.at;
  }

  /** Runs the next event; false when none is left. */
  step(): boolean {
    for (;;) {
      const e = this.heap.pop();
      if (e === undefined) return false;
      if (!e.runnable) continue;
      e.live = false;
      this.time = e.at;
      this.executed++;
      e.fn();
      return true;
    }
  }

  /** Runs every event up to and including `until`, then sets the time to `until`. */
  runUntil(until: Micros): void {
    const h = this.heap;
    for (let e = h.top(); e !== undefined; e = h.top()) {
      if (!e.runnable) {
        h.pop();
        continue;
      }
      if (e.at > until) break;
      h.pop();
      e.live = false;
      this.time = e.at;
      this.executed++;
      e.fn();
    }
    if (until > this.time) this.time = until;
  }

  /** A Clock whose timers live on this scheduler. */
  clock(): Clock {
    return { now: () => this.time, at: (at, fn) => this.schedule(at, fn) };
  }
}

/**
 * A node's view of the clock: the same time, but its timers can all be cancelled at once when the
 * node crashes, so a crashed node does nothing until it restarts.
 */
export class NodeClock implements Clock {
  /** Moves on at every cancelAll: timers of an older generation are dead. */
  generation = 0;

  constructor(private readonly scheduler: Scheduler) {}

  now(): Micros {
    return this.scheduler.now();
  }

  at(at: Micros, fn: () => void): Timer {
    return this.scheduler.add(at, fn, this, this.generation);
  }

  /** Cancels every timer this node set. */
  cancelAll(): void {
    this.generation++;
  }
}
