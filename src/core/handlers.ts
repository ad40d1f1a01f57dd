/**
 * The one list of subscribers every port, core and engine part keeps. Handlers are called in
 * subscription order. The list is copied on write, so a call in progress sees the handlers it
 * started with: a handler may unsubscribe itself or others, or subscribe more, and `emit`
 * allocates nothing (a segment calls it for every frame it delivers).
 */
import type { Unsubscribe } from './ports.js';

export class Handlers<T = void> {
  private list: ReadonlyArray<(v: T) => void> = [];

  add(h: (v: T) => void): Unsubscribe {
    this.list = [...this.list, h];
    let subscribed = true;
    return () => {
      if (!subscribed) return;
      subscribed = false;
      const i = this.list.indexOf(h);
      if (i >= 0) this.list = [...this.list.slice(0, i), ...this.list.slice(i + 1)];
    };
  }

  emit(v: T): void {
    const list = this.list;
    for (let i = 0; i < list.length; i++) list[i](v);
  }

  /** Calls every handler once and forgets them all (waiters for a one-time event). */
  drain(v: T): void {
    const list = this.list;
    this.list = [];
    for (let i = 0; i < list.length; i++) list[i](v);
  }

  get size(): number {
    return this.list.length;
  }

  clear(): void {
    this.list = [];
  }
}
