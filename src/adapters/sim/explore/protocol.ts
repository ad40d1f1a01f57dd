/** Messages between `explore` and its worker threads. */
import type { Micros } from '../../../core/time.js';
import type { Overrides } from '../overrides.js';

/** Given to each worker once: the topology text (so workers need no file system) and its name. */
export interface WorkerSetup {
  file: string;
  text: string;
  until?: Micros;
}

export interface SeedTask {
  id: number;
  seed: number;
  overrides?: Overrides;
}

export interface SeedOutcome {
  id: number;
  seed: number;
  passed: boolean;
  events: number;
  /** The expectations that failed: their place in `expect:` and what was seen. */
  failures: Array<{ index: number; text: string; why: string }>;
  /** Each expectation's measured figure (Expectation.figure), in `expect:` order; null when none. */
  values?: Array<number | null>;
  /** Set when the run itself threw (a bug in a node or the engine). */
  error?: string;
}
