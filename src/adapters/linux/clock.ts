/**
 * Time for real daemons. `MonotonicClock` is the Clock port: integer microseconds from
 * process.hrtime (a step of the calendar clock never moves a timer), with its own queue of timers
 * ordered by (time, order set) like the simulator's scheduler, and one Node timeout for the
 * earliest. A timer never runs before its time: libuv counts whole milliseconds from a cached loop
 * time, so an early wake-up just sleeps again. `SystemWallClock` is calendar time for records
 * that outlive the process.
 */
import type { Clock, Timer, WallClock } from '../../core/ports.js';
import type { Micros } from '../../core/time.js';
import { TimerHeap } from '../../core/timer-heap.js';

const MAX_DELAY_MS = 0x7fff_ffff; // setTimeout's limit; longer waits wake up and sleep again

interface Entry {
  at: Micros;
  seq: number;
  fn: () => void;
  live: boolean;
}

export class MonotonicClock implements Clock {
  private readonly heap = new TimerHeap<Entry>();
  private seq = 0;
  private handle: NodeJS.Timeout | undefined;
  private armedFor = Infinity;
  private keepAlive = true;

  /** Timers of this clock do not keep the process alive (for helpers and tests). */
  unref(): this {
    this.keepAlive = false;
    this.handle?.unref();
    return this;
  }

  now(): Micros {
    return Number(process.hrtime.bigint() / 1000n);
  }

  at(at: Micros, fn: () => void): Timer {
    if (!Number.isFinite(at)) throw new RangeError(`timer time ${at} is not a number of microseconds`);
    const e: Entry = { at: Math.round(at), seq: this.seq++, fn, live: true };
    this.heap.push(e);
    this.arm();
    return {
      at: e.at,
      cancel: () => {
        e.live = false;
      },
    };
  }

  /** Timers not yet run or cancelled. */
  get pending(): number {
    return this.heap.values().filter((e) => e.live).length;
  }

  private arm(): void {
    while (this.heap.size > 0 && !this.heap.top()!.live) this.heap.pop();
    const next = this.heap.top();
    if (!next) {
      if (this.handle) clearTimeout(this.handle);
      this.handle = undefined;
      this.armedFor = Infinity;
      return;
    }
    if (this.handle && this.armedFor <= next.at) return;
    if (this.handle) clearTimeout(this.handle);
    const wait = next.at - this.now();
    this.armedFor = next.at;
    this.handle = setTimeout(() => this.fire(), wait <= 0 ? 0 : Math.min(MAX_DELAY_MS, Math.ceil(wait / 1000)));
    if (!this.keepAlive) this.handle.unref();
  }

  private fire(): void {
    this.handle = undefined;
    this.armedFor = Infinity;
    const now = this.now();
    // Only what is due now; timers set by these callbacks wait for the next turn of the loop.
    const due: Entry[] = [];
    for (let top = this.heap.top(); top !== undefined && top.at <= now; top = this.heap.top()) {
      const e = this.heap.pop()!;
      if (e.live) due.push(e);
    }
    try {
      for (const e of due) {
        if (!e.live) continue;
        e.live = false;
        e.fn();
      }
    } finally {
      this.arm();
    }
  }
}

export class SystemWallClock implements WallClock {
  epochSeconds(): number {
    return Math.floor(Date.now() / 1000);
  }
}
