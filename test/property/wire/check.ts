/**
 * What the wire properties share: a structural comparison that says where two values differ, the
 * "only DecodeError, offsets inside the input" check, and fc.assert with the run count from
 * LINKLAB_FC_RUNS and a replay line on failure.
 */
import fc from 'fast-check';
import { expect } from 'vitest';
import { DecodeError } from '../../../src/core/wire/errors.js';
import { fcRuns } from '../../helpers/tier.js';

function hex(b: Uint8Array): string {
  let s = '';
  for (const x of b) s += x.toString(16).padStart(2, '0');
  return s;
}

function jsonOf(v: unknown): unknown {
  return v !== null && typeof v === 'object' && typeof (v as { toJSON?: unknown }).toJSON === 'function' ? (v as { toJSON(): unknown }).toJSON() : v;
}

/**
 * Where `actual` differs from `expected` (a path and both values), or null when they agree.
 * Addresses compare with their equals, other objects with toJSON (errors) by their JSON, bytes by
 * content. With `subset`, keys missing from `expected` are not compared (fields encoders compute).
 */
export function difference(actual: unknown, expected: unknown, subset = false): string | null {
  const d = diff(actual, expected, subset);
  return d === null ? null : '$' + d;
}

/** The mismatch as "<path>: <what>", the path built only on the way out of a mismatch. */
function diff(actual: unknown, expected: unknown, subset: boolean): string | null {
  if (expected === actual) return null;
  if (expected instanceof Uint8Array) {
    if (!(actual instanceof Uint8Array)) return `: expected bytes ${hex(expected)}, got ${String(actual)}`;
    if (actual.length !== expected.length) return `: ${actual.length} bytes ${hex(actual)}, expected ${expected.length} bytes ${hex(expected)}`;
    for (let i = 0; i < actual.length; i++) if (actual[i] !== expected[i]) return `: ${hex(actual)} != ${hex(expected)}`;
    return null;
  }
  if (expected === null || typeof expected !== 'object') return `: ${JSON.stringify(actual)}, expected ${JSON.stringify(expected)}`;
  if (typeof (expected as { equals?: unknown }).equals === 'function') {
    const same = actual !== null && typeof actual === 'object' && actual.constructor === expected.constructor && (expected as { equals(o: unknown): boolean }).equals(actual);
    return same ? null : `: ${String(actual)}, expected ${String(expected)}`;
  }
  const e = jsonOf(expected);
  if (e !== expected) return diff(jsonOf(actual), e, subset);
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) return `: expected an array, got ${JSON.stringify(actual)}`;
    if (actual.length !== expected.length) return `: ${actual.length} items, expected ${expected.length}`;
    for (let i = 0; i < expected.length; i++) {
      const d = diff(actual[i], expected[i], subset);
      if (d !== null) return `[${i}]` + d;
    }
    return null;
  }
  if (actual === null || typeof actual !== 'object') return `: expected an object, got ${JSON.stringify(actual)}`;
  const ex = expected as Record<string, unknown>;
  const ac = actual as Record<string, unknown>;
  for (const k in ex) {
    if (ex[k] === undefined) continue;
    const d = diff(ac[k], ex[k], subset);
    if (d !== null) return '.' + k + d;
  }
  if (!subset) {
    for (const k in ac) if (ac[k] !== undefined && ex[k] === undefined) return `: unexpected key ${k}`;
  }
  return null;
}

export function assertSame(actual: unknown, expected: unknown): void {
  const d = difference(actual, expected);
  if (d) throw new Error(`values differ at ${d}`);
}

export function assertContains(actual: unknown, expected: unknown): void {
  const d = difference(actual, expected, true);
  if (d) throw new Error(`values differ at ${d}`);
}

export function assertBytes(actual: Uint8Array, expected: Uint8Array, what = 'bytes'): void {
  const d = difference(actual, expected);
  if (d) throw new Error(`${what} differ: ${d}`);
}

