/**
 * Expectations: what a topology file says must be true of a run. Each kind is one file: its YAML
 * key, its JSON Schema, and a parser that turns the file's value into an Expectation. An
 * Expectation is immutable (one topology serves many seeds); `start` subscribes a fresh checker to
 * one run before it begins, and the checker's result is read when the run ends.
 */
import { formatDuration, type Micros } from '../../../core/time.js';
import type { TraceBus } from '../trace.js';
import type { Segment } from '../segment.js';
import type { Path } from '../topology/types.js';

/**
 * An event that decided an outcome, for the run report to point at: a trace event by its time, name
 * and node, or a frame put on the wire (`frame.tx`, with the sending interface).
 */
export interface Evidence {
  t: Micros;
  event: string;
  node?: string;
  iface?: string;
}

export interface Outcome {
  pass: boolean;
  /** Why, in words: what was seen (for a PASS as well as a FAIL). */
  why: string;
  /** The events that decided it (at most EVIDENCE of them), earliest first. */
  evidence?: Evidence[];
  /** The figure the expectation measures (see Expectation.figure); null when nothing was measured. */
  value?: number | null;
}

/** Evidence kept per outcome: enough to point at, few enough for a thousand hosts. */
export const EVIDENCE = 12;

/** The first EVIDENCE events of a list, as Evidence. */
export function evidenceOf(events: ReadonlyArray<{ t: Micros; event: string; node?: string; iface?: unknown }>): Evidence[] {
  return events.slice(0, EVIDENCE).map((e) => ({ t: e.t, event: e.event, ...(e.node !== undefined ? { node: e.node } : {}), ...(typeof e.iface === 'string' ? { iface: e.iface } : {}) }));
}

/** Keeps the first EVIDENCE items pushed (a bounded list a checker fills as events arrive). */
export class EvidenceList<T> {
  readonly items: T[] = [];

  push(x: T): void {
    if (this.items.length < EVIDENCE) this.items.push(x);
  }
}

/** What a checker may look at during and after a run. */
export interface RunView {
  readonly trace: TraceBus;
  now(): Micros;
  /** The run's end time. */
  readonly until: Micros;
  segment(name: string): Segment | undefined;
  readonly segments: readonly Segment[];
  /** Calls `fn` at virtual time `t` during the run (to look at state then). */
  at(t: Micros, fn: () => void): void;
  /** A node's answer to `query` (undefined when the kind has no such query). */
  query(node: string, what: string, args?: Record<string, unknown>): unknown;
}

export interface Expectation {
  readonly kind: string;
  /** What is expected, in words: "every h* has an address in 2001:db8:1::/64 by 10s". */
  readonly text: string;
  /** What Outcome.value measures, for distributions across seeds: "time to address" in "s". */
  readonly figure?: { label: string; unit: string };
  /** Subscribes a checker to `run`; the returned function gives the outcome at the end. */
  start(run: RunView): () => Outcome;
}

/** What a parser gets from the loader: names to check against, and located errors. */
export interface ParseContext {
  /** Every node (replicas expanded), in file order. */
  readonly nodes: readonly string[];
  readonly segments: readonly string[];
  /** Node names matching `pattern` (a name, or a glob with `*`); an error at `at` when none do. */
  matchNodes(pattern: string, at: Path): string[];
  /** A duration ("10s"); an error at `at` when it is not one. */
  duration(text: string, at: Path): Micros;
  /** Throws a located error. */
  error(at: Path, message: string): never;
}

export interface ExpectationKind {
  /** The YAML key: `- address: {...}`. */
  readonly key: string;
  readonly description: string;
  readonly schema: Record<string, unknown>;
  /** `value` passed the schema; `at` is its path in the file. */
  parse(value: Record<string, unknown>, at: Path, ctx: ParseContext): Expectation;
}

/** "1.5s", "805.382ms", "20us" for messages. */
export function when(us: Micros): string {
  if (us >= 1_000_000 || us === 0) return formatDuration(us);
  if (us >= 1000) return `${(us / 1000).toFixed(3).replace(/\.?0+$/, '')}ms`;
  return `${us}us`;
}

/** A short list for messages: "h1, h2, h3 and 7 more". */
export function someOf(names: readonly string[], max = 3): string {
  if (names.length <= max) return names.join(', ');
  return `${names.slice(0, max).join(', ')} and ${names.length - max} more`;
}

/** `*` and `?` globs over node names; a name without them matches itself only. */
export function globToRegExp(pattern: string): RegExp {
  const escaped = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${escaped}$`);
}
