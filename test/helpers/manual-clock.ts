/** A Clock for unit tests: time moves only when the test calls `advance` or `runUntil`. */
import type { Clock, Timer } from '../../src/core/ports.js';
import type { Micros } from '../../src/core/time.js';

interface Pending {
  at: Micros;
  seq: number;
  fn: () => void;
  cancelled: boolean;
}

export class ManualClock implements Clock {
  private time: Micros;
  private seq = 0;
  private pending: Pending[] = [];

  constructor(start: Micros = 0) {
    this.time = start;
  }

  now(): Micros {
    return this.time;
  }

  at(at: Micros, fn: () => void): Timer {
    const p: Pending = { at: Math.max(at, this.time), seq: this.seq++, fn, cancelled: false };
    this.pending.push(p);
    return {
      at: p.at,
      cancel: () => {
        p.cancelled = true;
      },
    };
  }

  /** Runs every timer due up to `until` in (time, order set) order, then sets the time to `until`. */
  runUntil(until: Micros): void {
    for (;;) {
      const live = this.pending.filter((p) => !p.cancelled && p.at <= until);
      if (live.length === 0) break;
      live.sort((a, b) => a.at - b.at || a.seq - b.seq);
      const next = live[0];
      this.pending = this.pending.filter((p) => p !== next);
      this.time = next.at;
      next.fn();
    }
    this.pending = this.pending.filter((p) => !p.cancelled);
    this.time = Math.max(this.time, until);
  }

  advance(by: Micros): void {
    this.runUntil(this.time + by);
  }

  /** Timers still to fire. */
  get scheduled(): number {
    return this.pending.filter((p) => !p.cancelled).length;
  }
}
