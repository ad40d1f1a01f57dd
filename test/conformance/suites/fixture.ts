/**
 * What every conformance factory gives its suite besides the ports: a way to let time pass. The
 * simulator runs its scheduler (virtual time); Linux waits on the real clock, bounded. Suites say
 * "until this holds, within this long" and never sleep on their own, so one suite runs on both.
 */
import type { Micros } from '../../../src/core/time.js';

export interface Fixture {
  /** Lets time pass until `pred()` holds or `within` has elapsed; resolves to `pred()`. */
  until(pred: () => boolean, within: Micros): Promise<boolean>;
  /** Lets `duration` pass. */
  pass(duration: Micros): Promise<void>;
  /** Releases everything the factory built. */
  close(): Promise<void> | void;
}

/** Collects what a subscription delivers. */
export function collect<T>(subscribe: (h: (v: T) => void) => () => void, keep: (v: T) => boolean = () => true): { items: T[]; stop: () => void } {
  const items: T[] = [];
  const stop = subscribe((v) => {
    if (keep(v)) items.push(v);
  });
  return { items, stop };
}
