/** A set of subscribers called in subscription order; unsubscribing during a call is safe. */
import type { Unsubscribe } from './ports.js';

export class Handlers<T> {
  private readonly set = new Set<(v: T) => void>();

  add(h: (v: T) => void): Unsubscribe {
    this.set.add(h);
    return () => {
      this.set.delete(h);
    };
  }

  emit(v: T): void {
    for (const h of [...this.set]) h(v);
  }

  get size(): number {
    return this.set.size;
  }

  clear(): void {
    this.set.clear();
  }
}
