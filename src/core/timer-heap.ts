/**
 * A binary min-heap of timers ordered by (time, sequence number): the order in which both the
 * simulator's scheduler and the Linux clock run timers, so ties go to the one set first.
 */
export interface Timed {
  readonly at: number;
  readonly seq: number;
}

export class TimerHeap<E extends Timed> {
  private readonly h: E[] = [];

  get size(): number {
    return this.h.length;
  }

  /** The earliest entry, left in place. */
  top(): E | undefined {
    return this.h[0];
  }

  push(e: E): void {
    const h = this.h;
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

  /** Takes the earliest entry out. */
  pop(): E | undefined {
    const h = this.h;
    if (h.length === 0) return undefined;
    const top = h[0];
    const last = h.pop()!;
    const n = h.length;
    if (n > 0) {
      let i = 0;
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

  /** Every entry, in no particular order. */
  values(): readonly E[] {
    return this.h;
  }
}

function before(a: Timed, b: Timed): boolean {
  return a.at < b.at || (a.at === b.at && a.seq < b.seq);
}