/** Every `malformed` option error inside a decoded value, wherever it sits. */
function* malformedErrors(v: unknown, depth = 0): Generator<DecodeError> {
  if (depth > 4 || v === null || typeof v !== 'object' || v instanceof Uint8Array) return;
  const o = v as { kind?: unknown; error?: unknown; options?: unknown };
  if (o.kind === 'malformed' && o.error instanceof DecodeError) yield o.error;
  if (Array.isArray(o.options)) for (const x of o.options) yield* malformedErrors(x, depth + 1);
  for (const key of ['icmpv6']) if (key in o) yield* malformedErrors((o as Record<string, unknown>)[key], depth + 1);
}

/**
 * Runs `decode(input)`: it may return, or throw a DecodeError whose offset lies within the input
 * (at most its length: a missing part starts at the end). Errors kept in malformed options point
 * at a byte of the input. Returns the decoded value, or undefined when decoding failed.
 */
export function decodesOrRejects<T>(input: Uint8Array, decode: (b: Uint8Array) => T): T | undefined {
  let value: T;
  try {
    value = decode(input);
  } catch (err) {
    if (!(err instanceof DecodeError)) throw new Error(`threw ${String(err)} (not a DecodeError) for ${hex(input)}`, { cause: err });
    if (!Number.isInteger(err.offset) || err.offset < 0 || err.offset > input.length) {
      throw new Error(`DecodeError offset ${err.offset} outside the ${input.length}-byte input: ${err.message}`);
    }
    if (!err.field) throw new Error(`DecodeError without a field: ${err.message}`);
    return undefined;
  }
  for (const e of malformedErrors(value)) {
    if (!Number.isInteger(e.offset) || e.offset < 0 || e.offset >= input.length) {
      throw new Error(`malformed option error offset ${e.offset} outside the ${input.length}-byte input: ${e.message}`);
    }
  }
  return value;
}

/** How many runs, and a fixed seed/path when replaying (LINKLAB_FC_SEED, LINKLAB_FC_PATH). */
export function runParameters(runs = fcRuns()): fc.Parameters<unknown> {
  const seed = process.env.LINKLAB_FC_SEED;
  const path = process.env.LINKLAB_FC_PATH;
  return { numRuns: runs, ...(seed ? { seed: Number(seed) } : {}), ...(path ? { path } : {}) };
}

/** fc.assert with the project's run count; a failure says how to replay exactly that case. */
export function check<Ts extends [unknown, ...unknown[]]>(file: string, arbs: { [K in keyof Ts]: fc.Arbitrary<Ts[K]> }, predicate: (...args: Ts) => void, runs?: number): void {
  // Mutated packets make decoders build many DecodeErrors; their stack traces cost more than the
  // decoding. Failures still name the error and the case (LINKLAB_FC_STACK=1 keeps stacks).
  const limit = Error.stackTraceLimit;
  if (!process.env.LINKLAB_FC_STACK) Error.stackTraceLimit = 0;
  let details: fc.RunDetails<Ts>;
  try {
    details = fc.check(fc.property(...arbs, predicate), runParameters(runs) as fc.Parameters<Ts>);
  } finally {
    Error.stackTraceLimit = limit;
  }
  if (details.failed) {
    // -t names this test alone: a counterexample path belongs to one property, not the file's others.
    const name = expect.getState().currentTestName?.split(' > ').at(-1);
    const pattern = name ? `${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$` : '';
    const only = name ? ` -t '${pattern.replace(/'/g, "'\\''")}'` : '';
    const replay = `LINKLAB_FC_SEED=${details.seed} LINKLAB_FC_PATH=${JSON.stringify(details.counterexamplePath ?? '')} ./node_modules/.bin/vitest run ${file}${only}`;
    throw new Error(`${fc.defaultReportMessage(details)}\nreplay: ${replay}`);
  }
}
