/** A list of subscribers that may unsubscribe (or subscribe others) while being called. */
import type { Unsubscribe } from '../../../core/ports.js';

export class Listeners<T> {
  private handlers: Array<(v: T) => void> = [];

  get size(): number {
    return this.handlers.length;
  }

  add(h: (v: T) => void): Unsubscribe {
    // Copy on write: an emit in progress keeps the array it started with.
    this.handlers = [...this.handlers, h];
    return () => {
      this.handlers = this.handlers.filter((x) => x !== h);
    };
  }

  emit(v: T): void {
    const hs = this.handlers;
    for (let i = 0; i < hs.length; i++) hs[i](v);
  }

  clear(): void {
    this.handlers = [];
  }
}
