/**
 * Time in linklab is integer microseconds (smoltcp's `Instant`, not a Date): monotonic, from an
 * arbitrary origin, the same on a real host and in the simulator.
 */
export type Micros = number;

export const MICROSECOND: Micros = 1;
export const MILLISECOND: Micros = 1_000;
export const SECOND: Micros = 1_000_000;
export const MINUTE: Micros = 60 * SECOND;
export const HOUR: Micros = 60 * MINUTE;

/** Seconds (possibly fractional) to whole microseconds. */
export function seconds(s: number): Micros {
  return Math.round(s * SECOND);
}

export function millis(ms: number): Micros {
  return Math.round(ms * MILLISECOND);
}

/** "1.5s", "250ms", "42us": for logs and traces. */
export function formatDuration(us: Micros): string {
  if (us % SECOND === 0) return `${us / SECOND}s`;
  if (us >= SECOND) return `${(us / SECOND).toFixed(3).replace(/\.?0+$/, '')}s`;
  if (us % MILLISECOND === 0) return `${us / MILLISECOND}ms`;
  return `${us}us`;
}
