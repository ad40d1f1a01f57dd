/** Messages between `explore` and its worker threads. */
import type { Micros } from '../../../core/time.js';
import type { Overrides } from '../overrides.js';

/**
 * What a worker thread needs to run seeds of one topology: its text (so workers need no file
 * system), its name for error messages, and the virtual time per run. `key` names the setup, so a
 * thread that already loaded it is not sent it again.
 */
export interface WorkerSetup {
  key: string;
  file: string;
  text: string;
  until?: Micros;
}

export interface SeedTask {
  id: number;
  seed: number;
  overrides?: Overrides;
}

/** A task for a thread, with its setup when the thread holds another one (or none yet). */
export interface ThreadMessage {
  ref: number;
  setup?: WorkerSetup;
  task: SeedTask;
}

export interface ThreadReply {
  ref: number;
  outcome: SeedOutcome;
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
