/**
 * A run's fault schedule and the edits `explore` makes to shrink it: timed events dropped (by their
 * 1-based place in `events:`) and fault probabilities set to zero (by knob). Knobs are named after
 * where the file sets them: `lan.loss` (a segment's default), `h1:eth0.loss` or `h{i}:eth0.loss`
 * (a port's own setting, for every replica), `underlay.loss`. `linklab sim run --drop-event N
 * --zero KNOB` replays a shrunk schedule from the original file.
 */
import { PROBABILITY_FAULTS, type FaultSpec, type FaultValue } from './faults.js';
import type { Topology } from './topology/types.js';

export interface Overrides {
  dropEvents?: readonly number[];
  zero?: readonly string[];
}

function active(v: FaultValue | undefined): boolean {
  if (v === undefined) return false;
  return typeof v === 'number' ? v > 0 : v.max > 0;
}

/** Every probability the file sets above zero, as knob names, in file order. */
export function faultKnobs(t: Topology): string[] {
  const out: string[] = [];
  const add = (prefix: string, spec: FaultSpec): void => {
    for (const f of PROBABILITY_FAULTS) if (active(spec[f]) && !out.includes(`${prefix}.${f}`)) out.push(`${prefix}.${f}`);
  };
  for (const s of t.segments) add(s.name, s.faults);
  add('underlay', t.underlay.faults);
  for (const n of t.nodes) for (const i of n.interfaces) add(i.faultOrigin, i.faults);
  return out;
}

export class OverrideError extends Error {
  override readonly name = 'OverrideError';
}

/** `t` with the events dropped and the knobs zeroed. Unknown event numbers or knobs are errors. */
export function applyOverrides(t: Topology, o: Overrides): Topology {
  const drop = new Set(o.dropEvents ?? []);
  for (const d of drop) {
    if (!t.events.some((e) => e.index === d)) throw new OverrideError(`there is no event ${d} (the file has ${t.events.length})`);
  }
  const knobs = faultKnobs(t);
  for (const k of o.zero ?? []) {
    if (!knobs.includes(k)) throw new OverrideError(`there is no fault "${k}" to zero (${knobs.length ? `faults: ${knobs.join(', ')}` : 'the file sets none'})`);
  }
  const zero = new Set(o.zero ?? []);
  const zeroed = (prefix: string, spec: FaultSpec): FaultSpec => {
    const out = { ...spec };
    for (const f of PROBABILITY_FAULTS) if (zero.has(`${prefix}.${f}`)) out[f] = 0;
    return out;
  };
  return {
    ...t,
    segments: t.segments.map((s) => ({ ...s, faults: zeroed(s.name, s.faults) })),
    underlay: { faults: zeroed('underlay', t.underlay.faults) },
    nodes: t.nodes.map((n) => ({ ...n, interfaces: n.interfaces.map((i) => ({ ...i, faults: zeroed(i.faultOrigin, i.faults) })) })),
    events: t.events.filter((e) => !drop.has(e.index)),
  };
}

/** The flags that replay these overrides: `--drop-event 2 --zero lan.loss`. */
export function overrideFlags(o: Overrides): string[] {
  return [...(o.dropEvents ?? []).flatMap((d) => ['--drop-event', String(d)]), ...(o.zero ?? []).flatMap((z) => ['--zero', z])];
}

/** The schedule left after overrides, as lines a person reads: events, then faults still on. */
export function describeSchedule(t: Topology, o: Overrides): string[] {
  const after = applyOverrides(t, o);
  const lines = after.events.map((e) => {
    const { at: _at, ...rest } = e.source;
    return `  event ${e.index} at ${String(e.source.at)}: ${JSON.stringify(rest)}`;
  });
  for (const k of faultKnobs(after)) lines.push(`  fault ${k}`);
  return lines.length ? lines : ['  (no timed events and no random faults)'];
}
