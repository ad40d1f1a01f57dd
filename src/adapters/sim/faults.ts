/**
 * Fault settings of one attachment (the "cable" between a node's interface and its segment or the
 * underlay). A frame crosses the sender's cable, then each receiver's: every crossing may lose,
 * duplicate, corrupt, delay (latency + jitter) or hold back (reorder) it.
 *
 * A topology gives each setting as a fixed value or a range {min, max}; ranges are sampled once per
 * run from the cable's own stream, so a seed picks the fault level as well as the fault events.
 * Each kind of fault then draws from its own sub-stream (`link:lan/h1:eth0/loss`), so turning one
 * fault off (as `explore` does when it shrinks a failing run) leaves the others' draws unchanged.
 */
import type { Micros } from '../../core/time.js';
import type { Prng, RandomStreams } from './prng.js';

/** Probabilities, each in [0, 1]. */
export const PROBABILITY_FAULTS = ['loss', 'duplicate', 'reorder', 'corrupt'] as const;
/** Delays in microseconds. */
export const DELAY_FAULTS = ['latency', 'jitter', 'reorderDelay'] as const;
export const FAULT_NAMES = [...DELAY_FAULTS, ...PROBABILITY_FAULTS] as const;

export type ProbabilityFault = (typeof PROBABILITY_FAULTS)[number];
export type DelayFault = (typeof DELAY_FAULTS)[number];
export type FaultName = (typeof FAULT_NAMES)[number];

/** A fixed value or a range sampled per seed (delays in microseconds). */
export type FaultValue = number | { min: number; max: number };
export type FaultSpec = Partial<Record<FaultName, FaultValue>>;

export type Faults = Record<FaultName, number>;

/** What a cable does when the topology says nothing: 10us each way, nothing else. */
export const DEFAULT_FAULTS: Readonly<Faults> = {
  latency: 10,
  jitter: 0,
  reorderDelay: 10_000,
  loss: 0,
  duplicate: 0,
  reorder: 0,
  corrupt: 0,
};

export function isProbabilityFault(name: string): name is ProbabilityFault {
  return (PROBABILITY_FAULTS as readonly string[]).includes(name);
}

/** `override` on top of `base`, field by field. */
export function mergeFaultSpecs(base: FaultSpec, override: FaultSpec | undefined): FaultSpec {
  return override ? { ...base, ...override } : base;
}

/** Fixes every range of `spec` with draws from `rng`, in FAULT_NAMES order. */
export function sampleFaults(spec: FaultSpec, rng: Prng): Faults {
  const out = { ...DEFAULT_FAULTS };
  for (const name of FAULT_NAMES) {
    const v = spec[name];
    if (v === undefined) continue;
    if (typeof v === 'number') out[name] = v;
    else {
      const x = rng.uniform(v.min, v.max);
      out[name] = isProbabilityFault(name) ? x : Math.round(x);
    }
  }
  return out;
}

/** True when the spec can do anything random (so a seed matters). */
export function specIsRandom(spec: FaultSpec): boolean {
  for (const name of FAULT_NAMES) {
    const v = spec[name];
    if (v === undefined) continue;
    if (typeof v !== 'number') return true;
    if (name !== 'latency' && name !== 'reorderDelay' && v > 0) return true;
  }
  return false;
}

/** One attachment's faults with their random streams; the segment asks it what happens to a frame. */
export class Cable {
  /** Whether any per-frame draw can happen (false: a fixed latency and nothing else). */
  readonly random: boolean;
  private readonly rngs = new Map<string, Prng>();

  constructor(
    readonly faults: Faults,
    private readonly streams: RandomStreams,
    /** The cable's stream name, `link:<segment>/<node>:<iface>`. */
    readonly streamName: string,
  ) {
    this.random = faults.jitter > 0 || PROBABILITY_FAULTS.some((p) => faults[p] > 0);
  }

  private rng(kind: string): Prng {
    let r = this.rngs.get(kind);
    if (!r) {
      r = this.streams.stream(`${this.streamName}/${kind}`);
      this.rngs.set(kind, r);
    }
    return r;
  }

  lost(): boolean {
    return this.faults.loss > 0 && this.rng('loss').next() < this.faults.loss;
  }

  duplicated(): boolean {
    return this.faults.duplicate > 0 && this.rng('duplicate').next() < this.faults.duplicate;
  }

  /** A copy of `frame` with one bit flipped, or null when this crossing does not corrupt it. */
  corrupted(frame: Uint8Array): Uint8Array | null {
    if (this.faults.corrupt <= 0 || frame.length === 0) return null;
    const r = this.rng('corrupt');
    if (r.next() >= this.faults.corrupt) return null;
    const copy = frame.slice();
    const bit = r.int(0, frame.length * 8 - 1);
    copy[bit >>> 3] ^= 0x80 >>> (bit & 7);
    return copy;
  }

  /** The time this crossing takes: latency, plus jitter, plus the reorder hold when drawn. */
  delay(): Micros {
    let d = this.faults.latency;
    if (this.faults.jitter > 0) d += this.rng('jitter').int(0, this.faults.jitter);
    if (this.faults.reorder > 0 && this.rng('reorder').next() < this.faults.reorder) d += this.faults.reorderDelay;
    return d;
  }
}
